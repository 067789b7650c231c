using Workbench.Operators.Forecasting;
using Workbench.Operators.Rolling;
using Workbench.Operators.Specs;

namespace Workbench.Operators.Detection;

/// <summary>How <see cref="ForecastResidualDetector"/> scales a residual.</summary>
public enum ResidualScale
{
    /// <summary>Standardised by the mean and sample σ of the previous <c>window</c> residuals (a residual z-score).</summary>
    ResidualSd,

    /// <summary>Relative to the forecast's prediction interval: 1 = on the interval bound on the residual's side.</summary>
    Interval,
}

/// <summary>
/// Forecast residual: wraps any forecaster. Before each observation the forecaster makes its one-step forecast ŷ from
/// the rows before; the residual is r = x − ŷ; then the forecaster is updated with the observation (missing values
/// included, which it handles as it documents).
/// <list type="bullet">
/// <item><c>scale=residual-sd</c>: score = |r − mean(R)| / sd(R) over the previous <see cref="Window"/> residuals R
/// (sample σ; the current residual is not part of its own baseline); range [0, ∞), in residual standard deviations.
/// No score until <see cref="Window"/> residuals exist. σ floored at 1e-12·max(1, |mean(R)|).</item>
/// <item><c>scale=interval</c>: score = (x − ŷ)/(upper − ŷ) when x ≥ ŷ, (ŷ − x)/(ŷ − lower) otherwise; range
/// [0, ∞), 1 = on the bound of the interval, so <c>threshold=1</c> flags exactly the values outside it. No score when
/// the forecast has no interval (e.g. <c>naive</c>). Half-widths floored at 1e-12·max(1, |ŷ|).</item>
/// </list>
/// A missing value, or a row without a forecast (warm-up) or with a non-finite forecast (a forecaster overflowed on
/// extreme values), gets no score and adds no residual. Residuals and interval half-widths beyond the double range
/// saturate at ±double.MaxValue, and the residual σ is computed in scaled units (see <see cref="RollingMoments"/>), so
/// any finite values give a finite score.
/// Nested spec: <c>forecaster=</c> takes a full forecaster spec, e.g.
/// <c>forecast-residual(forecaster=holt-winters(alpha=0.3,period=24),scale=residual-sd,window=100,threshold=4)</c>.
/// </summary>
/// <param name="Forecaster">The forecaster whose one-step forecasts are compared (default <c>naive</c>).</param>
/// <param name="Scale">How the residual is scaled (default residual σ).</param>
/// <param name="Window">Residuals in the σ baseline for <c>residual-sd</c> (≥ 2; default 100).</param>
/// <param name="Threshold">Flag when the score is ≥ this (&gt; 0; default 4; use 1 with <c>scale=interval</c>).</param>
public sealed record ForecastResidualDetector(IForecaster Forecaster, ResidualScale Scale = ResidualScale.ResidualSd, int Window = 100, double Threshold = 4) : IDetector
{
    /// <summary>The defaults: <c>forecast-residual(forecaster=naive,scale=residual-sd,window=100,threshold=4)</c>.</summary>
    public ForecastResidualDetector()
        : this(new NaiveForecaster())
    {
    }

    /// <summary>Spec binding: <c>forecast-residual(forecaster=&lt;spec&gt;,scale=residual-sd|interval,window=100,threshold=4)</c>.</summary>
    public static OperatorDescriptor<ForecastResidualDetector> Descriptor { get; } =
        new OperatorDescriptor<ForecastResidualDetector>("forecast-residual", OperatorKind.Detector,
                "Residual of any forecaster's one-step forecast, as a z-score of recent residuals or relative to the forecast interval; score in [0, inf).",
                new ForecastResidualDetector(), o => o.Validate())
            .Forecaster("forecaster", "the forecaster, as a full spec (nested parentheses allowed)", o => o.Forecaster, (o, v) => o with { Forecaster = v! })
            .Choice("scale", "residual-sd: z-score of recent residuals; interval: 1 = on the interval bound", o => o.Scale, (o, v) => o with { Scale = v })
            .Int("window", "residuals in the sigma baseline for residual-sd (>= 2)", o => o.Window, (o, v) => o with { Window = v })
            .Double("threshold", "flag when the score >= threshold (> 0)", o => o.Threshold, (o, v) => o with { Threshold = v });

    public string Name => Descriptor.Name;

    public string Spec => Descriptor.Format(this);

    /// <summary>Throws <see cref="ArgumentException"/> for missing or out-of-range options.</summary>
    public void Validate()
    {
        if (Forecaster is null)
        {
            throw new ArgumentNullException(nameof(Forecaster), "forecast-residual needs a forecaster");
        }

        if (!Enum.IsDefined(Scale))
        {
            throw new ArgumentOutOfRangeException(nameof(Scale), Scale, "unknown scale");
        }

        OperatorLimits.CheckWindow(Window, 2, "window");

        if (!(Threshold > 0) || !double.IsFinite(Threshold))
        {
            throw new ArgumentOutOfRangeException(nameof(Threshold), Threshold, "threshold must be a finite number > 0");
        }
    }

    public IDetectorKernel CreateKernel()
    {
        Validate();
        return new Kernel(Forecaster.CreateKernel(), Scale, Window);
    }

    private sealed class Kernel(IForecasterKernel forecaster, ResidualScale scale, int window) : IDetectorKernel
    {
        private readonly ForecastPoint[] _next = new ForecastPoint[1];
        private readonly RollingMoments _residuals = new(window);

        public double? Update(DateTime timestamp, double? value)
        {
            forecaster.Forecast(_next);
            forecaster.Update(timestamp, value);
            var forecast = _next[0];
            if (value is not { } x || forecast.Value is not { } yhat || !double.IsFinite(yhat))
            {
                return null;
            }

            var r = DetectorMath.Saturate(x - yhat);
            if (scale == ResidualScale.Interval)
            {
                if (r >= 0)
                {
                    return forecast.Upper is { } upper && double.IsFinite(upper)
                        ? DetectorMath.Ratio(r, DetectorMath.Floor(DetectorMath.Saturate(upper - yhat), yhat))
                        : null;
                }

                return forecast.Lower is { } lower && double.IsFinite(lower)
                    ? DetectorMath.Ratio(-r, DetectorMath.Floor(DetectorMath.Saturate(yhat - lower), yhat))
                    : null;
            }

            double? score = null;
            if (_residuals.IsFull)
            {
                score = Math.Abs(_residuals.StandardScore(r));
            }

            _residuals.Add(r);
            return score;
        }
    }
}
