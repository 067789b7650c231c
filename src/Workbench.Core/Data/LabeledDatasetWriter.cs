using System.Globalization;
using System.IO.Hashing;
using Workbench.Core;
using Workbench.Data.ParquetEncoding;

namespace Workbench.Data;

/// <summary>
/// Writes a labelled dataset file (<c>docs/DATASET_FORMAT.md</c>) from <see cref="ObservationBatch"/>es in canonical
/// order, validating every row. Rows are buffered into row groups of <see cref="DatasetWriterOptions.RowGroupSize"/>;
/// a full row group is encoded (<see cref="ParquetEncoding.LabeledRowGroupEncoder"/>, our own Parquet encoder:
/// docs/DATASET_FORMAT.md, "Physical layout") on a worker task while the next one is assembled, so at most two row groups
/// are in memory.
/// </summary>
/// <remarks>
/// <para>The file is written to a temporary file beside the target and moved into place when the writer is disposed
/// after a successful write. If a write fails (a <see cref="DatasetFormatException"/>, an I/O error, cancellation) or
/// <see cref="Abort"/> is called, the temporary file is deleted and the target is left as it was.</para>
/// <para>Disposing commits what has been written: a caller that stops because of its own error should call
/// <see cref="Abort"/> first (the static <c>WriteAsync</c> helpers do).</para>
/// <para>The same rows, series table, recipe and options always give a byte-identical file.</para>
/// <para>Not thread-safe: one caller at a time.</para>
/// </remarks>
public sealed class LabeledDatasetWriter : IAsyncDisposable, IDisposable
{
    private enum State
    {
        Open,
        Faulted,
        Closed,
    }

    private readonly string _tempPath;
    private readonly FileStream _stream;
    private readonly LabeledRowGroupEncoder _encoder = new();
    private readonly List<RowGroupInfo> _rowGroups = [];
    private long _position;
    private readonly DatasetRecipe _recipe;
    private readonly int _rowGroupSize;
    private readonly bool _keepDuplicates;
    private readonly bool _unlabelled;

    // The series table. Fixed for a public writer; grows (append only) for the observation helper.
    private readonly List<string> _names;
    private readonly Dictionary<string, int>? _nameIndex;
    private string[] _nameArray;
    private long[] _lastTicks;

    // The anomaly kinds met so far (index = the encoder's kind id); the array is replaced, never changed, when a kind is added.
    private readonly Dictionary<string, int> _kindIndex = new(StringComparer.Ordinal);
    private string[] _kindTable = [];
    private AnomalyKind? _lastKind;
    private int _lastKindId = -1;

    private long _prevTicks = long.MinValue;
    private int _prevSeries = -1;
    private RowGroupBuffer _current;
    private RowGroupBuffer? _spare;
    private Task<RowGroupBuffer>? _pendingFlush;
    private object? _checkedTable;
    private State _state;
    private readonly RowGroupBufferPool? _pool;

    // The integrity record: per row group written, each column chunk's range and digest (docs/DATASET_FORMAT.md, "Integrity").
    private readonly List<ChunkDigest[]> _digests = [];

    private LabeledDatasetWriter(
        string path, string tempPath, FileStream stream,
        List<string> names, bool growable, DatasetRecipe recipe, int rowGroupSize, bool keepDuplicates, bool unlabelled, RowGroupBufferPool? pool)
    {
        _pool = pool;
        _keepDuplicates = keepDuplicates;
        _unlabelled = unlabelled;
        FilePath = path;
        _tempPath = tempPath;
        _stream = stream;
        _position = stream.Position;
        _recipe = recipe;
        _rowGroupSize = rowGroupSize;
        _names = names;
        _nameArray = [.. names];
        _lastTicks = new long[names.Count];
        Array.Fill(_lastTicks, long.MinValue);
        if (growable)
        {
            _nameIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        }

        _current = pool?.Rent() ?? new RowGroupBuffer(rowGroupSize);
    }

