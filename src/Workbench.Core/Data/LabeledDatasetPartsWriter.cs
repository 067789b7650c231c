using System.Globalization;
using Workbench.Core;

namespace Workbench.Data;

/// <summary>
/// Writes a labelled dataset as a <em>part folder</em> (<c>docs/DATASET_FORMAT.md</c>, "Part folders"): the rows in
/// canonical order cut into consecutive part files <c>part-00000.parquet</c>, <c>part-00001.parquet</c>, … of
/// <see cref="DatasetWriterOptions.PartRowGroups"/> row groups each, every part a complete dataset file (same series
/// table and recipe, its own integrity digests). Parts are encoded in parallel, up to
/// <see cref="DatasetWriterOptions.ParallelParts"/> at a time, while the caller goes on with the next part.
/// </summary>
/// <remarks>
/// <para>Every row is validated once, as it is appended (the checks of <see cref="LabeledDatasetWriter"/>); the order
/// state carries from one part to the next, so the folder read in name order is in canonical order.</para>
/// <para>The parts are written into a hidden staging folder beside the target and the folder is moved into place when
/// the writer is disposed after a successful write (an existing part folder there is replaced; a folder holding other
/// files is refused). On failure or <see cref="Abort"/> the staging folder is deleted and the target is left as it
/// was. Errors name the part's final path.</para>
/// <para>The same rows, series table, recipe and options give byte-identical parts, whatever the parallelism.</para>
/// <para>Not thread-safe: one caller at a time.</para>
/// </remarks>
public sealed class LabeledDatasetPartsWriter : IAsyncDisposable, IDisposable
{
    private readonly string _staging;
    private readonly string[] _names;
    private readonly DatasetRecipe _recipe;
    private readonly DatasetWriterOptions _options;
    private readonly long _rowsPerPart;
    private readonly int _parallel;
    private readonly List<string> _parts = [];
    private readonly Queue<Task> _closing = new();
    private readonly RowGroupBufferPool _pool;
    private LabeledDatasetWriter? _current;
    private LabeledDatasetWriter? _previous;
    private long _currentRows;
    private bool _faulted;
    private bool _closed;

    private LabeledDatasetPartsWriter(string folder, string staging, string[] names, DatasetRecipe recipe, DatasetWriterOptions options)
    {
        FolderPath = folder;
        _staging = staging;
        _names = names;
        _recipe = recipe;
        _options = options;
        _rowsPerPart = (long)options.RowGroupSize * options.PartRowGroups;
        _parallel = options.ParallelParts > 0 ? options.ParallelParts : Environment.ProcessorCount;
        _pool = new RowGroupBufferPool(options.RowGroupSize, (2 * _parallel) + 2);
    }

    /// <summary>The file name of part <paramref name="index"/>: <c>part-00000.parquet</c>.</summary>
    public static string PartFileName(int index) => string.Create(CultureInfo.InvariantCulture, $"part-{index:D5}.parquet");

    /// <summary>The target folder (it appears there when the writer is disposed).</summary>
    public string FolderPath { get; }

    /// <summary>The series table: <c>series_id</c> → series name.</summary>
    public IReadOnlyList<string> SeriesNames => _names;

    /// <summary>Rows accepted so far.</summary>
    public long RowsWritten { get; private set; }

    /// <summary>The part files, by their final paths, in order (complete once the writer is disposed).</summary>
    public IReadOnlyList<string> Parts => [.. _parts.Select(p => Path.Combine(FolderPath, Path.GetFileName(p)))];

