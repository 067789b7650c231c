using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Analysis;
using Microsoft.Win32.SafeHandles;
using Parquet;
using Parquet.Schema;
using Workbench.Core;
using Workbench.Data.Decoding;
using Workbench.Data.ParquetEncoding;
using System.IO.Hashing;

namespace Workbench.Data;

/// <summary>
/// Reads a labelled dataset file (<c>docs/DATASET_FORMAT.md</c>) as a stream of <see cref="ObservationBatch"/>es, one
/// per Parquet row group, validating every row. Only the row group being read is in memory, so files of any size
/// stream in bounded memory.
/// </summary>
/// <remarks>
/// <para>Fast path: series come from the <c>series_id</c> column mapped through the series table in the file's
/// metadata; the <c>series</c> strings are decoded only under <see cref="DatasetValidation.Full"/>.</para>
/// <para>Files written by other tools without the <c>series_id</c> column or without the
/// <c>workbench.series</c> table are read by decoding the <c>series</c> strings (slower). Without the table, it is
/// built in order of first appearance by a first pass over the <c>series</c> column when the file is opened.</para>
/// <para>One pass at a time: a second <c>Read…</c> call while a pass is being enumerated throws. Not thread-safe.</para>
/// </remarks>
public sealed class LabeledDatasetReader : IAsyncDisposable, IDisposable
{
    private readonly ParquetReader _parquet;
    private readonly DatasetReaderOptions _options;
    private readonly SafeFileHandle _handle;
    private readonly ParquetFrame _frame;
    private DatasetDigests? _digests;
    private int _verifiedChunks;

    private DataField _seriesField = null!;
    private DataField? _seriesIdField;
    private DataField _timestampField = null!;
    private DataField _valueField = null!;
    private DataField _isAnomalyField = null!;
    private DataField _kindField = null!;
    private DataField _idField = null!;

    private string[] _names = [];
    private Dictionary<string, int> _nameIndex = new(StringComparer.Ordinal);
    private bool _useSeriesIds;
    private int[] _rowGroupRows = [];
    private long[] _rowGroupStarts = [];
    private int _maxRowGroupRows;

    private readonly Dictionary<string, AnomalyKind> _kindCache = new(StringComparer.Ordinal);

    // The own column-chunk decoder (Decoding/): the file's schema columns, which of them it decodes, and counters.
    private string[] _columnNames = [];
    private OwnColumns? _own;
    private int _ownChunks;
    private int _fallbackChunks;

    // Decode buffers, sized to the largest row group, reused: one set, or two when prefetching.
    private RawRowGroup[] _raw = [];

    // State of the current pass.
    private long[] _lastTicks = [];
    private long _prevTicks;
    private int _prevSeries;
    private long _rowsRead;
    private long _rowsReturned;
    private long _skippedOutOfOrder;
    private long _skippedDuplicates;
    private long _keptDuplicates;
    private bool _fileKeepsDuplicates;
    private bool _passActive;
    private bool _disposed;

    private LabeledDatasetReader(string path, ParquetReader parquet, DatasetReaderOptions options, SafeFileHandle handle, ParquetFrame frame)
    {
        FilePath = path;
        _parquet = parquet;
        _options = options;
        _handle = handle;
        _frame = frame;
    }

    /// <summary>The file being read.</summary>
    public string FilePath { get; }

    /// <summary>The options the reader was opened with.</summary>
    public DatasetReaderOptions Options => _options;

    /// <summary>The series table: <c>series_id</c> → series name (from the metadata, or in order of first appearance
    /// for a file without one).</summary>
    public IReadOnlyList<string> SeriesNames { get; private set; } = [];

    /// <summary>How the file was made; null when the file has no <c>workbench.recipe.source</c> metadata.</summary>
    public DatasetRecipe? Recipe { get; private set; }

    /// <summary>The number of rows in the file (before any row is skipped).</summary>
    public long RowCount { get; private set; }

    /// <summary>The number of Parquet row groups, i.e. of batches a pass yields.</summary>
    public int RowGroupCount => _rowGroupRows.Length;

    /// <summary>
    /// Whether rows are mapped to series through the <c>series_id</c> column (the fast path); false for a file
    /// without that column or without a series table, whose <c>series</c> strings are decoded for every row.
    /// </summary>
    public bool UsesSeriesIdColumn => _useSeriesIds;

    /// <summary>Counts of the current (or last) pass: rows read, returned, and skipped by reason.</summary>
    public DatasetReadReport Report => new(_rowsRead, _rowsReturned, _skippedOutOfOrder, _skippedDuplicates, _keptDuplicates);

    /// <summary>Whether the file declares that it keeps repeated timestamps within a series (see
    /// <see cref="LabeledDatasetFormat.DuplicateTimestampsKey"/>).</summary>
    public bool KeepsDuplicateTimestamps => _fileKeepsDuplicates;

    /// <summary>Whether the file declares that it has no ground truth (<see cref="LabeledDatasetFormat.LabelsKey"/> =
    /// <c>none</c>, written for data imported without a label column): every row is normal by default, not by fact.</summary>
    public bool IsUnlabelled { get; private set; }

    /// <summary>
    /// Whether the file records integrity digests (<see cref="LabeledDatasetFormat.DigestsKey"/>). If it does, its
    /// footer was verified when it was opened, and every column chunk is verified before it is decoded (unless
    /// <see cref="DatasetReaderOptions.VerifyIntegrity"/> is off). Files without them (written before digests existed,
    /// or by other tools) are read unverified.
    /// </summary>
    public bool HasIntegrityDigests => _digests is not null;

    /// <summary>The number of column chunks the file records digests for (row groups × columns); 0 without digests.</summary>
    public int RecordedChunks => _digests?.ChunkCount ?? 0;

    /// <summary>The column chunks verified against their digests in the current (or last) pass.</summary>
    public int VerifiedChunks => Volatile.Read(ref _verifiedChunks);

    /// <summary>Column chunks decoded by the own decoder (<c>Decoding/</c>) in the current (or last) pass.</summary>
    internal int OwnDecodedChunks => Volatile.Read(ref _ownChunks);

    /// <summary>Column chunks decoded by Parquet.Net in the current (or last) pass (a layout outside the own
    /// decoder's contract, or <see cref="DatasetReaderOptions.ForceParquetNetDecoder"/>).</summary>
    internal int ParquetNetDecodedChunks => Volatile.Read(ref _fallbackChunks);

