using Workbench.Operators.Specs;

using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Workbench.Operators.Rolling;

/// <summary>
/// Exact quantiles, median and median absolute deviation (MAD) of the last <see cref="Window"/> values.
/// The window is kept twice: a ring buffer in arrival order (to know which value leaves) and a sorted array.
/// Adding a value to a full window finds the leaving value and the new value's place by binary search and moves
/// only the elements between the two places by one slot (one block move), so an update costs O(log w) comparisons
/// plus a move of on average w/3 doubles; a quantile is O(1) and the MAD O(log w). Every result is exact: it equals
/// sorting the window and applying the definitions below.
/// <para>
/// Quantile definition (Hyndman–Fan type 7, the default of R, NumPy and pandas): for the sorted window
/// x₀ ≤ … ≤ xₙ₋₁ and probability p ∈ [0, 1], h = (n − 1)·p, q = x⌊h⌋ + (h − ⌊h⌋)·(x⌊h⌋+1 − x⌊h⌋). The median is
/// q(0.5) (the mean of the two middle values for even n). The MAD is the median (same definition) of |xᵢ − median|;
/// it is not scaled (multiply by 1.4826 for a consistent estimate of σ under normality).
/// </para>
/// </summary>
public sealed class RollingQuantile
{
    private readonly double[] _ring;
    private readonly double[] _sorted;
    private int _next;

    /// <summary>A window of <paramref name="window"/> values (≥ 1).</summary>
    public RollingQuantile(int window)
    {
        OperatorLimits.CheckWindow(window, 1, nameof(window));
        _ring = new double[window];
        _sorted = new double[window];
    }

    /// <summary>The window length.</summary>
    public int Window => _ring.Length;

    /// <summary>Values currently in the window (≤ <see cref="Window"/>).</summary>
    public int Count { get; private set; }

    /// <summary>Whether the window is full.</summary>
    public bool IsFull => Count == _ring.Length;

    /// <summary>The values in the window, sorted ascending.</summary>
    public ReadOnlySpan<double> Sorted => _sorted.AsSpan(0, Count);

    /// <summary>Adds <paramref name="x"/> (finite), evicting the oldest value when the window is full.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="x"/> is NaN or infinite.</exception>
    public void Add(double x)
    {
        if (!double.IsFinite(x))
        {
            throw new ArgumentOutOfRangeException(nameof(x), x, "rolling quantiles take finite values only");
        }

        var sorted = _sorted;
        var n = Count;
        if (n < sorted.Length)
        {
            var p = UpperBound(sorted, n, x);
            Array.Copy(sorted, p, sorted, p + 1, n - p);
            sorted[p] = x;
            Count = n + 1;
        }
        else
        {
            var old = _ring[_next];
            var i = LowerBound(sorted, n, old);
            var p = UpperBound(sorted, n, x);
            if (p > i)
            {
                // Elements (i, p) are ≤ x: close the gap left by old, x goes last.
                Array.Copy(sorted, i + 1, sorted, i, p - 1 - i);
                sorted[p - 1] = x;
            }
            else
            {
                // Elements [p, i) are > x: open a slot at p, overwriting old.
                Array.Copy(sorted, p, sorted, p + 1, i - p);
                sorted[p] = x;
            }
        }

        _ring[_next] = x;
        _next = _next + 1 == _ring.Length ? 0 : _next + 1;
    }

    /// <summary>The type-7 quantile of the window for probability <paramref name="p"/> ∈ [0, 1].</summary>
    /// <exception cref="InvalidOperationException">The window is empty.</exception>
    public double Quantile(double p)
    {
        ThrowIfEmpty();
        return QuantileOfSorted(Sorted, p);
    }

    /// <summary>The median of the window (type-7 quantile at 0.5).</summary>
    /// <exception cref="InvalidOperationException">The window is empty.</exception>
    public double Median
    {
        get
        {
            ThrowIfEmpty();
            return QuantileOfSorted(Sorted, 0.5);
        }
    }

    /// <summary>The smallest value in the window.</summary>
    /// <exception cref="InvalidOperationException">The window is empty.</exception>
    public double Min
    {
        get
        {
            ThrowIfEmpty();
            return _sorted[0];
        }
    }

    /// <summary>The largest value in the window.</summary>
    /// <exception cref="InvalidOperationException">The window is empty.</exception>
    public double Max
    {
        get
        {
            ThrowIfEmpty();
            return _sorted[Count - 1];
        }
    }

    /// <summary>The median absolute deviation from the median (unscaled), in O(log w).</summary>
    /// <exception cref="InvalidOperationException">The window is empty.</exception>
    public double MedianAbsoluteDeviation()
    {
        ThrowIfEmpty();
        return MadOfSorted(Sorted);
    }

    /// <summary>Empties the window.</summary>
    public void Clear()
    {
        Count = 0;
        _next = 0;
    }

    /// <summary>The type-7 quantile of an ascending, non-empty span (see the class remarks).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="p"/> is outside [0, 1].</exception>
    /// <exception cref="ArgumentException"><paramref name="sorted"/> is empty.</exception>
    public static double QuantileOfSorted(ReadOnlySpan<double> sorted, double p) => QuantileOfSorted(sorted, p, 1);

