using System.Globalization;
using Workbench.Core;
using Workbench.Data;

namespace Workbench.Import;

/// <summary>
/// Imports CSV files and Parquet files written by other tools into one labelled dataset file (docs/DATASET_FORMAT.md,
/// "Importing your own data"): maps columns (<see cref="ImportOptions"/>, <see cref="ColumnMapping"/>), coerces every
/// cell (<see cref="CellCoercion"/>, <see cref="TimestampParser"/>), sorts the rows into canonical order (stable:
/// equal instants of one series keep their input order), applies the duplicate and sub-millisecond policies, numbers
/// events, and writes the file through <see cref="LabeledDatasetWriter"/> (a temporary file renamed into place).
/// </summary>
/// <remarks>All rows are held in memory until written (about 60 bytes per row), since any input order is accepted.</remarks>
public static class DatasetImporter
{
    private const int BatchRows = 1 << 16;

    /// <summary>The format of <paramref name="path"/> by extension (<c>.csv/.tsv/.txt</c>, <c>.parquet/.pq</c>), else by
    /// its first bytes (<c>PAR1</c> = Parquet); null when neither tells.</summary>
    public static ImportFormat? DetectFormat(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var ext = Path.GetExtension(path);
        if (ImportInputs.Extensions(ImportFormat.Csv).Contains(ext, StringComparer.OrdinalIgnoreCase))
        {
            return ImportFormat.Csv;
        }

        if (ImportInputs.Extensions(ImportFormat.Parquet).Contains(ext, StringComparer.OrdinalIgnoreCase))
        {
            return ImportFormat.Parquet;
        }

        if (!File.Exists(path))
        {
            return null;
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 16);
        Span<byte> magic = stackalloc byte[4];
        return stream.Read(magic) == 4 && magic.SequenceEqual("PAR1"u8) ? ImportFormat.Parquet : null;
    }

