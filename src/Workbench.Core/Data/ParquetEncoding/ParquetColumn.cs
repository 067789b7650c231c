namespace Workbench.Data.ParquetEncoding;

/// <summary>The logical annotations the dataset's columns carry.</summary>
internal enum LogicalKind
{
    None,

    /// <summary>STRING (converted type UTF8).</summary>
    String,

    /// <summary>INTEGER(32, signed) (converted type INT_32).</summary>
    Int32,

    /// <summary>TIMESTAMP(MILLIS, isAdjustedToUTC = true).</summary>
    TimestampMillisUtc,
}

/// <summary>One top-level column of a flat Parquet schema, as the footer's <c>SchemaElement</c> describes it.</summary>
internal sealed record ParquetColumn(string Name, PhysicalType Type, Repetition Repetition, LogicalKind Logical)
{
    /// <summary>The seven columns of <c>workbench-labelled/1</c>, in file order (docs/DATASET_FORMAT.md, "Columns").</summary>
    public static IReadOnlyList<ParquetColumn> LabeledDataset { get; } =
    [
        new(LabeledDatasetFormat.SeriesColumn, PhysicalType.ByteArray, Repetition.Required, LogicalKind.String),
        new(LabeledDatasetFormat.SeriesIdColumn, PhysicalType.Int32, Repetition.Required, LogicalKind.Int32),
        new(LabeledDatasetFormat.TimestampColumn, PhysicalType.Int64, Repetition.Required, LogicalKind.TimestampMillisUtc),
        new(LabeledDatasetFormat.ValueColumn, PhysicalType.Double, Repetition.Optional, LogicalKind.None),
        new(LabeledDatasetFormat.IsAnomalyColumn, PhysicalType.Boolean, Repetition.Required, LogicalKind.None),
        new(LabeledDatasetFormat.AnomalyKindColumn, PhysicalType.ByteArray, Repetition.Optional, LogicalKind.String),
        new(LabeledDatasetFormat.AnomalyIdColumn, PhysicalType.Int32, Repetition.Optional, LogicalKind.Int32),
    ];
}
