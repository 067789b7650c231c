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
/// <param name="Event"><c>progress</c>, <c>retry</c> or <c>done</c>.</param>
/// <param name="Dataset">The dataset file.</param>
/// <param name="Total">Items (detector specs) in all.</param>
/// <param name="Done">Items finished.</param>
/// <param name="InFlight">Chunks outstanding (cluster runs).</param>
/// <param name="Retried">Chunk attempts that failed and were sent again (cluster runs).</param>
/// <param name="Silo">The silo that finished the chunk (cluster runs).</param>
/// <param name="Failure">Why an attempt failed (<c>retry</c> events).</param>
/// <param name="Seconds">Seconds since the dataset's evaluation began.</param>
public sealed record ProgressEvent(string Event, string Dataset, int Total, int Done, int InFlight, int Retried, string? Silo, string? Failure, double Seconds);

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
