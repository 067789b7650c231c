using System.Globalization;

namespace Workbench.Generation;

/// <summary>
/// What the synthetic generator produces: <see cref="Sources"/> sources, each reporting every metric of
/// <see cref="Metrics"/> at <see cref="Points"/> instants from <see cref="Start"/> every <see cref="Frequency"/>,
/// with anomalies injected into a fraction of the sources (<see cref="Anomalies"/>), all drawn from <see cref="Seed"/>.
/// Immutable; JSON round trip with <see cref="Parse"/> / <see cref="ToJson"/> (schema in docs/GENERATOR.md). A spec
/// built or changed in code is checked by <see cref="Validate"/> (the generator does it too), with the same key
/// paths as the JSON.
/// </summary>
public sealed record DatasetSpec
{
    /// <summary>The largest number of sources.</summary>
    public const int MaxSources = 10_000_000;

    /// <summary>The largest number of metrics per source.</summary>
    public const int MaxMetrics = 1000;

    /// <summary>The largest number of series (sources × metrics).</summary>
    public const int MaxSeries = 100_000_000;

    /// <summary>The random seed, ≥ 0. Default 0. JSON <c>seed</c>.</summary>
    public long Seed { get; init; }

    /// <summary>The number of sources (hosts), in [1, 10 000 000]. Default 1. JSON <c>sources</c>; CLI <c>--series</c>.</summary>
    public int Sources { get; init; } = 1;

    /// <summary>
    /// The source name prefix (1–64 characters of <c>A–Z a–z 0–9 _ . -</c>): source <c>i</c> is
    /// <c>&lt;prefix&gt;-&lt;i&gt;</c> with <c>i</c> zero-padded to at least 4 digits. Default <c>host</c>. JSON <c>sourcePrefix</c>.
    /// </summary>
    public string SourcePrefix { get; init; } = "host";

    /// <summary>The number of observations per series, ≥ 1. Default 1440. JSON <c>points</c>; CLI <c>--points</c>.</summary>
    public int Points { get; init; } = 1440;

    /// <summary>The first timestamp, UTC. Default 2024-01-01T00:00:00Z. JSON <c>start</c>: ISO 8601 with <c>Z</c> or an explicit offset.</summary>
    public DateTime Start { get; init; } = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>
    /// The sampling interval: a whole number of milliseconds, &gt; 0. Default 1 minute. JSON <c>frequency</c>: an
    /// integer and a unit, <c>ms</c>, <c>s</c>, <c>m</c>, <c>h</c> or <c>d</c> (e.g. <c>"1m"</c>, <c>"30s"</c>).
    /// </summary>
    public TimeSpan Frequency { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>The metrics every source reports, 1–1000 with unique names. JSON <c>metrics</c>.</summary>
    public IReadOnlyList<MetricSpec> Metrics { get; init; } = [];

    /// <summary>The anomalies. JSON <c>anomalies</c>.</summary>
    public AnomalySpec Anomalies { get; init; } = new();

    /// <summary>The number of series, <c>Sources × Metrics.Count</c>.</summary>
    public int SeriesCount => Sources * Metrics.Count;

    /// <summary>The number of rows the dataset has, <c>Sources × Metrics.Count × Points</c>.</summary>
    public long TotalRows => (long)Sources * Metrics.Count * Points;

    /// <summary>Parses and validates a JSON spec. Unknown keys are errors.</summary>
    /// <exception cref="DatasetSpecException">The JSON is malformed or a value is invalid; names the key path.</exception>
    public static DatasetSpec Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        var spec = DatasetSpecJson.Read(json);
        spec.Validate();
        return spec;
    }

    /// <summary>Reads, parses and validates the JSON spec file at <paramref name="path"/>.</summary>
    /// <exception cref="DatasetSpecException">As <see cref="Parse"/>, naming the file.</exception>
    /// <exception cref="IOException">The file cannot be read.</exception>
    public static DatasetSpec Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        Data.SafeFile.CheckInput(path, what: "the spec");
        var json = File.ReadAllText(path);
        try
        {
            return Parse(json);
        }
        catch (DatasetSpecException e) when (e.FilePath is null)
        {
            throw e.InFile(path);
        }
    }

    /// <summary>The canonical JSON: indented (2 spaces, LF), every key present in a fixed order, round-trip numbers.</summary>
    public string ToJson() => DatasetSpecJson.Write(this);

    /// <summary>
    /// The spec with the command line's overrides applied (<c>--series</c> = sources, <c>--points</c>, <c>--seed</c>),
    /// validated.
    /// </summary>
    public DatasetSpec WithOverrides(int? sources = null, int? points = null, long? seed = null)
    {
        var spec = this with
        {
            Sources = sources ?? Sources,
            Points = points ?? Points,
            Seed = seed ?? Seed,
        };
        spec.Validate();
        return spec;
    }

    /// <summary>The name of source <paramref name="index"/>, e.g. <c>host-0017</c>.</summary>
    public string SourceName(int index)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Sources);
        var width = Math.Max(4, (Sources - 1).ToString(CultureInfo.InvariantCulture).Length);
        return $"{SourcePrefix}-{index.ToString(CultureInfo.InvariantCulture).PadLeft(width, '0')}";
    }

    /// <summary>
    /// The series table in series-id order: source-major, metrics in spec order
    /// (<c>host-0000/latency</c>, <c>host-0000/error_rate</c>, …, <c>host-0001/latency</c>, …).
    /// </summary>
    public IReadOnlyList<string> SeriesNames()
    {
        var names = new string[SeriesCount];
        for (var source = 0; source < Sources; source++)
        {
            var sourceName = SourceName(source);
            for (var m = 0; m < Metrics.Count; m++)
            {
                names[(source * Metrics.Count) + m] = $"{sourceName}/{Metrics[m].Name}";
            }
        }

        return names;
    }

    /// <summary>Checks every value against its documented range.</summary>
    /// <exception cref="DatasetSpecException">The first invalid value, with its key path and the reason.</exception>
    public void Validate() => DatasetSpecValidator.Validate(this);

    public bool Equals(DatasetSpec? other) =>
        other is not null && Seed == other.Seed && Sources == other.Sources && SourcePrefix == other.SourcePrefix
        && Points == other.Points && Start == other.Start && Start.Kind == other.Start.Kind && Frequency == other.Frequency
        && Metrics.SequenceEqual(other.Metrics) && Anomalies == other.Anomalies;

    public override int GetHashCode() => HashCode.Combine(Seed, Sources, SourcePrefix, Points, Start, Frequency, Metrics.Count, Anomalies);
}
