using System.Globalization;
using System.Text.Json;
using Workbench.Import;

namespace Workbench.Evaluation.Nab;

/// <summary>
/// Reads detector outputs computed elsewhere in NAB's results layout (<c>nab-scoring.md</c> section 11):
/// <c>&lt;dir&gt;/&lt;category&gt;/&lt;detector&gt;_&lt;file&gt;.csv</c>, each CSV with a header holding at least
/// <c>timestamp</c> and <c>anomaly_score</c> (other columns are ignored), and NAB's thresholds file.
/// </summary>
public static class NabResultsReader
{
    private static readonly string[] TimestampFormats = [NabCorpus.DataTimestampFormat, NabCorpus.LabelTimestampFormat, "yyyy-MM-dd HH:mm:ss.FFFFFFF"];

    /// <summary>
    /// Reads every CSV in the category folders of <paramref name="resultsDir"/> and groups them by detector.
    /// A CSV <c>&lt;category&gt;/&lt;prefix&gt;_&lt;name&gt;.csv</c> belongs to labels key <c>&lt;category&gt;/&lt;name&gt;.csv</c>
    /// (the longest such key when several match) and to detector <c>&lt;prefix&gt;</c>. Files directly in
    /// <paramref name="resultsDir"/> (e.g. NAB's <c>*_scores.csv</c> summaries) are not read.
    /// </summary>
    /// <param name="resultsDir">The results folder of one or more detectors.</param>
    /// <param name="windows">The labels: file key → windows, e.g. from <see cref="NabCorpus.ReadWindows"/>.</param>
    /// <returns>Per detector (ordinal name order), its files in labels-key order.</returns>
    /// <exception cref="NabFormatException">
    /// The folder is missing or holds no CSV; a CSV matches no labels key; a column is missing; a cell is unparsable;
    /// a detector has two CSVs for one key or none for a labels key. The message names the file (and line/column).
    /// </exception>
    public static IReadOnlyList<(string Detector, NabFileInput[] Files)> Read(string resultsDir, IReadOnlyDictionary<string, IReadOnlyList<NabWindow>> windows)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(resultsDir);
        ArgumentNullException.ThrowIfNull(windows);
        if (!Directory.Exists(resultsDir))
        {
            throw new NabFormatException(resultsDir, null, null, "results folder not found");
        }

        var byDetector = new SortedDictionary<string, SortedDictionary<string, NabFileInput>>(StringComparer.Ordinal);
        foreach (var categoryDir in Directory.GetDirectories(resultsDir).Order(StringComparer.Ordinal))
        {
            var category = Path.GetFileName(categoryDir);
            foreach (var path in Directory.GetFiles(categoryDir, "*.csv").Order(StringComparer.Ordinal))
            {
                var (detector, key) = Match(path, category, windows);
                var files = byDetector.TryGetValue(detector, out var existing) ? existing : byDetector[detector] = new(StringComparer.Ordinal);
                if (files.ContainsKey(key))
                {
                    throw new NabFormatException(path, null, null, $"detector '{detector}' has two results files for '{key}'");
                }

                var (timestamps, scores) = ReadScores(path);
                files[key] = new NabFileInput(key, timestamps, scores, windows[key]);
            }
        }

        if (byDetector.Count == 0)
        {
            throw new NabFormatException(resultsDir, null, null, "no results CSV found in <dir>/<category>/<detector>_<file>.csv");
        }

        var result = new List<(string, NabFileInput[])>(byDetector.Count);
        foreach (var (detector, files) in byDetector)
        {
            var missing = windows.Keys.Where(k => !files.ContainsKey(k)).Order(StringComparer.Ordinal).FirstOrDefault();
            if (missing is not null)
            {
                throw new NabFormatException(resultsDir, null, null,
                    $"detector '{detector}' has no results file for labels key '{missing}' (expected {missing[..(missing.IndexOf('/', StringComparison.Ordinal) + 1)]}{detector}_{missing[(missing.IndexOf('/', StringComparison.Ordinal) + 1)..]})");
            }

            result.Add((detector, files.Values.ToArray()));
        }

