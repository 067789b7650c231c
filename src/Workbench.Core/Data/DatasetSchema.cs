using System.Text.Encodings.Web;
using System.Text.Json;
using Parquet;
using Parquet.Schema;
using Workbench.Core;

namespace Workbench.Data;

/// <summary>
/// The Parquet schema the writer produces (fresh field objects per file: Parquet.Net attaches fields to one schema),
/// and the metadata helpers shared by writer and reader.
/// </summary>
internal sealed class DatasetSchema
{
    public DatasetSchema()
    {
        Schema = new ParquetSchema(Series, SeriesId, Timestamp, Value, IsAnomaly, AnomalyKind, AnomalyId);
    }

    public DataField<string> Series { get; } = new(LabeledDatasetFormat.SeriesColumn, nullable: false);

    public DataField<int> SeriesId { get; } = new(LabeledDatasetFormat.SeriesIdColumn, nullable: false);

    // Millis only: with Micros/Nanos Parquet.Net 6.1 writes row-group statistics in milliseconds (see DEPENDENCIES.md).
    public DateTimeDataField Timestamp { get; } = new(
        LabeledDatasetFormat.TimestampColumn, DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Millis, isNullable: false);

    public DataField<double?> Value { get; } = new(LabeledDatasetFormat.ValueColumn);

    public DataField<bool> IsAnomaly { get; } = new(LabeledDatasetFormat.IsAnomalyColumn, nullable: false);

    public DataField<string> AnomalyKind { get; } = new(LabeledDatasetFormat.AnomalyKindColumn, nullable: true);

    public DataField<int?> AnomalyId { get; } = new(LabeledDatasetFormat.AnomalyIdColumn);

    public ParquetSchema Schema { get; }

    /// <summary>Writer options: Snappy, both string columns dictionary-encoded whatever their uniqueness.</summary>
    public static ParquetOptions CreateWriteOptions()
    {
        var options = new ParquetOptions
        {
            CompressionMethod = CompressionMethod.Snappy,
            // 1.0 = never fall back to plain encoding, so "series" is dictionary-encoded even in tiny row groups.
            DictionaryEncodingThreshold = 1.0,
        };
        options.ColumnEncodingHints[LabeledDatasetFormat.SeriesColumn] = EncodingHint.Dictionary;
        options.ColumnEncodingHints[LabeledDatasetFormat.AnomalyKindColumn] = EncodingHint.Dictionary;
        return options;
    }

    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The series table as the compact JSON array stored under <see cref="LabeledDatasetFormat.SeriesKey"/>.</summary>
    public static string SeriesTableToJson(IReadOnlyList<string> names)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, JsonOptions))
        {
            json.WriteStartArray();
            for (var i = 0; i < names.Count; i++)
            {
                json.WriteStringValue(names[i]);
            }

            json.WriteEndArray();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>Parses the series table; null (with <paramref name="problem"/>) when it is not a JSON array of strings.</summary>
    public static string[]? SeriesTableFromJson(string text, out string? problem)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement.ValueKind != JsonValueKind.Array)
            {
                problem = "the series table is not a JSON array";
                return null;
            }

            var names = new string[doc.RootElement.GetArrayLength()];
            var i = 0;
            foreach (var element in doc.RootElement.EnumerateArray())
            {
                if (element.ValueKind != JsonValueKind.String)
                {
                    problem = $"series table entry {i} is not a string";
                    return null;
                }

                names[i++] = element.GetString()!;
            }

            problem = null;
            return names;
        }
        catch (JsonException ex)
        {
            problem = $"the series table is not valid JSON ({ex.Message})";
            return null;
        }
    }

    /// <summary>The file's key-value metadata, in a fixed key order so equal inputs give equal bytes.</summary>
    public static Dictionary<string, string> BuildMetadata(IReadOnlyList<string> seriesNames, DatasetRecipe recipe)
    {
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [LabeledDatasetFormat.FormatKey] = LabeledDatasetFormat.FormatId,
            [LabeledDatasetFormat.SeriesKey] = SeriesTableToJson(seriesNames),
            [LabeledDatasetFormat.RecipeSourceKey] = recipe.Source,
            [LabeledDatasetFormat.RecipeSpecKey] = recipe.Spec,
        };
        if (recipe.Seed is { } seed)
        {
            metadata[LabeledDatasetFormat.RecipeSeedKey] = seed.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        metadata[LabeledDatasetFormat.ToolVersionKey] = recipe.ToolVersion;
        return metadata;
    }

    /// <summary>
    /// The index of the first name that is null, empty, or equal to an earlier one, with the problem; -1 when the table
    /// is valid.
    /// </summary>
    public static int FindInvalidSeriesName(IReadOnlyList<string?> names, out string? problem)
    {
        var seen = new HashSet<string>(names.Count, StringComparer.Ordinal);
        for (var i = 0; i < names.Count; i++)
        {
            var name = names[i];
            if (string.IsNullOrEmpty(name))
            {
                problem = $"series table entry {i} is null or empty";
                return i;
            }

            if (!seen.Add(name))
            {
                problem = $"duplicate series name in the series table (entries {IndexOf(names, name)} and {i})";
                return i;
            }
        }

        problem = null;
        return -1;
    }

    private static int IndexOf(IReadOnlyList<string?> names, string name)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
