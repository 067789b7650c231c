using System.Globalization;
using System.Text;

namespace Workbench.Data;

/// <summary>
/// A labelled dataset file (being written or read) breaks the format: bad value, order, label, schema or metadata.
/// The one-line <see cref="Exception.Message"/> names the file, and where they apply the row, series and field.
/// </summary>
public sealed class DatasetFormatException : Exception
{
    /// <summary>Creates the exception; the message is composed from the parts.</summary>
    /// <param name="filePath">The dataset file (the target path when writing).</param>
    /// <param name="series">The series name of the offending row, when known.</param>
    /// <param name="row">The 0-based row index in the file, when the problem is in a row.</param>
    /// <param name="field">The column name (or metadata key) at fault, when one is.</param>
    /// <param name="problem">What is wrong, one sentence without a trailing period.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public DatasetFormatException(string filePath, string? series, long? row, string? field, string problem, Exception? innerException = null)
        : this(Compose(filePath, series, row, null, false, field, problem), filePath, series, row, null, false, field, problem, innerException)
    {
    }

    private DatasetFormatException(
        string message, string filePath, string? series, long? row, int? rowGroup, bool inFooter, string? field, string problem, Exception? innerException)
        : base(message, innerException)
    {
        FilePath = filePath;
        Series = series;
        Row = row;
        RowGroup = rowGroup;
        InFooter = inFooter;
        Field = field;
        Problem = problem;
    }

    /// <summary>
    /// The file's bytes are damaged: a column chunk of row group <paramref name="rowGroup"/> does not match its recorded
    /// digest. The message reads <c>file, row group 3 (rows 1572864–2097151), field 'value': problem</c>.
    /// </summary>
    public static DatasetFormatException CorruptRowGroup(
        string filePath, int rowGroup, long firstRow, long rows, string? field, string problem, Exception? innerException = null) =>
        new(Compose(filePath, null, null, (rowGroup, firstRow, rows), false, field, problem), filePath, null, null, rowGroup, false, field, problem, innerException);

    /// <summary>The file's Parquet frame or footer is damaged (or it is not Parquet): <c>file, footer: problem</c>.</summary>
    public static DatasetFormatException CorruptFooter(string filePath, string problem, Exception? innerException = null) =>
        new(Compose(filePath, null, null, null, true, null, problem), filePath, null, null, null, true, null, problem, innerException);

    /// <summary>The dataset file (when writing: the target path, not the temporary file).</summary>
    public string FilePath { get; }

    /// <summary>The series name of the offending row; null when the problem is not tied to a known series.</summary>
    public string? Series { get; }

    /// <summary>The 0-based row index in the file; null when the problem is not in a row (schema, metadata).</summary>
    public long? Row { get; }

    /// <summary>The 0-based Parquet row group whose bytes are damaged; null when the problem is not a damaged row group.</summary>
    public int? RowGroup { get; }

    /// <summary>Whether the problem is in the file's Parquet frame or footer (its metadata), e.g. a corrupt footer length.</summary>
    public bool InFooter { get; }

    /// <summary>The column name, or the metadata key, at fault; null when the problem concerns the whole file.</summary>
    public string? Field { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Problem { get; }

    private static string Compose(string filePath, string? series, long? row, (int Index, long FirstRow, long Rows)? rowGroup, bool inFooter, string? field, string problem)
    {
        var sb = new StringBuilder();
        sb.Append(filePath);
        if (inFooter)
        {
            sb.Append(", footer");
        }

        if (rowGroup is { } g)
        {
            sb.Append(g.Rows > 0
                ? string.Create(CultureInfo.InvariantCulture, $", row group {g.Index} (rows {g.FirstRow}–{g.FirstRow + g.Rows - 1})")
                : string.Create(CultureInfo.InvariantCulture, $", row group {g.Index} (no rows)"));
        }

        if (row is { } r)
        {
            sb.Append(CultureInfo.InvariantCulture, $", row {r}");
        }

        if (series is not null)
        {
            sb.Append(CultureInfo.InvariantCulture, $", series '{series}'");
        }

        if (field is not null)
        {
            sb.Append(CultureInfo.InvariantCulture, $", field '{field}'");
        }

        sb.Append(": ").Append(problem.ReplaceLineEndings(" "));
        return sb.ToString();
    }
}