    /// <summary>The target file path (the file appears there when the writer is disposed).</summary>
    public string FilePath { get; }

    /// <summary>The series table: <c>series_id</c> → series name.</summary>
    public IReadOnlyList<string> SeriesNames => _names;

    /// <summary>Rows accepted so far (validated and buffered or already encoded); they are in the file once the writer
    /// is disposed. The 0-based file row index of the next row.</summary>
    public long RowsWritten { get; private set; }

    /// <summary>
    /// Creates a writer for <paramref name="path"/> (a temporary file is written beside it until disposal).
    /// </summary>
    /// <param name="path">The target file; replaced if it exists when the writer is disposed.</param>
    /// <param name="seriesNames">The series table (index = <c>series_id</c>): non-empty, distinct names.</param>
    /// <param name="recipe">How the data was made; stored in the file's metadata.</param>
    /// <param name="options">Writer options; <see cref="DatasetWriterOptions.Default"/> when null.</param>
    /// <param name="ct">Cancels creation.</param>
    /// <exception cref="DatasetFormatException">A series name is null, empty or duplicated.</exception>
    public static Task<LabeledDatasetWriter> CreateAsync(
        string path, IReadOnlyList<string> seriesNames, DatasetRecipe recipe,
        DatasetWriterOptions? options = null, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(seriesNames);
        var bad = DatasetSchema.FindInvalidSeriesName(seriesNames, out var problem);
        if (bad >= 0)
        {
            throw new DatasetFormatException(path, seriesNames[bad], null, LabeledDatasetFormat.SeriesColumn, problem!);
        }

        return CreateCoreAsync(path, [.. seriesNames], growable: false, recipe, options, ct);
    }

    /// <summary>As <see cref="CreateAsync"/> (series table already checked), taking row group buffers from <paramref name="pool"/>.</summary>
    internal static Task<LabeledDatasetWriter> CreatePartAsync(
        string path, IReadOnlyList<string> seriesNames, DatasetRecipe recipe, DatasetWriterOptions options, RowGroupBufferPool pool, CancellationToken ct) =>
        CreateCoreAsync(path, [.. seriesNames], growable: false, recipe, options, ct, pool);

    private static async Task<LabeledDatasetWriter> CreateCoreAsync(
        string path, List<string> names, bool growable, DatasetRecipe recipe, DatasetWriterOptions? options, CancellationToken ct,
        RowGroupBufferPool? pool = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(recipe);
        options ??= DatasetWriterOptions.Default;
        options.Validate();
        ct.ThrowIfCancellationRequested();

        // A temporary file beside the target, renamed over it when complete (SafeFile: refuses devices, FIFOs, directories).
        var (tempPath, stream) = SafeFile.CreateTemporary(path, bufferSize: 1 << 20);
        try
        {
            await stream.WriteAsync(ParquetMagic.ToArray(), ct).ConfigureAwait(false);
            return new LabeledDatasetWriter(path, tempPath, stream, names, growable, recipe, options.RowGroupSize,
                options.DuplicateTimestamps == DuplicateTimestampPolicy.Keep, options.Unlabelled, pool);
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            TryDelete(tempPath);
            throw;
        }
    }

    /// <summary>
    /// Validates and appends the batch's rows. The batch may be larger or smaller than a row group, and may be reused
    /// by the caller once the call returns.
    /// </summary>
    /// <param name="batch">Rows in canonical order, continuing the rows written before; its
    /// <see cref="ObservationBatch.SeriesNames"/> must equal the writer's series table.</param>
    /// <param name="ct">Cancels the write (the writer is then aborted).</param>
    /// <exception cref="DatasetFormatException">A row breaks the format; the writer is aborted.</exception>
    /// <exception cref="ArgumentException">The batch's series table differs from the writer's.</exception>
    /// <exception cref="InvalidOperationException">The writer has failed, been aborted or disposed.</exception>
    public Task WriteAsync(ObservationBatch batch, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        return WriteAsync(batch, 0, batch.Count, ct);
    }

