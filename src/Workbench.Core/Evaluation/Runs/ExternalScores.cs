using System.Globalization;
using System.Text.Json;
using Parquet;
using Parquet.Schema;
using Workbench.Data;

namespace Workbench.Evaluation.Runs;

/// <summary>
/// Reads detector scores computed elsewhere and aligns them to a dataset's rows, for <c>workbench evaluate --scores</c>.
/// Accepted sources (docs/METRICS.md, "External scores"):
/// <list type="bullet">
/// <item>a Parquet file with <c>series</c> (string; optional when the dataset has one series), <c>timestamp</c> and one
/// or more float/double score columns, e.g. the output of <c>workbench detect --out</c> (whose recorded specs and
/// thresholds are used);</item>
/// <item>a CSV file with a header: <c>series</c> (optional as above), <c>timestamp</c> (ISO 8601 or
/// <c>yyyy-MM-dd HH:mm:ss[.fff…]</c>, taken as UTC) and score columns; a NAB results file
/// (<c>timestamp,value,anomaly_score,label,…</c>) contributes only <c>anomaly_score</c>;</item>
/// <item>a folder of such CSV files, one per series, the series named by the file name without <c>.csv</c> ('/' in a
/// series name written as '_'; a NAB-style <c>&lt;detector&gt;_</c> prefix is dropped when the full name is no series; the
/// last part of a <c>category/name</c> series name is enough when unique); a file without a header (one number per line,
/// TimeEval style) gives that series' scores row by row.</item>
/// </list>
/// Alignment is by (series, timestamp); repeated timestamps pair up in order of appearance. A score row that matches no
/// dataset row, a repeated score row, a non-number or a row count that differs (headerless files) is an error naming
/// the file, line and column; dataset rows without a score row get a null score and are counted
/// (<see cref="ExternalScoreColumn.Missing"/>). Columns are data columns, not scores, when named
/// <c>value</c>, <c>label</c>, <c>is_anomaly</c>, <c>anomaly_kind</c>, <c>anomaly_id</c>, <c>series_id</c>, end in
/// <c>_flag</c>, or start with <c>S(t)_</c>.
/// </summary>
public static class ExternalScores
{
    private static readonly string[] TimestampFormats =
    [
        "yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm:ss.FFFFFFF", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm:ss.FFFFFFF",
        "yyyy-MM-ddTHH:mm:ssZ", "yyyy-MM-ddTHH:mm:ss.FFFFFFFZ", "yyyy-MM-dd",
    ];

    /// <summary>Reads <paramref name="path"/> (file or folder) and aligns every score column to <paramref name="data"/>.</summary>
    /// <exception cref="ExternalScoresException">The source cannot be read or aligned; the message names file, line and column.</exception>
    public static async Task<IReadOnlyList<ExternalScoreColumn>> LoadAsync(string path, LabeledSeriesSet data, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        ArgumentNullException.ThrowIfNull(data);
        Data.SafeFile.CheckInput(path, allowDirectory: true, what: "the scores");
        var aligner = new Aligner(data);
        if (Directory.Exists(path))
        {
            var files = Directory.GetFiles(path, "*.csv", SearchOption.AllDirectories).Order(StringComparer.Ordinal).ToList();
            if (files.Count == 0)
            {
                throw new ExternalScoresException(path, null, null, "the folder holds no .csv score files");
            }

            foreach (var file in files)
            {
                Data.SafeFile.CheckInput(file, what: "the score file");
                ReadCsv(file, aligner, SeriesOfFile(file, data));
            }
        }
        else if (File.Exists(path))
        {
            if (path.EndsWith(".parquet", StringComparison.OrdinalIgnoreCase))
            {
                await ReadParquetAsync(path, aligner, ct).ConfigureAwait(false);
            }
            else
            {
                ReadCsv(path, aligner, null);
            }
        }
        else
        {
            throw new ExternalScoresException(path, null, null, "no such file or folder");
        }

        return aligner.Finish(path);
    }

