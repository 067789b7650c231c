namespace Workbench.Operators.Rolling;

/// <summary>A value compared with its EMA baseline (see <see cref="EmaBaselineOptions"/>).</summary>
/// <param name="Baseline">The baseline the value is compared with: the EMA of the <b>previous</b> present values.</param>
/// <param name="Change">Relative change (x − baseline) / |baseline|, signed (+1 = 100 % above, −0.5 = 50 % below); null when
/// |baseline| &lt; 1e-12 (a relative change from zero is undefined).</param>
public readonly record struct BaselineChange(double Baseline, double? Change);

/// <summary>
/// The signed relative change of each value against an exponential-moving-average baseline of the values before it —
/// the recursion of the smart-meter rule and of <see cref="Workbench.Operators.Detection.EmaSpikeDetector"/>: the
/// baseline b starts at the first present value (b₁ = x₁) and, after each value has been compared with it, becomes
/// b ← α·x + (1 − α)·b (α = 0.2 is the 80/20 weighting). The statistic of a value is (b, (x − b)/|b|) with b the baseline
/// <i>before</i> the value; null for the first <see cref="Warmup"/> present values, which only build the baseline.
/// A missing value gets null and leaves the baseline unchanged (so a caller can hold the baseline over readings it
/// does not trust by passing them as missing). Where EmaSpikeDetector folds the change into an unsigned score
/// max(d/spike, −d/drop, 0), this keeps the sign and the baseline, so a pipeline can tell spikes from drops and chart
/// the baseline; the two agree value for value. Baseline and change saturate at ±double.MaxValue, so any finite values
/// give finite statistics.
/// </summary>
/// <param name="Alpha">EMA weight of the newest value, in (0, 1] (default 0.2: baseline = 0.8·baseline + 0.2·new).</param>
/// <param name="Warmup">Present values that only build the baseline (≥ 1; default 1).</param>
public sealed record EmaBaselineOptions(double Alpha = 0.2, int Warmup = 1) : IRollingStatistic<BaselineChange>
{
    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for out-of-range options.</summary>
    public void Validate()
    {
        if (!(Alpha > 0 && Alpha <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Alpha), Alpha, "alpha must be in (0, 1]");
        }

        if (Warmup < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Warmup), Warmup, "warmup must be >= 1");
        }
    }

    /// <summary>Fresh state for one series (validates first).</summary>
    public IRollingKernel<BaselineChange> CreateKernel()
    {
        Validate();
        return new Kernel(Alpha, Warmup);
    }

    private sealed class Kernel(double alpha, int warmup) : IRollingKernel<BaselineChange>
    {
        private static double Saturate(double v) => v > double.MaxValue ? double.MaxValue : v < -double.MaxValue ? -double.MaxValue : v;

        private int _seen;
        private double _baseline;

        public BaselineChange? Update(double? value)
        {
            if (value is not { } x)
            {
                return null;
            }

            BaselineChange? result = null;
            if (_seen >= warmup)
            {
                result = new BaselineChange(_baseline, Math.Abs(_baseline) >= 1e-12 ? Saturate((x - _baseline) / Math.Abs(_baseline)) : null);
            }

            _baseline = _seen == 0 ? x : Saturate((alpha * x) + ((1 - alpha) * _baseline));
            if (_seen < warmup)
            {
                _seen++;
            }

            return result;
        }
    }
}
