using System.Text.Json.Nodes;

namespace Workbench.Notebooks;

/// <summary>
/// One output of a code cell, in one of the four nbformat 4 shapes, or one of the two output events a running cell
/// sends (<see cref="UpdateDisplayDataOutput"/>, <see cref="ClearOutput"/>), which change earlier outputs and are never
/// stored in a notebook.
/// </summary>
public abstract record NotebookOutput
{
    /// <summary>
    /// The nbformat <c>output_type</c>: <c>stream</c>, <c>display_data</c>, <c>execute_result</c> or <c>error</c>; for the
    /// events, the Jupyter message type <c>update_display_data</c> or <c>clear_output</c>.
    /// </summary>
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

    /// <summary>
    /// The id an <see cref="UpdateDisplayDataOutput"/> refers to (<c>wb-display-&lt;n&gt;</c> for <c>display(x)</c>); null
    /// for outputs read from a file. Jupyter sends it as <c>transient.display_id</c>, which nbformat does not store: it is
    /// not written to the file.
    /// </summary>
    public string? DisplayId { get; init; }
}

/// <summary>
/// An event, not a stored output: replaces the data and metadata of every earlier <see cref="DisplayDataOutput"/> with
/// the same <see cref="DisplayDataOutput.DisplayId"/> in the notebook, in whatever cell it is (Jupyter message
/// <c>update_display_data</c>). Sent by <see cref="DisplayHandle.Update"/>.
/// </summary>
/// <param name="DisplayId">The display to update.</param>
/// <param name="Data">The new MIME bundle.</param>
/// <param name="Metadata">The new metadata (an empty object when none).</param>
public sealed record UpdateDisplayDataOutput(string DisplayId, MimeBundle Data, JsonObject Metadata) : NotebookOutput
{
    /// <inheritdoc/>
    public override string OutputType => "update_display_data";
}

/// <summary>
/// An event, not a stored output: removes the outputs the running cell has produced so far (Jupyter message
/// <c>clear_output</c>). Sent by the <c>clear_output(wait)</c> global.
/// </summary>
/// <param name="Wait">True to clear only when the next output arrives (avoids flicker when replacing output).</param>
public sealed record ClearOutput(bool Wait) : NotebookOutput
{
    /// <inheritdoc/>
    public override string OutputType => "clear_output";
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