    /// <summary>True for the columns that hold data or flags, not scores.</summary>
    public static bool IsDataColumn(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name is LabeledDatasetFormat.ValueColumn or LabeledDatasetFormat.IsAnomalyColumn or LabeledDatasetFormat.AnomalyKindColumn
                or LabeledDatasetFormat.AnomalyIdColumn or LabeledDatasetFormat.SeriesIdColumn or LabeledDatasetFormat.SeriesColumn
                or LabeledDatasetFormat.TimestampColumn or "label"
            || name.EndsWith("_flag", StringComparison.Ordinal)
            || name.StartsWith("S(t)_", StringComparison.Ordinal);
    }

    private static int SeriesOfFile(string file, LabeledSeriesSet data)
    {
        var stem = Path.GetFileNameWithoutExtension(file);
        for (var candidate = stem; ; candidate = candidate[(candidate.IndexOf('_', StringComparison.Ordinal) + 1)..])
        {
            var s = IndexOfSeries(data, candidate);
            if (s >= 0)
            {
                return s;
            }

            if (!candidate.Contains('_', StringComparison.Ordinal))
            {
                throw new ExternalScoresException(file, null, null,
                    $"no series of dataset '{data.Name}' is named '{stem}' (or '{stem}' without a '<detector>_' prefix); name each file after its series");
            }
        }
    }

    /// <summary>The series named <paramref name="name"/>: exactly, with '/' written as '_' (file names cannot hold '/'),
    /// or as the last path part of exactly one series name (NAB's <c>category/file</c> keys); −1 otherwise.</summary>
    private static int IndexOfSeries(LabeledSeriesSet data, string name)
    {
        var byLastPart = -1;
        var lastPartMatches = 0;
        for (var s = 0; s < data.Series.Count; s++)
        {
            var n = data.Series[s].Name;
            if (n == name || n.Replace('/', '_') == name)
            {
                return s;
            }

            if (n.Contains('/', StringComparison.Ordinal) && n[(n.LastIndexOf('/') + 1)..] == name)
            {
                byLastPart = s;
                lastPartMatches++;
            }
        }

        return lastPartMatches == 1 ? byLastPart : -1;
    }

    private static void ReadCsv(string file, Aligner aligner, int? seriesOfFile)
    {
        using var reader = new StreamReader(file);
        var first = reader.ReadLine();
        if (first is null)
        {
            throw new ExternalScoresException(file, 1, null, "the file is empty");
        }

        if (double.TryParse(first.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out _) || first.Trim().Equals("nan", StringComparison.OrdinalIgnoreCase))
        {
            if (seriesOfFile is not { } series)
            {
                series = aligner.SingleSeries(file);
            }

            var scores = new List<double?>();
            var line = 0;
            for (var text = first; text is not null; text = reader.ReadLine())
            {
                line++;
                if (text.Length == 0) { continue; }
                scores.Add(ParseScore(text.Trim(), file, line, "score"));
            }

            aligner.AddByRow(file, Path.GetFileNameWithoutExtension(file), series, scores);
            return;
        }

        var header = first.Split(',').Select(h => h.Trim()).ToArray();
        var tsColumn = Array.IndexOf(header, LabeledDatasetFormat.TimestampColumn);
        if (tsColumn < 0)
        {
            throw new ExternalScoresException(file, 1, null, "no 'timestamp' column (or give one number per line, in dataset row order)");
        }

        var seriesColumn = Array.IndexOf(header, LabeledDatasetFormat.SeriesColumn);
        var scoreColumns = Array.IndexOf(header, "anomaly_score") is var nab and >= 0
            ? [nab]
            : Enumerable.Range(0, header.Length).Where(c => !IsDataColumn(header[c])).ToArray();
        if (scoreColumns.Length == 0)
        {
            throw new ExternalScoresException(file, 1, null, "no score column (every column is a data, label or flag column)");
        }

        var columns = scoreColumns.Select(c => aligner.Column(header[c], null, double.NaN)).ToArray();
        var lineNo = 1;
        for (var text = reader.ReadLine(); text is not null; text = reader.ReadLine())
        {
            lineNo++;
            if (text.Length == 0) { continue; }
            var cells = text.Split(',');
            if (cells.Length != header.Length)
            {
                throw new ExternalScoresException(file, lineNo, null, $"{cells.Length} fields but the header has {header.Length}");
            }

            var ts = ParseTimestamp(cells[tsColumn].Trim(), file, lineNo);
            var series = seriesColumn >= 0 ? aligner.SeriesIndex(cells[seriesColumn].Trim(), file, lineNo)
                : seriesOfFile ?? aligner.SingleSeries(file);
            var row = aligner.RowOf(series, ts, file, lineNo);
            for (var k = 0; k < scoreColumns.Length; k++)
            {
                columns[k].Set(series, row, ParseScore(cells[scoreColumns[k]].Trim(), file, lineNo, header[scoreColumns[k]]));
            }
        }
    }

