using System.CommandLine;
using System.Runtime.InteropServices;
using Workbench.Data;
using Workbench.Cli.Commands;
using Workbench.Cli.Infrastructure;

namespace Workbench.Cli;

/// <summary>The <c>workbench</c> command line: builds the command tree and runs it.</summary>
public static class WorkbenchCommand
{
    /// <summary>Parses and runs <paramref name="args"/> on the process console; returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args)
    {
        // A signal that stops the process removes the temporary files of unfinished writes first (SafeFile.Stop): the
        // process may end without running exit handlers. Default handling (System.CommandLine's cancellation) goes on.
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => SafeFile.Stop());
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, _ => SafeFile.Stop());
        using var hangUp = PosixSignalRegistration.Create(PosixSignal.SIGHUP, _ => SafeFile.Stop());
        return await RunAsync(args, CliContext.FromConsole()).ConfigureAwait(false);
    }

    /// <summary>Parses and runs <paramref name="args"/> writing to <paramref name="context"/>; returns the exit code.</summary>
    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(context);
        var root = Build(context);
        var parse = root.Parse(args);
        var invocation = new InvocationConfiguration
        {
            Output = context.Out,
            Error = context.Error,
            EnableDefaultExceptionHandler = false,
        };
        if (parse.Errors.Count > 0)
        {
            await context.Error.WriteLineAsync(
                $"workbench: {string.Join("; ", parse.Errors.Select(e => e.Message).Distinct())} (see '{string.Join(' ', CommandPath(parse).Prepend("workbench"))} --help')").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        try
        {
            return await parse.InvokeAsync(invocation, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await context.Error.WriteLineAsync("workbench: cancelled").ConfigureAwait(false);
            return ExitCodes.Cancelled;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            var name = string.Join(' ', CommandPath(parse));
            await context.Error.WriteLineAsync($"workbench {name}: error: {OneLine(e)}").ConfigureAwait(false);
            if (Environment.GetEnvironmentVariable("WORKBENCH_DEBUG") == "1")
            {
                await context.Error.WriteLineAsync(e.ToString()).ConfigureAwait(false);
            }

            return ExitCodes.Failure;
        }
    }

    /// <summary>The command tree.</summary>
    public static RootCommand Build(CliContext context)
    {
        var root = new RootCommand("Workbench: generate, import, inspect and replay labelled time series; detect, forecast and benchmark streaming anomaly detection.");
        root.Subcommands.Add(GenerateCommand.Build(context));
        root.Subcommands.Add(ImportCommand.Build(context));
        root.Subcommands.Add(InspectCommand.Build(context));
        root.Subcommands.Add(ReplayCommand.Build(context));
        root.Subcommands.Add(ListCommand.Build(context));
        root.Subcommands.Add(DetectCommand.Build(context));
        root.Subcommands.Add(ForecastCommand.Build(context));
        root.Subcommands.Add(BenchCommand.Build(context));
        root.Subcommands.Add(ExportCommand.Build(context));
        root.Subcommands.Add(PipelineCommand.Build(context));
        root.Subcommands.Add(EvaluateCommand.Build(context));
        root.Subcommands.Add(NotebookCommand.Build(context));
        root.Subcommands.Add(KernelCommand.Build(context));
        root.Subcommands.Add(SiloCommand.Build(context));
        return root;
    }

    private static IEnumerable<string> CommandPath(ParseResult parse)
    {
        var names = new Stack<string>();
        for (var r = parse.CommandResult; r?.Parent is not null; r = r.Parent as System.CommandLine.Parsing.CommandResult)
        {
            names.Push(r.Command.Name);
        }

        return names;
    }

    private static string OneLine(Exception e)
    {
        var inner = e is AggregateException { InnerExceptions.Count: 1 } a ? a.InnerExceptions[0] : e;
        var message = inner is IOException io && SafeFile.DescribeWriteFailure(io) is { } write ? write : inner.Message;
        return message.ReplaceLineEndings(" ");
    }
}

/// <summary>Process exit codes.</summary>
public static class ExitCodes
{
    public const int Success = 0;
    public const int Failure = 1;
    public const int Usage = 2;
    public const int Cancelled = 130;
}
