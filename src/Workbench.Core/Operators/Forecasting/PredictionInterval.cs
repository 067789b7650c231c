namespace Workbench.Operators.Forecasting;

/// <summary>
/// Gaussian prediction intervals shared by the forecasters: an interval at level <c>L</c> is
/// <c>forecast ± z·sqrt(variance)</c> with <c>z = Φ⁻¹((1 + L) / 2)</c>, the standard normal quantile.
/// </summary>
public static class PredictionInterval
{
    /// <summary>The default interval level: 0.95 (a 95 % interval).</summary>
    public const double DefaultLevel = 0.95;

    /// <summary>
    /// Forecasters whose σ² is the mean square of recent one-step errors (seasonal naive, SES, Holt, Holt-Winters)
    /// give intervals only once they have seen this many one-step errors (10); before that, point forecasts only.
    /// </summary>
    public const int MinimumResiduals = 10;

    /// <summary>Default number of recent one-step errors in the σ² estimate (spec key <c>sigma-window</c>): 250.</summary>
    public const int DefaultSigmaWindow = 250;

    /// <summary>The largest <c>sigma-window</c> accepted: 1,000,000.</summary>
    public const int MaxSigmaWindow = 1_000_000;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> unless <see cref="MinimumResiduals"/> ≤ window ≤ <see cref="MaxSigmaWindow"/>.</summary>
    public static void ValidateSigmaWindow(int window, string paramName)
    {
        if (window < MinimumResiduals || window > MaxSigmaWindow)
        {
            throw new ArgumentOutOfRangeException(paramName, window,
                $"sigma-window (one-step errors in the interval's sigma) must be in {MinimumResiduals}..{MaxSigmaWindow}");
        }
    }

    private const double Sqrt2 = 1.4142135623730951;
    private const double SqrtPi = 1.7724538509055160;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> unless 0 &lt; <paramref name="level"/> &lt; 1.</summary>
    public static void ValidateLevel(double level, string paramName)
    {
        if (!(level > 0 && level < 1))
        {
            throw new ArgumentOutOfRangeException(paramName, level, "level (interval coverage) must be in (0, 1), e.g. 0.95");
        }
    }

    /// <summary>
    /// The half-width multiplier of a two-sided interval at <paramref name="level"/>: <c>Φ⁻¹((1 + level) / 2)</c>,
    /// e.g. 1.959963984540054 for 0.95. Accurate to a few units in the last place for levels in (0, 1 − 1e-12).
    /// </summary>
    public static double ZScore(double level)
    {
        ValidateLevel(level, nameof(level));
        return UpperTailQuantile((1 - level) / 2);
    }