    private static async Task ReadParquetAsync(string file, Aligner aligner, CancellationToken ct)
    {
        var stream = File.OpenRead(file);
        await using var _ = stream.ConfigureAwait(false);
        ParquetReader parquet;
        try
        {
            parquet = await ParquetReader.CreateAsync(stream, null, leaveStreamOpen: true, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or InvalidDataException or NotSupportedException)
        {
            throw new ExternalScoresException(file, null, null, $"not a readable Parquet file ({e.Message})");
        }

        await using (parquet.ConfigureAwait(false))
        {
            var fields = parquet.Schema.GetDataFields();
            var tsField = fields.FirstOrDefault(f => f.Name == LabeledDatasetFormat.TimestampColumn && f.ClrType == typeof(DateTime))
                ?? throw new ExternalScoresException(file, null, LabeledDatasetFormat.TimestampColumn, "no timestamp column of a timestamp type");
            var seriesField = fields.FirstOrDefault(f => f.Name == LabeledDatasetFormat.SeriesColumn);
            var provenance = ReadProvenance(parquet.CustomMetadata);
            var scoreFields = fields.Where(f => !IsDataColumn(f.Name) && f.ClrType != typeof(bool)).ToList();
            foreach (var f in scoreFields.Where(f => f.ClrType != typeof(double) && f.ClrType != typeof(float)))
            {
                throw new ExternalScoresException(file, null, f.Name, $"score column of type {f.ClrType.Name}; scores must be float or double");
            }

            if (scoreFields.Count == 0)
            {
                throw new ExternalScoresException(file, null, null, "no score column (float or double, not a data column)");
            }

            var columns = scoreFields.Select(f => ColumnFromProvenance(aligner, f.Name, provenance)).ToArray();
            long rowBase = 0;
            for (var g = 0; g < parquet.RowGroupCount; g++)
            {
                var rg = parquet.OpenRowGroupReader(g);
                var n = checked((int)rg.RowCount);
                var levels = new int[n];
                var timestamps = new DateTime[n];
                await ReadAsync(rg, tsField, timestamps, levels, file, rowBase, ct).ConfigureAwait(false);
                var seriesOfRow = new int[n];
                if (seriesField is not null)
                {
                    var names = new ReadOnlyMemory<char>[n];
                    await ReadAsync(rg, seriesField, names, levels, file, rowBase, ct).ConfigureAwait(false);
                    var cache = new Dictionary<string, int>(StringComparer.Ordinal);
                    for (var i = 0; i < n; i++)
                    {
                        var name = names[i].ToString();
                        if (!cache.TryGetValue(name, out var s))
                        {
                            cache[name] = s = aligner.SeriesIndex(name, file, rowBase + i + 1);
                        }

                        seriesOfRow[i] = s;
                    }
                }
                else
                {
                    Array.Fill(seriesOfRow, aligner.SingleSeries(file));
                }

                var rows = new int[n];
                for (var i = 0; i < n; i++)
                {
                    rows[i] = aligner.RowOf(seriesOfRow[i], DateTime.SpecifyKind(timestamps[i], DateTimeKind.Utc), file, rowBase + i + 1);
                }

                for (var k = 0; k < scoreFields.Count; k++)
                {
                    var f = scoreFields[k];
                    var values = new double?[n];
                    if (f.ClrType == typeof(double))
                    {
                        var raw = new double[n];
                        await rg.ReadRawAsync(f, raw.AsMemory(), f.IsNullable ? levels.AsMemory() : (Memory<int>?)null, null, ct).ConfigureAwait(false);
                        Spread(raw, levels, values, f.IsNullable);
                    }
                    else
                    {
                        var raw = new float[n];
                        await rg.ReadRawAsync(f, raw.AsMemory(), f.IsNullable ? levels.AsMemory() : (Memory<int>?)null, null, ct).ConfigureAwait(false);
                        Spread(raw, levels, values, f.IsNullable);
                    }

                    for (var i = 0; i < n; i++)
                    {
                        if (values[i] is { } v && double.IsNaN(v))
                        {
                            values[i] = null;
                        }

                        columns[k].Set(seriesOfRow[i], rows[i], values[i]);
                    }
                }

                rowBase += n;
            }
        }
    }

    /// <summary>Raw reads pack the non-null values at the front; this puts them back at their rows.</summary>
    private static void Spread<T>(T[] raw, int[] levels, double?[] values, bool nullable)
        where T : struct
    {
        var j = 0;
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = nullable && levels[i] == 0 ? null : Convert.ToDouble(raw[j++], CultureInfo.InvariantCulture);
        }
    }

