namespace Workbench.Import;

/// <summary>
/// How <see cref="DatasetImporter"/> maps the columns of a CSV or foreign Parquet file onto the labelled format
/// (docs/DATASET_FORMAT.md, "Importing your own data"). Every column left null is found by its default name.
/// </summary>
public sealed record ImportOptions
{
    /// <summary>The default mapping: every column by its default name, UTC, errors for duplicates and sub-millisecond times.</summary>
    public static ImportOptions Default { get; } = new();

    /// <summary>The column naming each row's series. Default: <c>series</c>, else <c>series_id</c>; when neither exists
    /// (and not <see cref="SeriesFromColumns"/>) each input file is one series named after the file (without extension).</summary>
    public string? SeriesColumn { get; init; }

    /// <summary>Wide files: every value column is a series named after the column (default false). The value columns are
    /// <see cref="ValueColumns"/>, or else every column that is not the timestamp, label, kind or event-id column.</summary>
    public bool SeriesFromColumns { get; init; }

    /// <summary>The timestamp column. Default: the first of <c>timestamp</c>, <c>time</c>, <c>datetime</c>, <c>date</c>,
    /// <c>ts</c> that exists.</summary>
    public string? TimestampColumn { get; init; }

    /// <summary>
    /// How timestamp text is read (see <see cref="TimestampParser"/>): null (default) = ISO 8601 text, or digits as Unix
    /// time with the unit chosen by magnitude; <c>iso</c>; <c>unix-s</c>, <c>unix-ms</c>, <c>unix-us</c>, <c>unix-ns</c>;
    /// a .NET custom date format (<c>dd/MM/yyyy HH:mm:ss</c>); or a strftime format (<c>%d/%m/%Y %H:%M:%S</c>).
    /// </summary>
    public string? TimestampFormat { get; init; }

    /// <summary>The IANA time zone (<c>Europe/Berlin</c>) of timestamps without an offset; default null = UTC.
    /// Timestamps that carry an offset (or a Parquet TIMESTAMP adjusted to UTC) are instants and ignore it.</summary>
    public string? TimeZone { get; init; }

    /// <summary>The value column(s). Default: <c>value</c>. Several columns need <see cref="SeriesFromColumns"/>.</summary>
    public IReadOnlyList<string> ValueColumns { get; init; } = [];

    /// <summary>The label column. Default: the first of <c>is_anomaly</c>, <c>label</c>, <c>anomaly</c> that exists; none = the
    /// data is unlabelled (every row normal, the file says so in its metadata).</summary>
    public string? LabelColumn { get; init; }

    /// <summary>The anomaly-kind column. Default: <c>anomaly_kind</c> when it exists.</summary>
    public string? KindColumn { get; init; }

    /// <summary>The event-id column. Default: <c>anomaly_id</c> when it exists; without one, each run of consecutive
    /// anomalous rows of a series is one event (ids 0, 1, … per series).</summary>
    public string? EventIdColumn { get; init; }

    /// <summary>CSV field delimiter; default null = detected from the header line (comma, semicolon, tab or pipe).</summary>
    public char? Delimiter { get; init; }

    /// <summary>What to do with two rows of one series at one instant. Default <see cref="ImportDuplicatePolicy.Error"/>.</summary>
    public ImportDuplicatePolicy Duplicates { get; init; } = ImportDuplicatePolicy.Error;

    /// <summary>What to do with timestamps finer than a millisecond (the format stores milliseconds). Default
    /// <see cref="SubMillisecondPolicy.Error"/>.</summary>
    public SubMillisecondPolicy SubMillisecond { get; init; } = SubMillisecondPolicy.Error;

    /// <summary>Throws <see cref="ArgumentException"/> when options contradict each other.</summary>
    public void Validate()
    {
        if (ValueColumns.Count > 1 && !SeriesFromColumns)
        {
            throw new ArgumentException(
                $"{ValueColumns.Count} value columns given ({string.Join(", ", ValueColumns)}); several value columns need --series-from-columns (each becomes a series)");
        }

        if (SeriesFromColumns && SeriesColumn is not null)
        {
            throw new ArgumentException("--series and --series-from-columns exclude each other: a long file names its series in a column, a wide file in its headers");
        }

        if (!Enum.IsDefined(Duplicates) || !Enum.IsDefined(SubMillisecond))
        {
            throw new ArgumentException("unknown duplicate or sub-millisecond policy");
        }

        if (Delimiter is '"' or '\r' or '\n')
        {
            throw new ArgumentException($"the delimiter cannot be a quote or a line break");
        }
    }
}

/// <summary>What <see cref="DatasetImporter"/> does with rows of one series that share an instant.</summary>
public enum ImportDuplicatePolicy
{
    /// <summary>Fail, naming both rows (the default).</summary>
    Error = 0,

    /// <summary>Keep every row, adjacent in input order; counted and declared in the file (<c>workbench.duplicate_timestamps</c>).</summary>
    Keep = 1,

    /// <summary>Keep the first row (in input order) and drop the others; counted in <see cref="ImportReport.DroppedDuplicates"/>.</summary>
    First = 2,

    /// <summary>Keep the last row (in input order) and drop the others; counted in <see cref="ImportReport.DroppedDuplicates"/>.</summary>
    Last = 3,
}

/// <summary>What <see cref="DatasetImporter"/> does with a timestamp finer than a millisecond.</summary>
public enum SubMillisecondPolicy
{
    /// <summary>Fail, naming the row (the default: never truncate silently).</summary>
    Error = 0,

    /// <summary>Round down to the millisecond; counted in <see cref="ImportReport.FlooredTimestamps"/>.</summary>
    Floor = 1,
}
