namespace Workbench.Generation;

/// <summary>
/// Which sources get anomalies, how many events each, and how events are placed. JSON <c>anomalies</c>.
/// </summary>
public sealed record AnomalySpec
{
    /// <summary>
    /// The fraction of sources that get anomalies, in [0, 1]: exactly <c>round(ratio · sources)</c> sources (half away
    /// from zero), chosen by the seeded planner. Default 0. JSON <c>sourceRatio</c>.
    /// </summary>
    public double SourceRatio { get; init; }

    /// <summary>
    /// The number of events per anomalous source, drawn uniformly; 1 ≤ min ≤ max ≤ 1000. Each event goes to one of the
    /// source's metrics. Default [1, 3]. JSON <c>eventsPerSource</c>.
    /// </summary>
    public IntRange EventsPerSource { get; init; } = new(1, 3);

    /// <summary>The minimum number of untouched observations between two events of the same series, ≥ 0. Default 30. JSON <c>minGap</c>.</summary>
    public int MinGap { get; init; } = 30;

    /// <summary>
    /// The number of observations at each end of a series no event may cover, ≥ 0 (a permanent event still runs to
    /// the end). Default 30. JSON <c>edgeMargin</c>.
    /// </summary>
    public int EdgeMargin { get; init; } = 30;

    /// <summary>The kind mix and per-kind parameter ranges. JSON <c>kinds</c>.</summary>
    public AnomalyKindsSpec Kinds { get; init; } = new();
}

/// <summary>
/// The five injected kinds: each has a weight (its share of the events, by exact apportionment) and the ranges its
/// parameters are drawn from. JSON <c>anomalies.kinds</c> with keys <c>spike</c>, <c>levelShift</c>, <c>drift</c>,
/// <c>missing</c>, <c>seasonal</c>; an omitted kind has weight 0.
/// </summary>
public sealed record AnomalyKindsSpec
{
    /// <summary>Spikes. JSON <c>spike</c>.</summary>
    public SpikeSpec Spike { get; init; } = new();

    /// <summary>Level shifts. JSON <c>levelShift</c>.</summary>
    public LevelShiftSpec LevelShift { get; init; } = new();

    /// <summary>Drifts. JSON <c>drift</c>.</summary>
    public DriftSpec Drift { get; init; } = new();

    /// <summary>Gaps. JSON <c>missing</c>.</summary>
    public MissingSpec Missing { get; init; } = new();

    /// <summary>Seasonal changes. JSON <c>seasonal</c>.</summary>
    public SeasonalChangeSpec Seasonal { get; init; } = new();

    /// <summary>The weights in the canonical kind order (spike, level shift, drift, missing, seasonal).</summary>
    public IReadOnlyList<double> Weights => [Spike.Weight, LevelShift.Weight, Drift.Weight, Missing.Weight, Seasonal.Weight];
}

/// <summary>Spike parameters (see <see cref="SpikeOptions"/>).</summary>
public sealed record SpikeSpec
{
    /// <summary>The kind's weight, finite, ≥ 0. Default 1. JSON <c>weight</c>.</summary>
    public double Weight { get; init; } = 1;

    /// <summary>The magnitude in noise σ units; 0 &lt; min ≤ max ≤ 1e6. Default [5, 10]. JSON <c>magnitude</c>.</summary>
    public DoubleRange Magnitude { get; init; } = new(5, 10);

    /// <summary>The burst length; 1 ≤ min ≤ max ≤ 1000. Default [1, 3]. JSON <c>length</c>.</summary>
    public IntRange Length { get; init; } = new(1, 3);

    /// <summary>The direction (<c>up</c>, <c>down</c> or <c>random</c>). Default random. JSON <c>direction</c>.</summary>
    public InjectionDirection Direction { get; init; } = InjectionDirection.Random;
}

/// <summary>Level-shift parameters (see <see cref="LevelShiftOptions"/>).</summary>
public sealed record LevelShiftSpec
{
    /// <summary>The kind's weight, finite, ≥ 0. Default 1. JSON <c>weight</c>.</summary>
    public double Weight { get; init; } = 1;

