using Parquet;
using Parquet.Schema;
using Workbench.Core;
using Workbench.Data;

namespace Workbench.Tests.Data;

/// <summary>A fresh directory under the system temp folder, deleted on dispose.</summary>
internal sealed class TempDir : IDisposable
{
    public TempDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "workbench-data-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string File(string name) => System.IO.Path.Combine(Path, name);

    /// <summary>All file names in the directory (to check no temporary file is left behind).</summary>
    public string[] Files() => [.. Directory.GetFiles(Path).Select(System.IO.Path.GetFileName).Order(StringComparer.Ordinal)!];

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // Best effort.
        }
    }
}

internal static class Samples
{
    public static readonly DateTime T0 = new(2024, 6, 1, 0, 0, 0, DateTimeKind.Utc);

    public static readonly DatasetRecipe Recipe = new("generate", """{"series":3}""", 42, "0.1.0-test");

    public static readonly string[] Names = ["host-1/latency", "host-2/latency", "host-3/cpu"];

    public static DateTime Minute(int m) => T0.AddMinutes(m);

    /// <summary>
    /// A canonical batch over <see cref="Names"/> exercising every field: nulls, every well-known kind, an unknown kind,
    /// an anomaly without kind, ids, negative and large values. <paramref name="minutes"/> timestamps × 3 series.
    /// </summary>
    public static ObservationBatch Batch(int minutes = 4)
    {
        var batch = new ObservationBatch(Names, minutes * Names.Length);
        var kinds = new AnomalyKind?[] { AnomalyKind.Spike, AnomalyKind.LevelShift, AnomalyKind.Drift, AnomalyKind.Missing, AnomalyKind.Seasonal, AnomalyKind.LabelledWindow, AnomalyKind.FromName("contextual"), null };
        var k = 0;
        for (var m = 0; m < minutes; m++)
        {
            for (var s = 0; s < Names.Length; s++)
            {
                double? value = (m + s) % 5 == 1 ? null : (m * 10.25) - (s * 1e9) + 0.125;
                var label = (m + (2 * s)) % 3 == 0
                    ? new AnomalyLabel(true, kinds[k++ % kinds.Length], (m * 10) + s)
                    : AnomalyLabel.Normal;
                batch.Add(s, Minute(m), value, label);
            }
        }

        return batch;
    }

    public static async Task WriteAsync(string path, ObservationBatch batch, int rowGroupSize = LabeledDatasetFormat.DefaultRowGroupSize, DatasetRecipe? recipe = null)
    {
        await using var writer = await LabeledDatasetWriter.CreateAsync(path, batch.SeriesNames, recipe ?? Recipe, new DatasetWriterOptions { RowGroupSize = rowGroupSize });
        await writer.WriteAsync(batch);
    }

    public static List<LabeledObservation> ReadAll(string path, DatasetReaderOptions? options = null)
    {
        using var reader = LabeledDatasetReader.Open(path, options);
        return [.. reader.ReadObservations()];
    }
}

/// <summary>
/// Rows of a labelled file as plain column arrays, written with Parquet.Net directly (bypassing the writer's checks)
/// so reader-side validation can be tested on files another tool could have produced.
/// </summary>
internal sealed class RawFile
{
    public RawFile(int rows)
    {
        Series = new string?[rows];
        SeriesId = new int[rows];
        Timestamp = new DateTime[rows];
        Value = new double?[rows];
        IsAnomaly = new bool[rows];
        Kind = new string?[rows];
        Id = new int?[rows];
    }

    public string?[] Series { get; }

    public int[] SeriesId { get; }

    public DateTime[] Timestamp { get; }

    public double?[] Value { get; }

    public bool[] IsAnomaly { get; }

    public string?[] Kind { get; }

    public int?[] Id { get; }

    public string[] Table { get; set; } = Samples.Names;

    /// <summary>A valid file's rows: 4 minutes × 3 series, anomaly on series 1 at minute 2.</summary>
    public static RawFile Valid()
    {
        var raw = new RawFile(12);
        for (var m = 0; m < 4; m++)
        {
            for (var s = 0; s < 3; s++)
            {
                var r = (m * 3) + s;
                raw.Series[r] = Samples.Names[s];
                raw.SeriesId[r] = s;
                raw.Timestamp[r] = Samples.Minute(m);
                raw.Value[r] = r == 4 ? null : r * 1.5;
                if (m == 2 && s == 1)
                {
                    raw.IsAnomaly[r] = true;
                    raw.Kind[r] = "spike";
                    raw.Id[r] = 0;
                }
            }
        }

        return raw;
    }

