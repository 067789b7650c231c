using Workbench.Operators.Rolling;
using Workbench.Operators.Specs;

namespace Workbench.Operators.Forecasting;

/// <summary>
/// Moving-average forecast: the mean of the last <see cref="Window"/> present values, for every horizon step. No
/// forecast until the window is full.
/// <para>Interval: <c>ŷ ± t·s·sqrt(1 + 1/w)</c>, where s² is the sample variance (w − 1 denominator) of the window
/// and t the Student-t quantile with w − 1 degrees of freedom at (1 + level)/2: for an i.i.d. Gaussian series this
/// is the exact prediction interval for the next value (the error of a w-value mean has variance σ²(1 + 1/w)), the
/// same at every horizon. No interval for <c>window=1</c> (no variance).</para>
/// <para>Missing values: skipped — the window holds the last w present values.</para>
/// </summary>
/// <param name="Window">Number of values averaged (≥ 1; default 24).</param>
/// <param name="IntervalLevel">Prediction-interval level in (0, 1); default 0.95. Spec key <c>level</c>.</param>
public sealed record MovingAverageForecaster(int Window = 24, double IntervalLevel = PredictionInterval.DefaultLevel) : IForecaster
{
    /// <summary>Spec binding: <c>moving-average(window=24,level=0.95)</c>.</summary>
    public static OperatorDescriptor<MovingAverageForecaster> Descriptor { get; } =
        new OperatorDescriptor<MovingAverageForecaster>("moving-average", OperatorKind.Forecaster,
                "Mean of the last window present values for every step; Student-t interval from the window's variance times (1 + 1/window).",
                new MovingAverageForecaster(), o => o.Validate())
            .Int("window", "values averaged (>= 1)", o => o.Window, (o, v) => o with { Window = v })
            .Double("level", "prediction-interval level in (0, 1)", o => o.IntervalLevel, (o, v) => o with { IntervalLevel = v });

    public string Name => Descriptor.Name;

    public string Spec => Descriptor.Format(this);

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for out-of-range options.</summary>
    public void Validate()
    {
        if (Window < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Window), Window, "window must be >= 1");
        }

        OperatorLimits.CheckWindow(Window, 1, "window");

        PredictionInterval.ValidateLevel(IntervalLevel, nameof(IntervalLevel));
    }

    public IForecasterKernel CreateKernel()
    {
        Validate();
        return new Kernel(Window, Window > 1 ? PredictionInterval.StudentT(IntervalLevel, Window - 1) : 0);
    }

    private sealed class Kernel(int window, double t) : IForecasterKernel
    {
        private readonly RollingMoments _window = new(window);
        private readonly double _inflation = 1 + (1.0 / window);

        public void Forecast(Span<ForecastPoint> destination)
        {
            if (!_window.IsFull)
            {
                destination.Fill(ForecastPoint.None);
                return;
            }

            destination.Fill(window > 1
                ? PredictionInterval.Gaussian(_window.Mean, _window.Variance * _inflation, t)
                : ForecastPoint.Point(_window.Mean));
        }

        public void Update(DateTime timestamp, double? value)
        {
            if (value is { } x)
            {
                _window.Add(x);
            }
        }
    }
}
