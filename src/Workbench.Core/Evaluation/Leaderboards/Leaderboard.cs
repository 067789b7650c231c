using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Parquet;
using Parquet.Schema;
using Workbench.Evaluation.Runs;

using Workbench.Data;

namespace Workbench.Evaluation.Leaderboards;

/// <summary>
/// Detectors × datasets (and × anomaly kinds), ranked by one metric, with writers for a console table, Markdown, CSV,
/// JSON and Parquet. Optimistic columns are marked †, oracle columns ‡, and a row whose threshold was chosen from the
/// labels is marked ‡ on its detector (every flag-based figure of it is then an oracle result). See docs/METRICS.md.
/// </summary>
public sealed class Leaderboard
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DictionaryKeyPolicy = null,
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    private Leaderboard(IReadOnlyList<DetectorEvaluation> rows, LeaderboardColumn sortBy, IReadOnlyList<string> kinds)
    {
        Rows = rows;
        SortBy = sortBy;
        Kinds = kinds;
        (ParameterKeys, _parameters) = VariedParameters(rows);
    }

    private readonly IReadOnlyList<IReadOnlyDictionary<string, string>> _parameters;

    /// <summary>
    /// The parameters whose values differ between rows of the same detector family (a parameter grid), in first-seen
    /// order; nested ones by path (<c>forecaster.alpha</c>). Empty for an ordinary leaderboard, whose files then have no
    /// parameter columns. CSV and Parquet add <c>param:&lt;key&gt;</c> columns, JSON a <c>parameters</c> object per row.
    /// </summary>
    public IReadOnlyList<string> ParameterKeys { get; }

    /// <summary>The value of parameter <paramref name="key"/> in row <paramref name="row"/>, or null where the row's spec has none.</summary>
    public string? Parameter(int row, string key) => _parameters[row].GetValueOrDefault(key);

    /// <summary>
    /// The best row of each detector family (same dataset and detector name) by <see cref="SortBy"/>, ranked. Choosing the best
    /// grid point on the labels it is scored on is an <b>oracle</b> selection: report it as such, or select on other series
    /// (<c>evaluate --select-on</c>).
    /// </summary>
    public Leaderboard BestPerFamily() =>
        Create(Rows.GroupBy(r => (r.Dataset, r.Name)).Select(g => g.First()), SortBy.Key);

    private static (IReadOnlyList<string> Keys, IReadOnlyList<IReadOnlyDictionary<string, string>> Values) VariedParameters(IReadOnlyList<DetectorEvaluation> rows)
    {
        var values = rows.Select(r =>
        {
            try
            {
                return (IReadOnlyDictionary<string, string>)Operators.Specs.SpecParameters.Flatten(r.Detector).ToDictionary(StringComparer.Ordinal);
            }
            catch (Operators.Specs.OperatorSpecException)
            {
                return new Dictionary<string, string>(StringComparer.Ordinal); // a spec from elsewhere (external scores): no parameters
            }
        }).ToList();
        var keys = new List<string>();
        foreach (var family in rows.Select((r, i) => (r, i)).GroupBy(x => (x.r.Dataset, x.r.Name)))
        {
            var members = family.Select(x => values[x.i]).ToList();
            if (members.Count < 2)
            {
                continue;
            }

            foreach (var key in Operators.Specs.SpecParameters.Flatten(family.First().r.Detector).Select(k => k.Key)
                .Concat(members.SelectMany(m => m.Keys)).Distinct(StringComparer.Ordinal))
            {
                if (!keys.Contains(key) && members.Select(m => m.GetValueOrDefault(key)).Distinct(StringComparer.Ordinal).Skip(1).Any())
                {
                    keys.Add(key);
                }
            }
        }

        return (keys, values);
    }

    /// <summary>The rows, best first by <see cref="SortBy"/> (undefined values last; ties by dataset, then detector spec).</summary>
    public IReadOnlyList<DetectorEvaluation> Rows { get; }

    /// <summary>The metric the rows are ranked by.</summary>
    public LeaderboardColumn SortBy { get; }

    /// <summary>The anomaly kinds present in any row, in ordinal order.</summary>
    public IReadOnlyList<string> Kinds { get; }

    /// <summary>The metric columns that apply to these rows (the NAB columns only when a row has NAB scores).</summary>
    public IReadOnlyList<LeaderboardColumn> MetricColumns => LeaderboardColumn.All.Where(c => c.AppliesTo(Rows)).ToList();

    /// <summary>True when there is more than one dataset (tables then show a dataset column).</summary>
    public bool MultipleDatasets => Rows.Select(r => r.Dataset).Distinct(StringComparer.Ordinal).Skip(1).Any();

    /// <summary>Ranks <paramref name="evaluations"/> by the metric with JSON key <paramref name="sortBy"/> (default <c>f1</c>).</summary>
    /// <exception cref="ArgumentException">Unknown metric key (the message lists the valid ones).</exception>
    public static Leaderboard Create(IEnumerable<DetectorEvaluation> evaluations, string sortBy = "f1")
    {
        ArgumentNullException.ThrowIfNull(evaluations);
        var column = LeaderboardColumn.ByKey(sortBy);
        var rows = evaluations.ToList();
        var sign = column.HigherIsBetter ? -1 : 1;
        var ordered = rows
            .OrderBy(r => column.Value(r) is { } v && !double.IsNaN(v) ? 0 : 1)
            .ThenBy(r => column.Value(r) is { } v && !double.IsNaN(v) ? sign * v : 0)
            .ThenBy(r => r.Dataset, StringComparer.Ordinal)
            .ThenBy(r => r.Detector, StringComparer.Ordinal)
            .ToList();
        var kinds = rows.SelectMany(r => r.ByKind.Keys).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return new Leaderboard(ordered, column, kinds);
    }

    /// <summary>A plain-text table for the console: the main metrics, then event recall per kind, then the legend.</summary>
    public string ToText()
    {
        var columns = LeaderboardColumn.Console.Where(c => c.AppliesTo(Rows)).ToList();
        var header = new List<string> { "#" };
        if (MultipleDatasets) { header.Add("dataset"); }
        header.Add("detector");
        header.AddRange(columns.Select(c => c.Key == SortBy.Key ? c.MarkedHeader + " ▼" : c.MarkedHeader));
        var body = Rows.Select((r, i) =>
        {
            var cells = new List<string> { (i + 1).ToString(CultureInfo.InvariantCulture) };
            if (MultipleDatasets) { cells.Add(r.Dataset); }
            cells.Add(RowLabel(r));
            cells.AddRange(columns.Select(c => Cell(c, r)));
            return cells;
        }).ToList();
        var sb = new StringBuilder();
        AppendAligned(sb, header, body, firstText: 1, rightAlignFrom: MultipleDatasets ? 3 : 2);
        if (Kinds.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("Event recall by anomaly kind (detected/events, mean delay in rows):");
            var kindHeader = new List<string>();
            if (MultipleDatasets) { kindHeader.Add("dataset"); }
            kindHeader.Add("detector");
            kindHeader.AddRange(Kinds);
            var kindBody = Rows.Select(r =>
            {
                var cells = new List<string>();
                if (MultipleDatasets) { cells.Add(r.Dataset); }
                cells.Add(RowLabel(r));
                cells.AddRange(Kinds.Select(k => KindCell(r, k)));
                return cells;
            }).ToList();
            AppendAligned(sb, kindHeader, kindBody, firstText: 0, rightAlignFrom: MultipleDatasets ? 2 : 1);
        }

        sb.AppendLine();
        AppendLegend(sb, markdown: false);
        return sb.ToString();
    }

    /// <summary>GitHub-flavoured Markdown: the full metric table, the per-kind table, and the legend.</summary>
    public string ToMarkdown()
    {
        var sb = new StringBuilder();
        var columns = LeaderboardColumn.All.Where(c => c.AppliesTo(Rows)).ToList();
        sb.Append("| # |");
        if (MultipleDatasets) { sb.Append(" dataset |"); }
        sb.Append(" detector | threshold |");
        foreach (var c in columns) { sb.Append(' ').Append(c.Key == SortBy.Key ? $"**{c.MarkedHeader}** ▼" : c.MarkedHeader).Append(" |"); }
        sb.AppendLine();
        sb.Append("|---:|");
        if (MultipleDatasets) { sb.Append("---|"); }
        sb.Append("---|---|");
        foreach (var unused in columns) { sb.Append("---:|"); }
        sb.AppendLine();
        for (var i = 0; i < Rows.Count; i++)
        {
            var r = Rows[i];
            sb.Append(CultureInfo.InvariantCulture, $"| {i + 1} |");
            if (MultipleDatasets) { sb.Append(' ').Append(EscapeMarkdown(r.Dataset)).Append(" |"); }
            sb.Append(" `").Append(r.Detector.Replace("`", "'", StringComparison.Ordinal)).Append('`');
            if (r.ThresholdIsOracle) { sb.Append(" ‡"); }
            sb.Append(" | ").Append(EscapeMarkdown(ThresholdText(r))).Append(" |");
            foreach (var c in columns) { sb.Append(' ').Append(Cell(c, r)).Append(" |"); }
            sb.AppendLine();
        }

        if (Kinds.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("Event recall by anomaly kind (detected/events, mean delay in rows):");
            sb.AppendLine();
            sb.Append('|');
            if (MultipleDatasets) { sb.Append(" dataset |"); }
            sb.Append(" detector |");
            foreach (var k in Kinds) { sb.Append(' ').Append(EscapeMarkdown(k)).Append(" |"); }
            sb.AppendLine();
            sb.Append('|');
            if (MultipleDatasets) { sb.Append("---|"); }
            sb.Append("---|");
            foreach (var unused in Kinds) { sb.Append("---:|"); }
            sb.AppendLine();
            foreach (var r in Rows)
            {
                sb.Append('|');
                if (MultipleDatasets) { sb.Append(' ').Append(EscapeMarkdown(r.Dataset)).Append(" |"); }
                sb.Append(' ').Append(EscapeMarkdown(RowLabel(r))).Append(" |");
                foreach (var k in Kinds) { sb.Append(' ').Append(KindCell(r, k)).Append(" |"); }
                sb.AppendLine();
            }
        }

        sb.AppendLine();
        AppendLegend(sb, markdown: true);
        return sb.ToString();
    }

    /// <summary>
    /// CSV (RFC 4180, invariant culture, full precision): one row per dataset × detector in rank order; metric headers
    /// are JSON keys with <c>[optimistic]</c>/<c>[oracle]</c> appended where marked; then <c>recall:&lt;kind&gt;</c> and
    /// <c>delay:&lt;kind&gt;</c> per kind. Empty cell = undefined.
    /// </summary>
    public string ToCsv()
    {
        var sb = new StringBuilder();
        var header = new List<string> { "rank", "dataset", "detector", "name", "thresholdStrategy", "threshold", "thresholdIsOracle", "rows", "scored", "flagged", "events", "eventsDetected" };
        header.AddRange(MetricColumns.Select(c => c.MarkedKey));
        header.Add("falseAlarmsPerDay");
        header.Add("medianDelay");
        header.Add("meanDelaySeconds");
        header.AddRange(Kinds.SelectMany(k => new[] { $"recall:{k}", $"delay:{k}" }));
        header.AddRange(ParameterKeys.Select(k => "param:" + k));
        sb.AppendLine(string.Join(',', header.Select(Csv)));
        for (var i = 0; i < Rows.Count; i++)
        {
            var r = Rows[i];
            var cells = new List<string>
            {
                (i + 1).ToString(CultureInfo.InvariantCulture), r.Dataset, r.Detector, r.Name, r.ThresholdStrategy, Full(r.Threshold),
                r.ThresholdIsOracle ? "true" : "false", Full(r.Rows), Full(r.Scored), Full(r.Flagged), Full(r.Events), Full(r.EventsDetected),
            };
            cells.AddRange(MetricColumns.Select(c => Full(c.Value(r))));
            cells.Add(Full(r.FalseAlarmsPerDay));
            cells.Add(Full(r.MedianDelay));
            cells.Add(Full(r.MeanDelaySeconds));
            foreach (var k in Kinds)
            {
                var kind = r.ByKind.GetValueOrDefault(k);
                cells.Add(Full(kind?.Recall));
                cells.Add(Full(kind?.MeanDelay));
            }

            cells.AddRange(ParameterKeys.Select(k => Parameter(i, k) ?? string.Empty));
            sb.AppendLine(string.Join(',', cells.Select(Csv)));
        }

        return sb.ToString();
    }

    /// <summary>
    /// JSON: <c>{"sortBy", "marks": {"optimistic": [...], "oracle": [...]}, "detectors": [ {rank, dataset, detector, …
    /// every metric under its key …, byKind} ]}</c>, rows in rank order; undefined figures are <c>null</c>.
    /// </summary>
    public string ToJson()
    {
        var document = new
        {
            SortBy = SortBy.Key,
            Marks = new
            {
                Optimistic = LeaderboardColumn.All.Where(c => c.Mark == MetricMark.Optimistic).Select(c => c.Key).ToList(),
                Oracle = new[] { "oracleF1", "oracleThreshold", "nab" },
                OracleRowsNote = "A detector whose thresholdIsOracle is true had its threshold chosen from these labels: all its flag-based metrics are oracle results.",
            },
            Detectors = new JsonArray(),
        };
        var root = JsonSerializer.SerializeToNode(document, JsonOptions)!.AsObject();
        var detectors = root["detectors"]!.AsArray();
        for (var i = 0; i < Rows.Count; i++)
        {
            var row = JsonSerializer.SerializeToNode(Rows[i], JsonOptions)!.AsObject();
            var ranked = new JsonObject { ["rank"] = i + 1 };
            foreach (var (key, value) in row.ToList())
            {
                row.Remove(key);
                ranked[key] = value;
            }

            if (ParameterKeys.Count > 0)
            {
                var parameters = new JsonObject();
                foreach (var key in ParameterKeys)
                {
                    parameters[key] = Parameter(i, key);
                }

                ranked["parameters"] = parameters;
            }

            detectors.Add(ranked);
        }

        return root.ToJsonString(JsonOptions);
    }

    /// <summary>Writes the CSV columns as a Parquet file (one row group; string, bool, long and nullable double columns).</summary>
    public async Task WriteParquetAsync(string path, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var metricFields = MetricColumns.Select(c => new DataField<double?>(c.MarkedKey)).ToList();
        var kindFields = Kinds.SelectMany(k => new[] { new DataField<double?>($"recall:{k}"), new DataField<double?>($"delay:{k}") }).ToList();
        var rank = new DataField<int>("rank");
        var dataset = new DataField<string>("dataset", nullable: false);
        var detector = new DataField<string>("detector", nullable: false);
        var name = new DataField<string>("name", nullable: false);
        var strategy = new DataField<string>("thresholdStrategy", nullable: false);
        var threshold = new DataField<double>("threshold");
        var oracle = new DataField<bool>("thresholdIsOracle");
        var rows = new DataField<long>("rows");
        var scored = new DataField<long>("scored");
        var flagged = new DataField<long>("flagged");
        var events = new DataField<int>("events");
        var detected = new DataField<int>("eventsDetected");
        var perDay = new DataField<double?>("falseAlarmsPerDay");
        var median = new DataField<double?>("medianDelay");
        var seconds = new DataField<double?>("meanDelaySeconds");
        var fields = new List<Field> { rank, dataset, detector, name, strategy, threshold, oracle, rows, scored, flagged, events, detected };
        fields.AddRange(metricFields);
        fields.AddRange([perDay, median, seconds]);
        fields.AddRange(kindFields);
        var parameterFields = ParameterKeys.Select(k => new DataField<string>("param:" + k, nullable: true)).ToList();
        fields.AddRange(parameterFields);
        var schema = new ParquetSchema(fields);

        // Encoded in memory (a leaderboard is small), then written through a temporary file renamed over the target.
        using var stream = new MemoryStream();
        await using (var writer = await ParquetWriter.CreateAsync(schema, stream, cancellationToken: ct).ConfigureAwait(false))
        {
            await WriteRowsAsync(writer, rank, dataset, detector, name, strategy, threshold, oracle, rows, scored, flagged, events, detected, metricFields, perDay, median, seconds, kindFields, parameterFields, ct).ConfigureAwait(false);
        }

        var bytes = stream.ToArray();
        await SafeFile.WriteAsync(path, (file, token) => file.WriteAsync(bytes, token).AsTask(), ct).ConfigureAwait(false);
    }

    private async Task WriteRowsAsync(
        ParquetWriter writer, DataField<int> rank, DataField<string> dataset, DataField<string> detector, DataField<string> name,
        DataField<string> strategy, DataField<double> threshold, DataField<bool> oracle, DataField<long> rows, DataField<long> scored,
        DataField<long> flagged, DataField<int> events, DataField<int> detected, List<DataField<double?>> metricFields,
        DataField<double?> perDay, DataField<double?> median, DataField<double?> seconds, List<DataField<double?>> kindFields,
        List<DataField<string>> parameterFields, CancellationToken ct)
    {
        writer.CustomMetadata = new Dictionary<string, string>
        {
            ["workbench.leaderboard.sort_by"] = SortBy.Key,
            ["workbench.leaderboard.marks"] = "[optimistic]: known to flatter detectors (point adjustment); [oracle]: threshold chosen from these labels.",
        };
        using var rg = writer.CreateRowGroup();
        await rg.WriteAsync<int>(rank, Enumerable.Range(1, Rows.Count).ToArray(), null, null, ct).ConfigureAwait(false);
        await rg.WriteAsync(dataset, Rows.Select(r => r.Dataset).ToArray(), null).ConfigureAwait(false);
        await rg.WriteAsync(detector, Rows.Select(r => r.Detector).ToArray(), null).ConfigureAwait(false);
        await rg.WriteAsync(name, Rows.Select(r => r.Name).ToArray(), null).ConfigureAwait(false);
        await rg.WriteAsync(strategy, Rows.Select(r => r.ThresholdStrategy).ToArray(), null).ConfigureAwait(false);
        await rg.WriteAsync<double>(threshold, Rows.Select(r => r.Threshold).ToArray(), null, null, ct).ConfigureAwait(false);
        await rg.WriteAsync<bool>(oracle, Rows.Select(r => r.ThresholdIsOracle).ToArray(), null, null, ct).ConfigureAwait(false);
        await rg.WriteAsync<long>(rows, Rows.Select(r => r.Rows).ToArray(), null, null, ct).ConfigureAwait(false);
        await rg.WriteAsync<long>(scored, Rows.Select(r => r.Scored).ToArray(), null, null, ct).ConfigureAwait(false);
        await rg.WriteAsync<long>(flagged, Rows.Select(r => r.Flagged).ToArray(), null, null, ct).ConfigureAwait(false);
        await rg.WriteAsync<int>(events, Rows.Select(r => r.Events).ToArray(), null, null, ct).ConfigureAwait(false);
        await rg.WriteAsync<int>(detected, Rows.Select(r => r.EventsDetected).ToArray(), null, null, ct).ConfigureAwait(false);
        for (var c = 0; c < metricFields.Count; c++)
        {
            var column = MetricColumns[c];
            await rg.WriteAsync<double>(metricFields[c], Rows.Select(column.Value).ToArray(), null, null, ct).ConfigureAwait(false);
        }

        await rg.WriteAsync<double>(perDay, Rows.Select(r => r.FalseAlarmsPerDay).ToArray(), null, null, ct).ConfigureAwait(false);
        await rg.WriteAsync<double>(median, Rows.Select(r => r.MedianDelay).ToArray(), null, null, ct).ConfigureAwait(false);
        await rg.WriteAsync<double>(seconds, Rows.Select(r => r.MeanDelaySeconds).ToArray(), null, null, ct).ConfigureAwait(false);
        for (var k = 0; k < Kinds.Count; k++)
        {
            var kind = Kinds[k];
            await rg.WriteAsync<double>(kindFields[2 * k], Rows.Select(r => r.ByKind.GetValueOrDefault(kind)?.Recall).ToArray(), null, null, ct).ConfigureAwait(false);
            await rg.WriteAsync<double>(kindFields[(2 * k) + 1], Rows.Select(r => r.ByKind.GetValueOrDefault(kind)?.MeanDelay).ToArray(), null, null, ct).ConfigureAwait(false);
        }

        for (var p = 0; p < parameterFields.Count; p++)
        {
            var key = ParameterKeys[p];
            await rg.WriteAsync(parameterFields[p], Enumerable.Range(0, Rows.Count).Select(i => Parameter(i, key)).ToArray(), null).ConfigureAwait(false);
        }
    }

    private static string RowLabel(DetectorEvaluation r) => r.ThresholdIsOracle ? r.Name + " ‡" : r.Name;

    private static string ThresholdText(DetectorEvaluation r) =>
        string.Create(CultureInfo.InvariantCulture, $"{r.ThresholdStrategy} = {r.Threshold:G6}");

    private static string Cell(LeaderboardColumn c, DetectorEvaluation r) =>
        c.Value(r) is { } v && !double.IsNaN(v) ? v.ToString(c.Format, CultureInfo.InvariantCulture) : "–";

    private static string KindCell(DetectorEvaluation r, string kind)
    {
        if (!r.ByKind.TryGetValue(kind, out var k)) { return "–"; }
        var delay = k.MeanDelay is { } d ? d.ToString("F1", CultureInfo.InvariantCulture) : "–";
        return string.Create(CultureInfo.InvariantCulture, $"{k.Detected}/{k.Events} ({delay})");
    }

    private static string Full(double? v) => v is { } x ? x.ToString("R", CultureInfo.InvariantCulture) : "";

    private static string Full(long v) => v.ToString(CultureInfo.InvariantCulture);

    private static string Csv(string cell) =>
        cell.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell;

    private static string EscapeMarkdown(string text) =>
        text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("|", "\\|", StringComparison.Ordinal)
            .Replace("<", "&lt;", StringComparison.Ordinal).Replace(">", "&gt;", StringComparison.Ordinal);

    private void AppendLegend(StringBuilder sb, bool markdown)
    {
        var bullet = markdown ? "- " : "  ";
        sb.AppendLine(CultureInfo.InvariantCulture, $"{bullet}Ranked by {SortBy.Key} ({(SortBy.HigherIsBetter ? "higher" : "lower")} is better); – = undefined.");
        sb.AppendLine($"{bullet}† optimistic: point adjustment counts a whole event as found when any of its points is flagged; it flatters detectors (even random flags score well).");
        sb.AppendLine($"{bullet}‡ oracle: the threshold was chosen on these labels (best F1; for NAB, its corpus-wide threshold sweep); an upper bound, not an achievable result.");
        if (Rows.Any(r => r.ThresholdIsOracle))
        {
            sb.AppendLine($"{bullet}A detector marked ‡ was flagged at an oracle threshold: all its flag-based figures are oracle results.");
        }
    }

    private static void AppendAligned(StringBuilder sb, List<string> header, List<List<string>> body, int firstText, int rightAlignFrom)
    {
        var widths = header.Select((h, c) => Math.Max(h.Length, body.Count == 0 ? 0 : body.Max(r => r[c].Length))).ToArray();
        void Line(List<string> cells)
        {
            for (var c = 0; c < cells.Count; c++)
            {
                if (c > 0) { sb.Append("  "); }
                sb.Append(c >= rightAlignFrom || c < firstText ? cells[c].PadLeft(widths[c]) : cells[c].PadRight(widths[c]));
            }

            sb.AppendLine();
        }

        Line(header);
        sb.AppendLine(new string('-', widths.Sum() + (2 * (widths.Length - 1))));
        foreach (var row in body) { Line(row); }
    }
}