    public Dictionary<string, string> Metadata() => new()
    {
        [LabeledDatasetFormat.FormatKey] = LabeledDatasetFormat.FormatId,
        [LabeledDatasetFormat.SeriesKey] = "[" + string.Join(",", Table.Select(n => $"\"{n}\"")) + "]",
    };

    /// <summary>The standard columns; <paramref name="drop"/> leaves one out, <paramref name="replace"/> swaps one.</summary>
    public List<(DataField Field, Array Values)> Columns(string? drop = null, (DataField Field, Array Values)? replace = null)
    {
        var columns = new List<(DataField, Array)>
        {
            (new DataField<string>(LabeledDatasetFormat.SeriesColumn, nullable: false), Series),
            (new DataField<int>(LabeledDatasetFormat.SeriesIdColumn, nullable: false), SeriesId),
            (new DateTimeDataField(LabeledDatasetFormat.TimestampColumn, DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Millis, isNullable: false), Timestamp),
            (new DataField<double?>(LabeledDatasetFormat.ValueColumn), Value),
            (new DataField<bool>(LabeledDatasetFormat.IsAnomalyColumn, nullable: false), IsAnomaly),
            (new DataField<string>(LabeledDatasetFormat.AnomalyKindColumn, nullable: true), Kind),
            (new DataField<int?>(LabeledDatasetFormat.AnomalyIdColumn), Id),
        };
        columns.RemoveAll(c => c.Item1.Name == drop);
        if (replace is { } r)
        {
            var i = columns.FindIndex(c => c.Item1.Name == r.Field.Name);
            columns[i] = r;
        }

        return columns;
    }

    public Task WriteAsync(string path, int rowGroupSize = int.MaxValue) => WriteColumnsAsync(path, Columns(), Metadata(), rowGroupSize);

    /// <summary>Writes arbitrary columns as a Parquet file, <paramref name="rowGroupSize"/> rows per row group.</summary>
    public static async Task WriteColumnsAsync(string path, IReadOnlyList<(DataField Field, Array Values)> columns, Dictionary<string, string>? metadata, int rowGroupSize = int.MaxValue,
        ParquetOptions? options = null)
    {
        var schema = new ParquetSchema(columns.Select(c => (Field)c.Field));
        await using var stream = File.Create(path);
        await using var writer = await ParquetWriter.CreateAsync(schema, stream, options ?? new ParquetOptions());
        if (metadata is not null)
        {
            writer.CustomMetadata = metadata;
        }

        var rows = columns[0].Values.Length;
        for (var start = 0; start < rows; start += rowGroupSize)
        {
            var n = Math.Min(rowGroupSize, rows - start);
            using var group = writer.CreateRowGroup();
            foreach (var (field, values) in columns)
            {
                switch (values)
                {
                    case string?[] s:
                        await group.WriteAsync(field, s.Skip(start).Take(n).ToArray());
                        break;
                    case int[] a:
                        await group.WriteAsync<int>(field, a.AsMemory(start, n));
                        break;
                    case int?[] a:
                        await group.WriteAsync<int>(field, a.AsMemory(start, n));
                        break;
                    case long[] a:
                        await group.WriteAsync<long>(field, a.AsMemory(start, n));
                        break;
                    case double?[] a:
                        await group.WriteAsync<double>(field, a.AsMemory(start, n));
                        break;
                    case float?[] a:
                        await group.WriteAsync<float>(field, a.AsMemory(start, n));
                        break;
                    case bool[] a:
                        await group.WriteAsync<bool>(field, a.AsMemory(start, n));
                        break;
                    case bool?[] a:
                        await group.WriteAsync<bool>(field, a.AsMemory(start, n));
                        break;
                    case DateTime[] a:
                        await group.WriteAsync<DateTime>(field, a.AsMemory(start, n));
                        break;
                    case DateTime?[] a:
                        await group.WriteAsync<DateTime>(field, a.AsMemory(start, n));
                        break;
                    default:
                        throw new NotSupportedException(values.GetType().Name);
                }
            }
        }
    }
}
