using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Workbench.Cli.Infrastructure;
using Workbench.Cluster;
using Workbench.Data;
using Workbench.Evaluation.Runs;
using Workbench.Evaluation.Thresholds;
using Workbench.Operators.Detection;
using Spectre.Console;

namespace Workbench.Cli.Commands;

/// <summary>How <c>evaluate --cluster</c> runs: the cluster and the scheduler's bounds.</summary>
/// <param name="Connection">The membership store.</param>
/// <param name="ClusterId">The cluster's name.</param>
/// <param name="Scheduler">Chunk size, work in flight, retries.</param>
public sealed record ClusterRun(ClusterConnection Connection, string ClusterId, GridSchedulerOptions Scheduler);

/// <summary>How <c>evaluate</c> reports progress: a Spectre bar on a terminal (auto), JSON lines on stderr, or nothing.</summary>
public enum ProgressMode
{
    /// <summary>A progress bar when stderr is a terminal.</summary>
    Auto,

    /// <summary>One JSON object per line on stderr: <c>{"event":"progress","total","done","inFlight","retried","silo"}</c>, then <c>{"event":"done",…}</c>.</summary>
    Json,

    /// <summary>No progress.</summary>
    None,
}

/// <summary>One line of <c>evaluate --progress json</c>.</summary>
/// <param name="Event"><c>progress</c> (an item or chunk finished), <c>retry</c> (a cluster attempt failed and is sent again) or <c>done</c> (the dataset is finished).</param>
/// <param name="Dataset">The dataset file.</param>
/// <param name="Total">Items (detector specs) in all.</param>
/// <param name="Done">Items finished.</param>
/// <param name="InFlight">Work outstanding: chunks sent and not yet answered (cluster), or worker threads busy, min(workers, total − done) (local).</param>
/// <param name="Retried">Chunk attempts that failed and were sent again (cluster; 0 locally).</param>
/// <param name="Silo">The silo that finished the chunk (cluster runs).</param>
/// <param name="Failure">Why an attempt failed (<c>retry</c> events).</param>
/// <param name="ElapsedMs">Milliseconds since the dataset's evaluation began.</param>
/// <param name="EtaMs">Milliseconds left at the rate so far (elapsed × (total − done) / done); null before the first item is done, 0 when all are.</param>
public sealed record ProgressEvent(
    string Event, string Dataset, int Total, int Done, int InFlight, int Retried, string? Silo, string? Failure, long ElapsedMs, long? EtaMs)
{
    /// <summary>The time left at the rate so far; null while nothing is done.</summary>
    public static long? Eta(int done, int total, TimeSpan elapsed) => done <= 0 ? null
        : done >= total ? 0
        : (long)Math.Round(elapsed.TotalMilliseconds * (total - done) / done, MidpointRounding.AwayFromZero);
}

/// <summary>
/// Progress of one dataset's evaluation: a Spectre.Console bar on a terminal (done / total, in flight, retried, elapsed,
/// time remaining), <c>--progress json</c> lines on stderr, or nothing. Reports may come from any thread; they are
/// serialised here.
/// </summary>
internal sealed class EvaluationProgress
{
    private readonly TextWriter _error;
    private readonly ProgressMode _mode;
    private readonly string _dataset;
    private readonly string _title;
    private readonly int _total;
    private readonly Lock _lock = new();
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private ProgressTask? _bar;
    private int _retried;

    public EvaluationProgress(CliContext context, ProgressMode mode, string dataset, string title, int total)
    {
        ArgumentNullException.ThrowIfNull(context);
        _error = context.Error;
        _mode = mode == ProgressMode.Auto && !context.Interactive ? ProgressMode.None : mode;
        _dataset = dataset;
        _title = title;
        _total = total;
    }

    /// <summary>Runs <paramref name="work"/> (which reports through <see cref="Report"/>) under the bar, then reports <c>done</c>.</summary>
    public async Task<T> RunAsync<T>(Func<Task<T>> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        T result;
        if (_mode == ProgressMode.Auto)
        {
            var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(_error) });
            result = await console.Progress()
                .AutoClear(true)
                .Columns(new TaskDescriptionColumn { Alignment = Justify.Left }, new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new RemainingTimeColumn())
                .StartAsync(async ctx =>
                {
                    lock (_lock) { _bar = ctx.AddTask(Describe(0, 0, 0), maxValue: Math.Max(_total, 1)); }
                    var r = await work().ConfigureAwait(false);
                    lock (_lock) { _bar.Value = _bar.MaxValue; }
                    return r;
                }).ConfigureAwait(false);
        }
        else
        {
            result = await work().ConfigureAwait(false);
        }

        Report("done", _total, 0, _retried);
        return result;
    }

    /// <summary>Records where the run stands (<paramref name="retried"/>: attempts retried so far in all).</summary>
    public void Report(string kind, int done, int inFlight, int retried = 0, string? silo = null, string? failure = null)
    {
        lock (_lock)
        {
            _retried = Math.Max(_retried, retried);
            var elapsed = _clock.Elapsed;
            if (_bar is not null)
            {
                _bar.Value = Math.Min(done, _bar.MaxValue);
                _bar.Description = Describe(done, inFlight, _retried);
            }

            if (_mode == ProgressMode.Json)
            {
                EvaluateCluster.WriteEvent(_error, new ProgressEvent(kind, _dataset, _total, done, inFlight, _retried, silo, failure,
                    (long)Math.Round(elapsed.TotalMilliseconds, MidpointRounding.AwayFromZero), ProgressEvent.Eta(done, _total, elapsed)));
            }
        }
    }

    private string Describe(int done, int inFlight, int retried) => Markup.Escape(string.Create(CultureInfo.InvariantCulture,
        $"{_title}: {done:N0}/{_total:N0} done, {inFlight} in flight, {retried} retried"));
}