    /// <summary>Creates a writer for the part folder <paramref name="folder"/>.</summary>
    /// <param name="folder">The target folder: missing, empty, or a part folder (only <c>part-*.parquet</c> files), which is replaced.</param>
    /// <param name="seriesNames">The series table (index = <c>series_id</c>): non-empty, distinct names.</param>
    /// <param name="recipe">How the data was made; stored in every part's metadata.</param>
    /// <param name="options">Writer options; <see cref="DatasetWriterOptions.Default"/> when null.</param>
    /// <exception cref="DatasetFormatException">A series name is null, empty or duplicated.</exception>
    /// <exception cref="UnsafePathException">The target is a file, or a folder holding other files.</exception>
    public static LabeledDatasetPartsWriter Create(string folder, IReadOnlyList<string> seriesNames, DatasetRecipe recipe, DatasetWriterOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        ArgumentNullException.ThrowIfNull(seriesNames);
        ArgumentNullException.ThrowIfNull(recipe);
        options ??= DatasetWriterOptions.Default;
        options.Validate();
        var bad = DatasetSchema.FindInvalidSeriesName(seriesNames, out var problem);
        if (bad >= 0)
        {
            throw new DatasetFormatException(folder, seriesNames[bad], null, LabeledDatasetFormat.SeriesColumn, problem!);
        }

        var full = Path.GetFullPath(Path.TrimEndingDirectorySeparator(folder));
        CheckTarget(folder, full);
        var parent = Path.GetDirectoryName(full) ?? throw new UnsafePathException(folder, $"'{folder}' has no parent folder");
        Directory.CreateDirectory(parent);
        var staging = Path.Combine(parent, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        SafeFile.RegisterTemporaryDirectory(staging); // deleted on SIGINT/SIGTERM and at exit unless moved into place
        Directory.CreateDirectory(staging);
        return new LabeledDatasetPartsWriter(full, staging, [.. seriesNames], recipe, options);
    }

    /// <summary>Validates and appends the batch's rows (see <see cref="LabeledDatasetWriter.WriteAsync(ObservationBatch, CancellationToken)"/>).</summary>
    /// <exception cref="DatasetFormatException">A row breaks the format; the writer is aborted.</exception>
    public async Task WriteAsync(ObservationBatch batch, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        if (_faulted || _closed)
        {
            throw new InvalidOperationException($"The part writer for '{FolderPath}' has failed, been aborted or closed.");
        }

        try
        {
            var offset = 0;
            while (offset < batch.Count)
            {
                ct.ThrowIfCancellationRequested();
                var writer = _current ??= await OpenPartAsync(ct).ConfigureAwait(false);
                var take = (int)Math.Min(_rowsPerPart - _currentRows, batch.Count - offset);
                await writer.WriteAsync(batch, offset, take, ct).ConfigureAwait(false);
                offset += take;
                _currentRows += take;
                RowsWritten += take;
                if (_currentRows == _rowsPerPart)
                {
                    await ClosePartAsync().ConfigureAwait(false);
                }
            }
        }
        catch (DatasetFormatException ex)
        {
            Abort();
            throw Retarget(ex);
        }
        catch
        {
            Abort();
            throw;
        }
    }

    /// <summary>Discards everything: deletes the staging folder and leaves the target untouched.</summary>
    public void Abort()
    {
        if (_faulted || _closed)
        {
            return;
        }

        _faulted = true;
        _current?.Abort();
        _current = null;
        foreach (var t in _closing)
        {
            try
            {
                t.Wait();
            }
            catch (AggregateException)
            {
                // moot: the folder is discarded
            }
        }

        _closing.Clear();
        SafeFile.DeleteTemporaryDirectory(_staging);
    }

    /// <summary>Closes the last part, waits for every part to be written and moves the folder into place.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_faulted || _closed)
        {
            return;
        }

        try
        {
            if (_current is not null || _parts.Count == 0)
            {
                // The last (partial) part; a dataset with no rows is one empty part, as a single file would be.
                _current ??= await OpenPartAsync(CancellationToken.None).ConfigureAwait(false);
                await ClosePartAsync().ConfigureAwait(false);
            }

            while (_closing.Count > 0)
            {
                await _closing.Dequeue().ConfigureAwait(false);
            }

            MoveIntoPlace();
            _closed = true;
        }
        catch (DatasetFormatException ex)
        {
            Abort();
            throw Retarget(ex);
        }
        catch
        {
            Abort();
            throw;
        }
    }

