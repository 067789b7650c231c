namespace Workbench.Data;

/// <summary>
/// Names and constants of the labelled dataset format (<c>workbench-labelled/1</c>): a long-format Parquet file,
/// one row per observation. The full specification is <c>docs/DATASET_FORMAT.md</c>.
/// </summary>
public static class LabeledDatasetFormat
{
    /// <summary>The value of the <see cref="FormatKey"/> metadata entry of files in this format.</summary>
    public const string FormatId = "workbench-labelled/1";

    /// <summary>Column <c>series</c>: the series name (string, required, dictionary-encoded).</summary>
    public const string SeriesColumn = "series";

    /// <summary>Column <c>series_id</c>: the index of the series in the series table (int32, required).</summary>
    public const string SeriesIdColumn = "series_id";

    /// <summary>Column <c>timestamp</c>: the instant (INT64 TIMESTAMP, milliseconds, adjusted to UTC, required).</summary>
    public const string TimestampColumn = "timestamp";

    /// <summary>Column <c>value</c>: the observed value (double, nullable: null means missing; never NaN or infinite).</summary>
    public const string ValueColumn = "value";

    /// <summary>Column <c>is_anomaly</c>: whether the row is labelled anomalous (bool, required).</summary>
    public const string IsAnomalyColumn = "is_anomaly";

    /// <summary>Column <c>anomaly_kind</c>: the anomaly kind name (string, nullable; null when normal).</summary>
    public const string AnomalyKindColumn = "anomaly_kind";

    /// <summary>Column <c>anomaly_id</c>: the event id within its series (int32, nullable; null when normal).</summary>
    public const string AnomalyIdColumn = "anomaly_id";

    /// <summary>Metadata key holding <see cref="FormatId"/>.</summary>
    public const string FormatKey = "workbench.format";

    /// <summary>Metadata key holding the series table: a JSON array of series names, index = <c>series_id</c>.</summary>
    public const string SeriesKey = "workbench.series";

    /// <summary>Metadata key holding <see cref="Core.DatasetRecipe.Source"/>.</summary>
    public const string RecipeSourceKey = "workbench.recipe.source";

    /// <summary>Metadata key holding <see cref="Core.DatasetRecipe.Spec"/>.</summary>
    public const string RecipeSpecKey = "workbench.recipe.spec";

    /// <summary>Metadata key holding <see cref="Core.DatasetRecipe.Seed"/> (decimal integer; absent when the seed is null).</summary>
    public const string RecipeSeedKey = "workbench.recipe.seed";

    /// <summary>Metadata key holding <see cref="Core.DatasetRecipe.ToolVersion"/>.</summary>
    public const string ToolVersionKey = "workbench.tool_version";

    /// <summary>
    /// Present when the file was written with <see cref="DuplicateTimestampPolicy.Keep"/>: the number of rows whose
    /// timestamp repeats their series' previous row. Readers then accept (and count) such rows.
    /// </summary>
    public const string DuplicateTimestampsKey = "workbench.duplicate_timestamps";

    /// <summary>
    /// Present with the value <see cref="UnlabelledValue"/> when the data carries no ground truth (imported without a
    /// label column): every row is normal because nothing is known, not because nothing happened. Evaluation refuses it.
    /// </summary>
    public const string LabelsKey = "workbench.labels";

    /// <summary>
    /// The integrity record: compact JSON (<c>workbench-digests/1</c>) with the XxHash3-64 of every column chunk's bytes
    /// and of the footer, verified by every reader (<c>docs/DATASET_FORMAT.md</c>, "Integrity"). Absent in files written
    /// before it existed and in foreign files: those are read unverified.
    /// </summary>
    public const string DigestsKey = "workbench.digests";

    /// <summary>The value of <see cref="LabelsKey"/> for an unlabelled file.</summary>
    public const string UnlabelledValue = "none";

    /// <summary>The default number of rows per row group: 524,288 (a reader then holds about 60 MB of column data per row group in flight).</summary>
    public const int DefaultRowGroupSize = 1 << 19;

    /// <summary>The number of <see cref="DateTime.Ticks"/> in one millisecond, the format's timestamp resolution.</summary>
    internal const long TicksPerMillisecond = TimeSpan.TicksPerMillisecond;
}
