using Workbench.Evaluation.Metrics;

namespace Workbench.Evaluation.Online;

/// <summary>
/// The overlap terms of one range (real or predicted) of the range-based metrics, grown one position at a time in O(1)
/// amortised: its length ℓ, how many of its positions are covered by the other side and their position sum, and (only
/// for <see cref="RangeBias.Middle"/>) a coverage bitmap with the covered count and sum of positions up to ⌊ℓ/2⌋.
/// From these, Σ over covered positions of δ(i, ℓ) and Σ over all positions of δ(i, ℓ) have closed forms for every bias,
/// computed in integers, so <see cref="Ratio"/> is bit-identical to <see cref="RangeMetrics"/>' running double sums
/// (exact while they stay below 2^53).
/// </summary>
internal sealed class RangeAccumulator(bool trackMiddle)
{
    private ulong[] _bits = trackMiddle ? new ulong[1] : [];
    private long _half;
    private long _lowCount;
    private long _lowSum;

    /// <summary>Positions so far (ℓ).</summary>
    public long Length { get; private set; }

    /// <summary>Covered positions.</summary>
    public long Covered { get; private set; }

    /// <summary>Sum of the 1-based covered positions.</summary>
    public long CoveredPositionSum { get; private set; }

    /// <summary>Empties the range, keeping its buffer (only the words used are cleared, so reuse stays O(1) amortised).</summary>
    public void Reset()
    {
        if (trackMiddle && Length > 0)
        {
            Array.Clear(_bits, 0, (int)((Length - 1) >> 6) + 1);
        }

        Length = 0;
        Covered = 0;
        CoveredPositionSum = 0;
        _half = 0;
        _lowCount = 0;
        _lowSum = 0;
    }

    /// <summary>Appends position ℓ + 1, covered or not.</summary>
    public void Add(bool covered)
    {
        var position = ++Length;
        if (covered)
        {
            Covered++;
            CoveredPositionSum += position;
        }

        if (!trackMiddle)
        {
            return;
        }

        var word = (position - 1) >> 6;
        if (word >= _bits.Length)
        {
            Array.Resize(ref _bits, _bits.Length * 2);
        }

        if (covered)
        {
            _bits[word] |= 1UL << (int)((position - 1) & 63);
        }

        // ⌊ℓ/2⌋ grows by at most one per position; the position entering the first half is already known.
        var half = position / 2;
        if (half > _half)
        {
            _half = half;
            if ((_bits[(half - 1) >> 6] & (1UL << (int)((half - 1) & 63))) != 0)
            {
                _lowCount++;
                _lowSum += half;
            }
        }
    }

    /// <summary>ω = Σ_covered δ(i, ℓ) / Σ_all δ(i, ℓ) for the range as it stands; the range must not be empty.</summary>
    public double Ratio(RangeBias bias)
    {
        var l = Length;
        var c = Covered;
        var s = CoveredPositionSum;
        switch (bias)
        {
            case RangeBias.Flat:
                return (double)c / l;
            case RangeBias.Front:
                return (double)(((l + 1) * c) - s) / (l * (l + 1) / 2);
            case RangeBias.Back:
                return (double)s / (l * (l + 1) / 2);
            case RangeBias.Middle:
                var h = _half;
                var covered = _lowSum + ((l + 1) * (c - _lowCount)) - (s - _lowSum);
                var total = (h * (h + 1) / 2) + ((l - h) * (l - h + 1) / 2);
                return (double)covered / total;
            default:
                throw new ArgumentOutOfRangeException(nameof(bias), bias, "unknown positional bias");
        }
    }
}
