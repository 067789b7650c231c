using System.CommandLine;

namespace Workbench.Cli;

/// <summary>The <c>workbench</c> command line: builds the command tree and runs it.</summary>
public static class WorkbenchCommand
{
    /// <summary>Parses and runs <paramref name="args"/>; returns the process exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        var root = new RootCommand("Workbench: streaming anomaly detection research workbench.");
        var parse = root.Parse(args);
        return await parse.InvokeAsync().ConfigureAwait(false);
    }
}