/// <summary>The <c>evaluate --cluster</c> path: the same items as the local run, evaluated by the cluster's worker silos.</summary>
internal static class EvaluateCluster
{
    /// <summary>How long a chunk may wait for its answer before it is retried elsewhere.</summary>
    public static readonly TimeSpan ResponseTimeout = TimeSpan.FromMinutes(10);

    /// <summary>How long the client waits for a silo's gateway to appear in the membership store.</summary>
    public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(15);

    /// <summary>Connects a client to the cluster.</summary>
    /// <exception cref="CommandFailedException">No silo answered.</exception>
    public static async Task<IHost> ConnectAsync(ClusterRun run, CancellationToken ct)
    {
        await SiloCommand.PrepareStoreAsync(run.Connection, ct).ConfigureAwait(false);
        var host = ClusterHosting.BuildClient(run.Connection, run.ClusterId, ResponseTimeout, SiloCommand.StderrLogging);
        using var patience = CancellationTokenSource.CreateLinkedTokenSource(ct);
        patience.CancelAfter(ConnectTimeout);
        try
        {
            await host.StartAsync(patience.Token).ConfigureAwait(false);
            return host;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            host.Dispose();
            throw new CommandFailedException(string.Create(CultureInfo.InvariantCulture,
                $"--cluster {run.Connection}: no silo of cluster '{run.ClusterId}' answered in {ConnectTimeout.TotalSeconds:F0} s; start silos with 'workbench silo --cluster {run.Connection}'"));
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            host.Dispose();
            throw new CommandFailedException(
                $"--cluster {run.Connection}: cannot reach cluster '{run.ClusterId}' ({e.Message.ReplaceLineEndings(" ")}); start silos with 'workbench silo --cluster {run.Connection}'");
        }
    }

    /// <summary>Evaluates <paramref name="detectors"/> on the file at <paramref name="path"/> on the cluster; results in the detectors' order.</summary>
    public static async Task<IReadOnlyList<DetectorEvaluation>> EvaluateAsync(
        IHost client, ClusterRun run, string path, IReadOnlyList<IDetector> detectors, ThresholdStrategy? threshold,
        IProgress<GridProgress> progress, CancellationToken ct)
    {
        var fingerprint = await GridScheduler.FingerprintAsync(path, ct).ConfigureAwait(false);
        var grains = client.Services.GetRequiredService<IClusterClient>();
        try
        {
            return await GridScheduler.RunAsync(
                grains, Path.GetFullPath(path), fingerprint, [.. detectors.Select(d => d.Spec)], ThresholdChoice.Of(threshold), run.Scheduler, progress, ct,
                client.Services.GetRequiredService<SiloLossSignal>()).ConfigureAwait(false);
        }
        catch (GridClusterException e)
        {
            throw new CommandFailedException($"--cluster: {e.Message}");
        }
    }

    /// <summary>Parses <c>--progress</c>.</summary>
    public static ProgressMode ParseProgress(string text) => text switch
    {
        "auto" => ProgressMode.Auto,
        "json" => ProgressMode.Json,
        "none" => ProgressMode.None,
        _ => throw new CommandFailedException($"--progress '{text}': use auto, json or none"),
    };

    /// <summary>Writes one <c>--progress json</c> line to <paramref name="error"/> (serialised by the caller's lock).</summary>
    public static void WriteEvent(TextWriter error, ProgressEvent e)
    {
        error.WriteLine(JsonSerializer.Serialize(e, JsonOutput.LineOptions));
        error.Flush();
    }

    /// <summary>A summary of a cluster run for the text output: chunks per silo and retries.</summary>
    public static string Summary(IReadOnlyDictionary<string, int> perSilo, int retried) => string.Create(CultureInfo.InvariantCulture,
        $"cluster: {perSilo.Values.Sum()} chunk(s) on {perSilo.Count} silo(s) ({string.Join(", ", perSilo.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key} {p.Value}"))}), {retried} retried");
}

/// <summary>An <see cref="IProgress{T}"/> that reports on the calling thread, in order (unlike <see cref="Progress{T}"/>).</summary>
internal sealed class SyncProgress<T>(Action<T> report) : IProgress<T>
{
    private readonly Lock _lock = new();

    public void Report(T value)
    {
        lock (_lock)
        {
            report(value);
        }
    }
}