    /// <summary>Opens <paramref name="path"/>, checks its schema and metadata, and reads its series table.</summary>
    /// <param name="path">A labelled dataset Parquet file.</param>
    /// <param name="options">Reader options; <see cref="DatasetReaderOptions.Default"/> when null.</param>
    /// <param name="ct">Cancels opening.</param>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="DatasetFormatException">The file is not Parquet, or its schema or metadata break the format.</exception>
    public static async Task<LabeledDatasetReader> OpenAsync(string path, DatasetReaderOptions? options = null, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        options ??= DatasetReaderOptions.Default;
        options.Validate();
        SafeFile.CheckInput(path, what: "dataset"); // a FIFO or device would block the open; a directory is not a file
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        ParquetFrame frame;
        FileStream? stream = null;
        ParquetReader parquet;
        try
        {
            // The magics, the footer length and (with digests) the footer's digest, before Parquet.Net parses anything.
            frame = DatasetIntegrity.CheckFrame(path, handle);
            stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
            parquet = await ParquetReader.CreateAsync(stream, null, leaveStreamOpen: false, ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or DatasetFormatException or FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException))
        {
            // Whatever a damaged Thrift footer makes the parser throw (even a failed huge allocation): one line.
            await CloseAsync(stream, handle).ConfigureAwait(false);
            throw DatasetFormatException.CorruptFooter(path,
                $"not a readable Parquet file: its footer cannot be parsed ({ex.Message.ReplaceLineEndings(" ")}); it is not a Parquet file, or {DatasetIntegrity.Fix}", ex);
        }
        catch
        {
            await CloseAsync(stream, handle).ConfigureAwait(false);
            throw;
        }

        var reader = new LabeledDatasetReader(path, parquet, options, handle, frame);
        try
        {
            await reader.InitializeAsync(ct).ConfigureAwait(false);
            return reader;
        }
        catch
        {
            await reader.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private static async ValueTask CloseAsync(FileStream? stream, SafeFileHandle handle)
    {
        if (stream is not null)
        {
            await stream.DisposeAsync().ConfigureAwait(false);
        }

        handle.Dispose();
    }

    /// <summary>Synchronous <see cref="OpenAsync"/>.</summary>
    public static LabeledDatasetReader Open(string path, DatasetReaderOptions? options = null) =>
        Task.Run(() => OpenAsync(path, options)).GetAwaiter().GetResult();

    /// <summary>
    /// Reads the file as one batch per row group, in file order. Each batch is new (or, with
    /// <see cref="DatasetReaderOptions.ReuseBatches"/>, one of one or two objects refilled: valid until the next is
    /// requested) and shares <see cref="SeriesNames"/>.
    /// A batch can have fewer rows than its row group when rows are skipped, and no rows at all.
    /// </summary>
    /// <exception cref="DatasetFormatException">A row breaks the format and no policy skips it.</exception>
    public async IAsyncEnumerable<ObservationBatch> ReadBatchesAsync([EnumeratorCancellation] CancellationToken ct = default)
    {
        BeginPass();
        Task<ObservationBatch>? pending = null;
        var undelivered = Report; // the report before the row group in `pending` was materialized
        try
        {
            var raw = _raw;
            var count = _rowGroupRows.Length;
            var prefetch = raw.Length > 1;

            // With ReuseBatches: one batch refilled, or with prefetch two in turn (the worker fills the next while the
            // consumer holds this one), so a batch is valid until the next one is requested either way.
            var shared = new ObservationBatch?[prefetch ? 2 : 1];
            ObservationBatch BatchFor(int g) => _options.ReuseBatches
                ? shared[g % shared.Length] ??= new ObservationBatch(SeriesNames, _maxRowGroupRows)
                : new ObservationBatch(SeriesNames, _rowGroupRows[g]);

            if (count > 0)
            {
                undelivered = Report;
                pending = LoadAsync(0, raw[0], BatchFor(0), ct);
            }

            for (var g = 0; g < count; g++)
            {
                // A prefetched row group may already be decoded: cancellation must still stop the pass here.
                ct.ThrowIfCancellationRequested();
                var batch = await pending!.ConfigureAwait(false);
                pending = null;
                if (prefetch && g + 1 < count)
                {
                    // Prefetch: the next row group is verified, decoded, validated and materialized on a worker while
                    // the consumer works on this one. Row groups are still materialized one after another (the order
                    // rules carry state from one to the next): this task starts only once row group g is done.
                    var next = g + 1;
                    undelivered = Report;
                    var target = BatchFor(next);
                    pending = Task.Run(() => LoadAsync(next, raw[next % raw.Length], target, ct), ct);
                }

                yield return batch;

                if (!prefetch && g + 1 < count)
                {
                    ct.ThrowIfCancellationRequested();
                    undelivered = Report;
                    pending = LoadAsync(g + 1, raw[0], BatchFor(g + 1), ct);
                }
            }
        }
        finally
        {
            if (pending is not null)
            {
                // Never leave a decode running on the file after the pass ends (early break, error, cancellation).
                try
                {
                    await pending.ConfigureAwait(false);
                }
                catch (Exception)
                {
                    // The pass is over; a failure of a row group nobody asked for is moot.
                }

                // The report counts only row groups that were handed out.
                RestoreReport(undelivered);
            }

            _passActive = false;
        }
    }

    /// <summary>Decodes row group <paramref name="g"/> into <paramref name="raw"/>, then validates and materializes it into <paramref name="batch"/>.</summary>
    private async Task<ObservationBatch> LoadAsync(int g, RawRowGroup raw, ObservationBatch batch, CancellationToken ct)
    {
        await DecodeAsync(g, raw, ct).ConfigureAwait(false);
        Materialize(raw, batch);
        return batch;
    }

    private void RestoreReport(DatasetReadReport report)
    {
        _rowsRead = report.RowsRead;
        _rowsReturned = report.RowsReturned;
        _skippedOutOfOrder = report.SkippedOutOfOrder;
        _skippedDuplicates = report.SkippedDuplicates;
        _keptDuplicates = report.KeptDuplicates;
    }

    /// <summary>Synchronous twin of <see cref="ReadBatchesAsync"/>.</summary>
    public IEnumerable<ObservationBatch> ReadBatches()
    {
        var enumerator = ReadBatchesAsync().GetAsyncEnumerator();
        try
        {
            while (Task.Run(() => enumerator.MoveNextAsync().AsTask()).GetAwaiter().GetResult())
            {
                yield return enumerator.Current;
            }
        }
        finally
        {
            Task.Run(() => enumerator.DisposeAsync().AsTask()).GetAwaiter().GetResult();
        }
    }

    /// <summary>The rows one by one (convenient, slower than batches).</summary>
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

    /// <summary>
    /// The rows as a DataFrame for notebooks, with columns <c>series</c> (string), <c>timestamp</c> (DateTime, UTC),
    /// <c>value</c> (double, null when missing), <c>is_anomaly</c> (bool), <c>anomaly_kind</c> (string, null when
    /// normal) and <c>anomaly_id</c> (int, null when normal). Loads everything into memory: use
    /// <paramref name="maxRows"/> on large files.
    /// </summary>
    /// <param name="maxRows">Read at most this many rows (the first ones in canonical order); all when null.</param>
    public DataFrame ToDataFrame(long? maxRows = null)
    {
        if (maxRows is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(maxRows), maxRows, "maxRows must not be negative.");
        }

        var limit = maxRows ?? long.MaxValue;
        var series = new StringDataFrameColumn(LabeledDatasetFormat.SeriesColumn, 0);
        var timestamps = new PrimitiveDataFrameColumn<DateTime>(LabeledDatasetFormat.TimestampColumn, 0);
        var values = new DoubleDataFrameColumn(LabeledDatasetFormat.ValueColumn, 0);
        var isAnomaly = new BooleanDataFrameColumn(LabeledDatasetFormat.IsAnomalyColumn, 0);
        var kinds = new StringDataFrameColumn(LabeledDatasetFormat.AnomalyKindColumn, 0);
        var ids = new Int32DataFrameColumn(LabeledDatasetFormat.AnomalyIdColumn, 0);
        long taken = 0;
        if (limit > 0)
        {
            foreach (var batch in ReadBatches())
            {
                var count = (int)Math.Min(batch.Count, limit - taken);
                for (var i = 0; i < count; i++)
                {
                    series.Append(_names[batch.SeriesIds[i]]);
                    timestamps.Append(batch.Timestamps[i]);
                    values.Append(batch.Values[i]);
                    isAnomaly.Append(batch.IsAnomaly[i]);
                    kinds.Append(batch.Kinds[i]?.Name);
                    ids.Append(batch.AnomalyIds[i]);
                }

                taken += count;
                if (taken >= limit)
                {
                    break;
                }
            }
        }

        return new DataFrame(series, timestamps, values, isAnomaly, kinds, ids);
    }

    /// <summary>Closes the file.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        await _parquet.DisposeAsync().ConfigureAwait(false);
        _handle.Dispose();
    }