    private static async Task ReadAsync<T>(ParquetRowGroupReader rg, DataField field, T[] values, int[] levels, string file, long rowBase, CancellationToken ct)
        where T : struct
    {
        await rg.ReadRawAsync(field, values.AsMemory(), field.IsNullable ? levels.AsMemory() : (Memory<int>?)null, null, ct).ConfigureAwait(false);
        if (field.IsNullable && Array.IndexOf(levels, 0) is var i and >= 0)
        {
            throw new ExternalScoresException(file, rowBase + i + 1, field.Name, "null; every score row needs its series and timestamp");
        }
    }

    private static Dictionary<string, string> ReadProvenance(IReadOnlyDictionary<string, string> metadata)
    {
        if (metadata.TryGetValue(ResultsFileWriter.ColumnsKey, out var json))
        {
            try
            {
                return JsonSerializer.Deserialize<Dictionary<string, string>>(json) ?? [];
            }
            catch (JsonException)
            {
                return [];
            }
        }

        return [];
    }

    private static Aligner.ColumnBuilder ColumnFromProvenance(Aligner aligner, string column, Dictionary<string, string> provenance)
    {
        var spec = provenance.GetValueOrDefault(column);
        var threshold = double.NaN;
        if (spec is not null && column.EndsWith("_score", StringComparison.Ordinal)
            && provenance.TryGetValue(column[..^"_score".Length] + "_flag", out var flag))
        {
            var at = flag.LastIndexOf(" >= ", StringComparison.Ordinal);
            if (at >= 0 && double.TryParse(flag[(at + 4)..], NumberStyles.Float, CultureInfo.InvariantCulture, out var t))
            {
                threshold = t;
            }
        }

        return aligner.Column(column, spec, threshold);
    }

    private static DateTime ParseTimestamp(string text, string file, long line) =>
        DateTime.TryParseExact(text, TimestampFormats, CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t)
            ? DateTime.SpecifyKind(t, DateTimeKind.Utc)
            : throw new ExternalScoresException(file, line, LabeledDatasetFormat.TimestampColumn,
                $"'{text}' is not a timestamp; write ISO 8601 (2024-01-31T12:00:00Z) or 'yyyy-MM-dd HH:mm:ss' (UTC)");

