using System.CommandLine;
using Workbench.Cli.Infrastructure;
using Workbench.Operators.Specs;

namespace Workbench.Cli.Commands;

/// <summary><c>workbench list</c>: every detector and forecaster with its parameters.</summary>
public static class ListCommand
{
    /// <summary>One operator as <c>list --json</c> prints it.</summary>
    public sealed record Entry(string Name, string Kind, string Description, IReadOnlyList<Parameter> Parameters);

    /// <summary>One parameter as <c>list --json</c> prints it.</summary>
    public sealed record Parameter(string Name, string Type, string Default, string Description);

    public static Command Build(CliContext context)
    {
        var json = new Option<bool>("--json") { Description = "Print a JSON array of {name, kind, description, parameters: [{name, type, default, description}]}." };
        var command = new Command("list", "List every detector and forecaster with its parameters, defaults and meaning.") { json };
        command.SetAction(async parse =>
        {
            var entries = Entries(OperatorCatalogs.Cli);
            if (parse.GetValue(json))
            {
                JsonOutput.Write(context.Out, entries);
                return ExitCodes.Success;
            }

            foreach (var group in entries.GroupBy(e => e.Kind))
            {
                await context.Out.WriteLineAsync($"{group.Key}s:").ConfigureAwait(false);
                foreach (var e in group)
                {
                    await context.Out.WriteLineAsync($"  {e.Name,-20} {e.Description}").ConfigureAwait(false);
                    foreach (var p in e.Parameters)
                    {
                        await context.Out.WriteLineAsync($"      {p.Name,-14} {p.Type,-12} default {p.Default,-10} {p.Description}").ConfigureAwait(false);
                    }
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The catalog as list entries.</summary>
    public static IReadOnlyList<Entry> Entries(OperatorCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return catalog.Descriptors
            .Select(d => new Entry(d.Name, d.Kind == OperatorKind.Detector ? "detector" : "forecaster", d.Description,
                d.Parameters.Select(p => new Parameter(p.Name, p.Type, p.Default, p.Description)).ToList()))
            .ToList();
    }
}