    /// <summary>Synchronous <see cref="DisposeAsync"/>.</summary>
    public void Dispose() => Task.Run(() => DisposeAsync().AsTask()).GetAwaiter().GetResult();

    /// <summary>Writes a whole part folder from batches; if anything fails no folder is left behind.</summary>
    public static async Task WriteAsync(
        string folder, IReadOnlyList<string> seriesNames, IEnumerable<ObservationBatch> batches, DatasetRecipe recipe,
        DatasetWriterOptions? options = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(batches);
        var writer = Create(folder, seriesNames, recipe, options);
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

    private async Task<LabeledDatasetWriter> OpenPartAsync(CancellationToken ct)
    {
        var path = Path.Combine(_staging, PartFileName(_parts.Count));
        var writer = await LabeledDatasetWriter.CreatePartAsync(path, _names, _recipe, _options, _pool, ct).ConfigureAwait(false);
        if (_previous is not null)
        {
            writer.ContinueFrom(_previous);
        }

        _parts.Add(path);
        _currentRows = 0;
        return writer;
    }

    /// <summary>Finishes the current part on a worker (its last row group, footer, digests) and bounds the parts in flight.</summary>
    private async Task ClosePartAsync()
    {
        var writer = _current!;
        _current = null;
        _previous = writer;
        _closing.Enqueue(Task.Run(() => writer.DisposeAsync().AsTask()));
        while (_closing.Count > _parallel)
        {
            await _closing.Dequeue().ConfigureAwait(false);
        }
    }

    private void MoveIntoPlace()
    {
        string? old = null;
        if (Directory.Exists(FolderPath))
        {
            CheckTarget(FolderPath, FolderPath);
            old = Path.Combine(Path.GetDirectoryName(FolderPath)!, $".{Path.GetFileName(FolderPath)}.{Guid.NewGuid():N}.old");
            Directory.Move(FolderPath, old);
        }

        Directory.Move(_staging, FolderPath);
        SafeFile.ForgetTemporaryDirectory(_staging);
        if (old is not null)
        {
            TryDeleteFolder(old);
        }
    }

    /// <summary>The target must be missing, an empty folder, or a part folder (only part files, which are replaced).</summary>
    private static void CheckTarget(string folder, string full)
    {
        if (File.Exists(full))
        {
            throw new UnsafePathException(folder, $"output folder '{folder}' is a file; give a folder (or a .parquet file name for one file)");
        }

        if (Directory.Exists(full) && Directory.EnumerateFileSystemEntries(full).FirstOrDefault(e => !IsPartFile(e)) is { } other)
        {
            throw new UnsafePathException(folder, $"output folder '{folder}' holds '{Path.GetFileName(other)}', which is not a part file; refusing to replace it — give a new or empty folder");
        }
    }

    private static bool IsPartFile(string path)
    {
        var name = Path.GetFileName(path);
        return name.StartsWith("part-", StringComparison.Ordinal) && name.EndsWith(".parquet", StringComparison.Ordinal) && File.Exists(path);
    }

    private DatasetFormatException Retarget(DatasetFormatException ex) =>
        ex.FilePath.StartsWith(_staging, StringComparison.Ordinal)
            ? new DatasetFormatException(Path.Combine(FolderPath, Path.GetRelativePath(_staging, ex.FilePath)), ex.Series, ex.Row, ex.Field, ex.Problem, ex)
            : ex;

    private static void TryDeleteFolder(string folder)
    {
        try
        {
            if (Directory.Exists(folder))
            {
                Directory.Delete(folder, recursive: true);
            }
        }
        catch (IOException)
        {
            // best effort: a hidden staging folder is left behind
        }
        catch (UnauthorizedAccessException)
        {
            // best effort
        }
    }
}
