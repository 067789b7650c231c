namespace Workbench.Import;

/// <summary>
/// Which input columns play which role, resolved from <see cref="ImportOptions"/> and a file's column names. Columns
/// not named in the options are found by their default names (<see cref="ImportOptions"/> lists them; names match
/// exactly, then ignoring case); columns with no role are ignored.
/// </summary>
/// <param name="Timestamp">The timestamp column.</param>
/// <param name="Series">The series column; null when the series come from the value columns (wide) or the file name.</param>
/// <param name="Values">The value columns; several only for wide files.</param>
/// <param name="Wide">Whether each value column is a series (<see cref="ImportOptions.SeriesFromColumns"/>).</param>
/// <param name="Label">The label column; null = unlabelled (or labelled by <paramref name="Kind"/> alone).</param>
/// <param name="Kind">The anomaly-kind column, if any.</param>
/// <param name="EventId">The event-id column, if any.</param>
internal sealed record ColumnMapping(
    string Timestamp, string? Series, IReadOnlyList<string> Values, bool Wide, string? Label, string? Kind, string? EventId)
{
    /// <summary>Default names of the timestamp column, in order of preference.</summary>
    public static readonly string[] TimestampNames = ["timestamp", "time", "datetime", "date", "ts"];

    /// <summary>Default names of the series column.</summary>
    public static readonly string[] SeriesNames = ["series", "series_id"];

    /// <summary>Default names of the label column.</summary>
    public static readonly string[] LabelNames = ["is_anomaly", "label", "anomaly"];

    /// <summary>Every column the mapping reads.</summary>
    public IReadOnlyCollection<string> Columns =>
        new[] { Timestamp, Series, Label, Kind, EventId }.OfType<string>().Concat(Values).Distinct(StringComparer.Ordinal).ToArray();

    /// <summary>The mapping as one line for reports and the recipe.</summary>
    public string Describe() =>
        $"timestamp={Timestamp} series={(Wide ? "<value column names>" : Series ?? "<file name>")} value={string.Join(",", Values)} " +
        $"label={Label ?? (Kind is null ? "none" : "<kind set>")} kind={Kind ?? "none"} event_id={EventId ?? "<runs>"}";

    /// <summary>Resolves the mapping for a file with <paramref name="columns"/>.</summary>
    /// <exception cref="ImportException">A named column is missing, or a needed one cannot be found (lists the columns).</exception>
    public static ColumnMapping Resolve(IReadOnlyList<string> columns, ImportOptions options, string file)
    {
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(options);
        var list = string.Join(", ", columns.Select(c => $"'{c}'"));
        string Require(string name, string option) => Find(columns, name)
            ?? throw new ImportException(file, null, name, $"no column '{name}' (given by {option}); the file has {list}", $"give {option} one of the file's columns");

        var timestamp = options.TimestampColumn is { } t ? Require(t, "--timestamp") : FindAny(columns, TimestampNames)
            ?? throw new ImportException(file, null, null, $"no timestamp column (none of {string.Join(", ", TimestampNames)}); the file has {list}",
                "name the timestamp column with --timestamp <col>");
        var label = options.LabelColumn is { } l ? Require(l, "--label") : FindAny(columns, LabelNames);
        var kind = options.KindColumn is { } k ? Require(k, "--kind") : Find(columns, "anomaly_kind");
        var eventId = options.EventIdColumn is { } e ? Require(e, "--event-id") : Find(columns, "anomaly_id");
        if (options.SeriesFromColumns)
        {
            var taken = new HashSet<string>(new[] { timestamp, label, kind, eventId }.OfType<string>(), StringComparer.Ordinal);
            var values = options.ValueColumns.Count > 0
                ? options.ValueColumns.Select(v => Require(v, "--value")).ToArray()
                : columns.Where(c => c.Length > 0 && !taken.Contains(c) && !SeriesNames.Contains(c, StringComparer.OrdinalIgnoreCase)).ToArray();
            if (values.Length == 0)
            {
                throw new ImportException(file, null, null, $"--series-from-columns found no value columns besides timestamp, label and kind; the file has {list}",
                    "give the value columns with --value <col>...");
            }

            return new ColumnMapping(timestamp, null, values, Wide: true, label, kind, eventId);
        }

        var series = options.SeriesColumn is { } s ? Require(s, "--series") : FindAny(columns, SeriesNames);
        string value;
        if (options.ValueColumns.Count == 1)
        {
            value = Require(options.ValueColumns[0], "--value");
        }
        else
        {
            value = Find(columns, "value") ?? throw new ImportException(file, null, null, $"no value column 'value'; the file has {list}",
                "name the value column with --value <col>, or give --series-from-columns for a wide file (one series per column)");
        }

        return new ColumnMapping(timestamp, series, [value], Wide: false, label, kind, eventId);
    }

    private static string? FindAny(IReadOnlyList<string> columns, string[] names) => names.Select(n => Find(columns, n)).FirstOrDefault(c => c is not null);

    private static string? Find(IReadOnlyList<string> columns, string name) =>
        columns.FirstOrDefault(c => string.Equals(c, name, StringComparison.Ordinal))
        ?? columns.FirstOrDefault(c => string.Equals(c, name, StringComparison.OrdinalIgnoreCase));
}