    /// <summary>Synchronous <see cref="DisposeAsync"/>.</summary>
    public void Dispose() => Task.Run(() => DisposeAsync().AsTask()).GetAwaiter().GetResult();

    private async Task InitializeAsync(CancellationToken ct)
    {
        var metadata = _parquet.CustomMetadata;
        ReadDigests(metadata);
        if (metadata.TryGetValue(LabeledDatasetFormat.FormatKey, out var format) &&
            !string.Equals(format, LabeledDatasetFormat.FormatId, StringComparison.Ordinal))
        {
            throw new DatasetFormatException(FilePath, null, null, LabeledDatasetFormat.FormatKey,
                $"unsupported format '{format}', expected '{LabeledDatasetFormat.FormatId}'");
        }

        CheckSchema();
        _columnNames = _parquet.Schema.DataFields.Select(f => f.Name).ToArray();
        _own = _options.ForceParquetNetDecoder ? null : OwnColumns.For(_parquet.Schema.DataFields, _seriesIdField, _seriesField, _timestampField, _valueField, _isAnomalyField, _kindField, _idField);
        Recipe = ReadRecipe(metadata);
        _fileKeepsDuplicates = metadata.ContainsKey(LabeledDatasetFormat.DuplicateTimestampsKey);
        IsUnlabelled = metadata.TryGetValue(LabeledDatasetFormat.LabelsKey, out var labels) &&
            string.Equals(labels, LabeledDatasetFormat.UnlabelledValue, StringComparison.Ordinal);

        string[]? table = null;
        if (metadata.TryGetValue(LabeledDatasetFormat.SeriesKey, out var json))
        {
            table = DatasetSchema.SeriesTableFromJson(json, out var problem)
                ?? throw new DatasetFormatException(FilePath, null, null, LabeledDatasetFormat.SeriesKey, problem!);
            var bad = DatasetSchema.FindInvalidSeriesName(table, out problem);
            if (bad >= 0)
            {
                throw new DatasetFormatException(FilePath, table[bad], null, LabeledDatasetFormat.SeriesKey, problem!);
            }
        }

        var rowGroups = _parquet.RowGroupCount;
        _rowGroupRows = new int[rowGroups];
        _rowGroupStarts = new long[rowGroups];
        long total = 0;
        for (var g = 0; g < rowGroups; g++)
        {
            var rows = _parquet.OpenRowGroupReader(g).RowCount;
            if (rows is < 0 or > int.MaxValue)
            {
                throw new DatasetFormatException(FilePath, null, total, null, $"row group {g} has {rows} rows; at most {int.MaxValue} are supported");
            }

            _rowGroupRows[g] = (int)rows;
            _rowGroupStarts[g] = total;
            total += rows;
            _maxRowGroupRows = Math.Max(_maxRowGroupRows, (int)rows);
        }

        RowCount = total;
        _useSeriesIds = table is not null && _seriesIdField is not null;
        if (table is null)
        {
            table = await BuildSeriesTableAsync(ct).ConfigureAwait(false);
        }

        _names = table;
        for (var i = 0; i < table.Length; i++)
        {
            _nameIndex.Add(table[i], i);
        }

        SeriesNames = new SeriesTable(table);
    }

    /// <summary>
    /// Takes the integrity record when the footer holds one (its digest was checked by <see cref="DatasetIntegrity.CheckFrame"/>)
    /// and checks that its chunks are this file's row groups and columns, tiling the file.
    /// </summary>
    private void ReadDigests(Dictionary<string, string> metadata)
    {
        var hasKey = metadata.TryGetValue(LabeledDatasetFormat.DigestsKey, out var json);
        if (!_frame.FooterVerified)
        {
            if (hasKey)
            {
                throw DatasetFormatException.CorruptFooter(FilePath,
                    $"the footer's integrity record ('{LabeledDatasetFormat.DigestsKey}') is damaged: its footer digest cannot be found; {DatasetIntegrity.Fix}");
            }

            return;
        }

        if (!hasKey)
        {
            throw DatasetFormatException.CorruptFooter(FilePath,
                $"the footer holds an integrity record, but not under the key '{LabeledDatasetFormat.DigestsKey}'; {DatasetIntegrity.Fix}");
        }

        var digests = DatasetDigests.Parse(json!, out var problem)
            ?? throw DatasetFormatException.CorruptFooter(FilePath, $"{problem}; {DatasetIntegrity.Fix}");
        var columns = _parquet.Schema.DataFields.Select(f => f.Name).ToArray();
        if (DatasetIntegrity.CheckLayout(digests, columns, _parquet.RowGroupCount, _frame) is { } layout)
        {
            throw DatasetFormatException.CorruptFooter(FilePath, $"{layout}; {DatasetIntegrity.Fix}");
        }

        _digests = digests;
    }

    /// <summary>
    /// Hashes every column chunk of row group <paramref name="g"/> and compares it with its recorded digest. A chunk the
    /// own decoder takes (same range as the digest's) is read into its decode buffer and hashed there, so it is read once.
    /// </summary>
    private void VerifyRowGroup(int g, RawRowGroup raw)
    {
        var digests = _digests!;
        var chunks = digests.RowGroups[g];
        for (var c = 0; c < chunks.Length; c++)
        {
            var chunk = chunks[c];
            ulong actual;
            try
            {
                actual = c < raw.ChunkStart.Length && raw.ChunkStart[c] == chunk.Offset && raw.ChunkLength[c] == chunk.Length
                    ? XxHash3.HashToUInt64(raw.LoadChunk(_handle, c))
                    : raw.Hasher.Hash(_handle, chunk.Offset, chunk.Length);
            }
            catch (EndOfStreamException)
            {
                throw DatasetFormatException.CorruptRowGroup(FilePath, g, _rowGroupStarts[g], _rowGroupRows[g], digests.Columns[c],
                    $"the file ends inside the column chunk (bytes {chunk.Offset}–{chunk.Offset + chunk.Length - 1}): it was truncated while being read; {DatasetIntegrity.Fix}");
            }

            if (actual != chunk.Hash)
            {
                throw DatasetFormatException.CorruptRowGroup(FilePath, g, _rowGroupStarts[g], _rowGroupRows[g], digests.Columns[c],
                    $"the column chunk (bytes {chunk.Offset}–{chunk.Offset + chunk.Length - 1}) does not match its recorded digest " +
                    $"({DatasetDigests.Algorithm} {DatasetDigests.Hex(chunk.Hash)} recorded, {DatasetDigests.Hex(actual)} computed); {DatasetIntegrity.Fix}");
            }

            Interlocked.Increment(ref _verifiedChunks);
        }
    }

