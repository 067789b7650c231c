using Workbench.Operators.Rolling;
using Workbench.Operators.Specs;

namespace Workbench.Operators.Detection;

/// <summary>The cycle a seasonal profile repeats over.</summary>
public enum SeasonalCycle
{
    /// <summary>One UTC day (slots counted from 00:00 UTC).</summary>
    Day,

    /// <summary>One UTC week (slots counted from Monday 00:00 UTC).</summary>
    Week,
}

/// <summary>The per-slot statistic of a seasonal profile.</summary>
public enum ProfileStatistic
{
    /// <summary>Median of the slot's history; scale 1.4826·MAD.</summary>
    Median,

    /// <summary>Mean of the slot's history; scale the sample standard deviation.</summary>
    Mean,
}

/// <summary>
/// Seasonal-profile residual. Each observation falls into a slot of the cycle by its UTC timestamp (slot =
/// ⌊time since the cycle start / <see cref="SlotMinutes"/>⌋, e.g. 24 hourly slots of a day). Each slot keeps its last
/// <see cref="History"/> present values, learned online. Score = |x − profile| / scale with, from the slot's history
/// before x: <c>stat=median</c>: profile = median, scale = 1.4826·MAD; <c>stat=mean</c>: profile = mean, scale =
/// sample σ. The score is the distance from the usual value for this time of day/week in robust (or ordinary)
/// standard deviations; range [0, ∞). No score until the slot holds <see cref="History"/> values. A missing value gets
/// no score and leaves the profile unchanged. Scale floored at 1e-12·max(1, |profile|). Any finite values give a finite
/// score (halved values or units of 2^544 where a difference or square would overflow; saturating at double.MaxValue).
/// At most <see cref="OperatorLimits.MaxWindow"/> values are buffered (slots × history).
/// </summary>
/// <param name="Cycle">Day or week (default day).</param>
/// <param name="SlotMinutes">Slot length in minutes; divides the cycle (1440 or 10080 minutes; default 60).</param>
/// <param name="History">Values kept per slot = cycles of history (≥ 3; default 7).</param>
/// <param name="Statistic">Median/MAD (default) or mean/σ.</param>
/// <param name="Threshold">Flag when the score is ≥ this (&gt; 0; default 4).</param>
public sealed record SeasonalProfileDetector(
    SeasonalCycle Cycle = SeasonalCycle.Day,
    int SlotMinutes = 60,
    int History = 7,
    ProfileStatistic Statistic = ProfileStatistic.Median,
    double Threshold = 4) : IDetector
{
    /// <summary>Spec binding: <c>seasonal-profile(cycle=day,slot=60,history=7,stat=median,threshold=4)</c>.</summary>
    public static OperatorDescriptor<SeasonalProfileDetector> Descriptor { get; } =
        new OperatorDescriptor<SeasonalProfileDetector>("seasonal-profile", OperatorKind.Detector,
                "Residual from a per-slot-of-day/week profile learned online (median/MAD or mean/sd of the slot's last values); score in [0, inf).",
                new SeasonalProfileDetector(), o => o.Validate())
            .Choice("cycle", "the profile's cycle (UTC)", o => o.Cycle, (o, v) => o with { Cycle = v })
            .Int("slot", "slot length in minutes, dividing the cycle", o => o.SlotMinutes, (o, v) => o with { SlotMinutes = v })
            .Int("history", "values kept per slot, i.e. cycles of history (>= 3)", o => o.History, (o, v) => o with { History = v })
            .Choice("stat", "median: median and 1.4826 MAD; mean: mean and sd", o => o.Statistic, (o, v) => o with { Statistic = v })
            .Double("threshold", "flag when the score >= threshold (> 0)", o => o.Threshold, (o, v) => o with { Threshold = v });

    public string Name => Descriptor.Name;

    public string Spec => Descriptor.Format(this);

    /// <summary>The cycle length in minutes.</summary>
    public int CycleMinutes => Cycle == SeasonalCycle.Week ? 7 * 1440 : 1440;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for out-of-range options.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Cycle))
        {
            throw new ArgumentOutOfRangeException(nameof(Cycle), Cycle, "unknown cycle");
        }

        if (!Enum.IsDefined(Statistic))
        {
            throw new ArgumentOutOfRangeException(nameof(Statistic), Statistic, "unknown statistic");
        }

        if (SlotMinutes < 1 || CycleMinutes % SlotMinutes != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(SlotMinutes), SlotMinutes, $"slot must be a positive divisor of the cycle's {CycleMinutes} minutes");
        }

        if (History < 3)
        {
            throw new ArgumentOutOfRangeException(nameof(History), History, "history must be >= 3");
        }

        if ((long)(CycleMinutes / SlotMinutes) * History > OperatorLimits.MaxWindow)
        {
            throw new ArgumentOutOfRangeException(nameof(History), History,
                $"slots x history = {CycleMinutes / SlotMinutes} x {History} exceeds {OperatorLimits.MaxWindow} buffered values");
        }

        if (!(Threshold > 0) || !double.IsFinite(Threshold))
        {
            throw new ArgumentOutOfRangeException(nameof(Threshold), Threshold, "threshold must be a finite number > 0");
        }
    }

    public IDetectorKernel CreateKernel()
    {
        Validate();
        return new Kernel(CycleMinutes / SlotMinutes, TimeSpan.FromMinutes(SlotMinutes).Ticks, History, Statistic == ProfileStatistic.Median);
    }

    private sealed class Kernel(int slots, long slotTicks, int history, bool median) : IDetectorKernel
    {
        private readonly double[] _values = new double[slots * history];
        private readonly int[] _count = new int[slots];
        private readonly int[] _next = new int[slots];
        private readonly double[] _scratch = new double[history];
        private readonly long _cycleTicks = slots * slotTicks;

        public double? Update(DateTime timestamp, double? value)
        {
            if (value is not { } x)
            {
                return null;
            }

            // DateTime ticks count from Monday 0001-01-01 00:00, so both day and week cycles start at tick 0.
            var slot = (int)(timestamp.Ticks % _cycleTicks / slotTicks);
            var ring = _values.AsSpan(slot * history, history);
            double? score = null;
            if (_count[slot] == history)
            {
                score = median ? RobustScore(ring, x) : MeanScore(ring, x);
            }
            else
            {
                _count[slot]++;
            }

            ring[_next[slot]] = x;
            _next[slot] = _next[slot] + 1 == history ? 0 : _next[slot] + 1;
            return score;
        }

        private double RobustScore(ReadOnlySpan<double> ring, double x)
        {
            var sorted = _scratch.AsSpan();
            ring.CopyTo(sorted);
            sorted.Sort();

            // Halved values when a difference could overflow (exact; the ratio is unchanged).
            var s = DetectorMath.QuantileScale(sorted, x);
            var center = RollingQuantile.QuantileOfSorted(sorted, 0.5, s);
            var scale = DetectorMath.Floor(DetectorMath.Saturate(MadDetector.NormalConsistency * RollingQuantile.MadOfSorted(sorted, s)), center, s);
            return DetectorMath.Ratio(Math.Abs((x * s) - center), scale);
        }

        private static double MeanScore(ReadOnlySpan<double> ring, double x)
        {
            var score = MeanScore(ring, x, 0);

            // Sums or squares overflowed: recompute in units of 2^544 (exact power-of-two scaling).
            return double.IsNaN(score) ? MeanScore(ring, x, RollingMoments.ScaledExponent) : score;
        }

        /// <summary>The mean/σ score in units of 2^<paramref name="k"/>; NaN when a sum or square overflowed.</summary>
        private static double MeanScore(ReadOnlySpan<double> ring, double x, int k)
        {
            var sum = 0.0;
            foreach (var v in ring)
            {
                sum += k == 0 ? v : Math.ScaleB(v, -k);
            }

            var mean = sum / ring.Length;
            var ss = 0.0;
            foreach (var v in ring)
            {
                var d = (k == 0 ? v : Math.ScaleB(v, -k)) - mean;
                ss += d * d;
            }

            if (!double.IsFinite(ss))
            {
                return double.NaN;
            }

            var sd = DetectorMath.Floor(Math.Sqrt(ss / (ring.Length - 1)), mean, Math.ScaleB(1.0, -k));
            return DetectorMath.Ratio(Math.Abs((k == 0 ? x : Math.ScaleB(x, -k)) - mean), sd);
        }
    }
}
