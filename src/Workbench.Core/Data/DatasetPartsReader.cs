using System.Globalization;
using System.Runtime.CompilerServices;
using Workbench.Core;

namespace Workbench.Data;

/// <summary>
/// Reads a dataset given as a file, a part folder or a glob (<see cref="DatasetLocation"/>) as one dataset: the parts
/// one after the other, each through its own <see cref="LabeledDatasetReader"/> (which validates and verifies it as it
/// would a single file), so the batches come in the same order and with the same values as from the single file
/// holding the same rows.
/// </summary>
/// <remarks>
/// <para>Opening reads every part's footer and checks that the parts are one dataset: the same series table, recipe
/// and labels declaration. Reading checks at each part boundary that the first row of a part comes after the last row
/// of the one before in canonical order (timestamp, then <c>series_id</c>; an equal row only where the part declares
/// kept duplicates), so parts that overlap or are out of order fail with one line naming both parts. Only one part
/// is open while reading.</para>
/// <para>For a single file this is a thin layer over one <see cref="LabeledDatasetReader"/>.</para>
/// <para>Not thread-safe: one pass at a time.</para>
/// </remarks>
public sealed class DatasetPartsReader : IAsyncDisposable, IDisposable
{
    private readonly DatasetReaderOptions _options;
    private readonly PartInfo[] _parts;
    private LabeledDatasetReader? _single;
    private LabeledDatasetReader? _open;
    private DatasetReadReport _done = new(0, 0, 0, 0);
    private int _doneVerified;

    private DatasetPartsReader(DatasetLocation location, DatasetReaderOptions options, PartInfo[] parts, LabeledDatasetReader? single)
    {
        Location = location;
        _options = options;
        _parts = parts;
        _single = single;
        var first = parts[0];
        SeriesNames = first.SeriesNames;
        Recipe = first.Recipe;
        IsUnlabelled = first.IsUnlabelled;
        RowCount = parts.Sum(p => p.RowCount);
        RowGroupCount = parts.Sum(p => p.RowGroupCount);
        HasIntegrityDigests = parts.All(p => p.HasDigests);
        RecordedChunks = parts.Sum(p => p.RecordedChunks);
        KeepsDuplicateTimestamps = parts.Any(p => p.KeepsDuplicates);
    }

    /// <summary>Where the dataset is, and its part files.</summary>
    public DatasetLocation Location { get; }

    /// <summary>The location as given (the file, folder or glob).</summary>
    public string FilePath => Location.Location;

    /// <summary>The part files in order (one for a plain file).</summary>
    public IReadOnlyList<string> Parts => Location.Parts;

    /// <summary>The reader options of every part.</summary>
    public DatasetReaderOptions Options => _options;

    /// <summary>The series table shared by every part.</summary>
    public IReadOnlyList<string> SeriesNames { get; }

    /// <summary>How the data was made (the same in every part).</summary>
    public DatasetRecipe? Recipe { get; }

    /// <summary>Rows over all parts.</summary>
    public long RowCount { get; }

    /// <summary>Row groups over all parts.</summary>
    public int RowGroupCount { get; }

    /// <summary>Whether the data declares no ground truth (the same in every part).</summary>
    public bool IsUnlabelled { get; }

    /// <summary>Whether some part declares kept duplicate timestamps.</summary>
    public bool KeepsDuplicateTimestamps { get; }

    /// <summary>Whether every part carries integrity digests.</summary>
    public bool HasIntegrityDigests { get; }

    /// <summary>Column chunks with a recorded digest, over all parts.</summary>
    public int RecordedChunks { get; }

    /// <summary>Column chunks verified so far in the current pass, over all parts.</summary>
    public int VerifiedChunks => _doneVerified + (_open?.VerifiedChunks ?? 0);

    /// <summary>What the current pass has read so far, over all parts.</summary>
    public DatasetReadReport Report => _open is { } r ? Add(_done, r.Report) : _done;

