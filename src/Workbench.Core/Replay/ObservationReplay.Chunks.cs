using Workbench.Core;

namespace Workbench.Replay;

public static partial class ObservationReplay
{
    /// <summary>
    /// Replays <paramref name="source"/> in virtual time on <paramref name="scheduler"/> as chunks: each notification is
    /// an <see cref="ObservationBatch"/> holding a run of consecutive observations, in source order, so chunk-aware
    /// operators (<c>Workbench.Operators.Chunked</c>) run their kernels over a block instead of paying one replay step
    /// and one Rx hop per event. Flattened, the chunks are exactly the observations
    /// <see cref="Virtual(IEnumerable{LabeledObservation}, ReplayScheduler)"/> delivers, with the same errors after the
    /// same prefix.
    /// </summary>
    /// <remarks>
    /// <para><b>Clock.</b> With <see cref="ChunkBoundary.Instant"/> (the default) a chunk holds one timestamp and is
    /// delivered with <c>scheduler.Now</c> equal to it, after every other item due at or before it — the per-event clock
    /// rule of <see cref="ReplayScheduler"/>, applied per instant. With <see cref="ChunkBoundary.Run"/> under
    /// <see cref="ReplayScheduler.RunToCompletion"/> a chunk may span timestamps while nothing else is due before its last
    /// row, and is delivered with the clock at that row. In both, work that a downstream observer schedules while it
    /// handles a chunk runs after the whole chunk (per event, work scheduled at instant t runs before the next observation
    /// at t); <see cref="VirtualReplayPump"/>'s per-event path remains the one to use for such pipelines.
    /// <c>Stop</c> takes effect after the current chunk.</para>
    /// <para><b>Buffers.</b> The batch is reused: it is valid only during <c>OnNext</c>; copy what must outlive it.
    /// Series are numbered in order of first appearance in the chunks' series table
    /// (<see cref="ObservationBatch.SeriesNames"/>), which grows as new series appear and is shared by all chunks of one
    /// subscription. The observable is cold; every subscription enumerates the source anew.</para>
    /// </remarks>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    public static IObservable<ObservationBatch> VirtualChunks(IEnumerable<LabeledObservation> source, ReplayScheduler scheduler, ChunkOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(scheduler);
        options ??= ChunkOptions.Default;
        options.Validate();
        return new ChunkedReplay(ObservationCursor.For(source), scheduler, options);
    }

    /// <summary>
    /// Replays a batch source (e.g. a Parquet reader's row groups) as chunks; see
    /// <see cref="VirtualChunks(IEnumerable{LabeledObservation}, ReplayScheduler, ChunkOptions?)"/>. The chunks are cut by
    /// the replay's own rules, not at the source's batch boundaries.
    /// </summary>
    public static IObservable<ObservationBatch> VirtualChunks(IEnumerable<ObservationBatch> source, ReplayScheduler scheduler, ChunkOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(scheduler);
        options ??= ChunkOptions.Default;
        options.Validate();
        return new ChunkedReplay(ObservationCursor.For(source), scheduler, options);
    }
}
