using Workbench.Operators.Forecasting;
using Workbench.Operators.Specs;

namespace Workbench.Operators.Detection;

/// <summary>
/// Forecast/benchmark scaling-ratio deviation (the power-grid rule: compare the model forecast with a "typical day"
/// benchmark and flag when they disagree by more than 9 %). Before each observation both forecasters make their
/// one-step forecast for it from the rows before; score = |ŷ_forecaster / ŷ_benchmark − 1|, the relative disagreement
/// (0.09 = 9 %); range [0, ∞); default threshold 0.09. Both forecasters are then updated with the observation. The
/// score does not depend on the observed value, only on the two forecasts, so a missing value still gets a score
/// (both forecasters receive the missing value and handle it as they document). No score while either forecaster has
/// no forecast (warm-up), when either forecast is not finite (a forecaster overflowed on extreme values) or when
/// |ŷ_benchmark| &lt; 1e-12 (the ratio is undefined); a ratio beyond the double range saturates at ±double.MaxValue.
/// Both forecasters are required and given as full specs, e.g.
/// <c>scaling-ratio(forecaster=holt-winters(alpha=0.3,period=24),benchmark=daily-profile(k=4),threshold=0.09)</c>.
/// </summary>
/// <param name="Forecaster">The forecaster under test (numerator).</param>
/// <param name="Benchmark">The benchmark forecaster (denominator), e.g. a daily-profile benchmark.</param>
/// <param name="Threshold">Flag when |ratio − 1| ≥ this (&gt; 0; default 0.09).</param>
public sealed record ScalingRatioDetector(IForecaster? Forecaster = null, IForecaster? Benchmark = null, double Threshold = 0.09) : IDetector
{
    /// <summary>Spec binding: <c>scaling-ratio(forecaster=&lt;spec&gt;,benchmark=&lt;spec&gt;,threshold=0.09)</c>.</summary>
    public static OperatorDescriptor<ScalingRatioDetector> Descriptor { get; } =
        new OperatorDescriptor<ScalingRatioDetector>("scaling-ratio", OperatorKind.Detector,
                "|forecast / benchmark forecast - 1| for the coming row (power-grid rule); score in [0, inf), 0.09 = 9 %.",
                new ScalingRatioDetector(), o => o.Validate())
            .Forecaster("forecaster", "the forecaster under test, as a full spec (required)", o => o.Forecaster, (o, v) => o with { Forecaster = v })
            .Forecaster("benchmark", "the benchmark forecaster, as a full spec (required)", o => o.Benchmark, (o, v) => o with { Benchmark = v })
            .Double("threshold", "flag when |ratio - 1| >= threshold (> 0)", o => o.Threshold, (o, v) => o with { Threshold = v });

    public string Name => Descriptor.Name;

    public string Spec => Descriptor.Format(this);

    /// <summary>Throws <see cref="ArgumentException"/> for missing or out-of-range options.</summary>
    public void Validate()
    {
        if (Forecaster is null)
        {
            throw new ArgumentNullException(nameof(Forecaster), "scaling-ratio needs forecaster=<spec>");
        }

        if (Benchmark is null)
        {
            throw new ArgumentNullException(nameof(Benchmark), "scaling-ratio needs benchmark=<spec>");
        }

        if (!(Threshold > 0) || !double.IsFinite(Threshold))
        {
            throw new ArgumentOutOfRangeException(nameof(Threshold), Threshold, "threshold must be a finite number > 0");
        }
    }

    public IDetectorKernel CreateKernel()
    {
        Validate();
        return new Kernel(Forecaster!.CreateKernel(), Benchmark!.CreateKernel());
    }

    private sealed class Kernel(IForecasterKernel forecaster, IForecasterKernel benchmark) : IDetectorKernel
    {
        private readonly ForecastPoint[] _f = new ForecastPoint[1];
        private readonly ForecastPoint[] _b = new ForecastPoint[1];

        public double? Update(DateTime timestamp, double? value)
        {
            forecaster.Forecast(_f);
            benchmark.Forecast(_b);
            forecaster.Update(timestamp, value);
            benchmark.Update(timestamp, value);
            if (_f[0].Value is not { } f || _b[0].Value is not { } b || Math.Abs(b) < 1e-12 || !double.IsFinite(f) || !double.IsFinite(b))
            {
                return null;
            }

            return Math.Abs(DetectorMath.Saturate(f / b) - 1);
        }
    }
}
