using Parquet;
using Parquet.Schema;
using Workbench.Core;

namespace Workbench.Data;

/// <summary>An extra column of a results file: a nullable double (scores, forecasts) or a boolean (flags).</summary>
/// <param name="Name">The column name.</param>
/// <param name="IsFlag">True for a non-null boolean column, false for a nullable double column.</param>
public sealed record ResultColumn(string Name, bool IsFlag);

/// <summary>
/// Writes operator results: the rows of a labelled dataset (every column of <c>docs/DATASET_FORMAT.md</c>, same series
/// table and metadata, so the file is still a valid labelled dataset) followed by extra columns such as
/// <c>zscore_score</c>/<c>zscore_flag</c> or <c>forecast</c>/<c>lower</c>/<c>upper</c>. One row group per
/// <see cref="WriteAsync"/> call. The rows come from a validated dataset, so they are not validated again. Written to a
/// temporary file and moved into place on <see cref="DisposeAsync"/>; <see cref="Abort"/> leaves nothing behind.
/// </summary>
public sealed class ResultsFileWriter : IAsyncDisposable
{
    /// <summary>Metadata key holding a JSON object: extra column name → what produced it (e.g. the detector spec).</summary>
    public const string ColumnsKey = "workbench.result_columns";

    private readonly DatasetSchema _schema = new();
    private readonly DataField[] _extra;
    private readonly IReadOnlyList<ResultColumn> _columns;
    private readonly Dictionary<string, string> _metadata;
    private readonly string _tempPath;
    private readonly FileStream _stream;
    private readonly ParquetWriter _parquet;
    private bool _done;

    private ResultsFileWriter(string path, string tempPath, FileStream stream, ParquetWriter parquet, DataField[] extra,
        IReadOnlyList<ResultColumn> columns, Dictionary<string, string> metadata)
    {
        FilePath = path;
        _tempPath = tempPath;
        _stream = stream;
        _parquet = parquet;
        _extra = extra;
        _columns = columns;
        _metadata = metadata;
    }

    /// <summary>The target path.</summary>
    public string FilePath { get; }

    /// <summary>Creates a writer for rows of a dataset with <paramref name="seriesNames"/> and the given extra columns.</summary>
    /// <param name="path">The file to write.</param>
    /// <param name="seriesNames">The source dataset's series table.</param>
    /// <param name="recipe">The source dataset's recipe (kept in the metadata), or null.</param>
    /// <param name="columns">The extra columns, in order; names must not clash with the labelled columns.</param>
    /// <param name="provenance">Column name → what produced it, stored under <see cref="ColumnsKey"/>.</param>
    /// <param name="ct">Cancels creation.</param>
    public static async Task<ResultsFileWriter> CreateAsync(
        string path, IReadOnlyList<string> seriesNames, DatasetRecipe? recipe, IReadOnlyList<ResultColumn> columns,
        IReadOnlyDictionary<string, string> provenance, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(seriesNames);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(provenance);
        var schema = new DatasetSchema();
        var taken = schema.Schema.DataFields.Select(f => f.Name).ToHashSet(StringComparer.Ordinal);
        var extra = new DataField[columns.Count];
        for (var i = 0; i < columns.Count; i++)
        {
            if (!taken.Add(columns[i].Name))
            {
                throw new ArgumentException($"Result column '{columns[i].Name}' clashes with another column.", nameof(columns));
            }

            extra[i] = columns[i].IsFlag ? new DataField<bool>(columns[i].Name, nullable: false) : new DataField<double?>(columns[i].Name);
        }

        var metadata = DatasetSchema.BuildMetadata(seriesNames, recipe ?? new DatasetRecipe("unknown", "", null, WorkbenchInfo.Version));
        metadata[ColumnsKey] = System.Text.Json.JsonSerializer.Serialize(provenance.OrderBy(p => p.Key, StringComparer.Ordinal).ToDictionary());
        var (tempPath, stream) = SafeFile.CreateTemporary(path, 1 << 20);
        try
        {
            var parquetSchema = new ParquetSchema([.. schema.Schema.Fields, .. extra]);
            var parquet = await ParquetWriter.CreateAsync(parquetSchema, stream, DatasetSchema.CreateWriteOptions(), false, ct).ConfigureAwait(false);
            var writer = new ResultsFileWriter(path, tempPath, stream, parquet, extra, columns, metadata);
            return writer;
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            SafeFile.Discard(tempPath);
            throw;
        }
    }

