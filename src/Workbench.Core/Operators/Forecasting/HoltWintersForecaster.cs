using Workbench.Operators.Specs;

namespace Workbench.Operators.Forecasting;

/// <summary>
/// Holt-Winters with fixed α, β, γ (never re-fitted), additive or multiplicative seasonality of period m, and an
/// optionally damped additive trend. The recursions are statsmodels' <c>ExponentialSmoothing</c> ones:
/// additive <c>ℓ(t) = α(y − s(t−m)) + (1−α)(ℓ + φb)</c>, <c>s(t) = γ(y − ℓ(t−1) − φb(t−1)) + (1−γ)s(t−m)</c>;
/// multiplicative <c>ℓ(t) = α·y/s(t−m) + (1−α)(ℓ + φb)</c>, <c>s(t) = γ·y/(ℓ(t−1) + φb(t−1)) + (1−γ)s(t−m)</c>;
/// both <c>b(t) = β(ℓ(t) − ℓ(t−1)) + (1−β)φb(t−1)</c>. h-step forecast <c>(ℓ + φ_h·b) ⊕ s(t + h − m(k+1))</c>,
/// k = ⌊(h−1)/m⌋, ⊕ = + or ×, φ_h = φ + … + φʰ.
/// <para>Initialisation (statsmodels' "simple", Hyndman and Athanasopoulos §7.6) from the first 2m rows: ℓ₀ = mean of
/// season 1, b₀ = mean over i of (y(m+i) − y(i))/m, s_i = y(i) − ℓ₀ (or y(i)/ℓ₀); then the recursion runs over those
/// 2m rows, so forecasts start at row 2m and from there equal statsmodels' fitted values for the same
/// initial states (checked against statsmodels by StatsmodelsReferenceTests).</para>
/// <para>Interval: additive — ETS(A,Ad,A) (Hyndman et al. 2008): <c>ŷ ± z·σ·sqrt(1 + Σ_{j=1}^{h−1} c_j²)</c>,
/// <c>c_j = α(1 + β·φ_j) + γ·[j mod m = 0]</c>, σ² the mean square of the last <see cref="SigmaWindow"/> one-step errors. Multiplicative —
/// a first-order approximation: the same formula in deseasonalised units, σ² the mean square of the recent
/// e(t)/s(t−m), scaled by the target step's seasonal factor: <c>ŷ ± z·s·σ·sqrt(1 + Σ c_j²)</c>. Intervals appear
/// once <see cref="PredictionInterval.MinimumResiduals"/> errors (after the warm-up) have been seen.</para>
/// <para>Missing values: leading ones are skipped; in the warm-up a missing value carries the last present value;
/// afterwards it is imputed with the one-step forecast (zero error: level, trend and season move on without
/// learning) and no error is recorded. Multiplicative seasonality rejects values ≤ 0 with
/// <see cref="ForecastInputException"/>, as statsmodels does.</para>
/// </summary>
/// <param name="Alpha">Level smoothing α in [0, 1] (default 0.3).</param>
/// <param name="Beta">Trend smoothing β in [0, 1] (default 0.05).</param>
/// <param name="Gamma">Seasonal smoothing γ in [0, 1] (default 0.1).</param>
/// <param name="Period">Season length m in rows (≥ 2; default 24).</param>
/// <param name="Seasonality">Additive (default) or multiplicative.</param>
/// <param name="Damped">Whether the trend is damped by <see cref="Phi"/> (default false).</param>
/// <param name="Phi">Damping factor φ in (0, 1] (default 0.98); used only when <see cref="Damped"/>.</param>
/// <param name="IntervalLevel">Prediction-interval level in (0, 1); default 0.95. Spec key <c>level</c>.</param>
/// <param name="SigmaWindow">One-step errors (the most recent) in the interval's σ² (10–1,000,000; default 250).
/// Spec key <c>sigma-window</c>.</param>
public sealed record HoltWintersForecaster(
    double Alpha = 0.3,
    double Beta = 0.05,
    double Gamma = 0.1,
    int Period = 24,
    Seasonality Seasonality = Seasonality.Additive,
    bool Damped = false,
    double Phi = 0.98,
    double IntervalLevel = PredictionInterval.DefaultLevel,
    int SigmaWindow = PredictionInterval.DefaultSigmaWindow) : IForecaster
{
    /// <summary>
    /// Spec binding:
    /// <c>holt-winters(alpha=0.3,beta=0.05,gamma=0.1,period=24,seasonality=additive,damped=false,phi=0.98,level=0.95,sigma-window=250)</c>.
    /// </summary>
    public static OperatorDescriptor<HoltWintersForecaster> Descriptor { get; } =
        new OperatorDescriptor<HoltWintersForecaster>("holt-winters", OperatorKind.Forecaster,
                "Holt-Winters with fixed alpha, beta, gamma; additive or multiplicative season; initialised from the first two seasons.",
                new HoltWintersForecaster(), o => o.Validate())
            .Double("alpha", "level smoothing in [0, 1]", o => o.Alpha, (o, v) => o with { Alpha = v })
            .Double("beta", "trend smoothing in [0, 1]", o => o.Beta, (o, v) => o with { Beta = v })
            .Double("gamma", "seasonal smoothing in [0, 1]", o => o.Gamma, (o, v) => o with { Gamma = v })
            .Int("period", "season length in rows (>= 2)", o => o.Period, (o, v) => o with { Period = v })
            .Choice("seasonality", "additive offsets or multiplicative factors (positive series only)", o => o.Seasonality,
                (o, v) => o with { Seasonality = v })
            .Bool("damped", "damp the trend by phi per step", o => o.Damped, (o, v) => o with { Damped = v })
            .Double("phi", "damping factor in (0, 1], used when damped=true", o => o.Phi, (o, v) => o with { Phi = v })
            .Double("level", "prediction-interval level in (0, 1)", o => o.IntervalLevel, (o, v) => o with { IntervalLevel = v })
            .Int("sigma-window", "recent one-step errors in the interval's sigma (10-1000000)", o => o.SigmaWindow,
                (o, v) => o with { SigmaWindow = v });

    public string Name => Descriptor.Name;

    public string Spec => Descriptor.Format(this);

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for out-of-range options.</summary>
    public void Validate()
    {
        SmoothingParameters.Check(Alpha, nameof(Alpha), "alpha");
        SmoothingParameters.Check(Beta, nameof(Beta), "beta");
        SmoothingParameters.Check(Gamma, nameof(Gamma), "gamma");
        if (Period < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(Period), Period, "period must be >= 2");
        }

        OperatorLimits.CheckWindow(Period, 2, "period");

        if (!Enum.IsDefined(Seasonality))
        {
            throw new ArgumentOutOfRangeException(nameof(Seasonality), Seasonality, "seasonality must be additive or multiplicative");
        }

        SmoothingParameters.CheckPhi(Phi, nameof(Phi));
        PredictionInterval.ValidateLevel(IntervalLevel, nameof(IntervalLevel));
        PredictionInterval.ValidateSigmaWindow(SigmaWindow, nameof(SigmaWindow));
    }

    public IForecasterKernel CreateKernel()
    {
        Validate();
        return new ExponentialSmoothingKernel(Name, Alpha, Beta, Gamma, Damped ? Phi : 1, trend: true, Period,
            Seasonality == Seasonality.Multiplicative, PredictionInterval.ZScore(IntervalLevel), SigmaWindow);
    }
}