    /// <summary>Validates and appends rows [<paramref name="start"/>, <paramref name="start"/> + <paramref name="count"/>) of the batch.</summary>
    internal async Task WriteAsync(ObservationBatch batch, int start, int count, CancellationToken ct)
    {
        ThrowIfNotOpen();
        CheckSeriesTable(batch.SeriesNames);
        if (_unlabelled && Array.IndexOf(batch.IsAnomaly, true, start, count) is var labelled and >= 0)
        {
            Fault();
            throw new DatasetFormatException(FilePath, batch.SeriesNames[batch.SeriesIds[labelled]], RowsWritten + labelled - start, LabeledDatasetFormat.IsAnomalyColumn,
                "an anomalous row in a file declared unlabelled");
        }
        try
        {
            var offset = start;
            var end = start + count;
            while (offset < end)
            {
                ct.ThrowIfCancellationRequested();
                var take = Math.Min(_rowGroupSize - _current.Count, end - offset);
                _current.EnsureCapacity(_current.Count + take);
                AppendRows(batch, offset, take);
                offset += take;
                if (_current.Count == _rowGroupSize)
                {
                    await StartFlushAsync().ConfigureAwait(false);
                }
            }
        }
        catch
        {
            Fault();
            throw;
        }
    }

    /// <summary>
    /// Discards everything: deletes the temporary file and leaves the target untouched. Later writes throw; disposing
    /// does nothing more. Does nothing if the writer is already closed.
    /// </summary>
    public void Abort()
    {
        if (_state == State.Open)
        {
            Fault();
        }
    }

    /// <summary>
    /// Flushes the last (partial) row group, writes the footer and moves the file into place; after a failure or
    /// <see cref="Abort"/> only releases resources.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (_state != State.Open)
        {
            return;
        }