    /// <summary>
    /// Whether <paramref name="path"/> must be imported before Workbench can read it: a CSV file (by extension), or a
    /// Parquet file without the <c>workbench.format</c> key (written by another tool). Returns the format to import
    /// from, or null for a file Workbench wrote (or one that is neither, which the dataset reader then rejects).
    /// </summary>
    public static async Task<ImportFormat?> NeedsImportAsync(string path, CancellationToken ct = default)
    {
        var format = DetectFormat(path);
        if (format != ImportFormat.Parquet)
        {
            return format;
        }

        try
        {
            // A damaged frame, or a footer holding Workbench's integrity record (checked without parsing any Thrift):
            // the dataset reader reads it, or names the damage in one line. A damaged Workbench file is never imported.
            using (var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read))
            {
                if (DatasetIntegrity.CheckFrame(path, handle).FooterVerified)
                {
                    return null;
                }
            }

            await using var source = await ParquetSource.OpenAsync(path, ct).ConfigureAwait(false);
            return source.Metadata.ContainsKey(LabeledDatasetFormat.FormatKey) || source.Metadata.ContainsKey(LabeledDatasetFormat.DigestsKey)
                ? null
                : ImportFormat.Parquet;
        }
        catch (Exception e) when (e is ImportException or DatasetFormatException)
        {
            return null; // not readable as Parquet: the dataset reader gives its own error
        }
    }

    /// <summary>Imports <paramref name="inputs"/> (files, folders or globs, see <see cref="ImportInputs"/>) into <paramref name="outputPath"/>.</summary>
    /// <param name="inputs">The input files, folders or globs.</param>
    /// <param name="format">What the inputs are.</param>
    /// <param name="outputPath">The labelled Parquet file to write (replaced only when complete).</param>
    /// <param name="options">The mapping and policies; <see cref="ImportOptions.Default"/> when null.</param>
    /// <param name="ct">Cancels the import (nothing is written).</param>
    /// <exception cref="ImportException">An input cannot be imported (names file, row, column and the fix).</exception>
    /// <exception cref="ArgumentException">The options contradict each other or name an unknown time zone.</exception>
    public static async Task<ImportReport> ImportAsync(
        IReadOnlyList<string> inputs, ImportFormat format, string outputPath, ImportOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputPath);
        options ??= ImportOptions.Default;
        options.Validate();
        var zone = FindZone(options.TimeZone);
        var parser = new TimestampParser(options.TimestampFormat, zone);
        var files = ImportInputs.Expand(inputs, format);
        var target = Path.GetFullPath(outputPath);
        if (files.FirstOrDefault(x => string.Equals(Path.GetFullPath(x.Path), target, StringComparison.Ordinal)) is { Path: { } same })
        {
            throw new ImportException(same, null, null, "the output is also an input", "write the import to another file");
        }
        var rows = new Rows();
        var mappings = new List<string>();
        var labelled = false;
        for (var f = 0; f < files.Count; f++)
        {
            var (path, fileSeries) = files[f];
            SafeFile.CheckInput(path, what: "import input");
            await using var source = format == ImportFormat.Csv
                ? CsvSource.Open(path, options.Delimiter)
                : (IImportSource)await ParquetSource.OpenAsync(path, ct).ConfigureAwait(false);
            var mapping = ColumnMapping.Resolve(source.ColumnNames, options, path);
            labelled |= mapping.Label is not null || mapping.Kind is not null;
            parser.ResetAutoUnit();
            await foreach (var chunk in source.ReadAsync(mapping.Columns, ct).ConfigureAwait(false))
            {
                AddChunk(rows, chunk, mapping, parser, f, path, fileSeries, options);
            }

            var line = $"{Path.GetFileName(path)}: {mapping.Describe()}; timestamps {parser.Describe()}";
            if (!mappings.Contains(line[(line.IndexOf(':', StringComparison.Ordinal) + 2)..], StringComparer.Ordinal))
            {
                mappings.Add(line[(line.IndexOf(':', StringComparison.Ordinal) + 2)..]);
            }
        }

        if (rows.Count == 0)
        {
            throw new ImportException(files[0].Path, null, null, "no data rows", "give a file with at least one row besides the header");
        }

        var (order, kept, dropped, reordered) = rows.Order(options.Duplicates, files.Select(x => x.Path).ToArray(), format == ImportFormat.Csv);
        var recipe = DatasetRecipe.Create(
            format == ImportFormat.Csv ? "import-csv" : "import-parquet",
            string.Create(CultureInfo.InvariantCulture,
                $"files={string.Join(",", files.Select(x => Path.GetFileName(x.Path)))}; {string.Join(" | ", mappings)}; duplicates={options.Duplicates.ToString().ToLowerInvariant()}; sub_millisecond={options.SubMillisecond.ToString().ToLowerInvariant()}"),
            seed: null);
        var writerOptions = new DatasetWriterOptions
        {
            DuplicateTimestamps = options.Duplicates == ImportDuplicatePolicy.Keep ? DuplicateTimestampPolicy.Keep : DuplicateTimestampPolicy.Error,
            Unlabelled = !labelled,
        };
        var (anomalous, events) = await WriteAsync(outputPath, rows, order, recipe, writerOptions, ct).ConfigureAwait(false);
        return new ImportReport(
            files.Select(x => x.Path).ToArray(), string.Join(" | ", mappings), rows.Names.Count, order.Length, rows.Count, labelled, anomalous, events,
            rows.Missing, rows.NaNs, reordered, kept, dropped, rows.Floored, rows.Ambiguous);
    }

    private static TimeZoneInfo FindZone(string? id)
    {
        if (id is null or "UTC" or "utc" or "Etc/UTC")
        {
            return TimeZoneInfo.Utc;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            throw new ArgumentException($"--timezone '{id}' is not a known time zone; give an IANA id such as Europe/Berlin or America/New_York", ex);
        }
    }

    private static void AddChunk(Rows rows, SourceChunk chunk, ColumnMapping mapping, TimestampParser parser, int file, string path, string fileSeries, ImportOptions options)
    {
        var ts = chunk.Columns[mapping.Timestamp];
        var series = mapping.Series is { } sc ? chunk.Columns[sc] : null;
        var label = mapping.Label is { } lc ? chunk.Columns[lc] : null;
        var kind = mapping.Kind is { } kc ? chunk.Columns[kc] : null;
        var eventId = mapping.EventId is { } ec ? chunk.Columns[ec] : null;
        var values = mapping.Values.Select(v => chunk.Columns[v]).ToArray();
        var seriesIds = mapping.Wide ? values.Select(v => rows.SeriesId(v.Name)).ToArray() : null;
        var fileSeriesId = series is null && !mapping.Wide ? rows.SeriesId(fileSeries) : -1;
        foreach (var column in chunk.Columns.Values)
        {
            if (column.Kind == SourceColumnKind.Unsupported)
            {
                throw new ImportException(path, null, column.Name, $"the column's type ({column.TypeName}) cannot be imported",
                    "cast it to a number, text, boolean or timestamp before exporting, or map another column");
            }
        }

        for (var i = 0; i < chunk.Count; i++)
        {
            var where = chunk.Locate[i];
            var problem = parser.TryConvert(ts, i, out var ticks, out var subMs, out var ambiguous);
            if (problem is not null)
            {
                throw Fail(path, chunk, i, ts.Name, problem, TimestampFix(problem));
            }

            if (subMs)
            {
                if (options.SubMillisecond == SubMillisecondPolicy.Error)
                {
                    throw Fail(path, chunk, i, ts.Name,
                        string.Create(CultureInfo.InvariantCulture, $"the timestamp {new DateTime(ticks, DateTimeKind.Utc):yyyy-MM-ddTHH:mm:ss.fffffff}Z (or finer) has sub-millisecond precision; the labelled format stores milliseconds"),
                        "round the timestamps to milliseconds, or pass --sub-millisecond floor to round them down (counted)");
                }

                ticks -= ((ticks % TimeSpan.TicksPerMillisecond) + TimeSpan.TicksPerMillisecond) % TimeSpan.TicksPerMillisecond;
                rows.Floored++;
            }

            if (ambiguous)
            {
                rows.Ambiguous++;
            }

            var anomalous = false;
            string? kindName = null;
            int? id = null;
            if (label is not null && (problem = CellCoercion.Label(label, i, out anomalous)) is not null)
            {
                throw Fail(path, chunk, i, label.Name, problem, "give every row a label: true/false, 1/0, yes/no or anomaly/normal");
            }

            if (kind is not null)
            {
                if ((problem = CellCoercion.Kind(kind, i, out kindName)) is not null)
                {
                    throw Fail(path, chunk, i, kind.Name, problem, "map a text column with --kind, or leave it out");
                }

                if (label is null)
                {
                    anomalous = kindName is not null;
                }
                else if (!anomalous && kindName is not null)
                {
                    throw Fail(path, chunk, i, kind.Name, $"the row is labelled normal but has the anomaly kind '{kindName}'",
                        "clear the kind of normal rows (or write 'normal'), or correct the label");
                }
            }

            if (eventId is not null && anomalous)
            {
                if ((problem = CellCoercion.EventId(eventId, i, out id)) is not null || id is null)
                {
                    throw Fail(path, chunk, i, eventId.Name, problem ?? "an anomalous row has no event id",
                        "give every anomalous row an integer event id, or leave the column out (runs of anomalous rows become events)");
                }
            }

            if (mapping.Wide)
            {
                for (var v = 0; v < values.Length; v++)
                {
                    rows.Add(seriesIds![v], ticks, Value(rows, path, chunk, i, values[v]), anomalous, kindName, id, file, where);
                }

                continue;
            }

            var sid = fileSeriesId;
            if (series is not null)
            {
                if ((problem = CellCoercion.SeriesName(series, i, out var name)) is not null)
                {
                    throw Fail(path, chunk, i, series.Name, problem, "give every row a series name, or map another column with --series");
                }

                sid = rows.SeriesId(name);
            }

            rows.Add(sid, ticks, Value(rows, path, chunk, i, values[0]), anomalous, kindName, id, file, where);
        }
    }

    private static double? Value(Rows rows, string path, SourceChunk chunk, int i, SourceColumn column)
    {
        var problem = CellCoercion.Value(column, i, out var value, out var wasNaN);
        if (problem is not null)
        {
            throw Fail(path, chunk, i, column.Name, problem, "write numbers with '.' as the decimal point, and leave missing values empty (or NA/NaN/null)");
        }

        if (value is null)
        {
            rows.Missing++;
            if (wasNaN)
            {
                rows.NaNs++;
            }
        }

        return value;
    }

    private static string TimestampFix(string problem) => problem.Contains("does not exist", StringComparison.Ordinal)
        ? "correct the time, or give timestamps with their UTC offset"
        : problem.Contains("missing", StringComparison.Ordinal)
            ? "give every row a timestamp"
            : "give --format (iso, unix-s, unix-ms, unix-us, unix-ns, a .NET format like dd/MM/yyyy HH:mm or a strftime format like %d/%m/%Y %H:%M) or --timestamp <col>";

    private static ImportException Fail(string path, SourceChunk chunk, int i, string column, string problem, string fix) =>
        new(path, chunk.Where(i), column, problem, fix);

    private static async Task<(long Anomalous, long Events)> WriteAsync(
        string path, Rows rows, int[] order, DatasetRecipe recipe, DatasetWriterOptions options, CancellationToken ct)
    {
        var writer = await LabeledDatasetWriter.CreateAsync(path, rows.Names, recipe, options, ct).ConfigureAwait(false);
        long anomalous = 0, events = 0;
        try
        {
            var batch = new ObservationBatch(writer.SeriesNames, BatchRows);
            var nextEvent = new int[rows.Names.Count];
            var inRun = new bool[rows.Names.Count];
            var seenIds = new HashSet<(int, int)>();
            var kinds = new Dictionary<string, AnomalyKind>(StringComparer.Ordinal);
            foreach (var r in order)
            {
                var sid = rows.Series[r];
                var isAnomaly = rows.Anomalous[r];
                int? id = null;
                AnomalyKind? kind = null;
                if (isAnomaly)
                {
                    anomalous++;
                    if (rows.EventIds[r] >= 0)
                    {
                        id = rows.EventIds[r];
                        if (seenIds.Add((sid, id.Value)))
                        {
                            events++;
                        }
                    }
                    else
                    {
                        if (!inRun[sid])
                        {
                            nextEvent[sid]++;
                            events++;
                        }

                        id = nextEvent[sid] - 1;
                    }

                    if (rows.Kinds[r] is { } k)
                    {
                        if (!kinds.TryGetValue(k, out var known))
                        {
                            kinds[k] = known = AnomalyKind.FromName(k);
                        }

                        kind = known;
                    }
                }

                inRun[sid] = isAnomaly;
                if (batch.Count == batch.Capacity)
                {
                    await writer.WriteAsync(batch, ct).ConfigureAwait(false);
                    batch.Clear();
                }

                batch.Add(sid, new DateTime(rows.Ticks[r], DateTimeKind.Utc), rows.HasValue[r] ? rows.Values[r] : null, new AnomalyLabel(isAnomaly, kind, id));
            }

            await writer.WriteAsync(batch, ct).ConfigureAwait(false);
        }
        catch
        {
            writer.Abort();
            throw;
        }
        finally
        {
            await writer.DisposeAsync().ConfigureAwait(false);
        }

        return (anomalous, events);
    }

    /// <summary>The imported rows, column by column, with where each came from.</summary>
    private sealed class Rows
    {
        private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);

        public List<string> Names { get; } = [];

        public List<int> Series { get; } = [];

        public List<long> Ticks { get; } = [];

        public List<double> Values { get; } = [];

        public List<bool> HasValue { get; } = [];

        public List<bool> Anomalous { get; } = [];

        public List<string?> Kinds { get; } = [];

        public List<int> EventIds { get; } = [];

        public List<int> Files { get; } = [];

        public List<long> Where { get; } = [];

        public int Count => Series.Count;

        public long Missing { get; set; }

        public long NaNs { get; set; }

        public long Floored { get; set; }

        public long Ambiguous { get; set; }

        public int SeriesId(string name)
        {
            if (!_index.TryGetValue(name, out var id))
            {
                _index[name] = id = Names.Count;
                Names.Add(name);
            }

            return id;
        }

        public void Add(int series, long ticks, double? value, bool anomalous, string? kind, int? eventId, int file, long where)
        {
            Series.Add(series);
            Ticks.Add(ticks);
            Values.Add(value ?? 0);
            HasValue.Add(value.HasValue);
            Anomalous.Add(anomalous);
            Kinds.Add(kind);
            EventIds.Add(eventId ?? -1);
            Files.Add(file);
            Where.Add(where);
        }

        /// <summary>Canonical order (instant, then series id, then input order), with the duplicate policy applied.</summary>
        public (int[] Order, long Kept, long Dropped, long Reordered) Order(ImportDuplicatePolicy policy, string[] files, bool csv)
        {
            var order = new int[Count];
            for (var i = 0; i < order.Length; i++)
            {
                order[i] = i;
            }

            var ticks = Ticks;
            var series = Series;
            var sorted = true;
            for (var i = 1; i < order.Length && sorted; i++)
            {
                sorted = ticks[i - 1] < ticks[i] || (ticks[i - 1] == ticks[i] && series[i - 1] <= series[i]);
            }

            if (!sorted)
            {
                Array.Sort(order, (a, b) =>
                {
                    var c = ticks[a].CompareTo(ticks[b]);
                    if (c == 0)
                    {
                        c = series[a].CompareTo(series[b]);
                    }

                    return c != 0 ? c : a.CompareTo(b);
                });
            }

            long reordered = 0;
            for (var i = 0; i < order.Length; i++)
            {
                if (order[i] != i)
                {
                    reordered++;
                }
            }

            long kept = 0, dropped = 0;
            var result = new List<int>(order.Length);
            for (var i = 0; i < order.Length;)
            {
                var j = i + 1;
                while (j < order.Length && ticks[order[j]] == ticks[order[i]] && series[order[j]] == series[order[i]])
                {
                    j++;
                }

                if (j - i > 1)
                {
                    switch (policy)
                    {
                        case ImportDuplicatePolicy.Error:
                            var first = order[i];
                            var second = order[i + 1];
                            throw new ImportException(files[Files[second]], ImportLocation.Format(csv, Where[second]), null,
                                string.Create(CultureInfo.InvariantCulture,
                                    $"series '{Names[series[second]]}' has {j - i} rows at {new DateTime(ticks[second], DateTimeKind.Utc):yyyy-MM-ddTHH:mm:ss.fff}Z (first at {files[Files[first]]}, {ImportLocation.Format(csv, Where[first])})"),
                                "pass --duplicates keep (keep all, declared in the file), first or last (keep one, counted), or remove the repeated rows");
                        case ImportDuplicatePolicy.Keep:
                            kept += j - i - 1;
                            for (var k = i; k < j; k++)
                            {
                                result.Add(order[k]);
                            }

                            break;
                        case ImportDuplicatePolicy.First:
                            result.Add(order[i]);
                            dropped += j - i - 1;
                            break;
                        default:
                            result.Add(order[j - 1]);
                            dropped += j - i - 1;
                            break;
                    }
                }
                else
                {
                    result.Add(order[i]);
                }

                i = j;
            }

            return ([.. result], kept, dropped, reordered);
        }
    }
}