    private void CheckSchema()
    {
        var fields = new Dictionary<string, Field>(StringComparer.Ordinal);
        foreach (var field in _parquet.Schema.Fields)
        {
            fields.TryAdd(field.Name, field);
        }

        _seriesField = RequireColumn(fields, LabeledDatasetFormat.SeriesColumn, typeof(string), "string")!;
        _seriesIdField = RequireColumn(fields, LabeledDatasetFormat.SeriesIdColumn, typeof(int), "int32", optional: true);
        _timestampField = RequireColumn(fields, LabeledDatasetFormat.TimestampColumn, typeof(DateTime), "TIMESTAMP (INT64, adjusted to UTC)")!;
        if (_timestampField is not DateTimeDataField { DateTimeFormat: DateTimeFormat.Timestamp, IsAdjustedToUTC: true })
        {
            throw SchemaError(LabeledDatasetFormat.TimestampColumn,
                $"wrong timestamp logical type ({Describe(_timestampField)}), expected TIMESTAMP (INT64, adjusted to UTC; milliseconds in files Workbench writes)");
        }

        _valueField = RequireColumn(fields, LabeledDatasetFormat.ValueColumn, typeof(double), "double")!;
        _isAnomalyField = RequireColumn(fields, LabeledDatasetFormat.IsAnomalyColumn, typeof(bool), "boolean")!;
        _kindField = RequireColumn(fields, LabeledDatasetFormat.AnomalyKindColumn, typeof(string), "string")!;
        _idField = RequireColumn(fields, LabeledDatasetFormat.AnomalyIdColumn, typeof(int), "int32")!;
    }

    private DataField? RequireColumn(Dictionary<string, Field> fields, string name, Type clrType, string expected, bool optional = false)
    {
        if (!fields.TryGetValue(name, out var field))
        {
            return optional ? null : throw SchemaError(name, $"missing column (expected {expected})");
        }

        if (field is not DataField data || data.IsArray || data.MaxRepetitionLevel > 0 || data.MaxDefinitionLevel > 1 || !IsClrType(data, clrType))
        {
            throw SchemaError(name, $"wrong type ({Describe(field)}), expected {expected}");
        }

        return data;
    }

    // Parquet.Net 6 reports a UTF-8 string column as ReadOnlyMemory<char>.
    private static bool IsClrType(DataField field, Type clrType) =>
        field.ClrType == clrType || (clrType == typeof(string) && field.ClrType == typeof(ReadOnlyMemory<char>));

    private static string Describe(Field field) => field switch
    {
        DataField { IsArray: false } data when data.ClrType == typeof(ReadOnlyMemory<char>) => "String",
        DateTimeDataField dt => $"{dt.DateTimeFormat} {dt.Unit}{(dt.IsAdjustedToUTC ? " UTC" : " local")}",
        DataField { IsArray: true } data => $"list of {data.ClrType.Name}",
        DataField data => data.ClrType.Name,
        _ => field.SchemaType.ToString(),
    };

    private DatasetFormatException SchemaError(string field, string problem) => new(FilePath, null, null, field, problem);

    private DatasetRecipe? ReadRecipe(Dictionary<string, string> metadata)
    {
        if (!metadata.TryGetValue(LabeledDatasetFormat.RecipeSourceKey, out var source))
        {
            return null;
        }

        long? seed = null;
        if (metadata.TryGetValue(LabeledDatasetFormat.RecipeSeedKey, out var seedText))
        {
            seed = long.TryParse(seedText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var parsed)
                ? parsed
                : throw new DatasetFormatException(FilePath, null, null, LabeledDatasetFormat.RecipeSeedKey, $"seed '{seedText}' is not an integer");
        }

        return new DatasetRecipe(
            source,
            metadata.GetValueOrDefault(LabeledDatasetFormat.RecipeSpecKey, string.Empty),
            seed,
            metadata.GetValueOrDefault(LabeledDatasetFormat.ToolVersionKey, string.Empty));
    }

    /// <summary>First pass for a file without a series table: the distinct names in order of first appearance.</summary>
    private async Task<string[]> BuildSeriesTableAsync(CancellationToken ct)
    {
        var names = new List<string>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var lookup = index.GetAlternateLookup<ReadOnlySpan<char>>();
        var raw = new RawRowGroup(_maxRowGroupRows, needNames: true, own: null, columns: 0);
        for (var g = 0; g < _rowGroupRows.Length; g++)
        {
            var rowGroup = _parquet.OpenRowGroupReader(g);
            var n = _rowGroupRows[g];
            await ReadRequiredAsync(rowGroup, _seriesField, raw.Series.AsMemory(0, n), raw.RequiredLevels, _rowGroupStarts[g], ct).ConfigureAwait(false);
            for (var i = 0; i < n; i++)
            {
                var span = raw.Series[i].Span;
                if (!lookup.ContainsKey(span))
                {
                    var name = span.ToString();
                    if (name.Length == 0)
                    {
                        throw new DatasetFormatException(FilePath, name, _rowGroupStarts[g] + i, LabeledDatasetFormat.SeriesColumn, "series name is empty");
                    }

                    index.Add(name, names.Count);
                    names.Add(name);
                }
            }
        }

        return [.. names];
    }

    private void EnsureRawBuffers()
    {
        var needNames = !_useSeriesIds || _options.Validation == DatasetValidation.Full;
        var sets = _options.Prefetch && _rowGroupRows.Length > 1 ? 2 : 1;
        if (_raw.Length != sets)
        {
            _raw = new RawRowGroup[sets];
            for (var i = 0; i < sets; i++)
            {
                _raw[i] = new RawRowGroup(_maxRowGroupRows, needNames, _own, _columnNames.Length);
            }
        }
    }

    private void BeginPass()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (_passActive)
        {
            throw new InvalidOperationException($"A pass over '{FilePath}' is already in progress; finish or dispose it first.");
        }

        _passActive = true;
        EnsureRawBuffers();
        if (_lastTicks.Length != _names.Length)
        {
            _lastTicks = new long[_names.Length];
        }

