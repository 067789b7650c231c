namespace Workbench.Notebooks;

/// <summary>How a front end takes part in one cell's run (<see cref="NotebookSession.ExecuteAsync(string, CellExecutionOptions, CancellationToken)"/>).</summary>
public sealed record CellExecutionOptions
{
    /// <summary>
    /// Sees each output as it is produced (stream text in line-sized pieces, the output events
    /// <see cref="UpdateDisplayDataOutput"/> and <see cref="ClearOutput"/> raw), on the cell's thread; null to only collect them.
    /// </summary>
    public Action<NotebookOutput>? OnOutput { get; init; }

    /// <summary>
    /// Answers console input (<c>Console.ReadLine()</c>, <c>Console.Read()</c>) of the cell: called on the cell's thread
    /// with the prompt and a token that is cancelled when the cell is interrupted, cancelled or times out (then throw
    /// <see cref="OperationCanceledException"/>); return the line without its newline, or null for the end of input.
    /// Null (default): console input in the cell throws <see cref="InvalidOperationException"/> instead of waiting.
    /// </summary>
    public Func<InputRequest, CancellationToken, string?>? ReadInput { get; init; }
}

/// <summary>A cell asks its front end for a line of input.</summary>
/// <param name="Prompt">
/// The text the cell wrote to stdout since its last newline (e.g. <c>"Name: "</c> of <c>Console.Write("Name: ")</c>); it
/// is taken out of the stdout stream, since Jupyter front ends show it beside the input box. Empty when there is none.
/// </param>
/// <param name="Password">True when the input should be hidden (always false for console input, which cannot ask for it).</param>
public sealed record InputRequest(string Prompt, bool Password);
