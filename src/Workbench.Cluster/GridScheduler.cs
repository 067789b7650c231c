using Orleans.Runtime;
using Orleans.Runtime.Messaging;
using Workbench.Evaluation.Runs;

namespace Workbench.Cluster;

/// <summary>How <see cref="GridScheduler"/> hands out work.</summary>
public sealed record GridSchedulerOptions
{
    /// <summary>Items per chunk (one worker call); 0 = chosen from the item count (about 8 chunks per call slot, at most 64 items).</summary>
    public int ChunkSize { get; init; }

    /// <summary>Chunks in flight at once (the client's bound on outstanding work).</summary>
    public int MaxInFlight { get; init; } = 8;

    /// <summary>Attempts per chunk before the run fails (a retry follows a lost silo, a rejected message or a timeout).</summary>
    public int MaxAttempts { get; init; } = 30;

    /// <summary>How long one chunk may take before it is given up and retried elsewhere.</summary>
    public TimeSpan ChunkTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>The pause before a retry, times the attempt number up to 10 (lets the client learn that a gateway is gone).</summary>
    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(200);

    /// <summary>
    /// A chunk whose call has had no answer for this long, or four times the longest chunk so far if that is longer,
    /// gets a backup attempt under another key (the first call is kept; the first answer wins). Results are pure, so a
    /// backup changes only the time taken; it rescues calls stuck on a silo or gateway that was lost.
    /// </summary>
    public TimeSpan HedgeDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Checks the options.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfNegative(ChunkSize, nameof(ChunkSize));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxInFlight, 1, nameof(MaxInFlight));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxAttempts, 1, nameof(MaxAttempts));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(ChunkTimeout, TimeSpan.Zero, nameof(ChunkTimeout));
    }
}

/// <summary>Where a grid run stands: items done, chunks in flight, chunks retried; <see cref="Silo"/> computed the last chunk.</summary>
/// <param name="Total">Items in all.</param>
/// <param name="Done">Items finished.</param>
/// <param name="InFlight">Chunks sent and not yet answered.</param>
/// <param name="Retried">Chunk attempts that failed and were sent again.</param>
/// <param name="Silo">The silo that finished the last chunk; null for a report that is not about a finished chunk.</param>
/// <param name="Failure">Why the last attempt failed, when this report is about a retry.</param>
public sealed record GridProgress(int Total, int Done, int InFlight, int Retried, string? Silo, string? Failure = null);

/// <summary>A grid run on the cluster that cannot finish: a silo refused a chunk for good, or a chunk ran out of attempts.</summary>
public sealed class GridClusterException : Exception
{
    public GridClusterException() { }

    public GridClusterException(string message) : base(message) { }

    public GridClusterException(string message, Exception inner) : base(message, inner) { }
}