        try
        {
            await DrainPendingAsync().ConfigureAwait(false);
            if (_current.Count > 0)
            {
                await WriteRowGroupAsync(Seal(_current), CancellationToken.None).ConfigureAwait(false);
            }

            var metadata = DatasetSchema.BuildMetadata(_names, _recipe);
            if (_keepDuplicates)
            {
                metadata[LabeledDatasetFormat.DuplicateTimestampsKey] = DuplicateTimestampRows.ToString(CultureInfo.InvariantCulture);
            }

            if (_unlabelled)
            {
                metadata[LabeledDatasetFormat.LabelsKey] = LabeledDatasetFormat.UnlabelledValue;
            }

            // Last key: the integrity record, with a placeholder footer digest patched in once the footer is built.
            var columns = ParquetColumn.LabeledDataset.Select(c => c.Name).ToArray();
            metadata[LabeledDatasetFormat.DigestsKey] = new DatasetDigests(0, columns, [.. _digests]).ToJson();
            await WriteFooterAsync([.. metadata]).ConfigureAwait(false);
            await _stream.FlushAsync().ConfigureAwait(false);
            await _stream.DisposeAsync().ConfigureAwait(false);
            SafeFile.Commit(_tempPath, FilePath);
            _state = State.Closed;
            ReturnBuffers();
        }
        catch
        {
            Fault();
            throw;
        }
    }

    /// <summary>Synchronous <see cref="DisposeAsync"/> (runs it on the thread pool and waits).</summary>
    public void Dispose() => Task.Run(() => DisposeAsync().AsTask()).GetAwaiter().GetResult();

    /// <summary>
    /// Writes a whole file from batches (see <see cref="WriteAsync(ObservationBatch, CancellationToken)"/>); if
    /// anything fails, including enumerating <paramref name="batches"/>, no file is left behind.
    /// </summary>
    public static async Task WriteAsync(
        string path, IReadOnlyList<string> seriesNames, IEnumerable<ObservationBatch> batches, DatasetRecipe recipe,
        DatasetWriterOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(batches);
        var writer = await CreateAsync(path, seriesNames, recipe, options, ct).ConfigureAwait(false);
        try
        {
            foreach (var batch in batches)
            {
                await writer.WriteAsync(batch, ct).ConfigureAwait(false);
            }
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
    }

    /// <summary>
    /// Writes a whole file from observations in canonical order. The series table is built in order of first
    /// appearance, so "canonical order" here means: timestamps ascending, and at equal timestamps series in the order
    /// in which they first appeared. If anything fails no file is left behind.
    /// </summary>
    public static async Task WriteAsync(
        string path, IEnumerable<LabeledObservation> observations, DatasetRecipe recipe,
        DatasetWriterOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(observations);
        var writer = await CreateCoreAsync(path, [], growable: true, recipe, options, ct).ConfigureAwait(false);
        try
        {
            var batch = new ObservationBatch(writer._names, 1 << 14);
            foreach (var o in observations)
            {
                if (string.IsNullOrEmpty(o.Series))
                {
                    throw new DatasetFormatException(writer.FilePath, o.Series, writer.RowsWritten + batch.Count, LabeledDatasetFormat.SeriesColumn, "series name is null or empty");
                }

                if (batch.Count == batch.Capacity)
                {
                    await writer.WriteAsync(batch, ct).ConfigureAwait(false);
                    batch.Clear();
                }

                batch.Add(writer.GetOrAddSeries(o.Series), o.Timestamp, o.Value, o.Label);
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
    }

    /// <summary>
    /// Carries the order state of <paramref name="previous"/> (the last row, each series' last timestamp) into this
    /// writer, so that the first row written here is checked against the rows written there: the next part of a part
    /// folder (<see cref="LabeledDatasetPartsWriter"/>) continues the canonical order of the one before.
    /// </summary>
    internal void ContinueFrom(LabeledDatasetWriter previous)
    {
        if (RowsWritten != 0 || previous._names.Count != _names.Count)
        {
            throw new InvalidOperationException("A writer can only continue another one with the same series table before its first row.");
        }

        Array.Copy(previous._lastTicks, _lastTicks, _lastTicks.Length);
        _prevTicks = previous._prevTicks;
        _prevSeries = previous._prevSeries;
    }

    private int GetOrAddSeries(string name)
    {
        var index = _nameIndex!;
        if (index.TryGetValue(name, out var id))
        {
            return id;
        }

        id = _names.Count;
        index.Add(name, id);
        _names.Add(name);
        _nameArray = [.. _names];
        if (_lastTicks.Length <= id)
        {
            var grown = new long[Math.Max(16, _lastTicks.Length * 2)];
            Array.Fill(grown, long.MinValue);
            Array.Copy(_lastTicks, grown, _lastTicks.Length);
            _lastTicks = grown;
        }

        return id;
    }

    private void CheckSeriesTable(IReadOnlyList<string> table)
    {
        if (ReferenceEquals(table, _names) || (ReferenceEquals(table, _checkedTable) && table.Count == _names.Count))
        {
            return;
        }

        var same = table.Count == _names.Count;
        for (var i = 0; same && i < table.Count; i++)
        {
            same = string.Equals(table[i], _names[i], StringComparison.Ordinal);
        }

        if (!same)
        {
            throw new ArgumentException(
                $"The batch's series table ({table.Count} names) differs from the writer's ({_names.Count} names) for '{FilePath}'.", nameof(table));
        }

        _checkedTable = table;
    }

    /// <summary>The hot loop: validates rows [offset, offset+count) of the batch and appends them to the buffer.</summary>
    /// <summary>
    /// Rows written whose timestamp repeats their series' previous row (only with
    /// <see cref="DuplicateTimestampPolicy.Keep"/>; otherwise such a row is an error).
    /// </summary>
    public long DuplicateTimestampRows { get; private set; }

    private void AppendRows(ObservationBatch batch, int offset, int count)
    {
        var buffer = _current;
        var seriesIds = batch.SeriesIds;
        var timestamps = batch.Timestamps;
        var values = batch.Values;
        var isAnomaly = batch.IsAnomaly;
        var kinds = batch.Kinds;
        var anomalyIds = batch.AnomalyIds;

        var names = _nameArray;
        var lastTicks = _lastTicks;
        var outSeriesIds = buffer.SeriesIds;
        var outTicks = buffer.Ticks;
        var outValues = buffer.Values;
        var outValueLevels = buffer.ValueLevels;
        var outIsAnomaly = buffer.IsAnomaly;
        var outKinds = buffer.KindIds;
        var outKindLevels = buffer.KindLevels;
        var outIds = buffer.Ids;
        var outIdLevels = buffer.IdLevels;

        var n = buffer.Count;
        var valueCount = buffer.ValueCount;
        var kindCount = buffer.KindCount;
        var idCount = buffer.IdCount;
        var prevTicks = _prevTicks;
        var prevSeries = _prevSeries;
        var fileRowOfBatchRow0 = RowsWritten - offset;
        var end = offset + count;

        for (var i = offset; i < end; i++, n++)
        {
            var sid = seriesIds[i];
            if ((uint)sid >= (uint)names.Length)
            {
                throw RowError(fileRowOfBatchRow0 + i, null, LabeledDatasetFormat.SeriesIdColumn,
                    $"unknown series id {sid} (the series table has {names.Length} names)");
            }

            var timestamp = timestamps[i];
            var ticks = timestamp.Ticks;
            if (timestamp.Kind != DateTimeKind.Utc)
            {
                throw RowError(fileRowOfBatchRow0 + i, sid, LabeledDatasetFormat.TimestampColumn,
                    $"timestamp {timestamp.ToString("O", CultureInfo.InvariantCulture)} has Kind={timestamp.Kind}, expected Utc");
            }

            if (ticks % LabeledDatasetFormat.TicksPerMillisecond != 0)
            {
                throw RowError(fileRowOfBatchRow0 + i, sid, LabeledDatasetFormat.TimestampColumn,
                    $"timestamp {timestamp.ToString("O", CultureInfo.InvariantCulture)} has sub-millisecond ticks; the format stores milliseconds");
            }

            var last = lastTicks[sid];
            if (ticks == last && _keepDuplicates)
            {
                DuplicateTimestampRows++;
            }
            else if (ticks <= last)
            {
                throw RowError(fileRowOfBatchRow0 + i, sid, LabeledDatasetFormat.TimestampColumn, ticks == last
                    ? $"duplicate timestamp {Format(timestamp)} within the series"
                    : $"timestamp {Format(timestamp)} is out of order within the series (previous {Format(new DateTime(last, DateTimeKind.Utc))})");
            }

            if (ticks < prevTicks || (ticks == prevTicks && sid < prevSeries))
            {
                throw RowError(fileRowOfBatchRow0 + i, sid, LabeledDatasetFormat.TimestampColumn,
                    $"row is not in canonical order (timestamp ascending, then series_id): {Format(timestamp)} / series_id {sid} follows {Format(new DateTime(prevTicks, DateTimeKind.Utc))} / series_id {prevSeries}");
            }

            var value = values[i];
            if (value.HasValue)
            {
                var v = value.GetValueOrDefault();
                if (!double.IsFinite(v))
                {
                    throw RowError(fileRowOfBatchRow0 + i, sid, LabeledDatasetFormat.ValueColumn,
                        $"value is {v.ToString(CultureInfo.InvariantCulture)}; NaN and infinities are not allowed (use null for a missing value)");
                }

                outValues[valueCount++] = v;
                outValueLevels[n] = 1;
            }
            else
            {
                outValueLevels[n] = 0;
            }

            var anomalous = isAnomaly[i];
            var kind = kinds[i];
            var eventId = anomalyIds[i];
            if (anomalous)
            {
                if (!eventId.HasValue)
                {
                    throw RowError(fileRowOfBatchRow0 + i, sid, LabeledDatasetFormat.AnomalyIdColumn,
                        "is_anomaly is true but anomaly_id is null");
                }
            }
            else if (kind is not null || eventId.HasValue)
            {
                throw RowError(fileRowOfBatchRow0 + i, sid,
                    kind is not null ? LabeledDatasetFormat.AnomalyKindColumn : LabeledDatasetFormat.AnomalyIdColumn,
                    $"is_anomaly is false but {(kind is not null ? $"anomaly_kind is '{kind.Name}'" : $"anomaly_id is {eventId}")}");
            }

            if (kind is not null)
            {
                outKinds[kindCount++] = KindId(kind);
                outKindLevels[n] = 1;
            }
            else
            {
                outKindLevels[n] = 0;
            }

            if (eventId.HasValue)
            {
                outIds[idCount++] = eventId.GetValueOrDefault();
                outIdLevels[n] = 1;
            }
            else
            {
                outIdLevels[n] = 0;
            }

            outSeriesIds[n] = sid;
            outTicks[n] = ticks;
            outIsAnomaly[n] = anomalous;
            lastTicks[sid] = ticks;
            prevTicks = ticks;
            prevSeries = sid;
        }

        buffer.Count = n;
        buffer.ValueCount = valueCount;
        buffer.KindCount = kindCount;
        buffer.IdCount = idCount;
        _prevTicks = prevTicks;
        _prevSeries = prevSeries;
        RowsWritten += count;
    }

    /// <summary>Hands the full buffer to a worker task and continues with the other buffer.</summary>
    /// <remarks>The encode is not cancelled by the token of the call that started it: cancellation stops the next
    /// call, and the writer is then aborted anyway.</remarks>
    private async Task StartFlushAsync()
    {
        var full = Seal(_current);
        var next = await DrainPendingAsync().ConfigureAwait(false) ?? _spare ?? _pool?.Rent() ?? new RowGroupBuffer(_rowGroupSize);
        _spare = null;
        next.Clear();
        _current = next;
        _pendingFlush = Task.Run(async () =>
        {
            await WriteRowGroupAsync(full, CancellationToken.None).ConfigureAwait(false);
            return full;
        }, CancellationToken.None);
    }

    private async Task<RowGroupBuffer?> DrainPendingAsync()
    {
        if (_pendingFlush is not { } pending)
        {
            return null;
        }

        _pendingFlush = null;
        var buffer = await pending.ConfigureAwait(false);
        _spare = buffer;
        return buffer;
    }

    /// <summary>The index of <paramref name="kind"/> in the kind table, adding it on first sight (rows are anomalous rarely, and mostly of the kind before).</summary>
    private int KindId(AnomalyKind kind)
    {
        if (ReferenceEquals(kind, _lastKind))
        {
            return _lastKindId;
        }

        if (!_kindIndex.TryGetValue(kind.Name, out var id))
        {
            id = _kindTable.Length;
            _kindIndex.Add(kind.Name, id);
            _kindTable = [.. _kindTable, kind.Name];
        }

        _lastKind = kind;
        _lastKindId = id;
        return id;
    }

    /// <summary>Hands the buffer the series and kind tables its ids refer to (snapshots: the encoder runs on a worker).</summary>
    private RowGroupBuffer Seal(RowGroupBuffer buffer)
    {
        buffer.SeriesTable = _nameArray;
        buffer.KindTable = _kindTable;
        return buffer;
    }

    /// <summary>Encodes the row group and appends its column chunks to the file, each hashed for the integrity record.</summary>
    private async Task WriteRowGroupAsync(RowGroupBuffer buffer, CancellationToken ct)
    {
        var infos = _encoder.Encode(buffer);
        var digests = new ChunkDigest[infos.Length];
        var offsets = new long[infos.Length];
        for (var c = 0; c < infos.Length; c++)
        {
            var chunk = _encoder.Chunk(c);
            digests[c] = new ChunkDigest(_position, chunk.Length, XxHash3.HashToUInt64(chunk.Span));
            offsets[c] = _position;
            await _stream.WriteAsync(chunk, ct).ConfigureAwait(false);
            _position += chunk.Length;
        }

        _digests.Add(digests);
        _rowGroups.Add(new RowGroupInfo(infos, offsets, buffer.Count));
    }

    /// <summary>
    /// Writes the footer: the Thrift file metadata with the integrity record's footer digest computed over the footer
    /// as built (placeholder digits <c>0</c>) and written over the placeholder, then the footer length and the magic.
    /// </summary>
    private async Task WriteFooterAsync(IReadOnlyList<KeyValuePair<string, string>> metadata)
    {
        var footer = new ByteBuffer(1 << 14);
        ParquetFooterWriter.Write(footer, ParquetColumn.LabeledDataset, _rowGroups, metadata, CreatedBy);
        var length = footer.Length;
        var bytes = footer.Slice(0, length);
        var at = bytes.IndexOf(DatasetDigests.Marker);
        if (at < 0 || bytes[(at + 1)..].IndexOf(DatasetDigests.Marker) >= 0)
        {
            throw new InvalidOperationException($"The footer of '{FilePath}' does not hold exactly one digest record.");
        }

        var hex = System.Text.Encoding.ASCII.GetBytes(DatasetDigests.Hex(XxHash3.HashToUInt64(bytes)));
        hex.CopyTo(bytes[(at + DatasetDigests.Marker.Length)..]);
        footer.WriteInt32LittleEndian(length);
        footer.Write(ParquetMagic);
        await _stream.WriteAsync(footer.WrittenMemory).ConfigureAwait(false);
        _position += footer.Length;
    }

    /// <summary>The leading and trailing magic of a Parquet file.</summary>
    private static ReadOnlySpan<byte> ParquetMagic => "PAR1"u8;

    /// <summary>The footer's <c>created_by</c>: the writing application and its version (no source revision, so files stay byte-identical across commits).</summary>
    private static string CreatedBy => $"workbench version {WorkbenchInfo.Version}";

    private void ThrowIfNotOpen()
    {
        if (_state != State.Open)
        {
            throw new InvalidOperationException(_state == State.Faulted
                ? $"The writer for '{FilePath}' has failed or been aborted; nothing was written."
                : $"The writer for '{FilePath}' is closed.");
        }
    }

    /// <summary>Marks the writer failed and removes the temporary file; never throws.</summary>
    private void Fault()
    {
        if (_state == State.Faulted)
        {
            return;
        }

        _state = State.Faulted;
        try
        {
            // Let an in-flight encode finish before closing the stream under it.
            _pendingFlush?.Wait();
        }
        catch (AggregateException)
        {
            // The failure is reported by whoever awaited it, or is moot: the file is being discarded.
        }

        _pendingFlush = null;
        ReturnBuffers();
        try
        {
            _stream.Dispose();
        }
        catch (IOException)
        {
            // Buffered bytes could not be flushed (e.g. the disk is full); the handle is closed and the file is discarded.
        }

        TryDelete(_tempPath);
    }

    /// <summary>Hands the row group buffers back to the pool (part writers) once no encode uses them.</summary>
    private void ReturnBuffers()
    {
        if (_pool is null)
        {
            return;
        }

        _pool.Return(_current);
        _pool.Return(_spare);
        _spare = null;
    }

    // SafeFile.Discard deletes it, or leaves it registered for deletion at process exit.
    private static void TryDelete(string path) => SafeFile.Discard(path);

    private DatasetFormatException RowError(long row, int? seriesId, string field, string problem) =>
        new(FilePath, seriesId is { } id ? _names[id] : null, row, field, problem);

    private static string Format(DateTime t) => t.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
}
