using Workbench.Operators.Specs;

namespace Workbench.Operators.Forecasting;

/// <summary>
/// Simple exponential smoothing with a fixed α: level <c>ℓ(t) = α·y(t) + (1 − α)·ℓ(t−1)</c>; every horizon step
/// forecasts ℓ. Initialisation: ℓ₀ = the first present value (statsmodels' "simple" initialisation), so the first
/// forecast, made after one value, is that value.
/// <para>Interval (ETS(A,N,N)): <c>ŷ ± z·σ·sqrt(1 + (h−1)·α²)</c>, σ² the mean square of the last <see cref="SigmaWindow"/> one-step errors,
/// given once <see cref="PredictionInterval.MinimumResiduals"/> errors have been seen.</para>
/// <para>Missing values: leading ones are skipped; afterwards a missing value is imputed with the one-step forecast
/// (the state moves on with zero error, so the level is unchanged) and no error is recorded.</para>
/// </summary>
/// <param name="Alpha">Level smoothing α in [0, 1] (default 0.3).</param>
/// <param name="IntervalLevel">Prediction-interval level in (0, 1); default 0.95. Spec key <c>level</c>.</param>
/// <param name="SigmaWindow">One-step errors (the most recent) in the interval's σ² (10–1,000,000; default 250).
/// Spec key <c>sigma-window</c>.</param>
public sealed record SesForecaster(
    double Alpha = 0.3,
    double IntervalLevel = PredictionInterval.DefaultLevel,
    int SigmaWindow = PredictionInterval.DefaultSigmaWindow) : IForecaster
{
    /// <summary>Spec binding: <c>ses(alpha=0.3,level=0.95,sigma-window=250)</c>.</summary>
    public static OperatorDescriptor<SesForecaster> Descriptor { get; } =
        new OperatorDescriptor<SesForecaster>("ses", OperatorKind.Forecaster,
                "Simple exponential smoothing with fixed alpha; interval sigma*sqrt(1 + (h-1)*alpha^2) from one-step errors.",
                new SesForecaster(), o => o.Validate())
            .Double("alpha", "level smoothing in [0, 1]", o => o.Alpha, (o, v) => o with { Alpha = v })
            .Double("level", "prediction-interval level in (0, 1)", o => o.IntervalLevel, (o, v) => o with { IntervalLevel = v })
            .Int("sigma-window", "recent one-step errors in the interval's sigma (10-1000000)", o => o.SigmaWindow,
                (o, v) => o with { SigmaWindow = v });

    public string Name => Descriptor.Name;

    public string Spec => Descriptor.Format(this);

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for out-of-range options.</summary>
    public void Validate()
    {
        SmoothingParameters.Check(Alpha, nameof(Alpha), "alpha");
        PredictionInterval.ValidateLevel(IntervalLevel, nameof(IntervalLevel));
        PredictionInterval.ValidateSigmaWindow(SigmaWindow, nameof(SigmaWindow));
    }

    public IForecasterKernel CreateKernel()
    {
        Validate();
        return new ExponentialSmoothingKernel(Name, Alpha, 0, 0, 1, trend: false, period: 0, multiplicative: false,
            PredictionInterval.ZScore(IntervalLevel), SigmaWindow);
    }
}

/// <summary>Range checks shared by the exponential smoothing options.</summary>
internal static class SmoothingParameters
{
    /// <summary>Smoothing parameters lie in [0, 1].</summary>
    public static void Check(double value, string paramName, string specName)
    {
        if (!(value >= 0 && value <= 1))
        {
            throw new ArgumentOutOfRangeException(paramName, value, $"{specName} must be in [0, 1]");
        }
    }

    /// <summary>The damping factor lies in (0, 1]; 1 = no damping.</summary>
    public static void CheckPhi(double phi, string paramName)
    {
        if (!(phi > 0 && phi <= 1))
        {
            throw new ArgumentOutOfRangeException(paramName, phi, "phi (damping) must be in (0, 1]");
        }
    }
}