    /// <summary>
    /// Writes the batch's rows and, for each extra column in order, its values: <c>double?[]</c> for score columns,
    /// <c>bool[]</c> for flag columns, each at least <see cref="ObservationBatch.Count"/> long.
    /// </summary>
    public async Task WriteAsync(ObservationBatch batch, IReadOnlyList<Array> extraValues, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(batch);
        ArgumentNullException.ThrowIfNull(extraValues);
        if (extraValues.Count != _extra.Length)
        {
            throw new ArgumentException($"Expected {_extra.Length} extra columns, got {extraValues.Count}.", nameof(extraValues));
        }

        var n = batch.Count;
        var names = new string[n];
        var kinds = new string?[n];
        for (var i = 0; i < n; i++)
        {
            names[i] = batch.SeriesNames[batch.SeriesIds[i]];
            kinds[i] = batch.Kinds[i]?.Name;
        }

        using var rg = _parquet.CreateRowGroup();
        await rg.WriteAsync(_schema.Series, names, null).ConfigureAwait(false);
        await rg.WriteAsync<int>(_schema.SeriesId, batch.SeriesIds.AsMemory(0, n), null, null, ct).ConfigureAwait(false);
        await rg.WriteAsync<DateTime>(_schema.Timestamp, batch.Timestamps.AsMemory(0, n), null, null, ct).ConfigureAwait(false);
        await rg.WriteAsync<double>(_schema.Value, batch.Values.AsMemory(0, n), null, null, ct).ConfigureAwait(false);
        await rg.WriteAsync<bool>(_schema.IsAnomaly, batch.IsAnomaly.AsMemory(0, n), null, null, ct).ConfigureAwait(false);
        await rg.WriteAsync(_schema.AnomalyKind, kinds, null).ConfigureAwait(false);
        await rg.WriteAsync<int>(_schema.AnomalyId, batch.AnomalyIds.AsMemory(0, n), null, null, ct).ConfigureAwait(false);
        for (var c = 0; c < _extra.Length; c++)
        {
            switch (extraValues[c])
            {
                case bool[] flags when _columns[c].IsFlag && flags.Length >= n:
                    await rg.WriteAsync<bool>(_extra[c], flags.AsMemory(0, n), null, null, ct).ConfigureAwait(false);
                    break;
                case double?[] scores when !_columns[c].IsFlag && scores.Length >= n:
                    await rg.WriteAsync<double>(_extra[c], scores.AsMemory(0, n), null, null, ct).ConfigureAwait(false);
                    break;
                default:
                    throw new ArgumentException($"Column '{_columns[c].Name}' needs {(_columns[c].IsFlag ? "bool[]" : "double?[]")} of at least {n} values.", nameof(extraValues));
            }
        }
    }

    /// <summary>Abandons the file: the temporary file is deleted, the target untouched.</summary>
    public void Abort()
    {
        if (_done)
        {
            return;
        }

        _done = true;
        // The Parquet writer is dropped unfinished: closing its stream and deleting the file is all that is needed.
        CloseQuietly(_stream);
        SafeFile.Discard(_tempPath);
    }

    /// <summary>Finishes the file and moves it into place.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_done)
        {
            return;
        }

        _done = true;
        try
        {
            _parquet.CustomMetadata = _metadata;
            await _parquet.DisposeAsync().ConfigureAwait(false);
            await _stream.DisposeAsync().ConfigureAwait(false);
            SafeFile.Commit(_tempPath, FilePath);
        }
        catch
        {
            CloseQuietly(_stream);
            SafeFile.Discard(_tempPath);
            throw;
        }
    }

    private static void CloseQuietly(Stream stream)
    {
        try
        {
            stream.Dispose();
        }
        catch (IOException)
        {
            // Buffered bytes could not be flushed (e.g. the disk is full); the handle is closed and the file is discarded.
        }
    }
}
