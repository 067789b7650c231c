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
        : base(Compose(filePath, series, row, field, problem), innerException)
    {
        FilePath = filePath;
        Series = series;
        Row = row;
        Field = field;
        Problem = problem;
    }

    /// <summary>The dataset file (when writing: the target path, not the temporary file).</summary>
    public string FilePath { get; }

    /// <summary>The series name of the offending row; null when the problem is not tied to a known series.</summary>
    public string? Series { get; }

    /// <summary>The 0-based row index in the file; null when the problem is not in a row (schema, metadata).</summary>
    public long? Row { get; }

    /// <summary>The column name, or the metadata key, at fault; null when the problem concerns the whole file.</summary>
    public string? Field { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Problem { get; }

    private static string Compose(string filePath, string? series, long? row, string? field, string problem)
    {
        var sb = new StringBuilder();
        sb.Append(filePath);
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
