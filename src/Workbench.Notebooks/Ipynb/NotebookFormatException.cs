namespace Workbench.Notebooks;

/// <summary>
/// A notebook file is not valid nbformat 4 JSON (or a cell in it is malformed). The message names the file and, when
/// the problem is inside a cell, the 1-based cell number: <c>nb.ipynb: cell 3: 'source' must be a string or an array of strings</c>.
/// </summary>
public sealed class NotebookFormatException : Exception
{
    /// <summary>Creates the exception for <paramref name="source"/> (a path or a display name) and optional 1-based <paramref name="cell"/>.</summary>
    public NotebookFormatException(string source, int? cell, string problem, Exception? inner = null)
        : base(cell is { } c ? $"{source}: cell {c}: {problem}" : $"{source}: {problem}", inner)
    {
        Source = source;
        Cell = cell;
        Problem = problem;
    }

    /// <summary>The notebook path or display name.</summary>
    public new string Source { get; }

    /// <summary>The 1-based cell number, or null when the problem is at notebook level.</summary>
    public int? Cell { get; }

    /// <summary>The problem without the location prefix.</summary>
    public string Problem { get; }
}