        return result;
    }

    /// <summary>Reads the <c>timestamp</c> and <c>anomaly_score</c> columns of one results CSV (UTC timestamps, finite scores).</summary>
    /// <exception cref="NabFormatException">Missing header or column, a row with too few cells, or an unparsable cell; names file, line and column.</exception>
    public static (DateTime[] Timestamps, double[] Scores) ReadScores(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        using var reader = new StreamReader(path);
        var header = reader.ReadLine();
        if (header is null)
        {
            throw new NabFormatException(path, 1, "header", "the file is empty (expected a header with timestamp and anomaly_score)");
        }

        var names = header.Split(',');
        var tsColumn = Array.FindIndex(names, n => n.Trim() == "timestamp");
        var scoreColumn = Array.FindIndex(names, n => n.Trim() == "anomaly_score");
        if (tsColumn < 0 || scoreColumn < 0)
        {
            throw new NabFormatException(path, 1, tsColumn < 0 ? "timestamp" : "anomaly_score", $"missing column '{(tsColumn < 0 ? "timestamp" : "anomaly_score")}' in header '{header}'");
        }

        var timestamps = new List<DateTime>(4096);
        var scores = new List<double>(4096);
        var line = 1L;
        var needed = Math.Max(tsColumn, scoreColumn) + 1;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (text.Length == 0)
            {
                continue;
            }

            var cells = text.Split(',');
            if (cells.Length < needed)
            {
                throw new NabFormatException(path, line, null, $"expected at least {needed} cells but found {cells.Length} in '{text}'");
            }

            var ts = cells[tsColumn].Trim();
            if (!DateTime.TryParseExact(ts, TimestampFormats, CultureInfo.InvariantCulture,
                    DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var timestamp))
            {
                throw new NabFormatException(path, line, "timestamp", $"'{ts}' is not a '{NabCorpus.DataTimestampFormat}' timestamp");
            }

            var s = cells[scoreColumn].Trim();
            if (!double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var score) || !double.IsFinite(score))
            {
                throw new NabFormatException(path, line, "anomaly_score", $"'{s}' is not a finite number");
            }

            timestamps.Add(timestamp);
            scores.Add(score);
        }

        return (timestamps.ToArray(), scores.ToArray());
    }

    /// <summary>
    /// Reads NAB's thresholds file: detector name → profile name → object with a numeric <c>threshold</c> field
    /// (other fields, e.g. <c>score</c>, are ignored).
    /// </summary>
    /// <exception cref="NabFormatException">The file is missing, not JSON, or not in that shape; names the key.</exception>
    public static Dictionary<string, Dictionary<string, double>> ReadThresholds(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
        {
            throw new NabFormatException(path, null, null, "thresholds file not found");
        }

        JsonDocument doc;
        using (var stream = File.OpenRead(path))
        {
            try
            {
                doc = JsonDocument.Parse(stream);
            }
            catch (JsonException e)
            {
                throw new NabFormatException(path, e.LineNumber + 1, null, $"invalid JSON: {e.Message}");
            }
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new NabFormatException(path, null, null, "expected an object: detector → profile → {\"threshold\": θ}");
            }

            var result = new Dictionary<string, Dictionary<string, double>>(StringComparer.Ordinal);
            foreach (var detector in doc.RootElement.EnumerateObject())
            {
                if (detector.Value.ValueKind != JsonValueKind.Object)
                {
                    throw new NabFormatException(path, null, detector.Name, "expected an object: profile → {\"threshold\": θ}");
                }

                var profiles = new Dictionary<string, double>(StringComparer.Ordinal);
                foreach (var profile in detector.Value.EnumerateObject())
                {
                    if (profile.Value.ValueKind != JsonValueKind.Object
                        || !profile.Value.TryGetProperty("threshold", out var t)
                        || t.ValueKind != JsonValueKind.Number
                        || !double.IsFinite(t.GetDouble()))
                    {
                        throw new NabFormatException(path, null, $"{detector.Name}.{profile.Name}", "expected an object with a finite numeric 'threshold'");
                    }

                    profiles[profile.Name] = t.GetDouble();
                }

                result[detector.Name] = profiles;
            }

            return result;
        }
    }

    private static (string Detector, string Key) Match(string path, string category, IReadOnlyDictionary<string, IReadOnlyList<NabWindow>> windows)
    {
        var fileName = Path.GetFileName(path);
        string? bestKey = null;
        string? bestDetector = null;
        var prefix = category + "/";
        foreach (var key in windows.Keys)
        {
            if (!key.StartsWith(prefix, StringComparison.Ordinal))
            {
                continue;
            }

            var name = key[prefix.Length..];
            if (fileName.Length > name.Length + 1
                && fileName.EndsWith(name, StringComparison.Ordinal)
                && fileName[fileName.Length - name.Length - 1] == '_'
                && (bestKey is null || name.Length > bestKey.Length - prefix.Length))
            {
                bestKey = key;
                bestDetector = fileName[..(fileName.Length - name.Length - 1)];
            }
        }

        if (bestKey is null)
        {
            throw new NabFormatException(path, null, null,
                $"matches no labels key: expected '{category}/<detector>_<file>.csv' with '{category}/<file>.csv' in the labels");
        }

        return (bestDetector!, bestKey);
    }
}
