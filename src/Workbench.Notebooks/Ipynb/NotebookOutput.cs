using System.Text.Json.Nodes;

namespace Workbench.Notebooks;

/// <summary>One output of a code cell, in one of the four nbformat 4 shapes.</summary>
public abstract record NotebookOutput
{
    /// <summary>The nbformat <c>output_type</c>: <c>stream</c>, <c>display_data</c>, <c>execute_result</c> or <c>error</c>.</summary>
    public abstract string OutputType { get; }

    /// <summary>Keys of the output object this model does not know, kept so that a read-write round trip loses nothing.</summary>
    public JsonObject? Extra { get; init; }
}

/// <summary>Text written to standard output or standard error (<c>output_type: stream</c>).</summary>
/// <param name="Name"><c>stdout</c> or <c>stderr</c>.</param>
/// <param name="Text">The text, newlines included.</param>
public sealed record StreamOutput(string Name, string Text) : NotebookOutput
{
    /// <summary><c>stdout</c>.</summary>
    public const string StdOut = "stdout";

    /// <summary><c>stderr</c>.</summary>
    public const string StdErr = "stderr";

    /// <inheritdoc/>
    public override string OutputType => "stream";
}

/// <summary>A value shown with <c>display(x)</c> (<c>output_type: display_data</c>).</summary>
/// <param name="Data">The MIME bundle (typically <c>text/plain</c> and <c>text/html</c>).</param>
/// <param name="Metadata">Per-output metadata (an empty object when none).</param>
public sealed record DisplayDataOutput(MimeBundle Data, JsonObject Metadata) : NotebookOutput
{
    /// <inheritdoc/>
    public override string OutputType => "display_data";
}

/// <summary>The value of a cell's last expression (<c>output_type: execute_result</c>).</summary>
/// <param name="ExecutionCount">The execution count of the cell that produced it.</param>
/// <param name="Data">The MIME bundle.</param>
/// <param name="Metadata">Per-output metadata (an empty object when none).</param>
public sealed record ExecuteResultOutput(int? ExecutionCount, MimeBundle Data, JsonObject Metadata) : NotebookOutput
{
    /// <inheritdoc/>
    public override string OutputType => "execute_result";
}

/// <summary>A compile error or an exception (<c>output_type: error</c>).</summary>
/// <param name="EName">Error name: the exception type name, or <c>CompilationError</c>.</param>
/// <param name="EValue">The message.</param>
/// <param name="Traceback">Lines of detail (diagnostics or stack frames).</param>
public sealed record ErrorOutput(string EName, string EValue, IReadOnlyList<string> Traceback) : NotebookOutput
{
    /// <inheritdoc/>
    public override string OutputType => "error";

    /// <summary>
    /// Where in the cell the error is, 1-based, when known (first compile error, or the deepest stack frame inside the
    /// cell for an exception). Not part of nbformat; not written to the file.
    /// </summary>
    public CellPosition? Position { get; init; }
}

/// <summary>A 1-based line and column inside one cell's source.</summary>
public readonly record struct CellPosition(int Line, int Column)
{
    /// <inheritdoc/>
    public override string ToString() => $"line {Line}, col {Column}";
}