/// <summary>
/// The client side of a grid run on the cluster: splits the items (detector specs) into chunks, keeps at most
/// <see cref="GridSchedulerOptions.MaxInFlight"/> chunks outstanding, sends each to a stateless worker under its own key
/// (so the client spreads them over the gateways), retries a chunk whose silo is lost, whose message is rejected or that
/// times out (items are pure functions of their inputs, so a retry gives the same result), and places every result by
/// its item index: the list equals <see cref="DetectorEvaluator.Evaluate"/> on the same specs, in the same order.
/// </summary>
public static class GridScheduler
{
    /// <summary>Evaluates every spec of <paramref name="specs"/> on <paramref name="datasetPath"/> on the cluster.</summary>
    /// <param name="grains">The cluster client.</param>
    /// <param name="datasetPath">The dataset, at a path every silo sees.</param>
    /// <param name="fingerprint">The file's SHA-256 as the client read it (<see cref="FingerprintAsync"/>).</param>
    /// <param name="specs">Canonical detector specs: the items, by index.</param>
    /// <param name="threshold">How scores become flags.</param>
    /// <param name="options">Chunking, bound and retries; null = defaults.</param>
    /// <param name="progress">Reported after every chunk that finishes or fails, one report at a time and in order (keep it quick).</param>
    /// <param name="ct">Stops the run.</param>
    /// <param name="silosLost">Raised when the client loses a gateway (<see cref="ClusterHosting.BuildClient"/> wires it); null = none (calls to a lost silo then wait for their timeout).</param>
    /// <returns>One evaluation per spec, in the specs' order.</returns>
    /// <exception cref="GridClusterException">A silo refused a chunk for good, or a chunk failed <see cref="GridSchedulerOptions.MaxAttempts"/> times.</exception>
    public static async Task<IReadOnlyList<DetectorEvaluation>> RunAsync(
        IGrainFactory grains, string datasetPath, string fingerprint, IReadOnlyList<string> specs, ThresholdChoice threshold,
        GridSchedulerOptions? options = null, IProgress<GridProgress>? progress = null, CancellationToken ct = default,
        SiloLossSignal? silosLost = null)
    {
        ArgumentNullException.ThrowIfNull(grains);
        ArgumentNullException.ThrowIfNull(datasetPath);
        ArgumentNullException.ThrowIfNull(fingerprint);
        ArgumentNullException.ThrowIfNull(specs);
        ArgumentNullException.ThrowIfNull(threshold);
        options ??= new GridSchedulerOptions();
        options.Validate();
        var results = new DetectorEvaluation?[specs.Count];
        var chunkSize = options.ChunkSize > 0 ? options.ChunkSize : Math.Clamp(specs.Count / (options.MaxInFlight * 8), 1, 64);
        var chunks = new List<GridChunk>();
        for (var start = 0; start < specs.Count; start += chunkSize)
        {
            var n = Math.Min(chunkSize, specs.Count - start);
            chunks.Add(new GridChunk
            {
                DatasetPath = datasetPath,
                Fingerprint = fingerprint,
                Threshold = threshold,
                Indices = [.. Enumerable.Range(start, n)],
                Specs = [.. specs.Skip(start).Take(n)],
            });
        }

        var state = new RunState(specs.Count);
        var lost = silosLost ?? new SiloLossSignal();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct);
        using var slots = new SemaphoreSlim(options.MaxInFlight, options.MaxInFlight);
        var running = new List<Task>(chunks.Count);
        for (var c = 0; c < chunks.Count; c++)
        {
            try
            {
                await slots.WaitAsync(stop.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break; // a chunk failed for good (or the caller stopped): stop sending, report below
            }

            var index = c;
            running.Add(Task.Run(async () =>
            {
                try
                {
                    await RunChunkAsync(grains, chunks[index], index, chunks.Count, results, state, options, lost, progress, stop.Token).ConfigureAwait(false);
                }
                catch
                {
                    await stop.CancelAsync().ConfigureAwait(false);
                    throw;
                }
                finally
                {
                    slots.Release();
                }
            }, CancellationToken.None));
        }

        try
        {
            await Task.WhenAll(running).ConfigureAwait(false);
        }
        catch when (running.Any(t => t.IsFaulted && t.Exception!.InnerException is GridClusterException))
        {
            throw running.First(t => t.IsFaulted && t.Exception!.InnerException is GridClusterException).Exception!.InnerException!;
        }

        ct.ThrowIfCancellationRequested();
        return results.Select((r, i) => r ?? throw new InvalidOperationException($"Item {i} has no result.")).ToArray();
    }

    /// <summary>SHA-256 of a dataset file (what silos check their copy against).</summary>
    public static Task<string> FingerprintAsync(string path, CancellationToken ct = default) => SiloDatasets.FingerprintAsync(path, ct);

