using System.CommandLine;
using System.Globalization;
using Workbench.Data;
using Workbench.Cli.Infrastructure;
using Workbench.Notebooks;

namespace Workbench.Cli.Commands;

/// <summary><c>workbench notebook</c>: runs C# notebooks headless (<c>run</c>) and turns them into file-based apps (<c>export</c>).</summary>
public static class NotebookCommand
{
    /// <summary>Default folder of <c>notebook run</c> outputs.</summary>
    public const string DefaultOutDir = "out/notebooks";

    /// <summary>What <c>notebook run --json</c> prints per notebook.</summary>
    /// <param name="Notebook">The notebook path as given.</param>
    /// <param name="Status"><c>ok</c> or <c>failed</c>.</param>
    /// <param name="Cells">Code cells in the notebook.</param>
    /// <param name="CellsRun">Code cells run (the failing one included).</param>
    /// <param name="Outputs">Outputs produced.</param>
    /// <param name="Seconds">Wall time of the run.</param>
    /// <param name="CellSeconds">Wall time per code cell run.</param>
    /// <param name="Executed">The executed notebook written.</param>
    /// <param name="Html">The HTML rendering written.</param>
    /// <param name="Error">The one-line error, when failed.</param>
    public sealed record RunSummary(string Notebook, string Status, int Cells, int CellsRun, int Outputs, double Seconds, IReadOnlyList<double> CellSeconds, string Executed, string Html, string? Error);

    /// <summary>Builds <c>notebook</c> with <c>run</c> and <c>export</c>.</summary>
    public static Command Build(CliContext context)
    {
        var command = new Command("notebook", "Run C# notebooks (.ipynb) headless, or export them as .NET file-based apps.");
        command.Subcommands.Add(BuildRun(context));
        command.Subcommands.Add(BuildExport(context));
        return command;
    }

    private static Command BuildRun(CliContext context)
    {
        var notebooks = new Argument<FileInfo[]>("notebooks") { Description = "The .ipynb files, run one after another.", Arity = ArgumentArity.OneOrMore };
        var outDir = new Option<DirectoryInfo>("--out") { Description = $"Folder for the executed notebooks and their HTML (default {DefaultOutDir})." };
        var json = new Option<bool>("--json") { Description = "Print a JSON summary per notebook (an array)." };
        var timeout = new Option<double?>("--timeout") { Description = "Longest a single cell may run, in seconds (default: no limit)." };
        var command = new Command("run", "Execute every C# cell in order; write <name>.ipynb (outputs filled) and <name>.html (offline, plotly.js embedded once) to --out; stop at the first error.")
        {
            notebooks, outDir, json, timeout,
        };
        command.Validators.Add(r =>
        {
            if (r.GetValue(timeout) is { } t && !(t > 0))
            {
                r.AddError("--timeout must be a positive number of seconds");
            }
        });
        command.SetAction(async (parse, ct) =>
        {
            var dir = parse.GetValue(outDir)?.FullName ?? Path.GetFullPath(DefaultOutDir);
            var options = new NotebookRunOptions { CellTimeout = parse.GetValue(timeout) is { } s ? TimeSpan.FromSeconds(s) : null };
            var inputs = parse.GetValue(notebooks)!.Select(f => f.FullName).ToArray();
            OutputGuard.Check(inputs, [.. inputs.SelectMany(n => new[]
            {
                ("--out", (string?)Path.Combine(dir, Path.GetFileNameWithoutExtension(n) + ".ipynb")),
                ("--out", (string?)Path.Combine(dir, Path.GetFileNameWithoutExtension(n) + ".html")),
            })]);
            var summaries = new List<RunSummary>();
            var code = ExitCodes.Success;
            foreach (var file in parse.GetValue(notebooks)!)
            {
                var summary = await RunOneAsync(context, file.FullName, Relative(file), dir, options, ct).ConfigureAwait(false);
                summaries.Add(summary);
                if (summary.Error is not null)
                {
                    await context.Error.WriteLineAsync(summary.Error).ConfigureAwait(false);
                    code = ExitCodes.Failure;
                    break;
                }

                if (!parse.GetValue(json))
                {
                    await context.Out.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                        $"{summary.Notebook}: {summary.CellsRun} cells, {summary.Outputs} outputs, {summary.Seconds:F2} s -> {summary.Html}")).ConfigureAwait(false);
                }
            }

            if (parse.GetValue(json))
            {
                JsonOutput.Write(context.Out, summaries);
            }

            return code;
        });
        return command;
    }

    /// <summary>Runs one notebook and writes its executed copy and HTML into <paramref name="outDir"/>.</summary>
    public static async Task<RunSummary> RunOneAsync(CliContext context, string path, string displayName, string outDir, NotebookRunOptions options, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var total = Notebook.Load(path).Cells.Count(c => c.CellType == NotebookCellType.Code);
        var result = await context.WithProgressAsync(displayName, total, report =>
            NotebookRunner.RunAsync(path, options, (done, _) => report(done), ct)).ConfigureAwait(false);
        Directory.CreateDirectory(outDir);
        var name = Path.GetFileNameWithoutExtension(path);
        var executed = Path.Combine(outDir, name + ".ipynb");
        var html = Path.Combine(outDir, name + ".html");
        result.Executed.Save(executed);
        await SafeFile.WriteAllTextAsync(html, NotebookHtmlRenderer.Render(result.Executed, name), new System.Text.UTF8Encoding(false), ct).ConfigureAwait(false);
        var error = result.FailedCell is null ? null : (result with { Path = displayName }).FailureMessage;
        return new RunSummary(
            displayName,
            result.Succeeded ? "ok" : "failed",
            result.Cells,
            result.CellsRun,
            result.Outputs,
            Math.Round(result.Elapsed.TotalSeconds, 3),
            [.. result.CellTimes.Select(t => Math.Round(t.TotalSeconds, 3))],
            executed,
            html,
            error);
    }

    private static Command BuildExport(CliContext context)
    {
        var notebook = new Argument<FileInfo>("notebook") { Description = "The .ipynb file." };
        var output = new Option<FileInfo>("--out") { Description = "The .cs file to write (overwritten); run it with 'dotnet run <file.cs>'.", Required = true };
        var command = new Command("export", "Write a notebook as a .NET 10 file-based app: #:package for nuget references, #:project for Workbench assemblies, cells in order, markdown as comments.")
        {
            notebook, output,
        };
        command.SetAction(async (parse, ct) =>
        {
            var outPath = parse.GetValue(output)!.FullName;
            OutputGuard.Check([parse.GetValue(notebook)!.FullName], ("--out", outPath));
            try
            {
                FileBasedAppExporter.ExportFile(parse.GetValue(notebook)!.FullName, outPath);
            }
            catch (NotebookExportException e)
            {
                throw new CommandFailedException(e.Message);
            }

            await context.Out.WriteLineAsync($"wrote {outPath}").ConfigureAwait(false);
            return ExitCodes.Success;
        });
        return command;
    }

    private static string Relative(FileInfo file)
    {
        var rel = Path.GetRelativePath(Directory.GetCurrentDirectory(), file.FullName);
        return rel.StartsWith("..", StringComparison.Ordinal) ? file.FullName : rel;
    }
}
