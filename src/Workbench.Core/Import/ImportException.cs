using System.Globalization;
using System.Text;

namespace Workbench.Import;

/// <summary>
/// A file given to <see cref="DatasetImporter"/> cannot be imported. The one-line <see cref="Exception.Message"/> names
/// the file, the row (a CSV line number, or a Parquet row index), the column and the fix.
/// </summary>
public sealed class ImportException : Exception
{
    /// <summary>Creates the exception; the message is composed from the parts.</summary>
    /// <param name="filePath">The input file at fault (or the output, for a problem writing it).</param>
    /// <param name="location">Where in the file, e.g. <c>line 7</c> (CSV, 1-based, the header is line 1) or <c>row 6</c>
    /// (Parquet, 0-based); null when the problem is not in one row.</param>
    /// <param name="column">The column at fault, when one is.</param>
    /// <param name="problem">What is wrong, one sentence without a trailing period.</param>
    /// <param name="fix">What to do about it, one sentence without a trailing period.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public ImportException(string filePath, string? location, string? column, string problem, string fix, Exception? innerException = null)
        : base(Compose(filePath, location, column, problem, fix), innerException)
    {
        FilePath = filePath;
        Location = location;
        Column = column;
        Problem = problem;
        Fix = fix;
    }

    /// <summary>The file at fault.</summary>
    public string FilePath { get; }

    /// <summary>The row, as <c>line N</c> (CSV, 1-based) or <c>row N</c> (Parquet, 0-based); null when not in one row.</summary>
    public string? Location { get; }

    /// <summary>The column at fault; null when the problem concerns the whole file.</summary>
    public string? Column { get; }

    /// <summary>What is wrong, without the location.</summary>
    public string Problem { get; }

    /// <summary>What to do about it.</summary>
    public string Fix { get; }

    private static string Compose(string filePath, string? location, string? column, string problem, string fix)
    {
        var sb = new StringBuilder(filePath);
        if (location is not null)
        {
            sb.Append(", ").Append(location);
        }

        if (column is not null)
        {
            sb.Append(CultureInfo.InvariantCulture, $", column '{column}'");
        }

        sb.Append(": ").Append(problem.ReplaceLineEndings(" ")).Append("; fix: ").Append(fix.ReplaceLineEndings(" "));
        return sb.ToString();
    }
}