    /// <summary>Whether a failed call may succeed when sent again (elsewhere): the silo or the connection was lost, the message was rejected, or the answer did not come in time.</summary>
    public static bool IsTransient(Exception e) => e is SiloUnavailableException or OrleansMessageRejectionException or TimeoutException
        or ConnectionFailedException or GatewayTooBusyException or Orleans.Networking.Shared.SocketConnectionException or ClientNotAvailableException;

    private static async Task RunChunkAsync(
        IGrainFactory grains, GridChunk chunk, int index, int chunkCount, DetectorEvaluation?[] results, RunState state,
        GridSchedulerOptions options, SiloLossSignal lost, IProgress<GridProgress>? progress, CancellationToken ct)
    {
        // Attempts still running: a call sent before a silo was lost is kept (it may be on a live silo and answer first)
        // while a new attempt goes out, since a call whose silo died may never be answered before the timeout.
        var candidates = new List<Task<GridChunkResult>>();
        var failures = 0;
        for (var attempt = 0; ; attempt++)
        {
            ct.ThrowIfCancellationRequested();
            if (failures >= options.MaxAttempts)
            {
                Forget(candidates);
                throw new GridClusterException($"items {chunk.Indices[0]}–{chunk.Indices[^1]} failed {options.MaxAttempts} times (silos lost or unreachable)");
            }

            // A fresh key per attempt: another bucket, so a retry does not go back to the gateway that just failed.
            var worker = grains.GetGrain<IGridWorker>(((long)attempt * chunkCount) + index);
            state.Started();
            candidates.Add(worker.EvaluateAsync(chunk));
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(options.ChunkTimeout);
            var timedOut = Task.Delay(Timeout.Infinite, timeout.Token);
            var resend = false;
            var sent = System.Diagnostics.Stopwatch.StartNew();
            while (!resend)
            {
                var silosLost = lost.Next;
                // A backup attempt for a call that takes far longer than any chunk so far (a message stuck on a lost gateway).
                var hedgeIn = state.HedgeAfter(options.HedgeDelay) - sent.Elapsed;
                using var hedgeStop = new CancellationTokenSource();
                var hedge = candidates.Count < MaxCandidates
                    ? Task.Delay(hedgeIn > TimeSpan.Zero ? hedgeIn : TimeSpan.Zero, hedgeStop.Token)
                    : Task.Delay(Timeout.Infinite, hedgeStop.Token);
                var first = await Task.WhenAny([.. candidates, silosLost, timedOut, hedge]).ConfigureAwait(false);
                await hedgeStop.CancelAsync().ConfigureAwait(false);
                if (first == hedge)
                {
                    state.Failed(progress, $"no answer after {sent.Elapsed.TotalSeconds:F1} s: a backup attempt sent", 0);
                    resend = true;
                }
                else if (first == timedOut)
                {
                    ct.ThrowIfCancellationRequested();
                    failures++;
                    state.Failed(progress, $"no answer in {options.ChunkTimeout}", candidates.Count);
                    Forget(candidates);
                    candidates.Clear();
                    resend = true;
                }
                else if (first == silosLost)
                {
                    state.Failed(progress, "a silo was lost: sent again", 0);
                    resend = true;
                }
                else
                {
                    var call = (Task<GridChunkResult>)first;
                    candidates.Remove(call);
                    if (call.IsCompletedSuccessfully)
                    {
                        state.Took(sent.Elapsed);
                        state.Ended(candidates.Count);
                        Forget(candidates);
                        Place(call.Result, chunk, results);
                        state.Finished(chunk.Indices.Length, progress, call.Result.Silo);
                        return;
                    }

                    var e = call.Exception?.InnerException ?? new TaskCanceledException(call);
                    if (!IsTransient(e))
                    {
                        state.Ended(candidates.Count + 1);
                        Forget(candidates);
                        throw e is GridClusterException ? e : new GridClusterException($"items {chunk.Indices[0]}–{chunk.Indices[^1]}: {e.GetType().Name}: {e.Message}", e);
                    }

                    failures++;
                    state.Failed(progress, $"{e.GetType().Name}: {e.Message}", 1);
                    if (candidates.Count == 0)
                    {
                        var pause = options.RetryDelay * Math.Min(failures, 10);
                        await Task.Delay(pause, ct).ConfigureAwait(false);
                        resend = true;
                    }
                }
            }
        }
    }

