using System.Globalization;
using System.Text.Json;

namespace Workbench.Import;

/// <summary>
/// The Numenta Anomaly Benchmark corpus as it lies on disk: <c>data/&lt;category&gt;/&lt;name&gt;.csv</c> files with
/// a <c>timestamp,value</c> header, and <c>labels/combined_windows.json</c> mapping each file (its path under
/// <c>data/</c>) to its labelled windows. Rows are kept exactly as the files have them, in file order.
/// NAB timestamps carry no zone; Workbench reads them as UTC.
/// </summary>
public sealed class NabCorpus
{
    /// <summary>Timestamp format of the data files.</summary>
    public const string DataTimestampFormat = "yyyy-MM-dd HH:mm:ss";

    /// <summary>Timestamp format of the label windows.</summary>
    public const string LabelTimestampFormat = "yyyy-MM-dd HH:mm:ss.ffffff";

    private NabCorpus(string root, IReadOnlyList<NabFile> files)
    {
        Root = root;
        Files = files;
    }

    /// <summary>The corpus root (the folder holding <c>data/</c> and <c>labels/</c>).</summary>
    public string Root { get; }

    /// <summary>The data files, ordered by their key (ordinal).</summary>
    public IReadOnlyList<NabFile> Files { get; }

    /// <summary>The number of rows over all files.</summary>
    public long RowCount => Files.Sum(f => (long)f.Count);

    /// <summary>The number of labelled windows over all files.</summary>
    public int WindowCount => Files.Sum(f => f.Windows.Count);

    /// <summary>
    /// Loads every data file under <c>&lt;root&gt;/data</c> and the windows from <paramref name="labelsPath"/>
    /// (default <c>&lt;root&gt;/labels/combined_windows.json</c>).
    /// </summary>
    /// <exception cref="NabFormatException">A file or the labels are malformed, or they do not match each other.</exception>
    public static NabCorpus Load(string root, string? labelsPath = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        var dataDir = Path.Combine(root, "data");
        if (!Directory.Exists(dataDir))
        {
            throw new NabFormatException(root, null, null, $"no data folder at {dataDir}");
        }

        labelsPath ??= Path.Combine(root, "labels", "combined_windows.json");
        var windows = ReadWindows(labelsPath);
        var paths = Directory.GetFiles(dataDir, "*.csv", SearchOption.AllDirectories);
        var keys = paths.Select(p => Path.GetRelativePath(dataDir, p).Replace('\\', '/')).ToArray();
        Array.Sort(keys, paths, StringComparer.Ordinal);
        if (keys.Length == 0)
        {
            throw new NabFormatException(dataDir, null, null, "no .csv files found");
        }

        var files = new NabFile[keys.Length];
        for (var i = 0; i < keys.Length; i++)
        {
            if (!windows.Remove(keys[i], out var fileWindows))
            {
                throw new NabFormatException(labelsPath, null, null, $"the labels have no entry for data file '{keys[i]}'");
            }

            files[i] = ReadFile(paths[i], keys[i], fileWindows);
        }

        if (windows.Count > 0)
        {
            throw new NabFormatException(labelsPath, null, null,
                $"the labels name {windows.Count} file(s) absent from the data folder, e.g. '{windows.Keys.Order(StringComparer.Ordinal).First()}'");
        }

        return new NabCorpus(root, files);
    }

    /// <summary>Reads one NAB data file (<c>timestamp,value</c>) with the given windows.</summary>
    public static NabFile ReadFile(string path, string key, IReadOnlyList<NabWindow> windows)
    {
        var timestamps = new List<DateTime>(4096);
        var values = new List<double>(4096);
        using var reader = new StreamReader(path);
        var header = reader.ReadLine();
        if (header is null || header.Trim() != "timestamp,value")
        {
            throw new NabFormatException(path, 1, "header", $"expected header 'timestamp,value' but found '{header}'");
        }

        var line = 1L;
        while (reader.ReadLine() is { } text)
        {
            line++;
            if (text.Length == 0)
            {
                continue;
            }

            var comma = text.IndexOf(',', StringComparison.Ordinal);
            if (comma < 0)
            {
                throw new NabFormatException(path, line, "value", $"expected 'timestamp,value' but found '{text}'");
            }

            var ts = text.AsSpan(0, comma);
            if (!DateTime.TryParseExact(ts, DataTimestampFormat, CultureInfo.InvariantCulture,
                    DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var timestamp))
            {
                throw new NabFormatException(path, line, "timestamp", $"'{ts}' is not a '{DataTimestampFormat}' timestamp");
            }

            var vs = text.AsSpan(comma + 1);
            if (!double.TryParse(vs, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || !double.IsFinite(value))
            {
                throw new NabFormatException(path, line, "value", $"'{vs}' is not a finite number");
            }

            timestamps.Add(timestamp);
            values.Add(value);
        }

        return new NabFile(key, timestamps.ToArray(), values.ToArray(), windows);
    }

    /// <summary>Reads a NAB windows file: file key → list of [start, end] pairs (inclusive).</summary>
    public static Dictionary<string, IReadOnlyList<NabWindow>> ReadWindows(string labelsPath)
    {
        if (!File.Exists(labelsPath))
        {
            throw new NabFormatException(labelsPath, null, null, "labels file not found");
        }

        using var stream = File.OpenRead(labelsPath);
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(stream);
        }
        catch (JsonException e)
        {
            throw new NabFormatException(labelsPath, e.LineNumber + 1, null, $"invalid JSON: {e.Message}");
        }

        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new NabFormatException(labelsPath, null, null, "expected an object mapping file paths to window lists");
            }