        Array.Fill(_lastTicks, long.MinValue);
        _prevTicks = long.MinValue;
        _prevSeries = -1;
        _rowsRead = 0;
        _rowsReturned = 0;
        _skippedOutOfOrder = 0;
        _skippedDuplicates = 0;
        _keptDuplicates = 0;
        Volatile.Write(ref _verifiedChunks, 0);
        Volatile.Write(ref _ownChunks, 0);
        Volatile.Write(ref _fallbackChunks, 0);
    }

    /// <summary>
    /// For the allocation tests: starts a pass, decodes row group <paramref name="g"/>, then validates it into
    /// <paramref name="batch"/> on the calling thread and returns the bytes that thread allocated while validating (the
    /// decode, Parquet.Net's, is not counted). The order state starts fresh, as for the first row group of a pass.
    /// </summary>
    internal async Task<long> MaterializeAllocationsAsync(int g, ObservationBatch batch)
    {
        BeginPass();
        try
        {
            await DecodeAsync(g, _raw[0], CancellationToken.None).ConfigureAwait(false);
            var before = GC.GetAllocatedBytesForCurrentThread();
            Materialize(_raw[0], batch);
            return GC.GetAllocatedBytesForCurrentThread() - before;
        }
        finally
        {
            _passActive = false;
        }
    }

    /// <summary>
    /// For the allocation tests: starts a pass, decodes every row group once (so the reused buffers reach their size),
    /// then decodes row group <paramref name="second"/> again into the same buffers on the calling thread and returns the
    /// bytes this thread allocated doing so (0 in steady state when the own decoder takes every chunk).
    /// </summary>
    internal long DecodeAllocations(int second)
    {
        BeginPass();
        try
        {
            for (var g = 0; g < _rowGroupRows.Length; g++)
            {
                DecodeAsync(g, _raw[0], CancellationToken.None).GetAwaiter().GetResult();
            }

            var before = GC.GetAllocatedBytesForCurrentThread();
            var task = DecodeAsync(second, _raw[0], CancellationToken.None);
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            task.GetAwaiter().GetResult();
            return allocated;
        }
        finally
        {
            _passActive = false;
        }
    }

    /// <summary>
    /// Decodes row group <paramref name="g"/>'s columns (no validation) into <paramref name="raw"/>: each column chunk
    /// by the own decoder (<c>Decoding/</c>) when its layout is one it reads, otherwise by Parquet.Net. With digests,
    /// every chunk is verified first; a chunk the own decoder takes is read once, hashed and decoded from the same
    /// buffer. Completes synchronously, allocating nothing in steady state, when the own decoder takes every chunk.
    /// </summary>
    private Task DecodeAsync(int g, RawRowGroup raw, CancellationToken ct)
    {
        var n = _rowGroupRows[g];
        var rowBase = _rowGroupStarts[g];
        raw.Index = g;
        raw.Rows = n;
        raw.RowBase = rowBase;
        raw.HasNames = !_useSeriesIds || _options.Validation == DatasetValidation.Full;
        PlanOwnChunks(g, raw);
        if (_digests is not null && _options.VerifyIntegrity)
        {
            // Before a byte of it is decoded: a damaged page header must not reach either decoder.
            VerifyRowGroup(g, raw);
        }

        for (var step = 0; step < OwnColumns.Count; step++)
        {
            if (!NeedsStep(raw, step))
            {
                continue;
            }

            if (!TryDecodeOwn(g, raw, step))
            {
                return DecodeParquetNetAsync(g, raw, step, ct);
            }
        }

        return Task.CompletedTask;
    }

    private bool NeedsStep(RawRowGroup raw, int step) => step switch
    {
        OwnColumns.SeriesId => _useSeriesIds,
        OwnColumns.Series => raw.HasNames,
        _ => true,
    };

    /// <summary>Marks which of row group <paramref name="g"/>'s chunks the own decoder takes, with their ranges.</summary>
    private void PlanOwnChunks(int g, RawRowGroup raw)
    {
        Array.Fill(raw.ChunkStart, -1L);
        Array.Clear(raw.ChunkLoaded);
        var own = _own;
        if (own is null)
        {
            return;
        }

        var meta = _parquet.Metadata!.RowGroups[g];
        for (var step = 0; step < OwnColumns.Count; step++)
        {
            if (NeedsStep(raw, step) && own.TryChunk(meta, step, raw.Rows, _frame.FooterStart, out var start, out var length, out var codec))
            {
                var c = own.SchemaIndex[step];
                raw.ChunkStart[c] = start;
                raw.ChunkLength[c] = length;
                raw.ChunkCodecs[c] = codec;
            }
        }
    }

    /// <summary>Decodes step <paramref name="step"/>'s chunk with the own decoder; false when it is Parquet.Net's.</summary>
    private bool TryDecodeOwn(int g, RawRowGroup raw, int step)
    {
        var own = _own;
        var c = own is null ? -1 : own.SchemaIndex[step];
        if (c < 0 || raw.ChunkStart[c] < 0)
        {
            return false;
        }

        var n = raw.Rows;
        var nullable = own!.Nullable[step];
        var required = step is OwnColumns.SeriesId or OwnColumns.Series or OwnColumns.Timestamp or OwnColumns.IsAnomaly;
        var levels = required ? raw.RequiredLevels : step switch
        {
            OwnColumns.Value => raw.ValueLevels,
            OwnColumns.Kind => raw.KindLevels,
            _ => raw.IdLevels,
        };

        try
        {
            var bytes = raw.LoadChunk(_handle, c);
            raw.Decoder.Decode(bytes, raw.ChunkCodecs[c], nullable, n, raw.ValuesOf(step), levels);
        }
        catch (ChunkNotSupportedException)
        {
            // Outside the own decoder's contract (found inside the pages): Parquet.Net decodes this chunk, as before.
            return false;
        }
        catch (Exception e) when (e is ChunkDecodeException or EndOfStreamException or IndexOutOfRangeException or OverflowException or InvalidDataException or ArgumentException)
        {
            // The decoder's own checks throw ChunkDecodeException; the others would be a check it lacks, still one line.
            throw DatasetFormatException.CorruptRowGroup(FilePath, g, raw.RowBase, n, _columnNames[c], CannotDecode(e), e);
        }

        Interlocked.Increment(ref _ownChunks);
        if (required && nullable)
        {
            // A foreign file may declare a required column optional: accept it when it holds no null.
            var firstNull = levels.AsSpan(0, n).IndexOf(0);
            if (firstNull >= 0)
            {
                throw new DatasetFormatException(FilePath, null, raw.RowBase + firstNull, _columnNames[c], "null in a required column");
            }
        }
        else if (!required && !nullable)
        {
            levels.AsSpan(0, n).Fill(1);
        }

        return true;
    }

    private string CannotDecode(Exception e) =>
        $"the column chunk cannot be decoded ({e.GetType().Name}: {e.Message.ReplaceLineEndings(" ")}); " +
        (_digests is null ? "the file records no digests, so the damaged bytes cannot be named; " : string.Empty) + DatasetIntegrity.Fix;

    /// <summary>Decodes the steps from <paramref name="firstStep"/> on: Parquet.Net for those the own decoder does not take.</summary>
    private async Task DecodeParquetNetAsync(int g, RawRowGroup raw, int firstStep, CancellationToken ct)
    {
        var rowGroup = _parquet.OpenRowGroupReader(g);
        var n = raw.Rows;
        var rowBase = raw.RowBase;

        // A file without digests can still be damaged: whatever Parquet.Net throws on a chunk becomes one line naming it.
        var column = LabeledDatasetFormat.SeriesIdColumn;
        try
        {
            for (var step = firstStep; step < OwnColumns.Count; step++)
            {
                if (!NeedsStep(raw, step) || (step > firstStep && TryDecodeOwn(g, raw, step)))
                {
                    continue;
                }

                Interlocked.Increment(ref _fallbackChunks);
                switch (step)
                {
                    case OwnColumns.SeriesId:
                        column = LabeledDatasetFormat.SeriesIdColumn;
                        await ReadRequiredAsync(rowGroup, _seriesIdField!, raw.SeriesIds.AsMemory(0, n), raw.RequiredLevels, rowBase, ct).ConfigureAwait(false);
                        break;
                    case OwnColumns.Series:
                        column = LabeledDatasetFormat.SeriesColumn;
                        await ReadRequiredAsync(rowGroup, _seriesField, raw.Series.AsMemory(0, n), raw.RequiredLevels, rowBase, ct).ConfigureAwait(false);
                        break;
                    case OwnColumns.Timestamp:
                        column = LabeledDatasetFormat.TimestampColumn;
                        await ReadRequiredAsync(rowGroup, _timestampField, raw.Timestamps.AsMemory(0, n), raw.RequiredLevels, rowBase, ct).ConfigureAwait(false);
                        break;
                    case OwnColumns.Value:
                        column = LabeledDatasetFormat.ValueColumn;
                        await ReadOptionalAsync(rowGroup, _valueField, raw.Values, raw.ValueLevels, n, ct).ConfigureAwait(false);
                        break;
                    case OwnColumns.IsAnomaly:
                        column = LabeledDatasetFormat.IsAnomalyColumn;
                        await ReadRequiredAsync(rowGroup, _isAnomalyField, raw.IsAnomaly.AsMemory(0, n), raw.RequiredLevels, rowBase, ct).ConfigureAwait(false);
                        break;
                    case OwnColumns.Kind:
                        column = LabeledDatasetFormat.AnomalyKindColumn;
                        await ReadOptionalAsync(rowGroup, _kindField, raw.Kinds, raw.KindLevels, n, ct).ConfigureAwait(false);
                        break;
                    default:
                        column = LabeledDatasetFormat.AnomalyIdColumn;
                        await ReadOptionalAsync(rowGroup, _idField, raw.Ids, raw.IdLevels, n, ct).ConfigureAwait(false);
                        break;
                }
            }
        }
        catch (Exception e) when (e is not (DatasetFormatException or OperationCanceledException))
        {
            throw DatasetFormatException.CorruptRowGroup(FilePath, g, rowBase, n, column, CannotDecode(e), e);
        }
    }

    private async ValueTask ReadRequiredAsync<T>(
        ParquetRowGroupReader rowGroup, DataField field, Memory<T> destination, int[] levelBuffer, long rowBase, CancellationToken ct)
        where T : struct
    {
        if (!field.IsNullable)
        {
            await rowGroup.ReadRawAsync(field, destination, null, null, ct).ConfigureAwait(false);
            return;
        }

        // A foreign file may declare a required column optional: accept it when it holds no null.
        var levels = levelBuffer.AsMemory(0, destination.Length);
        await rowGroup.ReadRawAsync(field, destination, levels, null, ct).ConfigureAwait(false);
        var firstNull = levels.Span.IndexOf(0);
        if (firstNull >= 0)
        {
            throw new DatasetFormatException(FilePath, null, rowBase + firstNull, field.Name, "null in a required column");
        }
    }

    private static async ValueTask ReadOptionalAsync<T>(ParquetRowGroupReader rowGroup, DataField field, T[] values, int[] levels, int n, CancellationToken ct)
        where T : struct
    {
        if (field.IsNullable)
        {
            await rowGroup.ReadRawAsync(field, values.AsMemory(0, n), levels.AsMemory(0, n), null, ct).ConfigureAwait(false);
        }
        else
        {
            await rowGroup.ReadRawAsync(field, values.AsMemory(0, n), null, null, ct).ConfigureAwait(false);
            levels.AsSpan(0, n).Fill(1);
        }
    }

    /// <summary>
    /// Fills <paramref name="batch"/> from a decoded row group and validates it: column by column
    /// (<see cref="MaterializeColumns"/>) where the options allow, row by row (<see cref="MaterializeRows"/>) from the first
    /// row the column path cannot take — a row that breaks a rule (so the error is the row path's, word for word), a skip
    /// policy, a file read through its <c>series</c> strings, or <see cref="DatasetValidation.Full"/>.
    /// </summary>
    private void Materialize(RawRowGroup raw, ObservationBatch batch)
    {
        var useColumns = _useSeriesIds && !raw.HasNames && _options.OutOfOrder != InvalidRowPolicy.Skip &&
            (_options.DuplicateTimestamps != InvalidRowPolicy.Skip || _fileKeepsDuplicates);
        var start = useColumns ? MaterializeColumns(raw, batch) : 0;
        if (start == raw.Rows)
        {
            batch.Count = start;
            _rowsRead += start;
            _rowsReturned += start;
            return;
        }

        MaterializeRows(raw, batch, start);
    }

    /// <summary>
    /// The column path: each rule checked over a whole column (series_id range, finite values, label consistency), the
    /// columns copied in bulk, then one tight loop for the order rules (the only per-row state). Nothing is skipped here.
    /// Returns the number of leading rows that pass every rule, all of them written to the batch and accounted in the
    /// order state (<see cref="_lastTicks"/>, <see cref="_prevTicks"/>, <see cref="_prevSeries"/>); the row path takes
    /// over from there, and throws the same error the row path alone would have thrown.
    /// </summary>
    private int MaterializeColumns(RawRowGroup raw, ObservationBatch batch)
    {
        var n = raw.Rows;
        var names = _names;
        var good = n; // rows [0, good) pass every rule checked so far

        // series_id within the series table.
        var ids = raw.SeriesIds.AsSpan(0, n);
        if (n > 0)
        {
            var outOfRange = names.Length == 0 ? 0 : ids.IndexOfAnyExceptInRange(0, names.Length - 1);
            if (outOfRange >= 0)
            {
                good = outOfRange;
            }
        }

        // Values: present ones finite; missing ones null.
        var values = batch.Values;
        var valueRaw = raw.Values;
        var valueLevels = raw.ValueLevels.AsSpan(0, good);
        if (valueLevels.IndexOf(0) < 0)
        {
            for (var i = 0; i < good; i++)
            {
                var v = valueRaw[i];
                if (!double.IsFinite(v))
                {
                    good = i;
                    break;
                }

                values[i] = v;
            }
        }
        else
        {
            for (int i = 0, c = 0; i < good; i++)
            {
                if (valueLevels[i] == 0)
                {
                    values[i] = null;
                    continue;
                }

                var v = valueRaw[c++];
                if (!double.IsFinite(v))
                {
                    good = i;
                    break;
                }

                values[i] = v;
            }
        }

        // Labels: an anomaly has an id; a normal row has neither kind nor id.
        var kinds = batch.Kinds;
        var anomalyIds = batch.AnomalyIds;
        var flags = raw.IsAnomaly.AsSpan(0, good);
        var kindLevels = raw.KindLevels.AsSpan(0, good);
        var idLevels = raw.IdLevels.AsSpan(0, good);
        if (flags.IndexOf(true) < 0 && kindLevels.IndexOfAnyExcept(0) < 0 && idLevels.IndexOfAnyExcept(0) < 0)
        {
            Array.Clear(kinds, 0, good);
            Array.Clear(anomalyIds, 0, good);
        }
        else
        {
            var kindRaw = raw.Kinds;
            var idRaw = raw.Ids;
            for (int i = 0, kc = 0, ic = 0; i < good; i++)
            {
                AnomalyKind? kind = null;
                if (kindLevels[i] != 0 && (kind = TryKindOf(kindRaw[kc++])) is null)
                {
                    good = i; // an empty kind: the row path names it
                    break;
                }

                int? eventId = idLevels[i] != 0 ? idRaw[ic++] : null;
                if (flags[i] ? !eventId.HasValue : kind is not null || eventId.HasValue)
                {
                    good = i;
                    break;
                }

                if (kind is not null || kinds[i] is not null)
                {
                    kinds[i] = kind;
                }

                anomalyIds[i] = eventId;
            }
        }

        ids[..good].CopyTo(batch.SeriesIds);
        raw.Timestamps.AsSpan(0, good).CopyTo(batch.Timestamps);
        raw.IsAnomaly.AsSpan(0, good).CopyTo(batch.IsAnomaly);

        // Order: strictly increasing within a series (equal allowed when duplicates are kept), canonical across series.
        var timestamps = batch.Timestamps;
        var seriesIds = batch.SeriesIds;
        var lastTicks = _lastTicks;
        var keepDuplicates = _options.DuplicateTimestamps == InvalidRowPolicy.Keep || _fileKeepsDuplicates;
        var prevTicks = _prevTicks;
        var prevSeries = _prevSeries;
        long keptDuplicates = 0;
        for (var i = 0; i < good; i++)
        {
            var sid = seriesIds[i];
            var ticks = timestamps[i].Ticks;
            ref var last = ref lastTicks[sid];
            if (ticks < last || (ticks == last && !keepDuplicates) || ticks < prevTicks || (ticks == prevTicks && sid < prevSeries))
            {
                good = i;
                break;
            }

            if (ticks == last)
            {
                keptDuplicates++;
            }

            last = ticks;
            prevTicks = ticks;
            prevSeries = sid;
        }

        _prevTicks = prevTicks;
        _prevSeries = prevSeries;
        _keptDuplicates += keptDuplicates;
        return good;
    }

    /// <summary>
    /// The row path: maps series, rebuilds the nullable columns from values + definition levels, validates each row,
    /// and compacts the batch in place when rows are skipped. Starts at row <paramref name="start"/>, the rows before it
    /// having been written and accounted by <see cref="MaterializeColumns"/> (0: all of them here).
    /// </summary>
    private void MaterializeRows(RawRowGroup raw, ObservationBatch batch, int start)
    {
        var n = raw.Rows;
        var rowBase = raw.RowBase;
        var decodeNames = raw.HasNames;
        var rawSeriesIds = raw.SeriesIds;
        var rawTimestamps = raw.Timestamps;
        var rawIsAnomaly = raw.IsAnomaly;
        var seriesIds = batch.SeriesIds;
        var timestamps = batch.Timestamps;
        var values = batch.Values;
        var isAnomaly = batch.IsAnomaly;
        var kinds = batch.Kinds;
        var anomalyIds = batch.AnomalyIds;

        var valueRaw = raw.Values;
        var valueLevels = raw.ValueLevels;
        var kindRaw = raw.Kinds;
        var kindLevels = raw.KindLevels;
        var idRaw = raw.Ids;
        var idLevels = raw.IdLevels;
        var seriesRaw = raw.Series;
        var names = _names;
        var lastTicks = _lastTicks;
        var useIds = _useSeriesIds;
        var lookup = _nameIndex.GetAlternateLookup<ReadOnlySpan<char>>();
        var skipOutOfOrder = _options.OutOfOrder == InvalidRowPolicy.Skip;
        var skipDuplicates = _options.DuplicateTimestamps == InvalidRowPolicy.Skip && !_fileKeepsDuplicates;
        var keepDuplicates = _options.DuplicateTimestamps == InvalidRowPolicy.Keep || _fileKeepsDuplicates;
        var prevTicks = _prevTicks;
        var prevSeries = _prevSeries;
        long skippedOutOfOrder = 0;
        long skippedDuplicates = 0;
        long keptDuplicates = 0;

        // The nullable columns' cursors at row `start`: the non-null cells before it.
        var valueCursor = start - raw.ValueLevels.AsSpan(0, start).Count(0);
        var kindCursor = start - raw.KindLevels.AsSpan(0, start).Count(0);
        var idCursor = start - raw.IdLevels.AsSpan(0, start).Count(0);
        var kept = start;
        for (var i = start; i < n; i++)
        {
            int sid;
            if (useIds)
            {
                sid = rawSeriesIds[i];
                if ((uint)sid >= (uint)names.Length)
                {
                    throw new DatasetFormatException(FilePath, null, rowBase + i, LabeledDatasetFormat.SeriesIdColumn,
                        $"series_id {sid} is out of range (the series table has {names.Length} names)");
                }

                if (decodeNames && !seriesRaw[i].Span.SequenceEqual(names[sid]))
                {
                    throw new DatasetFormatException(FilePath, seriesRaw[i].ToString(), rowBase + i, LabeledDatasetFormat.SeriesColumn,
                        $"series '{seriesRaw[i]}' disagrees with series_id {sid} ('{names[sid]}' in the series table)");
                }
            }
            else if (!lookup.TryGetValue(seriesRaw[i].Span, out sid))
            {
                throw new DatasetFormatException(FilePath, seriesRaw[i].ToString(), rowBase + i, LabeledDatasetFormat.SeriesColumn,
                    "series is not in the file's series table");
            }

            // Decode the nullable cells first: the cursors must advance even for a skipped row.
            double? value = valueLevels[i] != 0 ? valueRaw[valueCursor++] : null;
            var kind = kindLevels[i] != 0 ? KindOf(kindRaw[kindCursor++], rowBase + i, sid) : null;
            int? eventId = idLevels[i] != 0 ? idRaw[idCursor++] : null;

            var timestamp = rawTimestamps[i];
            var ticks = timestamp.Ticks;
            var last = lastTicks[sid];
            if (ticks < last || (ticks == last && !keepDuplicates))
            {
                if (ticks == last)
                {
                    if (skipDuplicates)
                    {
                        skippedDuplicates++;
                        continue;
                    }

                    throw OrderError(rowBase + i, sid, $"duplicate timestamp {Format(timestamp)} within the series");
                }

                if (skipOutOfOrder)
                {
                    skippedOutOfOrder++;
                    continue;
                }

                throw OrderError(rowBase + i, sid,
                    $"timestamp {Format(timestamp)} is out of order within the series (previous {Format(new DateTime(last, DateTimeKind.Utc))})");
            }

            if (ticks < prevTicks || (ticks == prevTicks && sid < prevSeries))
            {
                if (skipOutOfOrder)
                {
                    skippedOutOfOrder++;
                    continue;
                }

                throw OrderError(rowBase + i, sid,
                    $"row is not in canonical order (timestamp ascending, then series_id): {Format(timestamp)} / series_id {sid} follows {Format(new DateTime(prevTicks, DateTimeKind.Utc))} / series_id {prevSeries}");
            }

            if (value.HasValue && !double.IsFinite(value.GetValueOrDefault()))
            {
                throw new DatasetFormatException(FilePath, names[sid], rowBase + i, LabeledDatasetFormat.ValueColumn,
                    $"value is {value.GetValueOrDefault().ToString(CultureInfo.InvariantCulture)}; NaN and infinities are not allowed");
            }

            var anomalous = rawIsAnomaly[i];
            if (anomalous)
            {
                if (!eventId.HasValue)
                {
                    throw new DatasetFormatException(FilePath, names[sid], rowBase + i, LabeledDatasetFormat.AnomalyIdColumn,
                        "is_anomaly is true but anomaly_id is null");
                }
            }
            else if (kind is not null || eventId.HasValue)
            {
                throw new DatasetFormatException(FilePath, names[sid], rowBase + i,
                    kind is not null ? LabeledDatasetFormat.AnomalyKindColumn : LabeledDatasetFormat.AnomalyIdColumn,
                    $"is_anomaly is false but {(kind is not null ? $"anomaly_kind is '{kind.Name}'" : $"anomaly_id is {eventId}")}");
            }

            if (ticks == last)
            {
                keptDuplicates++;
            }

            lastTicks[sid] = ticks;
            prevTicks = ticks;
            prevSeries = sid;
            seriesIds[kept] = sid;
            timestamps[kept] = timestamp;
            values[kept] = value;
            isAnomaly[kept] = anomalous;
            if (kind is not null || kinds[kept] is not null)
            {
                // Most rows are normal: skip the reference store (and its GC write barrier) when the slot is already null.
                kinds[kept] = kind;
            }

            anomalyIds[kept] = eventId;
            kept++;
        }

        batch.Count = kept;
        _prevTicks = prevTicks;
        _prevSeries = prevSeries;
        _rowsRead += n;
        _rowsReturned += kept;
        _skippedOutOfOrder += skippedOutOfOrder;
        _skippedDuplicates += skippedDuplicates;
        _keptDuplicates += keptDuplicates;
    }

    /// <summary>The kind named by <paramref name="raw"/>, or null when the name is empty or blank.</summary>
    private AnomalyKind? TryKindOf(ReadOnlyMemory<char> raw)
    {
        var lookup = _kindCache.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(raw.Span, out var kind))
        {
            return kind;
        }

        var name = raw.ToString();
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        kind = AnomalyKind.FromName(name);
        _kindCache.Add(name, kind);
        return kind;
    }

    private AnomalyKind KindOf(ReadOnlyMemory<char> raw, long row, int sid)
    {
        var lookup = _kindCache.GetAlternateLookup<ReadOnlySpan<char>>();
        if (lookup.TryGetValue(raw.Span, out var kind))
        {
            return kind;
        }

        var name = raw.ToString();
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new DatasetFormatException(FilePath, _names[sid], row, LabeledDatasetFormat.AnomalyKindColumn,
                "anomaly_kind is empty (use null for no kind)");
        }

        kind = AnomalyKind.FromName(name);
        _kindCache.Add(name, kind);
        return kind;
    }

    private DatasetFormatException OrderError(long row, int sid, string problem) =>
        new(FilePath, _names[sid], row, LabeledDatasetFormat.TimestampColumn, problem);

    private static string Format(DateTime t) => t.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);

    /// <summary>One row group's columns as Parquet.Net decodes them: nullable columns as non-null values plus
    /// definition levels.</summary>
    private sealed class RawRowGroup
    {
        public RawRowGroup(int capacity, bool needNames, OwnColumns? own, int columns)
        {
            SeriesIds = new int[capacity];
            Timestamps = new DateTime[capacity];
            IsAnomaly = new bool[capacity];
            Values = new double[capacity];
            ValueLevels = new int[capacity];
            Kinds = new ReadOnlyMemory<char>[capacity];
            KindLevels = new int[capacity];
            Ids = new int[capacity];
            IdLevels = new int[capacity];
            RequiredLevels = new int[capacity];
            Series = needNames ? new ReadOnlyMemory<char>[capacity] : [];
            ChunkStart = new long[columns];
            ChunkLength = new int[columns];
            ChunkCodecs = new ParquetCodec[columns];
            ChunkLoaded = new bool[columns];
            _chunkBytes = new byte[columns][];
            Array.Fill(_chunkBytes, []);
            if (own is not null)
            {
                var unit = own.Unit;
                _values =
                [
                    new FixedColumnValues<int>(SeriesIds, sizeof(int), PlainDecoder.Int32),
                    new StringColumnValues(Series),
                    new FixedColumnValues<DateTime>(Timestamps, sizeof(long), (data, output) => PlainDecoder.Timestamps(data, output, unit)),
                    new FixedColumnValues<double>(Values, sizeof(double), PlainDecoder.Double),
                    new FixedColumnValues<bool>(IsAnomaly, 0, PlainDecoder.Boolean),
                    new StringColumnValues(Kinds),
                    new FixedColumnValues<int>(Ids, sizeof(int), PlainDecoder.Int32),
                ];
            }
        }

        private readonly byte[][] _chunkBytes;
        private readonly ColumnValues[] _values = [];

        /// <summary>Per schema column: where the own decoder's chunk starts in the file (-1: Parquet.Net's chunk).</summary>
        public long[] ChunkStart { get; }

        public int[] ChunkLength { get; }

        public ParquetCodec[] ChunkCodecs { get; }

        /// <summary>Per schema column: whether the chunk's bytes are in its buffer for the current row group.</summary>
        public bool[] ChunkLoaded { get; }

        public ColumnChunkDecoder Decoder { get; } = new();

        public ColumnValues ValuesOf(int step) => _values[step];

        /// <summary>Schema column <paramref name="c"/>'s chunk bytes for the current row group, read (once) into a reused buffer.</summary>
        /// <exception cref="EndOfStreamException">The file ends inside the chunk.</exception>
        public ReadOnlySpan<byte> LoadChunk(SafeFileHandle handle, int c)
        {
            var length = ChunkLength[c];
            if (_chunkBytes[c].Length < length)
            {
                _chunkBytes[c] = new byte[length];
            }

            var bytes = _chunkBytes[c].AsSpan(0, length);
            if (!ChunkLoaded[c])
            {
                DatasetIntegrity.ReadExactly(handle, bytes, ChunkStart[c]);
                ChunkLoaded[c] = true;
            }

            return bytes;
        }

        public int Index { get; set; }

        public int Rows { get; set; }

        public long RowBase { get; set; }

        public bool HasNames { get; set; }

        public int[] SeriesIds { get; }

        public DateTime[] Timestamps { get; }

        public bool[] IsAnomaly { get; }

        public double[] Values { get; }

        public int[] ValueLevels { get; }

        public ReadOnlyMemory<char>[] Kinds { get; }

        public int[] KindLevels { get; }

        public int[] Ids { get; }

        public int[] IdLevels { get; }

        public ReadOnlyMemory<char>[] Series { get; }

        public int[] RequiredLevels { get; }

        public ChunkHasher Hasher { get; } = new();
    }
}
