using Workbench.Operators.Specs;

namespace Workbench.Operators.Detection;

/// <summary>
/// Spike/drop against an EMA baseline with percentage thresholds (the smart-meter rule: a spike is more than 100 %
/// above the baseline, a drop more than 50 % below it, an outage a reading below 0.1 kW). The baseline b is the
/// exponential moving average of the previous present values (b₁ = x₁, then b ← α·x + (1 − α)·b after scoring). With
/// the relative deviation d = (x − b)/|b|:
/// score = max(d / spike, −d / drop, 0): the deviation in units of the percentage threshold on its side, so 1 = exactly
/// at the spike or drop threshold; range [0, ∞) (a drop to 0 scores 1/drop). With <c>outage</c> set, a value below
/// it scores at least 1 (flagged) whatever the baseline. The flag threshold is 1. No score for the first
/// <see cref="Warmup"/> present values or when |b| &lt; 1e-12 (a relative change from zero is undefined; the outage
/// rule still applies). A missing value gets no score and leaves the baseline unchanged. Any finite values give a finite
/// score (the deviation and the score saturate at ±double.MaxValue).
/// </summary>
/// <param name="Alpha">EMA weight of the newest value, in (0, 1] (default 0.1).</param>
/// <param name="Spike">Relative rise that is a spike (&gt; 0; default 1 = 100 % above the baseline).</param>
/// <param name="Drop">Relative fall that is a drop, in (0, 1] (default 0.5 = 50 % below the baseline).</param>
/// <param name="Outage">Values strictly below this are outages (null = no outage rule; default null; the smart-meter rule uses 0.1).</param>
/// <param name="Warmup">Present values that only build the baseline (≥ 1; default 10).</param>
public sealed record EmaSpikeDetector(double Alpha = 0.1, double Spike = 1, double Drop = 0.5, double? Outage = null, int Warmup = 10) : IDetector
{
    /// <summary>Spec binding: <c>ema-spike(alpha=0.1,spike=1,drop=0.5,outage=none,warmup=10)</c>.</summary>
    public static OperatorDescriptor<EmaSpikeDetector> Descriptor { get; } =
        new OperatorDescriptor<EmaSpikeDetector>("ema-spike", OperatorKind.Detector,
                "Relative deviation from an EMA baseline in units of the spike/drop percentage (1 = at the threshold), optional outage level; score in [0, inf).",
                new EmaSpikeDetector(), o => o.Validate())
            .Double("alpha", "EMA weight of the newest value, in (0, 1]", o => o.Alpha, (o, v) => o with { Alpha = v })
            .Double("spike", "relative rise that is a spike (> 0; 1 = +100 %)", o => o.Spike, (o, v) => o with { Spike = v })
            .Double("drop", "relative fall that is a drop, in (0, 1] (0.5 = -50 %)", o => o.Drop, (o, v) => o with { Drop = v })
            .OptionalDouble("outage", "values below this always flag (none = no outage rule)", o => o.Outage, (o, v) => o with { Outage = v })
            .Int("warmup", "present values that only build the baseline (>= 1)", o => o.Warmup, (o, v) => o with { Warmup = v });

    public string Name => Descriptor.Name;

    public string Spec => Descriptor.Format(this);

    /// <summary>Always 1: at the spike or drop threshold, or an outage.</summary>
    public double Threshold => 1;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for out-of-range options.</summary>
    public void Validate()
    {
        if (!(Alpha > 0 && Alpha <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Alpha), Alpha, "alpha must be in (0, 1]");
        }

        if (!(Spike > 0) || !double.IsFinite(Spike))
        {
            throw new ArgumentOutOfRangeException(nameof(Spike), Spike, "spike must be a finite number > 0");
        }

        if (!(Drop > 0 && Drop <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Drop), Drop, "drop must be in (0, 1]");
        }

        if (Outage is { } o && !double.IsFinite(o))
        {
            throw new ArgumentOutOfRangeException(nameof(Outage), o, "outage must be finite");
        }

        if (Warmup < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Warmup), Warmup, "warmup must be >= 1");
        }
    }

    public IDetectorKernel CreateKernel()
    {
        Validate();
        return new Kernel(this);
    }

    private sealed class Kernel(EmaSpikeDetector o) : IDetectorKernel
    {
        private readonly double _alpha = o.Alpha;
        private readonly double _spike = o.Spike;
        private readonly double _drop = o.Drop;
        private readonly double _outage = o.Outage ?? double.NegativeInfinity;
        private readonly int _warmup = o.Warmup;
        private int _seen;
        private double _baseline;

        public double? Update(DateTime timestamp, double? value)
        {
            if (value is not { } x)
            {
                return null;
            }

            double? score = null;
            if (_seen >= _warmup)
            {
                if (Math.Abs(_baseline) >= 1e-12)
                {
                    var d = DetectorMath.Ratio(x - _baseline, Math.Abs(_baseline));
                    score = DetectorMath.Saturate(Math.Max(0, Math.Max(d / _spike, -d / _drop)));
                }

                if (x < _outage)
                {
                    score = Math.Max(score ?? 0, 1);
                }
            }

            _baseline = _seen == 0 ? x : DetectorMath.Saturate((_alpha * x) + ((1 - _alpha) * _baseline));
            if (_seen < _warmup)
            {
                _seen++;
            }

            return score;
        }
    }
}
