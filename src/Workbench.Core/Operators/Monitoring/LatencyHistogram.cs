namespace Workbench.Operators.Monitoring;

/// <summary>
/// Log-linear histogram of non-negative tick counts: values below 64 get one bucket each; above, every power of two
/// [2ᵉ, 2ᵉ⁺¹) is split into 32 equal buckets, so a bucket's midpoint is within 1/64 ≈ 1.6 % of any value in it.
/// Fixed size (1 920 counters), no allocation when recording.
/// </summary>
internal sealed class LatencyHistogram
{
    private const int Linear = 64;
    private const int SubBuckets = 32;
    private readonly long[] _counts = new long[Linear + ((63 - 6 + 1) * SubBuckets)];

    public long Count { get; private set; }

    public long Max { get; private set; }

    public void Record(long ticks)
    {
        if (ticks < 0)
        {
            ticks = 0;
        }

        _counts[Index(ticks)]++;
        Count++;
        if (ticks > Max)
        {
            Max = ticks;
        }
    }

    public void Clear()
    {
        Array.Clear(_counts);
        Count = 0;
        Max = 0;
    }

    /// <summary>The value at quantile <paramref name="q"/> (nearest rank, bucket midpoint, never above the maximum).</summary>
    public double ValueAt(double q)
    {
        if (Count == 0)
        {
            throw new InvalidOperationException("no values recorded");
        }

        var rank = Math.Max(1, (long)Math.Ceiling(q * Count));
        long cumulative = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            cumulative += _counts[i];
            if (cumulative >= rank)
            {
                return Math.Min(Midpoint(i), Max);
            }
        }

        return Max;
    }

    private static int Index(long v)
    {
        if (v < Linear)
        {
            return (int)v;
        }

        var e = 63 - (int)long.LeadingZeroCount(v); // 2^e <= v < 2^(e+1), e >= 6
        var sub = (int)(v >> (e - 5)) - SubBuckets; // top 6 bits: 32..63 -> 0..31
        return Linear + ((e - 6) * SubBuckets) + sub;
    }

    private static double Midpoint(int index)
    {
        if (index < Linear)
        {
            return index;
        }

        var e = ((index - Linear) / SubBuckets) + 6;
        var sub = (index - Linear) % SubBuckets;
        var width = Math.Pow(2, e - 5);
        var low = Math.Pow(2, e) + (sub * width);
        return low + ((width - 1) / 2);
    }
}
