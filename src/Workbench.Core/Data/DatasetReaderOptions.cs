namespace Workbench.Data;

/// <summary>How thoroughly <see cref="LabeledDatasetReader"/> checks the rows it reads.</summary>
public enum DatasetValidation
{
    /// <summary>
    /// The default. Schema, metadata, <c>series_id</c> range, label consistency, no NaN or infinity, timestamps
    /// strictly increasing within each series, canonical order across series. The <c>series</c> string column is not
    /// decoded (series names come from the series table through <c>series_id</c>).
    /// </summary>
    Fast = 0,

    /// <summary>Everything <see cref="Fast"/> checks, plus: every row's <c>series</c> string equals the series table's
    /// name for its <c>series_id</c>.</summary>
    Full = 1,
}

/// <summary>What the reader does with a row that breaks an ordering rule.</summary>
public enum InvalidRowPolicy
{
    /// <summary>Throw <see cref="DatasetFormatException"/> naming the row (the default).</summary>
    Error = 0,

    /// <summary>Leave the row out and count it in <see cref="DatasetReadReport"/>.</summary>
    Skip = 1,

    /// <summary>
    /// Keep the row and count it in <see cref="DatasetReadReport.KeptDuplicates"/>. Only for
    /// <see cref="DatasetReaderOptions.DuplicateTimestamps"/>: an out-of-order row cannot be kept.
    /// </summary>
    Keep = 2,
}

/// <summary>Options of <see cref="LabeledDatasetReader"/>, captured when the reader is opened.</summary>
public sealed record DatasetReaderOptions
{
    /// <summary>The default options: fast validation, every ordering problem an error.</summary>
    public static DatasetReaderOptions Default { get; } = new();

    /// <summary>
    /// Whether each column chunk of a file that records digests (<see cref="LabeledDatasetFormat.DigestsKey"/>) is hashed
    /// and compared with its digest before it is decoded. Default true; off only to measure what it costs. The footer of
    /// such a file is verified when it is opened either way.
    /// </summary>
    public bool VerifyIntegrity { get; init; } = true;

    /// <summary>How thoroughly rows are checked. Default <see cref="DatasetValidation.Fast"/>.</summary>
    public DatasetValidation Validation { get; init; } = DatasetValidation.Fast;

    /// <summary>
    /// A row whose timestamp is earlier than its series' previous row, or that comes before the previous row in
    /// canonical order (timestamp, then <c>series_id</c>). Default <see cref="InvalidRowPolicy.Error"/>; with
    /// <see cref="InvalidRowPolicy.Skip"/> such rows are left out and counted in
    /// <see cref="DatasetReadReport.SkippedOutOfOrder"/>.
    /// </summary>
    public InvalidRowPolicy OutOfOrder { get; init; } = InvalidRowPolicy.Error;

    /// <summary>
    /// A row whose timestamp equals its series' previous row. A file that declares kept duplicates (written with
    /// <see cref="DuplicateTimestampPolicy.Keep"/>, metadata <see cref="LabeledDatasetFormat.DuplicateTimestampsKey"/>)
    /// is read as if this were <see cref="InvalidRowPolicy.Keep"/>. Otherwise default <see cref="InvalidRowPolicy.Error"/>;
    /// with <see cref="InvalidRowPolicy.Keep"/> such rows are kept and counted; with
    /// <see cref="InvalidRowPolicy.Skip"/> the later row is left out (the first one is kept) and counted in
    /// <see cref="DatasetReadReport.SkippedDuplicates"/>.
    /// </summary>
    public InvalidRowPolicy DuplicateTimestamps { get; init; } = InvalidRowPolicy.Error;

    /// <summary>
    /// When true, <see cref="LabeledDatasetReader.ReadBatches"/> and <see cref="LabeledDatasetReader.ReadBatchesAsync"/>
    /// refill batch objects instead of handing out a new one per row group: one object without <see cref="Prefetch"/>, two
    /// in turn with it (the worker fills the next while the consumer holds this one). Either way a batch is valid only
    /// until the next one is requested. Saves allocating (and zeroing) a batch per row group. Default false.
    /// </summary>
    public bool ReuseBatches { get; init; }

    /// <summary>
    /// When true (the default), the reader decodes, validates and materializes the next row group on a worker thread
    /// while the consumer works on the current one, so all of the reader's work overlaps with the consumer's. Costs the
    /// decode buffers of one more row group (about 57 bytes per row, 73 under <see cref="DatasetValidation.Full"/>), and
    /// with <see cref="ReuseBatches"/> a second batch. During a pass <see cref="LabeledDatasetReader.Report"/> may
    /// already count the row group being prefetched; once the pass ends it counts exactly the row groups handed out.
    /// </summary>
    public bool Prefetch { get; init; } = true;

    /// <summary>
    /// Internal, for tests and benches: decode every column chunk with Parquet.Net instead of the reader's own
    /// column-chunk decoder (<c>Decoding/</c>), so the two paths can be compared.
    /// </summary>
    internal bool ForceParquetNetDecoder { get; init; }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when an option is out of range.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Validation))
        {
            throw new ArgumentOutOfRangeException(nameof(Validation), Validation, "Unknown validation level.");
        }

        if (OutOfOrder == InvalidRowPolicy.Keep)
        {
            throw new ArgumentOutOfRangeException(nameof(OutOfOrder), OutOfOrder, "Out-of-order rows cannot be kept: use Error or Skip.");
        }

        if (!Enum.IsDefined(OutOfOrder))
        {
            throw new ArgumentOutOfRangeException(nameof(OutOfOrder), OutOfOrder, "Unknown policy.");
        }

        if (!Enum.IsDefined(DuplicateTimestamps))
        {
            throw new ArgumentOutOfRangeException(nameof(DuplicateTimestamps), DuplicateTimestamps, "Unknown policy.");
        }
    }
}
