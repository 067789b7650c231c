namespace Workbench.Generation;

/// <summary>
/// Named dataset specs. <c>ops-metrics</c> is the common published synthetic operations benchmark (1000 sources ×
/// 3 metrics × 1440 one-minute points = 4.32 M labelled points, 30 % of sources anomalous, the five kinds in equal
/// shares); <c>default-small</c> is the repository's committed default dataset (20 sources × 3 metrics × 2880 points).
/// </summary>
public static class Presets
{
    /// <summary>The name of the benchmark preset.</summary>
    public const string OpsMetrics = "ops-metrics";

    /// <summary>The name of the small default-dataset preset.</summary>
    public const string DefaultSmall = "default-small";

    /// <summary>The preset names, sorted.</summary>
    public static IReadOnlyList<string> Names { get; } = [DefaultSmall, OpsMetrics];

    /// <summary>The preset named <paramref name="name"/> (ordinal, case-sensitive).</summary>
    /// <exception cref="ArgumentException">No preset has that name; the message lists the names.</exception>
    public static DatasetSpec Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name switch
        {
            OpsMetrics => CreateOpsMetrics(),
            DefaultSmall => CreateDefaultSmall(),
            _ => throw new ArgumentException($"Unknown preset '{name}'. Presets: {string.Join(", ", Names)}.", nameof(name)),
        };
    }

    /// <summary>Daily phase that puts the seasonal peak at 14:00 when the series starts at midnight (sin peaks at t = 840 of 1440).</summary>
    private const double AfternoonPeak = -2 * Math.PI / 3;

    /// <summary>The three metrics every ops source reports, each with daily seasonality (period 1440 one-minute steps).</summary>
    private static IReadOnlyList<MetricSpec> OpsMetricsList() =>
    [
        new MetricSpec
        {
            Name = "latency", // milliseconds
            Level = 100,
            LevelSpread = 0.2,
            Seasonalities = [new SeasonalComponent(1440, 20, AfternoonPeak)],
            Noise = new NoiseSpec { Sigma = 3, Ar1Phi = 0.7, Ar1Sigma = 2 },
            Min = 0,
        },
        new MetricSpec
        {
            Name = "error_rate", // fraction of requests
            Level = 0.02,
            LevelSpread = 0.25,
            Seasonalities = [new SeasonalComponent(1440, 0.005, AfternoonPeak)],
            Noise = new NoiseSpec { Sigma = 0.002, Ar1Phi = 0.5, Ar1Sigma = 0.001 },
            Min = 0,
            Max = 1,
        },
        new MetricSpec
        {
            Name = "throughput", // requests per second
            Level = 1000,
            LevelSpread = 0.3,
            Seasonalities = [new SeasonalComponent(1440, 300, AfternoonPeak)],
            Noise = new NoiseSpec { Sigma = 25, Ar1Phi = 0.8, Ar1Sigma = 15 },
            Min = 0,
        },
    ];

    /// <summary>The five kinds with equal weights and ranges suited to one-minute operations metrics.</summary>
    private static AnomalyKindsSpec OpsKinds() => new()
    {
        Spike = new SpikeSpec { Weight = 1, Magnitude = new(5, 10), Length = new(1, 3), Direction = InjectionDirection.Random },
        LevelShift = new LevelShiftSpec { Weight = 1, Magnitude = new(3, 6), Length = new(60, 240), Direction = InjectionDirection.Random },
        Drift = new DriftSpec { Weight = 1, Magnitude = new(4, 8), Length = new(60, 180), HoldLength = new(30, 120), Direction = InjectionDirection.Random },
        Missing = new MissingSpec { Weight = 1, Length = new(5, 30) },
        Seasonal = new SeasonalChangeSpec { Weight = 1, Length = new(180, 480), AmplitudeFactor = new(2, 3), PeriodFactor = new(1, 1), PhaseShift = new(0, 0) },
    };

    private static DatasetSpec CreateOpsMetrics() => new()
    {
        Seed = 42,
        Sources = 1000,
        SourcePrefix = "host",
        Points = 1440,
        Start = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc),
        Frequency = TimeSpan.FromMinutes(1),
        Metrics = OpsMetricsList(),
        Anomalies = new AnomalySpec
        {
            SourceRatio = 0.3,
            EventsPerSource = new(1, 3),
            MinGap = 30,
            EdgeMargin = 60,
            Kinds = OpsKinds(),
        },
    };

    private static DatasetSpec CreateDefaultSmall() => new()
    {
        Seed = 7,
        Sources = 20,
        SourcePrefix = "host",
        Points = 2880,
        Start = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc),
        Frequency = TimeSpan.FromMinutes(1),
        Metrics = OpsMetricsList(),
        Anomalies = new AnomalySpec
        {
            SourceRatio = 0.4,
            EventsPerSource = new(3, 6),
            MinGap = 60,
            EdgeMargin = 120,
            Kinds = OpsKinds(),
        },
    };
}
