namespace Workbench.Operators.Detection;

/// <summary>
/// The floating-point operations of NAB's Python stack, reproduced operation by operation so that a port gives the same
/// doubles: numpy's <c>mean</c>/<c>std</c> (pairwise summation, numpy ≥ 1.9) and CPython's own <c>math.erfc</c> (the
/// series / continued-fraction algorithm CPython 2.7 and 3.x before the switch to the C library used). Each method
/// states the exact order of its operations; none of them is meant to be more accurate than the original, only equal.
/// </summary>
internal static class NabArithmetic
{
    /// <summary>numpy's unroll factor and block size in <c>pairwise_sum_DOUBLE</c>.</summary>
    private const int Unroll = 8;

    private const int BlockSize = 128;

    /// <summary>√π as the 40-digit literal of CPython's <c>mathmodule.c</c> (rounded once to a double).</summary>
    private const double SqrtPi = 1.772453850905516027298167483341145182798;

    /// <summary>
    /// numpy's <c>add.reduce</c> of a contiguous float64 array: fewer than 8 values are added left to right; up to 128
    /// go into 8 interleaved accumulators r₀…r₇ (value i into r_(i mod 8)), combined as ((r₀+r₁)+(r₂+r₃))+((r₄+r₅)+(r₆+r₇)),
    /// then the remainder (n mod 8 values) added left to right; above 128 the span is split at ⌊n/2⌋ rounded down to a
    /// multiple of 8 and the two halves summed recursively. The reduction starts from the identity 0.0 (exact).
    /// </summary>
    public static double PairwiseSum(ReadOnlySpan<double> a)
    {
        var n = a.Length;
        if (n < Unroll)
        {
            var res = 0.0;
            for (var i = 0; i < n; i++)
            {
                res += a[i];
            }

            return res;
        }

        if (n <= BlockSize)
        {
            double r0 = a[0], r1 = a[1], r2 = a[2], r3 = a[3], r4 = a[4], r5 = a[5], r6 = a[6], r7 = a[7];
            var i = Unroll;
            for (; i < n - (n % Unroll); i += Unroll)
            {
                r0 += a[i];
                r1 += a[i + 1];
                r2 += a[i + 2];
                r3 += a[i + 3];
                r4 += a[i + 4];
                r5 += a[i + 5];
                r6 += a[i + 6];
                r7 += a[i + 7];
            }

            var res = ((r0 + r1) + (r2 + r3)) + ((r4 + r5) + (r6 + r7));
            for (; i < n; i++)
            {
                res += a[i];
            }

            return res;
        }

        var n2 = n / 2;
        n2 -= n2 % Unroll;
        return PairwiseSum(a[..n2]) + PairwiseSum(a[n2..]);
    }

    /// <summary>
    /// <c>numpy.mean</c> and <c>numpy.std</c> (ddof 0) of <paramref name="values"/>: μ = Σx / n; σ = √(Σ(x − μ)² / n),
    /// both sums pairwise (<see cref="PairwiseSum"/>), the squared deviations formed first into
    /// <paramref name="scratch"/> (at least as long as <paramref name="values"/>), as numpy's <c>_var</c> does.
    /// </summary>
    public static (double Mean, double Std) MeanStd(ReadOnlySpan<double> values, Span<double> scratch)
    {
        var n = values.Length;
        var mean = PairwiseSum(values) / n;
        var squares = scratch[..n];
        for (var i = 0; i < n; i++)
        {
            var d = values[i] - mean;
            squares[i] = d * d;
        }

        return (mean, Math.Sqrt(PairwiseSum(squares) / n));
    }

    /// <summary>
    /// CPython's <c>math.erfc</c> (<c>m_erfc</c>): for |x| &lt; 1.5, 1 − erf(x) with erf(x) from 25 terms of the series
    /// erf(x) = 2x·e^(−x²)/√π · Σ (2x²)ᵏ/(1·3·…·(2k+1)), evaluated by Horner's rule from the last term
    /// (acc ← 2 + x²·acc / f, f = 25.5, 24.5, …, 1.5; erf = acc·x·e^(−x²)/√π); for 1.5 ≤ |x| &lt; 30 the continued fraction
    /// erfc(|x|) = |x|·e^(−x²)/√π · p/q after 50 steps of the recurrences p ← b·p − a·p′, q ← b·q − a·q′
    /// (a = 0.5, 2.5, 4.5, …; b = 2.5 + x², 4.5 + x², …; p₀ = 1, p′ = 0, q₀ = 0.5 + x², q′ = 1), reflected as 2 − erfc
    /// for negative x; 0 for x ≥ 30, 2 for x ≤ −30. NaN stays NaN.
    /// </summary>
    public static double Erfc(double x)
    {
        if (double.IsNaN(x))
        {
            return x;
        }

        var absx = Math.Abs(x);
        if (absx < 1.5)
        {
            return 1.0 - ErfSeries(x);
        }

        var cf = ErfcContinuedFraction(absx);
        return x > 0.0 ? cf : 2.0 - cf;
    }

    private static double ErfSeries(double x)
    {
        const int terms = 25;
        var x2 = x * x;
        var acc = 0.0;
        var fk = terms + 0.5;
        for (var i = 0; i < terms; i++)
        {
            acc = 2.0 + (x2 * acc / fk);
            fk -= 1.0;
        }

        return acc * x * Math.Exp(-x2) / SqrtPi;
    }

    private static double ErfcContinuedFraction(double x)
    {
        const int terms = 50;
        if (x >= 30.0)
        {
            return 0.0;
        }

        var x2 = x * x;
        var a = 0.0;
        var da = 0.5;
        var p = 1.0;
        var pLast = 0.0;
        var q = da + x2;
        var qLast = 1.0;
        for (var i = 0; i < terms; i++)
        {
            a += da;
            da += 2.0;
            var b = da + x2;
            var temp = p;
            p = (b * p) - (a * pLast);
            pLast = temp;
            temp = q;
            q = (b * q) - (a * qLast);
            qLast = temp;
        }

        return p / q * x * Math.Exp(-x2) / SqrtPi;
    }
}