    private static void Place(GridChunkResult result, GridChunk chunk, DetectorEvaluation?[] results)
    {
        if (result.Error is not null)
        {
            throw new GridClusterException(result.Error);
        }

        if (result.Evaluations.Length != chunk.Indices.Length)
        {
            throw new GridClusterException($"silo {result.Silo} returned {result.Evaluations.Length} results for {chunk.Indices.Length} items");
        }

        for (var i = 0; i < chunk.Indices.Length; i++)
        {
            results[chunk.Indices[i]] = result.Evaluations[i];
        }
    }

    /// <summary>Calls left behind: their late answers (or failures) are observed and dropped.</summary>
    private static void Forget(IEnumerable<Task<GridChunkResult>> calls)
    {
        foreach (var call in calls)
        {
            _ = call.ContinueWith(t => t.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
        }
    }

    /// <summary>Calls of one chunk outstanding at once (the first attempt plus backups).</summary>
    private const int MaxCandidates = 4;

    private sealed class RunState(int total)
    {
        private readonly Lock _lock = new();
        private TimeSpan _longest;

        /// <summary>Records how long a successful call took.</summary>
        public void Took(TimeSpan elapsed)
        {
            lock (_lock) { if (elapsed > _longest) { _longest = elapsed; } }
        }

        /// <summary>When a call is overdue: four times the longest successful call so far, at least <paramref name="floor"/>.</summary>
        public TimeSpan HedgeAfter(TimeSpan floor)
        {
            lock (_lock) { return _longest * 4 > floor ? _longest * 4 : floor; }
        }
        private int _done;
        private int _inFlight;
        private int _retried;

        public void Started()
        {
            lock (_lock) { _inFlight++; }
        }

        public void Failed(IProgress<GridProgress>? progress, string failure, int ended)
        {
            lock (_lock)
            {
                _inFlight -= ended;
                _retried++;
                progress?.Report(new GridProgress(total, _done, _inFlight, _retried, null, failure));
            }
        }

        public void Ended(int calls)
        {
            lock (_lock) { _inFlight -= calls; }
        }

        public void Finished(int items, IProgress<GridProgress>? progress, string silo)
        {
            lock (_lock)
            {
                _inFlight--;
                _done += items;
                progress?.Report(new GridProgress(total, _done, _inFlight, _retried, silo));
            }
        }
    }
}

/// <summary>
/// Evidence that a silo was lost: the client's gateway count fell. A chunk whose call was sent before it sends a new
/// attempt (keeping the old call, which may be on a live silo), because a call to a silo that died is not always
/// failed by the client and may otherwise wait for its whole timeout.
/// </summary>
public sealed class SiloLossSignal : IClusterConnectionStatusObserver
{
    private readonly Lock _lock = new();
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes at the next loss.</summary>
    public Task Next
    {
        get
        {
            lock (_lock) { return _next.Task; }
        }
    }

    /// <summary>Reports a loss: every waiter on <see cref="Next"/> wakes, and a new <see cref="Next"/> begins.</summary>
    public void Raise()
    {
        TaskCompletionSource done;
        lock (_lock)
        {
            done = _next;
            _next = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        done.TrySetResult();
    }

    void IClusterConnectionStatusObserver.NotifyGatewayCountChanged(int currentNumberOfGateways, int previousNumberOfGateways, bool connectionRecovered)
    {
        if (currentNumberOfGateways < previousNumberOfGateways)
        {
            Raise();
        }
    }

    void IClusterConnectionStatusObserver.NotifyClusterConnectionLost() => Raise();
}