    /// <summary>The step in noise σ units; 0 &lt; min ≤ max ≤ 1e6. Default [3, 6]. JSON <c>magnitude</c>.</summary>
    public DoubleRange Magnitude { get; init; } = new(3, 6);

    /// <summary>
    /// The duration in points; 1 ≤ min ≤ max. For a permanent shift it is the minimum span reserved inside the edge
    /// margins (the shift then runs to the series end). Default [60, 240]. JSON <c>length</c>.
    /// </summary>
    public IntRange Length { get; init; } = new(60, 240);

    /// <summary>The direction. Default random. JSON <c>direction</c>.</summary>
    public InjectionDirection Direction { get; init; } = InjectionDirection.Random;

    /// <summary>The probability that a shift is permanent, in [0, 1]; at most one permanent event per series. Default 0. JSON <c>permanentProbability</c>.</summary>
    public double PermanentProbability { get; init; }
}

/// <summary>Drift parameters (see <see cref="DriftOptions"/>).</summary>
public sealed record DriftSpec
{
    /// <summary>The kind's weight, finite, ≥ 0. Default 1. JSON <c>weight</c>.</summary>
    public double Weight { get; init; } = 1;

    /// <summary>The displacement reached, in noise σ units; 0 &lt; min ≤ max ≤ 1e6. Default [4, 8]. JSON <c>magnitude</c>.</summary>
    public DoubleRange Magnitude { get; init; } = new(4, 8);

    /// <summary>The ramp length in points; 1 ≤ min ≤ max. Default [60, 180]. JSON <c>length</c>.</summary>
    public IntRange Length { get; init; } = new(60, 180);

    /// <summary>The number of points the reached level is held; 0 ≤ min ≤ max. Default [30, 120]. JSON <c>holdLength</c>.</summary>
    public IntRange HoldLength { get; init; } = new(30, 120);

    /// <summary>The direction. Default random. JSON <c>direction</c>.</summary>
    public InjectionDirection Direction { get; init; } = InjectionDirection.Random;

    /// <summary>The probability that the level is held to the series end, in [0, 1]; at most one permanent event per series. Default 0. JSON <c>permanentProbability</c>.</summary>
    public double PermanentProbability { get; init; }
}

/// <summary>Gap parameters (see <see cref="MissingOptions"/>).</summary>
public sealed record MissingSpec
{
    /// <summary>The kind's weight, finite, ≥ 0. Default 1. JSON <c>weight</c>.</summary>
    public double Weight { get; init; } = 1;

    /// <summary>The gap length in points; 1 ≤ min ≤ max. Default [5, 30]. JSON <c>length</c>.</summary>
    public IntRange Length { get; init; } = new(5, 30);
}

/// <summary>Seasonal-change parameters (see <see cref="SeasonalOptions"/>); applied to one of the metric's seasonalities with amplitude &gt; 0.</summary>
public sealed record SeasonalChangeSpec
{
    /// <summary>The kind's weight, finite, ≥ 0. Default 1. JSON <c>weight</c>.</summary>
    public double Weight { get; init; } = 1;

    /// <summary>The span in points; 1 ≤ min ≤ max. Default [120, 360]. JSON <c>length</c>.</summary>
    public IntRange Length { get; init; } = new(120, 360);

    /// <summary>The amplitude multiplier; 0 ≤ min ≤ max, finite. Default [2, 3]. JSON <c>amplitudeFactor</c>.</summary>
    public DoubleRange AmplitudeFactor { get; init; } = new(2, 3);

    /// <summary>The period multiplier; 0 &lt; min ≤ max, finite, keeping every changed period ≥ 2. Default [1, 1]. JSON <c>periodFactor</c>.</summary>
    public DoubleRange PeriodFactor { get; init; } = new(1, 1);

    /// <summary>The phase shift in radians; −2π ≤ min ≤ max ≤ 2π. Default [0, 0]. JSON <c>phaseShift</c>.</summary>
    public DoubleRange PhaseShift { get; init; } = new(0, 0);
}
