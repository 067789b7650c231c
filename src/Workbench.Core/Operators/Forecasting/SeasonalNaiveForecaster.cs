using Workbench.Operators.Specs;

namespace Workbench.Operators.Forecasting;

/// <summary>
/// Seasonal naive forecast: the value one season (<see cref="Period"/> rows) earlier. The h-step forecast is the most
/// recent value at the same phase, <c>ŷ(t+h) = y(t + h − m·(k+1))</c> with <c>k = ⌊(h−1)/m⌋</c>.
/// <para>Interval: <c>ŷ ± z·σ·sqrt(k + 1)</c>, where σ² is the mean square of the last <see cref="SigmaWindow"/> one-step
/// errors <c>y(t) − y(t−m)</c> (the h-step error of a seasonal random walk sums k + 1 independent one-step
/// errors); given once <see cref="PredictionInterval.MinimumResiduals"/> errors have been seen.</para>
/// <para>Missing values: the row still advances the phase, but its slot keeps the value from one season earlier
/// (carried), so later forecasts for that phase use the last present value at that phase. No error is recorded for
/// a missing row or a phase that has no value yet. No forecast for a phase until a value at that phase is seen.</para>
/// </summary>
/// <param name="Period">Season length in rows (≥ 1; default 24).</param>
/// <param name="IntervalLevel">Prediction-interval level in (0, 1); default 0.95. Spec key <c>level</c>.</param>
/// <param name="SigmaWindow">One-step errors (the most recent) in the interval's σ² (10–1,000,000; default 250).
/// Spec key <c>sigma-window</c>.</param>
public sealed record SeasonalNaiveForecaster(
    int Period = 24,
    double IntervalLevel = PredictionInterval.DefaultLevel,
    int SigmaWindow = PredictionInterval.DefaultSigmaWindow) : IForecaster
{
    /// <summary>Spec binding: <c>seasonal-naive(period=24,level=0.95,sigma-window=250)</c>.</summary>
    public static OperatorDescriptor<SeasonalNaiveForecaster> Descriptor { get; } =
        new OperatorDescriptor<SeasonalNaiveForecaster>("seasonal-naive", OperatorKind.Forecaster,
                "Value one season earlier; interval from recent one-step errors, widened by sqrt(seasons ahead).",
                new SeasonalNaiveForecaster(), o => o.Validate())
            .Int("period", "season length in rows (>= 1)", o => o.Period, (o, v) => o with { Period = v })
            .Double("level", "prediction-interval level in (0, 1)", o => o.IntervalLevel, (o, v) => o with { IntervalLevel = v })
            .Int("sigma-window", "recent one-step errors in the interval's sigma (10-1000000)", o => o.SigmaWindow,
                (o, v) => o with { SigmaWindow = v });

    public string Name => Descriptor.Name;

    public string Spec => Descriptor.Format(this);

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for out-of-range options.</summary>
    public void Validate()
    {
        if (Period < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Period), Period, "period must be >= 1");
        }

        OperatorLimits.CheckWindow(Period, 1, "period");

        PredictionInterval.ValidateLevel(IntervalLevel, nameof(IntervalLevel));
        PredictionInterval.ValidateSigmaWindow(SigmaWindow, nameof(SigmaWindow));
    }

    public IForecasterKernel CreateKernel()
    {
        Validate();
        return new Kernel(Period, PredictionInterval.ZScore(IntervalLevel), SigmaWindow);
    }

    private sealed class Kernel(int period, double z, int sigmaWindow) : IForecasterKernel
    {
        private readonly double[] _last = new double[period];
        private readonly bool[] _has = new bool[period];
        private int _phase;
        private readonly RecentSquaredErrors _errors = new(sigmaWindow);

        public void Forecast(Span<ForecastPoint> destination)
        {
            var withInterval = _errors.Count >= PredictionInterval.MinimumResiduals;
            var sigma2 = _errors.Variance;
            var slot = _phase;
            for (var h = 0; h < destination.Length; h++)
            {
                if (!_has[slot])
                {
                    destination[h] = ForecastPoint.None;
                }
                else
                {
                    var seasonsAhead = (h / period) + 1;
                    destination[h] = withInterval
                        ? PredictionInterval.Gaussian(_last[slot], sigma2 * seasonsAhead, z)
                        : ForecastPoint.Point(_last[slot]);
                }

                if (++slot == period)
                {
                    slot = 0;
                }
            }
        }

        public void Update(DateTime timestamp, double? value)
        {
            if (value is { } y)
            {
                if (_has[_phase])
                {
                    _errors.Add(y - _last[_phase]);
                }

                _last[_phase] = y;
                _has[_phase] = true;
            }

            if (++_phase == period)
            {
                _phase = 0;
            }
        }
    }
}
