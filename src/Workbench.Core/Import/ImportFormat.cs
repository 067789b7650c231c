namespace Workbench.Import;

/// <summary>The kind of input file <see cref="DatasetImporter"/> reads.</summary>
public enum ImportFormat
{
    /// <summary>CSV (or TSV: the delimiter is detected).</summary>
    Csv,

    /// <summary>Parquet written by any tool.</summary>
    Parquet,
}