    /// <summary>Opens the dataset at <paramref name="location"/> (a file, part folder or glob) and checks its parts belong together.</summary>
    /// <exception cref="FileNotFoundException">Nothing is at the location.</exception>
    /// <exception cref="DatasetFormatException">A part breaks the format, the parts differ (series table, recipe,
    /// labels), or the folder or glob holds no part.</exception>
    public static async Task<DatasetPartsReader> OpenAsync(string location, DatasetReaderOptions? options = null, CancellationToken ct = default)
    {
        options ??= DatasetReaderOptions.Default;
        options.Validate();
        var resolved = DatasetLocation.Resolve(location);
        if (!resolved.IsMultiPart)
        {
            var reader = await LabeledDatasetReader.OpenAsync(resolved.Parts[0], options, ct).ConfigureAwait(false);
            return new DatasetPartsReader(resolved, options, [PartInfo.Of(reader)], reader);
        }

        var parts = new PartInfo[resolved.Parts.Count];
        for (var i = 0; i < parts.Length; i++)
        {
            await using var reader = await LabeledDatasetReader.OpenAsync(resolved.Parts[i], options, ct).ConfigureAwait(false);
            parts[i] = PartInfo.Of(reader);
            if (i > 0)
            {
                CheckSameDataset(parts[0], parts[i]);
            }
        }

        return new DatasetPartsReader(resolved, options, parts, null);
    }

    /// <summary>Synchronous <see cref="OpenAsync"/>.</summary>
    public static DatasetPartsReader Open(string location, DatasetReaderOptions? options = null) =>
        Task.Run(() => OpenAsync(location, options)).GetAwaiter().GetResult();