            var result = new Dictionary<string, IReadOnlyList<NabWindow>>(StringComparer.Ordinal);
            foreach (var file in doc.RootElement.EnumerateObject())
            {
                if (file.Value.ValueKind != JsonValueKind.Array)
                {
                    throw new NabFormatException(labelsPath, null, file.Name, "expected a list of [start, end] pairs");
                }

                var list = new List<NabWindow>();
                foreach (var pair in file.Value.EnumerateArray())
                {
                    if (pair.ValueKind != JsonValueKind.Array || pair.GetArrayLength() != 2)
                    {
                        throw new NabFormatException(labelsPath, null, $"{file.Name}[{list.Count}]", "expected a [start, end] pair");
                    }

                    var start = ParseLabelTime(labelsPath, file.Name, list.Count, pair[0]);
                    var end = ParseLabelTime(labelsPath, file.Name, list.Count, pair[1]);
                    if (end < start)
                    {
                        throw new NabFormatException(labelsPath, null, $"{file.Name}[{list.Count}]", "window end is before its start");
                    }

                    list.Add(new NabWindow(start, end));
                }

                result.Add(file.Name, list);
            }

            return result;
        }
    }

    private static DateTime ParseLabelTime(string path, string key, int index, JsonElement element)
    {
        var text = element.ValueKind == JsonValueKind.String ? element.GetString() : null;
        if (text is null || !DateTime.TryParseExact(text, [LabelTimestampFormat, DataTimestampFormat], CultureInfo.InvariantCulture,
                DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t))
        {
            throw new NabFormatException(path, null, $"{key}[{index}]", $"'{element}' is not a '{LabelTimestampFormat}' timestamp");
        }

        return t;
    }
}

/// <summary>One labelled NAB window, both ends inclusive (UTC).</summary>
public readonly record struct NabWindow(DateTime Start, DateTime End)
{
    /// <summary>Whether <paramref name="timestamp"/> lies inside the window (ends inclusive).</summary>
    public bool Contains(DateTime timestamp) => timestamp >= Start && timestamp <= End;
}

/// <summary>One NAB data file, rows in file order.</summary>
/// <param name="Key">The path under <c>data/</c>, e.g. <c>realKnownCause/nyc_taxi.csv</c> (the labels' key).</param>
/// <param name="Timestamps">Row timestamps (UTC), as in the file (not always increasing: NAB keeps a few repeated rows).</param>
/// <param name="Values">Row values.</param>
/// <param name="Windows">The labelled windows, in the labels file's order (the window index is the anomaly id).</param>
public sealed record NabFile(string Key, DateTime[] Timestamps, double[] Values, IReadOnlyList<NabWindow> Windows)
{
    /// <summary>The series id: the key without <c>.csv</c>, e.g. <c>realKnownCause/nyc_taxi</c>.</summary>
    public string Series => Key.EndsWith(".csv", StringComparison.Ordinal) ? Key[..^4] : Key;

    /// <summary>The number of rows.</summary>
    public int Count => Timestamps.Length;

    /// <summary>The index of the window containing <paramref name="timestamp"/>, or -1.</summary>
    public int WindowIndexOf(DateTime timestamp)
    {
        for (var w = 0; w < Windows.Count; w++)
        {
            if (Windows[w].Contains(timestamp))
            {
                return w;
            }
        }

        return -1;
    }
}

/// <summary>A malformed NAB file or labels file; names the file, line and field where known.</summary>
public sealed class NabFormatException(string filePath, long? line, string? field, string reason)
    : Exception($"{filePath}{(line is { } l ? $": line {l}" : "")}{(field is null ? "" : $": field '{field}'")}: {reason}")
{
    public string FilePath { get; } = filePath;
    public long? Line { get; } = line;
    public string? Field { get; } = field;
    public string Reason { get; } = reason;
}
