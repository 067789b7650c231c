namespace Workbench.Data;

/// <summary>Options of <see cref="LabeledDatasetWriter"/>, captured when the writer is created.</summary>
public sealed record DatasetWriterOptions
{
    /// <summary>The default options.</summary>
    public static DatasetWriterOptions Default { get; } = new();

    /// <summary>
    /// Rows per Parquet row group; every row group but the last holds exactly this many rows. Default
    /// <see cref="LabeledDatasetFormat.DefaultRowGroupSize"/> (524,288); range 1 to 67,108,864. A reader holds one
    /// row group in memory (about 45 bytes per row as an <see cref="Core.ObservationBatch"/>), the writer two
    /// (about 70 bytes per row each), so this bounds their memory.
    /// </summary>
    public int RowGroupSize { get; init; } = LabeledDatasetFormat.DefaultRowGroupSize;

    /// <summary>
    /// What to do with a row whose timestamp equals its series' previous row. Default
    /// <see cref="DuplicateTimestampPolicy.Error"/>. With <see cref="DuplicateTimestampPolicy.Keep"/> the row is written,
    /// counted in <see cref="LabeledDatasetWriter.DuplicateTimestampRows"/>, and the file records the count under
    /// <see cref="LabeledDatasetFormat.DuplicateTimestampsKey"/> so readers accept it (used by the NAB import, whose
    /// files repeat some timestamps).
    /// </summary>
    public DuplicateTimestampPolicy DuplicateTimestamps { get; init; } = DuplicateTimestampPolicy.Error;

    /// <summary>
    /// The data has no ground truth (default false): the file declares <see cref="LabeledDatasetFormat.LabelsKey"/> =
    /// <c>none</c>, and every row must be normal.
    /// </summary>
    public bool Unlabelled { get; init; }

    /// <summary>
    /// Row groups per part file when writing a part folder (<see cref="LabeledDatasetPartsWriter"/>); every part but
    /// the last holds exactly <c>PartRowGroups × RowGroupSize</c> rows. Default 1: each part is one row group, which
    /// lets the parts be encoded in parallel as soon as they fill (a part's row groups are encoded one after the other).
    /// Ignored by the single-file writer.
    /// </summary>
    public int PartRowGroups { get; init; } = 1;

    /// <summary>
    /// Parts encoded at the same time by <see cref="LabeledDatasetPartsWriter"/> while the caller fills the next one;
    /// 0 (the default) = <see cref="Environment.ProcessorCount"/>. Does not change the bytes written.
    /// </summary>
    public int ParallelParts { get; init; }

    /// <summary>The largest accepted <see cref="RowGroupSize"/>.</summary>
    public const int MaxRowGroupSize = 1 << 26;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when an option is out of range.</summary>
    public void Validate()
    {
        if (RowGroupSize is < 1 or > MaxRowGroupSize)
        {
            throw new ArgumentOutOfRangeException(nameof(RowGroupSize), RowGroupSize, $"RowGroupSize must be between 1 and {MaxRowGroupSize}.");
        }

        if (PartRowGroups < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(PartRowGroups), PartRowGroups, "PartRowGroups must be at least 1.");
        }

        if (ParallelParts is < 0 or > 256)
        {
            throw new ArgumentOutOfRangeException(nameof(ParallelParts), ParallelParts, "ParallelParts must be between 0 (one per core) and 256.");
        }

        if (!Enum.IsDefined(DuplicateTimestamps))
        {
            throw new ArgumentOutOfRangeException(nameof(DuplicateTimestamps), DuplicateTimestamps, "Unknown policy.");
        }
    }
}

/// <summary>What the writer does with a repeated timestamp within a series.</summary>
public enum DuplicateTimestampPolicy
{
    /// <summary>Throw <see cref="DatasetFormatException"/> naming the row (the default).</summary>
    Error = 0,

    /// <summary>Write the row, count it, and declare the count in the file's metadata.</summary>
    Keep = 1,
}