    /// <summary>
    /// The half-width multiplier of a two-sided Student-t interval at <paramref name="level"/> with
    /// <paramref name="degreesOfFreedom"/> degrees of freedom: the t quantile at (1 + level)/2 (e.g. 2.776 for 0.95
    /// and 4 df; tends to <see cref="ZScore"/> as df grows). Closed forms for 1 and 2 df; up to 2000 df, solves
    /// P(|T| ≤ t) = level by bisection on the closed-form CDF for integer df (Abramowitz and Stegun 26.7.3–4);
    /// above 2000 df, the Cornish-Fisher expansion in 1/df (A&amp;S 26.7.5, four terms), accurate to ~1e-13 there.
    /// Relative accuracy better than 1e-12 for levels up to 0.99 and 1e-9 at 0.999999 (checked against mpmath).
    /// </summary>
    public static double StudentT(double level, int degreesOfFreedom)
    {
        ValidateLevel(level, nameof(level));
        ArgumentOutOfRangeException.ThrowIfLessThan(degreesOfFreedom, 1);
        var tail = 1 - level; // P(|T| > t)
        switch (degreesOfFreedom)
        {
            case 1: // Cauchy: t = tan(π·level/2) = 1/tan(π·tail/2), the second form exact near level 1
                return 1 / Math.Tan(Math.PI * tail / 2);
            case 2: // P(|T| ≤ t) = t/√(2 + t²)  ⇒  t = level·√(2 / (tail·(1 + level)))
                return level * Math.Sqrt(2 / (tail * (1 + level)));
        }

        var z = UpperTailQuantile(tail / 2);
        if (degreesOfFreedom > 2000)
        {
            double v = degreesOfFreedom, z2 = z * z, z3 = z2 * z, z5 = z3 * z2, z7 = z5 * z2, z9 = z7 * z2;
            var g1 = (z3 + z) / 4;
            var g2 = ((5 * z5) + (16 * z3) + (3 * z)) / 96;
            var g3 = ((3 * z7) + (19 * z5) + (17 * z3) - (15 * z)) / 384;
            var g4 = ((79 * z9) + (776 * z7) + (1482 * z5) - (1920 * z3) - (945 * z)) / 92160;
            return z + ((g1 + ((g2 + ((g3 + (g4 / v)) / v)) / v)) / v);
        }

        double lo = 0, hi = Math.Max(1, 2 * z);
        while (StudentCentral(hi, degreesOfFreedom) < level && hi < 1e300)
        {
            lo = hi;
            hi *= 2;
        }

        for (var i = 0; i < 2000; i++)
        {
            var mid = 0.5 * (lo + hi);
            if (mid <= lo || mid >= hi)
            {
                break;
            }

            if (StudentCentral(mid, degreesOfFreedom) < level)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        return Math.Abs(StudentCentral(lo, degreesOfFreedom) - level) <= Math.Abs(StudentCentral(hi, degreesOfFreedom) - level) ? lo : hi;
    }

    /// <summary>P(|T| ≤ t) for Student's t with integer <paramref name="df"/>, by the finite series in θ = atan(t/√df).</summary>
    private static double StudentCentral(double t, int df)
    {
        var theta = Math.Atan(t / Math.Sqrt(df));
        var sin = Math.Sin(theta);
        var cos = Math.Cos(theta);
        var cos2 = cos * cos;
        if (df % 2 == 1)
        {
            if (df == 1)
            {
                return 2 * theta / Math.PI;
            }

            var term = cos;
            var sum = cos;
            for (var k = 1; k <= (df - 3) / 2; k++)
            {
                term *= cos2 * (2.0 * k) / ((2.0 * k) + 1);
                sum += term;
            }

            return 2 / Math.PI * (theta + (sin * sum));
        }
        else
        {
            var term = 1.0;
            var sum = 1.0;
            for (var k = 1; k <= (df - 2) / 2; k++)
            {
                term *= cos2 * ((2.0 * k) - 1) / (2.0 * k);
                sum += term;
            }

            return sin * sum;
        }
    }

    /// <summary>The standard normal quantile Φ⁻¹(<paramref name="p"/>) for 0 &lt; p &lt; 1.</summary>
    public static double NormalQuantile(double p)
    {
        if (!(p > 0 && p < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "p must be in (0, 1)");
        }

        return p < 0.5 ? -UpperTailQuantile(p) : p == 0.5 ? 0 : UpperTailQuantile(1 - p);
    }

    /// <summary>Upper-tail probability of the standard normal, Q(z) = P(Z &gt; z) = erfc(z/√2)/2.</summary>
    public static double UpperTail(double z) => z >= 0 ? Erfc(z / Sqrt2) / 2 : 1 - (Erfc(-z / Sqrt2) / 2);

    /// <summary>A point with the interval <c>value ± z·sqrt(variance)</c>.</summary>
    public static ForecastPoint Gaussian(double value, double variance, double z)
    {
        var half = z * Math.Sqrt(variance);
        return new ForecastPoint(value, value - half, value + half);
    }

    /// <summary>z ≥ 0 with Q(z) = tail, for 0 &lt; tail ≤ 0.5, by bisection (Q is strictly decreasing).</summary>
    private static double UpperTailQuantile(double tail)
    {
        double lo = 0, hi = 40;
        for (var i = 0; i < 400; i++)
        {
            var mid = 0.5 * (lo + hi);
            if (mid <= lo || mid >= hi)
            {
                break;
            }

            if (UpperTail(mid) > tail)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        // The two neighbours bracket the root; take the one whose tail is closer.
        return Math.Abs(UpperTail(lo) - tail) <= Math.Abs(UpperTail(hi) - tail) ? lo : hi;
    }

    /// <summary>
    /// Complementary error function for y ≥ 0: below 2.5 as 1 − erf(y) with erf from the all-positive series
    /// erf(y) = 2/√π·e^(−y²)·Σ (2y²)ⁿ·y / (1·3·…·(2n+1)) (no cancellation); from 2.5 by its continued fraction
    /// erfc(y) = e^(−y²)/√π / (y + (1/2)/(y + 1/(y + (3/2)/(y + …)))), evaluated with Lentz's method, which keeps the
    /// relative accuracy of the far tail.
    /// </summary>
    private static double Erfc(double y)
    {
        if (y < 2.5)
        {
            var term = y;
            var sum = y;
            var twoY2 = 2 * y * y;
            for (var n = 1; n < 200 && term > 1e-17 * sum; n++)
            {
                term *= twoY2 / ((2 * n) + 1);
                sum += term;
            }

            return 1 - (2 / SqrtPi * Math.Exp(-y * y) * sum);
        }

        const double tiny = 1e-300;
        var f = y;
        var c = y;
        var d = 0.0;
        for (var n = 1; n < 500; n++)
        {
            var a = n / 2.0;
            d = y + (a * d);
            d = Math.Abs(d) < tiny ? tiny : d;
            c = y + (a / c);
            c = Math.Abs(c) < tiny ? tiny : c;
            d = 1 / d;
            var delta = c * d;
            f *= delta;
            if (Math.Abs(delta - 1) < 1e-16)
            {
                break;
            }
        }

        return Math.Exp(-y * y) / (SqrtPi * f);
    }
}

/// <summary>
/// σ² of one-step forecast errors as the mean square Σe²/n of the most recent errors (at most the window's
/// length; the errors are assumed to have mean zero, as the maximum-likelihood σ² of an exponential smoothing model
/// does). A bounded window lets σ² forget warm-up transients and follow changes in the noise level. The running sum
/// is recomputed from the ring each time it wraps, and whenever an evicted square exceeds 1000 times what remains,
/// so round-off cannot accumulate or dominate after a drop in scale. Not thread-safe; one per series.
/// </summary>
internal sealed class RecentSquaredErrors(int window)
{
    private readonly double[] _ring = new double[window];
    private int _next;
    private double _sum;

    /// <summary>Errors in the window (≤ its length).</summary>
    public int Count { get; private set; }

    /// <summary>Mean square of the errors in the window; 0 before the first error.</summary>
    public double Variance => Count > 0 ? Math.Max(0, _sum / Count) : 0;

    public void Add(double error)
    {
        var square = error * error;
        var exact = false;
        if (Count == _ring.Length)
        {
            var old = _ring[_next];
            _sum -= old;
            // Removing a square that dwarfs what remains would leave the sum mostly round-off: recompute.
            exact = _sum < 1e-3 * old;
        }
        else
        {
            Count++;
        }

        _ring[_next] = square;
        _sum += square;
        if (++_next == _ring.Length)
        {
            _next = 0;
            exact = true;
        }

        if (exact)
        {
            var sum = 0.0;
            for (var i = 0; i < Count; i++)
            {
                sum += _ring[i];
            }

            _sum = sum;
        }
    }
}
