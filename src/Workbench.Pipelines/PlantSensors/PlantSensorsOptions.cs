using Workbench.Onnx;

namespace Workbench.Pipelines.PlantSensors;

/// <summary>
/// The plant sensor monitor's model and alert settings. Defaults are those of the original system (warning 0.7,
/// critical 0.85) and the values tuned on the default data's own run (docs/pipelines/plant-sensors.md).
/// </summary>
public sealed record PlantSensorsOptions
{
    /// <summary>The ONNX one-step forecaster (relative paths are looked up in the repository, then the current directory).</summary>
    public string Model { get; init; } = OnnxForecaster.DefaultModel;

    /// <summary>Seconds per channel before the plant is scored (standardisation, residual scale and peer statistics settle); default 300.</summary>
    public int WarmUpSeconds { get; init; } = 300;

    /// <summary>Half-life (s) of each channel's running mean and standard deviation that standardise it; default 3,600.</summary>
    public double LevelHalfLife { get; init; } = 3600;

    /// <summary>Half-life (s) of each channel's running RMS of ONNX residuals (the ONNX score's scale); default 900.</summary>
    public double ResidualHalfLife { get; init; } = 900;

    /// <summary>Half-life (s) of the smoothing of the peer residual (channel − peer median); default 20.</summary>
    public double PeerSmoothingHalfLife { get; init; } = 20;

    /// <summary>Half-life (s) of the running mean and standard deviation of the smoothed peer residual; default 3,600.</summary>
    public double PeerStatsHalfLife { get; init; } = 3600;

    /// <summary>Weight of the ONNX residual score in the ensemble; default 0.6.</summary>
    public double OnnxWeight { get; init; } = 0.6;

    /// <summary>Weight of the baseline (peer-consensus residual) score in the ensemble; default 0.4.</summary>
    public double BaselineWeight { get; init; } = 0.4;

    /// <summary>Identical readings in a row before the stuck-sensor feature starts to count; default 3.</summary>
    public int StuckGraceSeconds { get; init; } = 3;

    /// <summary>Ensemble z added per identical reading beyond <see cref="StuckGraceSeconds"/>; default 0.5.</summary>
    public double StuckZPerSecond { get; init; } = 0.5;

    /// <summary>Ensemble z at which the risk is 0.7 (the logistic squash is fixed by this and <see cref="CriticalZ"/>); default 4.</summary>
    public double WarningZ { get; init; } = 4;

    /// <summary>Ensemble z at which the risk is 0.85; default 5.</summary>
    public double CriticalZ { get; init; } = 5;

    /// <summary>Risk at or above which a warning is raised; default 0.7.</summary>
    public double Warning { get; init; } = 0.7;

    /// <summary>Risk at or above which an alert is critical; default 0.85.</summary>
    public double Critical { get; init; } = 0.85;

    /// <summary>Risk below which an open alert resolves; default 0.5.</summary>
    public double Clear { get; init; } = 0.5;

    /// <summary>Consecutive seconds at a level before raising or escalating; default 2.</summary>
    public int MinCount { get; init; } = 2;

    /// <summary>Quiet time after a resolution before a new alert of the plant; default 2 min.</summary>
    public TimeSpan Cooldown { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>The modelled operator acknowledges each raised or escalated alert this long after it (event time); default 30 s.</summary>
    public TimeSpan AcknowledgeAfter { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Where to record the wall-clock duration of every ONNX inference call; null = not measured. Wall-clock figures are
    /// not deterministic, so they never go into the run's figures: the caller owns the recorder and reads it after the run.
    /// </summary>
    public InferenceLatencyRecorder? InferenceLatency { get; init; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> (naming the option) for out-of-range options.</summary>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Model);
        ArgumentOutOfRangeException.ThrowIfLessThan(WarmUpSeconds, 60, nameof(WarmUpSeconds));
        Positive(LevelHalfLife, nameof(LevelHalfLife));
        Positive(ResidualHalfLife, nameof(ResidualHalfLife));
        Positive(PeerSmoothingHalfLife, nameof(PeerSmoothingHalfLife));
        Positive(PeerStatsHalfLife, nameof(PeerStatsHalfLife));
        NonNegative(OnnxWeight, nameof(OnnxWeight));
        NonNegative(BaselineWeight, nameof(BaselineWeight));
        NonNegative(StuckZPerSecond, nameof(StuckZPerSecond));
        ArgumentOutOfRangeException.ThrowIfLessThan(StuckGraceSeconds, 1, nameof(StuckGraceSeconds));
        if (!(CriticalZ > WarningZ) || !double.IsFinite(WarningZ) || !double.IsFinite(CriticalZ))
        {
            throw new ArgumentOutOfRangeException(nameof(CriticalZ), CriticalZ, "critical z must be finite and > warning z");
        }

        if (!(Warning > 0 && Warning < Critical && Critical < 1) || !(Clear > 0 && Clear <= Warning))
        {
            throw new ArgumentOutOfRangeException(nameof(Warning), Warning, "need 0 < clear <= warning < critical < 1");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(MinCount, 1, nameof(MinCount));
        ArgumentOutOfRangeException.ThrowIfLessThan(Cooldown, TimeSpan.Zero, nameof(Cooldown));
        ArgumentOutOfRangeException.ThrowIfLessThan(AcknowledgeAfter, TimeSpan.Zero, nameof(AcknowledgeAfter));
    }

    /// <summary>The logistic squash: risk = 1 / (1 + e^(−k (z − z₀))) with risk(<see cref="WarningZ"/>) = <see cref="Warning"/>, risk(<see cref="CriticalZ"/>) = <see cref="Critical"/>.</summary>
    public (double K, double Z0) Squash()
    {
        var lw = Math.Log(Warning / (1 - Warning));
        var lc = Math.Log(Critical / (1 - Critical));
        var k = (lc - lw) / (CriticalZ - WarningZ);
        return (k, WarningZ - (lw / k));
    }

    private static void Positive(double value, string name)
    {
        if (!(value > 0) || !double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(name, value, "must be finite and > 0");
        }
    }

    private static void NonNegative(double value, string name)
    {
        if (!(value >= 0) || !double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(name, value, "must be finite and >= 0");
        }
    }
}
