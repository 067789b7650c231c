namespace Workbench.Tests.Notebooks;

/// <summary>
/// A wait that cell code of a test can block on (it <c>#r</c>s this assembly), standing for library code without
/// interrupt checks; the test releases it at the end so that no thread stays blocked.
/// </summary>
public static class NotebookTestGate
{
    /// <summary>The assembly cells reference to reach this class.</summary>
    public static string AssemblyPath => typeof(NotebookTestGate).Assembly.Location;

    /// <summary>Cells block on this with <c>Wait()</c> (no token, no timeout).</summary>
    public static SemaphoreSlim Block { get; } = new(0);
}