    private static double? ParseScore(string text, string file, long line, string column)
    {
        if (text.Length == 0 || text.Equals("nan", StringComparison.OrdinalIgnoreCase) || text.Equals("null", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && !double.IsNaN(v)
            ? v
            : throw new ExternalScoresException(file, line, column, $"'{text}' is not a number (empty, nan or null = no score)");
    }

    /// <summary>Maps (series, timestamp) to dataset rows and collects the columns.</summary>
    private sealed class Aligner
    {
        private readonly LabeledSeriesSet _data;
        private readonly Dictionary<string, int> _seriesByName = new(StringComparer.Ordinal);
        private readonly Dictionary<(int Series, long Ticks), int[]> _rows = [];
        private readonly Dictionary<(string File, int Series, long Ticks), int> _seen = [];
        private readonly List<ColumnBuilder> _columns = [];

        public Aligner(LabeledSeriesSet data)
        {
            _data = data;
            for (var s = 0; s < data.Series.Count; s++)
            {
                _seriesByName[data.Series[s].Name] = s;
                var ts = data.Series[s].Timestamps;
                foreach (var group in Enumerable.Range(0, ts.Length).GroupBy(i => ts[i].Ticks))
                {
                    _rows[(s, group.Key)] = group.ToArray();
                }
            }
        }

        public ColumnBuilder Column(string column, string? spec, double threshold)
        {
            var existing = _columns.FirstOrDefault(c => c.Column == column);
            if (existing is not null)
            {
                return existing;
            }

            var built = new ColumnBuilder(column, spec, threshold, _data);
            _columns.Add(built);
            return built;
        }

        public int SingleSeries(string file) => _data.Series.Count == 1
            ? 0
            : throw new ExternalScoresException(file, null, LabeledDatasetFormat.SeriesColumn,
                $"no 'series' column, but dataset '{_data.Name}' has {_data.Series.Count} series; add the column or give one file per series in a folder");

        public int SeriesIndex(string name, string file, long line) => _seriesByName.TryGetValue(name, out var s)
            ? s
            : throw new ExternalScoresException(file, line, LabeledDatasetFormat.SeriesColumn, $"series '{name}' is not in dataset '{_data.Name}'");

        public int RowOf(int series, DateTime timestamp, string file, long line)
        {
            var key = (series, timestamp.Ticks);
            if (!_rows.TryGetValue(key, out var rows))
            {
                throw new ExternalScoresException(file, line, LabeledDatasetFormat.TimestampColumn,
                    $"series '{_data.Series[series].Name}' has no row at {timestamp.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture)}; scores must be aligned to the dataset's rows");
            }

            var seenKey = (file, series, timestamp.Ticks);
            var k = _seen.GetValueOrDefault(seenKey);
            if (k >= rows.Length)
            {
                throw new ExternalScoresException(file, line, LabeledDatasetFormat.TimestampColumn,
                    $"a repeated score row for series '{_data.Series[series].Name}' at {timestamp.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture)} (the dataset has {rows.Length})");
            }

            _seen[seenKey] = k + 1;
            return rows[k];
        }

        public void AddByRow(string file, string column, int series, List<double?> scores)
        {
            var n = _data.Series[series].Count;
            if (scores.Count != n)
            {
                throw new ExternalScoresException(file, Math.Min(scores.Count, n) + 1, null,
                    $"{scores.Count} scores but series '{_data.Series[series].Name}' has {n} rows; a headerless file needs one score per row, in order");
            }

            var c = Column("score", null, double.NaN);
            _ = column;
            for (var i = 0; i < n; i++)
            {
                c.Set(series, i, scores[i]);
            }
        }

        public IReadOnlyList<ExternalScoreColumn> Finish(string path)
        {
            if (_columns.Count == 0)
            {
                throw new ExternalScoresException(path, null, null, "no scores were read");
            }

            return _columns.Select(c => c.Build()).ToList();
        }

        public sealed class ColumnBuilder(string column, string? spec, double threshold, LabeledSeriesSet data)
        {
            private readonly double?[][] _scores = data.Series.Select(s => new double?[s.Count]).ToArray();
            private readonly bool[][] _present = data.Series.Select(s => new bool[s.Count]).ToArray();

            public string Column { get; } = column;

            public void Set(int series, int row, double? score)
            {
                _scores[series][row] = score;
                _present[series][row] = true;
            }

            public ExternalScoreColumn Build()
            {
                long missing = 0;
                foreach (var p in _present)
                {
                    foreach (var b in p) { if (!b) { missing++; } }
                }

                var s = spec ?? Column;
                var paren = s.IndexOf('(', StringComparison.Ordinal);
                return new ExternalScoreColumn(paren > 0 ? s[..paren] : s, s, threshold, _scores, missing);
            }
        }
    }
}
