using Spectre.Console;

namespace Workbench.Cli.Infrastructure;

/// <summary>
/// Where a command writes: <see cref="Out"/> for results (machine-readable with <c>--json</c>), <see cref="Error"/>
/// for the one-line errors, and a Spectre.Console progress display on the error stream when it is a terminal.
/// </summary>
public sealed class CliContext(TextWriter output, TextWriter error, bool interactive)
{
    /// <summary>Results.</summary>
    public TextWriter Out { get; } = output;

    /// <summary>Diagnostics and errors.</summary>
    public TextWriter Error { get; } = error;

    /// <summary>Whether progress is drawn (a terminal on stderr, not CI).</summary>
    public bool Interactive { get; } = interactive;

    /// <summary>The process console: progress only when stderr is a terminal and CI is not set.</summary>
    public static CliContext FromConsole() => new(
        Console.Out,
        Console.Error,
        !Console.IsErrorRedirected && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("CI")));

    /// <summary>
    /// Runs <paramref name="work"/> with a progress bar named <paramref name="title"/> whose total is
    /// <paramref name="total"/> units; the callback reports units done. Without a terminal it just runs.
    /// </summary>
    public async Task<T> WithProgressAsync<T>(string title, double total, Func<Action<double>, Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        if (!Interactive)
        {
            return await work(_ => { }).ConfigureAwait(false);
        }

        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Error) });
        return await console.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
            .StartAsync(async ctx =>
            {
                var task = ctx.AddTask(Markup.Escape(title), maxValue: Math.Max(total, 1));
                var result = await work(done => task.Value = Math.Min(done, task.MaxValue)).ConfigureAwait(false);
                task.Value = task.MaxValue;
                return result;
            }).ConfigureAwait(false);
    }
}
