namespace Workbench.Data;

/// <summary>
/// What a <see cref="LabeledDatasetReader"/> has read so far: rows handed out and rows left out by a
/// <see cref="InvalidRowPolicy.Skip"/> policy, by reason. Counts grow as batches are read; they are complete once a
/// full pass has ended. Each pass over the file (each call of a <c>Read…</c> method) starts from zero.
/// </summary>
/// <param name="RowsRead">Rows decoded from the file in the current pass (kept plus skipped).</param>
/// <param name="RowsReturned">Rows handed out.</param>
/// <param name="SkippedOutOfOrder">Rows left out under <see cref="DatasetReaderOptions.OutOfOrder"/>.</param>
/// <param name="SkippedDuplicates">Rows left out under <see cref="DatasetReaderOptions.DuplicateTimestamps"/>.</param>
/// <param name="KeptDuplicates">Rows kept although their timestamp repeats their series' previous one (policy
/// <see cref="InvalidRowPolicy.Keep"/>, or a file that declares kept duplicates).</param>
public sealed record DatasetReadReport(long RowsRead, long RowsReturned, long SkippedOutOfOrder, long SkippedDuplicates, long KeptDuplicates = 0)
{
    /// <summary>All rows left out, whatever the reason.</summary>
    public long RowsSkipped => SkippedOutOfOrder + SkippedDuplicates;
}
