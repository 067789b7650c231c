namespace Workbench.Data;

/// <summary>Options of <see cref="LabeledDatasetWriter"/>, captured when the writer is created.</summary>
public sealed record DatasetWriterOptions
{
    /// <summary>The default options.</summary>
    public static DatasetWriterOptions Default { get; } = new();

    /// <summary>
    /// Rows per Parquet row group; every row group but the last holds exactly this many rows. Default
    /// <see cref="LabeledDatasetFormat.DefaultRowGroupSize"/> (1,048,576); range 1 to 67,108,864. A reader holds one
    /// row group in memory (about 45 bytes per row as an <see cref="Core.ObservationBatch"/>), the writer two
    /// (about 70 bytes per row each), so this bounds their memory.
    /// </summary>
    public int RowGroupSize { get; init; } = LabeledDatasetFormat.DefaultRowGroupSize;

    /// <summary>The largest accepted <see cref="RowGroupSize"/>.</summary>
    public const int MaxRowGroupSize = 1 << 26;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when an option is out of range.</summary>
    public void Validate()
    {
        if (RowGroupSize is < 1 or > MaxRowGroupSize)
        {
            throw new ArgumentOutOfRangeException(nameof(RowGroupSize), RowGroupSize, $"RowGroupSize must be between 1 and {MaxRowGroupSize}.");
        }
    }
}
