namespace Workbench.Notebooks;

/// <summary>
/// The globals object of a notebook's C# session: its public members are in scope in every cell, as in .NET Interactive.
/// </summary>
public sealed class NotebookGlobals
{
    private readonly NotebookSession _session;

    internal NotebookGlobals(NotebookSession session) => _session = session;

    /// <summary>
    /// Cancelled when the running cell is interrupted, cancelled or times out; long-running cell code should pass it on
    /// (e.g. <c>await Task.Delay(1000, CancellationToken)</c>) so that it stops promptly.
    /// </summary>
    public CancellationToken CancellationToken { get; internal set; }

#pragma warning disable IDE1006 // Naming: matches the .NET Interactive / IPython globals of the same names.
    /// <summary>
    /// Shows <paramref name="value"/> as a <c>display_data</c> output (<c>text/plain</c> and <c>text/html</c>; Plotly.NET
    /// charts as an interactive chart). Lower-case, as in Polyglot Notebooks, so cells run unchanged in both. The returned
    /// handle replaces the shown value later (<see cref="DisplayHandle.Update"/>); a cell ending in <c>display(x)</c>
    /// shows no result for the handle.
    /// </summary>
    public DisplayHandle display(object? value) => _session.Display(value);

    /// <summary>
    /// Removes the outputs the running cell has shown so far; with <paramref name="wait"/>, only when the next output
    /// arrives (so that replacing an output does not flicker). As IPython's <c>clear_output</c>.
    /// </summary>
    public void clear_output(bool wait = false) => _session.ClearOutputs(wait);
#pragma warning restore IDE1006
}

/// <summary>A value shown with <c>display(x)</c>, which <see cref="Update"/> replaces in place.</summary>
public sealed class DisplayHandle
{
    private readonly NotebookSession _session;

    internal DisplayHandle(NotebookSession session, string displayId)
    {
        _session = session;
        DisplayId = displayId;
    }

    /// <summary>The display's id, <c>wb-display-&lt;n&gt;</c> (n counts the session's displays from 1).</summary>
    public string DisplayId { get; }

    /// <summary>
    /// Shows <paramref name="value"/> in place of the displayed value (an <see cref="UpdateDisplayDataOutput"/>), wherever
    /// the display is, also from a later cell. Must be called while a cell of the session runs.
    /// </summary>
    public void Update(object? value) => _session.UpdateDisplay(DisplayId, value);

    /// <inheritdoc/>
    public override string ToString() => DisplayId;
}
