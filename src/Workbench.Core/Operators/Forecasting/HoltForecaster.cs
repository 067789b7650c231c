using Workbench.Operators.Specs;

namespace Workbench.Operators.Forecasting;

/// <summary>
/// Holt's linear trend method with fixed α and β, optionally damped by φ:
/// <c>ℓ(t) = α·y(t) + (1−α)(ℓ + φb)</c>, <c>b(t) = β(ℓ(t) − ℓ(t−1)) + (1−β)·φ·b(t−1)</c>,
/// h-step forecast <c>ℓ + (φ + φ² + … + φʰ)·b</c> (φ = 1 when not damped). Initialisation from the first two present
/// values: ℓ₀ = y₁, b₀ = y₂ − y₁ (statsmodels' "simple" initialisation); the recursion then runs over those two
/// values, so the first forecast comes after two values.
/// <para>Interval (ETS(A,Ad,N), Hyndman et al. 2008): <c>ŷ ± z·σ·sqrt(1 + Σ_{j=1}^{h−1} c_j²)</c>,
/// <c>c_j = α(1 + β·φ_j)</c>, σ² the mean square of the last <see cref="SigmaWindow"/> one-step errors, given once
/// <see cref="PredictionInterval.MinimumResiduals"/> errors have been seen.</para>
/// <para>Missing values: leading ones are skipped; one between the two initial values carries the previous value;
/// afterwards a missing value is imputed with the one-step forecast (zero error: the level moves on by φb, the
/// trend is damped by φ) and no error is recorded.</para>
/// </summary>
/// <param name="Alpha">Level smoothing α in [0, 1] (default 0.3).</param>
/// <param name="Beta">Trend smoothing β in [0, 1] (default 0.1).</param>
/// <param name="Damped">Whether the trend is damped by <see cref="Phi"/> (default false).</param>
/// <param name="Phi">Damping factor φ in (0, 1] (default 0.98); used only when <see cref="Damped"/>.</param>
/// <param name="IntervalLevel">Prediction-interval level in (0, 1); default 0.95. Spec key <c>level</c>.</param>
/// <param name="SigmaWindow">One-step errors (the most recent) in the interval's σ² (10–1,000,000; default 250).
/// Spec key <c>sigma-window</c>.</param>
public sealed record HoltForecaster(
    double Alpha = 0.3,
    double Beta = 0.1,
    bool Damped = false,
    double Phi = 0.98,
    double IntervalLevel = PredictionInterval.DefaultLevel,
    int SigmaWindow = PredictionInterval.DefaultSigmaWindow) : IForecaster
{
    /// <summary>Spec binding: <c>holt(alpha=0.3,beta=0.1,damped=false,phi=0.98,level=0.95,sigma-window=250)</c>.</summary>
    public static OperatorDescriptor<HoltForecaster> Descriptor { get; } =
        new OperatorDescriptor<HoltForecaster>("holt", OperatorKind.Forecaster,
                "Holt's linear trend (optionally damped) with fixed alpha and beta; ETS(A,Ad,N) interval from one-step errors.",
                new HoltForecaster(), o => o.Validate())
            .Double("alpha", "level smoothing in [0, 1]", o => o.Alpha, (o, v) => o with { Alpha = v })
            .Double("beta", "trend smoothing in [0, 1]", o => o.Beta, (o, v) => o with { Beta = v })
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
        SmoothingParameters.CheckPhi(Phi, nameof(Phi));
        PredictionInterval.ValidateLevel(IntervalLevel, nameof(IntervalLevel));
        PredictionInterval.ValidateSigmaWindow(SigmaWindow, nameof(SigmaWindow));
    }

    public IForecasterKernel CreateKernel()
    {
        Validate();
        return new ExponentialSmoothingKernel(Name, Alpha, Beta, 0, Damped ? Phi : 1, trend: true, period: 0, multiplicative: false,
            PredictionInterval.ZScore(IntervalLevel), SigmaWindow);
    }
}