    /// <summary>
    /// The type-7 quantile of <paramref name="sorted"/> with every element multiplied by <paramref name="scale"/> (1 or
    /// ½, see <c>DetectorMath.QuantileScale</c>). With scale 1 the interpolation a + f·(b − a) falls back to
    /// a + f·(b/2 − a/2) + f·(b/2 − a/2) when b − a overflows, so the result is finite for any finite values.
    /// </summary>
    internal static double QuantileOfSorted(ReadOnlySpan<double> sorted, double p, double scale)
    {
        if (!(p >= 0 && p <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(p), p, "the probability must be in [0, 1]");
        }

        if (sorted.IsEmpty)
        {
            throw new ArgumentException("the quantile of no values is undefined", nameof(sorted));
        }

        var h = (sorted.Length - 1) * p;
        var lo = (int)h;
        var frac = h - lo;
        var a = sorted[lo] * scale;
        if (frac == 0)
        {
            return a;
        }

        var b = sorted[lo + 1] * scale;
        var d = b - a;
        if (double.IsFinite(d))
        {
            return a + (frac * d);
        }

        var half = (0.5 * b) - (0.5 * a);
        return a + (frac * half) + (frac * half);
    }

    /// <summary>
    /// The median absolute deviation of an ascending, non-empty span: the type-7 median of |xᵢ − median|, found in
    /// O(log n) by selecting from the two sorted runs of deviations on either side of the median.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="sorted"/> is empty.</exception>
    /// <remarks>When a deviation could overflow (values beyond a quarter of the double range) the MAD is computed
    /// from halved values and doubled, saturating at <see cref="double.MaxValue"/>.</remarks>
    public static double MadOfSorted(ReadOnlySpan<double> sorted)
    {
        const double quarter = double.MaxValue / 4;
        if (!sorted.IsEmpty && (Math.Abs(sorted[0]) > quarter || Math.Abs(sorted[^1]) > quarter))
        {
            var half = MadOfSorted(sorted, 0.5);
            return half > double.MaxValue / 2 ? double.MaxValue : 2 * half;
        }

        return MadOfSorted(sorted, 1);
    }

    /// <summary>
    /// The MAD of <paramref name="sorted"/> with every element multiplied by <paramref name="scale"/> (1 or ½); with ½
    /// no deviation of finite values can overflow, and the result is exactly half the MAD of the values.
    /// </summary>
    internal static double MadOfSorted(ReadOnlySpan<double> sorted, double scale)
    {
        var median = QuantileOfSorted(sorted, 0.5, scale);
        var n = sorted.Length;
        var split = LowerBound(sorted, n, median / scale);
        var h = (n - 1) * 0.5;
        var lo = (int)h;
        var a = SelectDeviation(sorted, split, median, lo, scale);
        return h == lo ? a : a + ((h - lo) * (SelectDeviation(sorted, split, median, lo + 1, scale) - a));
    }

    /// <summary>
    /// The r-th smallest (0-based) deviation. Left run Lₜ = m − x[split−1−t] (ascending in t), right run
    /// Rₜ = x[split+t] − m (ascending); both are exactly |x − m| in floating point. Binary search on how many come
    /// from the left run.
    /// </summary>
    private static double SelectDeviation(ReadOnlySpan<double> x, int split, double m, int r, double scale)
    {
        var na = split;
        var nb = x.Length - split;
        var need = r + 1;
        var lo = Math.Max(0, need - nb);
        var hi = Math.Min(need, na);
        while (lo < hi)
        {
            var i = (lo + hi) >>> 1;
            var a = m - (x[split - 1 - i] * scale);
            var b = (x[split + (need - i - 1)] * scale) - m;
            if (a < b)
            {
                lo = i + 1;
            }
            else
            {
                hi = i;
            }
        }

        var takeA = lo;
        var takeB = need - lo;
        var lastA = takeA > 0 ? m - (x[split - takeA] * scale) : double.NegativeInfinity;
        var lastB = takeB > 0 ? (x[split + takeB - 1] * scale) - m : double.NegativeInfinity;
        return Math.Max(lastA, lastB);
    }

    /// <summary>First index in [0, n) whose value is ≥ <paramref name="x"/> (n when none). Branch-free halving.</summary>
    private static int LowerBound(ReadOnlySpan<double> a, int n, double x)
    {
        if (n == 0)
        {
            return 0;
        }

        ref var first = ref MemoryMarshal.GetReference(a);
        var lo = 0;
        while (n > 1)
        {
            var half = n >>> 1;
            lo = Unsafe.Add(ref first, lo + half - 1) < x ? lo + half : lo;
            n -= half;
        }

        return Unsafe.Add(ref first, lo) < x ? lo + 1 : lo;
    }

    /// <summary>First index in [0, n) whose value is &gt; <paramref name="x"/> (n when none). Branch-free halving.</summary>
    private static int UpperBound(ReadOnlySpan<double> a, int n, double x)
    {
        if (n == 0)
        {
            return 0;
        }

        ref var first = ref MemoryMarshal.GetReference(a);
        var lo = 0;
        while (n > 1)
        {
            var half = n >>> 1;
            lo = Unsafe.Add(ref first, lo + half - 1) <= x ? lo + half : lo;
            n -= half;
        }

        return Unsafe.Add(ref first, lo) <= x ? lo + 1 : lo;
    }

    private void ThrowIfEmpty()
    {
        if (Count == 0)
        {
            throw new InvalidOperationException("the window is empty");
        }
    }
}