    /// <summary>The batches of every part in order (see <see cref="LabeledDatasetReader.ReadBatchesAsync"/>).</summary>
    /// <exception cref="DatasetFormatException">A row breaks the format, or a part does not follow the one before.</exception>
    public async IAsyncEnumerable<ObservationBatch> ReadBatchesAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        BeginPass();
        var boundary = new Boundary();
        for (var p = 0; p < _parts.Length; p++)
        {
            var reader = _single ?? await LabeledDatasetReader.OpenAsync(_parts[p].Path, _options, ct).ConfigureAwait(false);
            _open = reader;
            try
            {
                await foreach (var batch in reader.ReadBatchesAsync(ct).ConfigureAwait(false))
                {
                    boundary.Check(this, p, batch);
                    yield return batch;
                }
            }
            finally
            {
                if (EndPart(reader))
                {
                    await reader.DisposeAsync().ConfigureAwait(false);
                }
            }
        }
    }

    /// <summary>Synchronous twin of <see cref="ReadBatchesAsync"/> (each part through <see cref="LabeledDatasetReader.ReadBatches"/>).</summary>
    public IEnumerable<ObservationBatch> ReadBatches()
    {
        BeginPass();
        var boundary = new Boundary();
        for (var p = 0; p < _parts.Length; p++)
        {
            var reader = _single ?? LabeledDatasetReader.Open(_parts[p].Path, _options);
            _open = reader;
            try
            {
                foreach (var batch in reader.ReadBatches())
                {
                    boundary.Check(this, p, batch);
                    yield return batch;
                }
            }
            finally
            {
                if (EndPart(reader))
                {
                    reader.Dispose();
                }
            }
        }
    }

    /// <summary>The rows one by one.</summary>
    public IEnumerable<LabeledObservation> ReadObservations()
    {
        foreach (var batch in ReadBatches())
        {
            for (var i = 0; i < batch.Count; i++)
            {
                yield return batch[i];
            }
        }
    }

    /// <summary>Releases the open part.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_single is { } single)
        {
            _single = null;
            await single.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Synchronous <see cref="DisposeAsync"/>.</summary>
    public void Dispose() => Task.Run(() => DisposeAsync().AsTask()).GetAwaiter().GetResult();

    private void BeginPass()
    {
        _done = new DatasetReadReport(0, 0, 0, 0);
        _doneVerified = 0;
        _open = null;
    }

    /// <summary>Adds the part's counts to the pass; true when the part reader was opened for the pass (and must be disposed).</summary>
    private bool EndPart(LabeledDatasetReader reader)
    {
        _done = Add(_done, reader.Report);
        _doneVerified += reader.VerifiedChunks;
        _open = null;
        return !ReferenceEquals(reader, _single);
    }

    private static DatasetReadReport Add(DatasetReadReport a, DatasetReadReport b) =>
        new(a.RowsRead + b.RowsRead, a.RowsReturned + b.RowsReturned, a.SkippedOutOfOrder + b.SkippedOutOfOrder,
            a.SkippedDuplicates + b.SkippedDuplicates, a.KeptDuplicates + b.KeptDuplicates);

    private static void CheckSameDataset(PartInfo first, PartInfo part)
    {
        var firstName = Path.GetFileName(first.Path);
        if (!first.SeriesNames.SequenceEqual(part.SeriesNames, StringComparer.Ordinal))
        {
            throw new DatasetFormatException(part.Path, null, null, LabeledDatasetFormat.SeriesKey,
                string.Create(CultureInfo.InvariantCulture,
                    $"its series table ({part.SeriesNames.Count} series) differs from that of the first part {firstName} ({first.SeriesNames.Count} series): the parts are not one dataset"));
        }

        if (first.Recipe != part.Recipe)
        {
            throw new DatasetFormatException(part.Path, null, null, LabeledDatasetFormat.RecipeSpecKey,
                $"its recipe ({Describe(part.Recipe)}) differs from that of the first part {firstName} ({Describe(first.Recipe)}): the parts are not one dataset");
        }

        if (first.IsUnlabelled != part.IsUnlabelled)
        {
            throw new DatasetFormatException(part.Path, null, null, LabeledDatasetFormat.LabelsKey,
                $"it is {(part.IsUnlabelled ? "unlabelled" : "labelled")} and the first part {firstName} is {(first.IsUnlabelled ? "unlabelled" : "labelled")}: the parts are not one dataset");
        }
    }

    private static string Describe(DatasetRecipe? r) =>
        r is null ? "none" : string.Create(CultureInfo.InvariantCulture, $"{r.Source}, seed {r.Seed?.ToString(CultureInfo.InvariantCulture) ?? "none"}, workbench {r.ToolVersion}");

    private static string Format(long ticks) => new DateTime(ticks, DateTimeKind.Utc).ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    /// <summary>The metadata of one part, read when the dataset is opened.</summary>
    private sealed record PartInfo(
        string Path, IReadOnlyList<string> SeriesNames, DatasetRecipe? Recipe, long RowCount, int RowGroupCount, bool IsUnlabelled,
        bool HasDigests, int RecordedChunks, bool KeepsDuplicates)
    {
        public static PartInfo Of(LabeledDatasetReader r) =>
            new(r.FilePath, [.. r.SeriesNames], r.Recipe, r.RowCount, r.RowGroupCount, r.IsUnlabelled, r.HasIntegrityDigests, r.RecordedChunks, r.KeepsDuplicateTimestamps);
    }

    /// <summary>The last row handed out, to check the first row of the next part against it.</summary>
    private sealed class Boundary
    {
        private int _part = -1;
        private int _lastPart = -1;
        private long _lastTicks;
        private int _lastSeries;

        public void Check(DatasetPartsReader owner, int part, ObservationBatch batch)
        {
            if (batch.Count == 0)
            {
                return;
            }

            if (part != _part)
            {
                _part = part;
                if (_lastPart >= 0)
                {
                    var ticks = batch.Timestamps[0].Ticks;
                    var sid = batch.SeriesIds[0];
                    var order = ticks != _lastTicks ? ticks.CompareTo(_lastTicks) : sid.CompareTo(_lastSeries);
                    if (order < 0 || (order == 0 && !owner._parts[part].KeepsDuplicates))
                    {
                        var info = owner._parts[part];
                        throw new DatasetFormatException(info.Path, info.SeriesNames[sid], 0, LabeledDatasetFormat.TimestampColumn,
                            $"the part does not follow {System.IO.Path.GetFileName(owner._parts[_lastPart].Path)}: its first row ({Format(ticks)} / series_id {sid}) " +
                            $"{(order == 0 ? "repeats" : "comes before")} that part's last row ({Format(_lastTicks)} / series_id {_lastSeries}) in canonical order; " +
                            "the parts overlap or are out of order (parts are read in name order)");
                    }
                }
            }

            var last = batch.Count - 1;
            _lastTicks = batch.Timestamps[last].Ticks;
            _lastSeries = batch.SeriesIds[last];
            _lastPart = part;
        }
    }
}
