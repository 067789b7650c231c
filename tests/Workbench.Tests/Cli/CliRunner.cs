using System.Text.Json;
using Workbench.Cli;
using Workbench.Cli.Infrastructure;

namespace Workbench.Tests.Cli;

/// <summary>Runs the <c>workbench</c> command line in-process and captures its output.</summary>
internal static class CliRunner
{
    public sealed record Outcome(int ExitCode, string Out, string Error)
    {
        public JsonElement Json() => JsonDocument.Parse(Out).RootElement;
    }

    public static async Task<Outcome> RunAsync(params string[] args)
    {
        using var o = new StringWriter();
        using var e = new StringWriter();
        var code = await WorkbenchCommand.RunAsync(args, new CliContext(o, e, interactive: false));
        return new Outcome(code, o.ToString(), e.ToString());
    }
}
