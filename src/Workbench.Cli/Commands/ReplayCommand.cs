using System.CommandLine;
using System.Diagnostics;
using System.Reactive.Concurrency;
using System.Reactive.Linq;
using Workbench.Cli.Infrastructure;
using Workbench.Core;
using Workbench.Data;
using Workbench.Replay;

namespace Workbench.Cli.Commands;

/// <summary><c>workbench replay</c>: replays a labelled file through a counting subscriber.</summary>
public static class ReplayCommand
{
    /// <summary>What <c>replay --json</c> prints.</summary>
    public sealed record Result(
        string File, string Mode, double? Speed, long Events, double Seconds, double EventsPerSecond,
        DateTime? FirstTimestamp, DateTime? LastTimestamp, long PeakWorkingSetBytes, string? Imported = null);

    public static Command Build(CliContext context)
    {
        var file = new Argument<FileInfo>("file") { Description = "A labelled Parquet file, a part folder or a quoted glob of part files (read as one dataset), or a CSV or foreign Parquet file (imported on the fly)." };
        var virtualTime = new Option<bool>("--virtual") { Description = "Replay in virtual time, as fast as possible (the scheduler clock equals each timestamp)." };
        var speed = new Option<double?>("--speed") { Description = "Replay on the wall clock at this speed factor (1 = real time, 60, 1000, …)." };
        var limit = new Option<long?>("--limit") { Description = "Stop after this many events." };
        var json = new Option<bool>("--json") { Description = "Print the result as one JSON object." };
        var command = new Command("replay", "Replay a labelled dataset as an observable stream into a counting subscriber and report the rate.")
        {
            file, virtualTime, speed, limit, json,
        };
        command.Validators.Add(r =>
        {
            if ((r.GetResult(virtualTime) is null) == (r.GetResult(speed) is null))
            {
                r.AddError("give exactly one of --virtual or --speed <factor>");
            }
            else if (r.GetValue(speed) is { } s && !(s > 0 && double.IsFinite(s)))
            {
                r.AddError("--speed must be a positive number");
            }

            if (r.GetValue(limit) is < 1)
            {
                r.AddError("--limit must be at least 1");
            }
        });
        command.SetAction(async (parse, ct) =>
        {
            var path = parse.GetValue(file)!.FullName;
            var result = parse.GetValue(virtualTime)
                ? await RunVirtualAsync(context, path, parse.GetValue(limit), ct).ConfigureAwait(false)
                : await RunScaledAsync(context, path, parse.GetValue(speed)!.Value, parse.GetValue(limit), ct).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                JsonOutput.Write(context.Out, result);
            }
            else
            {
                await context.Out.WriteLineAsync(
                    $"replayed {result.Events:N0} events ({result.Mode}) in {result.Seconds:F3} s: {result.EventsPerSecond / 1e6:F2} M events/s; " +
                    $"peak working set {result.PeakWorkingSetBytes / 1e6:F0} MB").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Virtual-time replay of the whole file (or <paramref name="limit"/> events).</summary>
    public static async Task<Result> RunVirtualAsync(CliContext context, string path, long? limit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        await using var input = await DatasetInput.OpenAsync(context, path, ct).ConfigureAwait(false);
        await using var reader = await OpenAsync(input.Path, ct).ConfigureAwait(false);
        var total = limit is { } l ? Math.Min(l, reader.RowCount) : reader.RowCount;
        var clock = Stopwatch.StartNew();
        var counter = new CountingObserver(ct);
        await context.WithProgressAsync($"replay {Path.GetFileName(path)}", total, progress =>
        {
            var scheduler = new ReplayScheduler();
            var stream = ObservationReplay.Virtual(reader.ReadBatches(), scheduler);
            using var subscription = (limit is { } n ? stream.Take((int)Math.Min(n, int.MaxValue)) : stream)
                .Subscribe(counter.WithProgress(progress));
            scheduler.RunToCompletion();
            return Task.FromResult(counter.Count);
        }).ConfigureAwait(false);
        clock.Stop();
        counter.ThrowIfFailed();
        return counter.Result(path, "virtual", null, clock.Elapsed.TotalSeconds) with { Imported = input.ImportedNote };
    }

    /// <summary>Scaled wall-clock replay at <paramref name="speed"/>×.</summary>
    public static async Task<Result> RunScaledAsync(CliContext context, string path, double speed, long? limit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        await using var input = await DatasetInput.OpenAsync(context, path, ct).ConfigureAwait(false);
        await using var reader = await OpenAsync(input.Path, ct).ConfigureAwait(false);
        var total = limit is { } l ? Math.Min(l, reader.RowCount) : reader.RowCount;
        var counter = new CountingObserver(ct);
        var clock = Stopwatch.StartNew();
        await context.WithProgressAsync($"replay {Path.GetFileName(path)} at {speed}x", total, async progress =>
        {
            var session = ObservationReplay.Scaled(reader.ReadBatches(), new ReplayOptions { Speed = speed, Total = reader.RowCount }, Scheduler.Default);
            var stream = limit is { } n ? session.Observations.Take((int)Math.Min(n, int.MaxValue)) : session.Observations;
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            using var subscription = stream.Subscribe(
                counter.WithProgress(progress, onEnd: error =>
                {
                    if (error is null)
                    {
                        done.TrySetResult();
                    }
                    else
                    {
                        done.TrySetException(error);
                    }
                }));
            await using var registration = ct.Register(() => done.TrySetCanceled(ct)).ConfigureAwait(false);
            await done.Task.ConfigureAwait(false);
            return counter.Count;
        }).ConfigureAwait(false);
        clock.Stop();
        counter.ThrowIfFailed();
        return counter.Result(path, "scaled", speed, clock.Elapsed.TotalSeconds) with { Imported = input.ImportedNote };
    }

    private static async Task<DatasetPartsReader> OpenAsync(string path, CancellationToken ct)
    {
        DatasetInput.RequireDataset(path);

        // Replay copies what it needs from each batch, so the reader may reuse its batch arrays.
        return await DatasetPartsReader.OpenAsync(path, new DatasetReaderOptions { ReuseBatches = true }, ct).ConfigureAwait(false);
    }

    /// <summary>Counts events and remembers the first and last timestamps; reports progress every 64 Ki events.</summary>
    private sealed class CountingObserver(CancellationToken ct)
    {
        private Exception? _error;

        public long Count { get; private set; }

        public DateTime? First { get; private set; }

        public DateTime? Last { get; private set; }

        public IObserver<LabeledObservation> WithProgress(Action<double> progress, Action<Exception?>? onEnd = null) =>
            System.Reactive.Observer.Create<LabeledObservation>(
                o =>
                {
                    First ??= o.Timestamp;
                    Last = o.Timestamp;
                    if ((++Count & 0xFFFF) == 0)
                    {
                        progress(Count);
                        ct.ThrowIfCancellationRequested();
                    }
                },
                e =>
                {
                    _error = e;
                    onEnd?.Invoke(e);
                },
                () => onEnd?.Invoke(null));

        public void ThrowIfFailed()
        {
            if (_error is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(_error);
            }
        }

        public Result Result(string path, string mode, double? speed, double seconds) =>
            new(path, mode, speed, Count, seconds, Count / Math.Max(seconds, 1e-9), First, Last,
                Process.GetCurrentProcess().PeakWorkingSet64);
    }
}
