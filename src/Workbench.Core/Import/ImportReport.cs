namespace Workbench.Import;

/// <summary>What <see cref="DatasetImporter"/> did: inputs, the mapping it used, and every counted policy.</summary>
/// <param name="Files">The input files, in the order read.</param>
/// <param name="Mapping">The columns used, e.g. <c>series=host timestamp=ts (iso, UTC) value=cpu label=none</c>.</param>
/// <param name="Series">Series written.</param>
/// <param name="Rows">Rows written.</param>
/// <param name="RowsRead">Rows read from the inputs (wide files: cells, one per row and value column).</param>
/// <param name="Labelled">Whether a label column was used; false = every row normal, the file is declared unlabelled.</param>
/// <param name="AnomalousRows">Rows labelled anomalous.</param>
/// <param name="Events">Labelled events (per series: distinct event ids, or runs of anomalous rows).</param>
/// <param name="MissingValues">Rows whose value is missing (empty, null, NA or NaN in the input).</param>
/// <param name="NaNAsMissing">Of <paramref name="MissingValues"/>, the ones that were NaN (pandas' missing value).</param>
/// <param name="ReorderedRows">Rows that were not already in canonical order and were moved by the (stable) sort.</param>
/// <param name="KeptDuplicates">Rows kept although their series already had a row at that instant (<see cref="ImportDuplicatePolicy.Keep"/>).</param>
/// <param name="DroppedDuplicates">Rows dropped as duplicates (<see cref="ImportDuplicatePolicy.First"/> or <see cref="ImportDuplicatePolicy.Last"/>).</param>
/// <param name="FlooredTimestamps">Timestamps rounded down to the millisecond (<see cref="SubMillisecondPolicy.Floor"/>).</param>
/// <param name="AmbiguousLocalTimes">Local times in a daylight-saving fall-back hour, taken as standard time.</param>
public sealed record ImportReport(
    IReadOnlyList<string> Files, string Mapping, int Series, long Rows, long RowsRead, bool Labelled, long AnomalousRows, long Events,
    long MissingValues, long NaNAsMissing, long ReorderedRows, long KeptDuplicates, long DroppedDuplicates, long FlooredTimestamps,
    long AmbiguousLocalTimes);
