namespace Workbench.Notebooks;

/// <summary>
/// The globals object of a notebook's C# session: its public members are in scope in every cell, as in .NET Interactive.
/// </summary>
public sealed class NotebookGlobals
{
    private readonly NotebookSession _session;

    internal NotebookGlobals(NotebookSession session) => _session = session;

    /// <summary>
    /// Cancelled when the running cell is cancelled or times out; long-running cell code should pass it on
    /// (e.g. <c>await Task.Delay(1000, CancellationToken)</c>) so that it stops promptly.
    /// </summary>
    public CancellationToken CancellationToken { get; internal set; }

    /// <summary>
    /// Shows <paramref name="value"/> as a <c>display_data</c> output (<c>text/plain</c> and <c>text/html</c>; Plotly.NET
    /// charts as an interactive chart). Lower-case, as in Polyglot Notebooks, so cells run unchanged in both.
    /// </summary>
#pragma warning disable IDE1006 // Naming: matches the .NET Interactive global of the same name.
    public void display(object? value) => _session.Display(value);
#pragma warning restore IDE1006
}
