using System.Reactive.Concurrency;
using Workbench.Core;

namespace Workbench.Replay;

/// <summary>
/// Replay of labelled observations as <see cref="IObservable{T}"/>: in virtual time (<see cref="Virtual(IEnumerable{LabeledObservation}, ReplayScheduler)"/>,
/// as fast as the CPU allows, deterministic) or against a wall clock scaled by a speed factor
/// (<see cref="Scaled(IEnumerable{LabeledObservation}, ReplayOptions, IScheduler)"/>), and the k-way merge of
/// several sources into one (<see cref="Merge(IReadOnlyList{IEnumerable{LabeledObservation}})"/>).
/// </summary>
/// <remarks>
/// A source must be in timestamp order (equal timestamps allowed), with UTC timestamps and a series on every
/// observation; a violation ends the replay with <see cref="ObservationOrderException"/> or
/// <see cref="ReplaySourceException"/> (naming the series, index and timestamps). Sources are read lazily, one
/// observation (or one batch) ahead; a batch may be reused by its producer once the replay has moved to the next
/// one. The class is not called <c>Replay</c> because that name would clash with the <c>Workbench.Replay</c>
/// namespace in code under <c>Workbench.*</c>. See docs/REPLAY.md.
/// </remarks>
public static partial class ObservationReplay
{
    /// <summary>
    /// Replays <paramref name="source"/> in virtual time on <paramref name="scheduler"/>: each observation is delivered
    /// with <c>scheduler.Now</c> equal to its timestamp, interleaved with the other work on the scheduler by the
    /// clock rule of <see cref="ReplayScheduler"/>. Nothing happens until the scheduler runs
    /// (<c>scheduler.Start()</c>, <c>AdvanceTo</c>, <c>AdvanceBy</c>). The observable is cold: every subscription
    /// enumerates the source anew and shares no state with the others (two subscriptions on one scheduler are
    /// interleaved by timestamp, ties in subscription order).
    /// </summary>
    public static IObservable<LabeledObservation> Virtual(IEnumerable<LabeledObservation> source, ReplayScheduler scheduler)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(scheduler);
        return new VirtualReplay(ObservationCursor.For(source), scheduler);
    }

    /// <summary>
    /// Replays a batch source (e.g. a Parquet reader's row groups) in virtual time, pulling one batch at a time;
    /// see <see cref="Virtual(IEnumerable{LabeledObservation}, ReplayScheduler)"/>.
    /// </summary>
    public static IObservable<LabeledObservation> Virtual(IEnumerable<ObservationBatch> source, ReplayScheduler scheduler)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(scheduler);
        return new VirtualReplay(ObservationCursor.For(source), scheduler);
    }

    /// <summary>
    /// Creates a scaled wall-clock replay of <paramref name="source"/> on <paramref name="scheduler"/> (the wall clock:
    /// <see cref="Scheduler.Default"/> in production, a <see cref="HistoricalScheduler"/> in tests). Observation
    /// <c>ts</c> is due at <c>wallStart + (ts − t0) / speed</c>, where <c>t0</c> is the first observation's timestamp and
    /// <c>wallStart</c> the wall time it is read; observations due at the same time or overdue are delivered together.
    /// The returned session is one replay: subscribe its <see cref="IReplaySession.Observations"/> once; call this
    /// method again for another, independent replay. The source is enumerated again by a backward seek.
    /// </summary>
    /// <param name="source">The observations, in timestamp order.</param>
    /// <param name="options">Speed, progress and start settings; validated here.</param>
    /// <param name="scheduler">The wall clock; an asynchronous scheduler (the default, thread-pool or event-loop scheduler) or a virtual-time one.
    /// On one of Rx's system-time schedulers the deliveries are timed by the session's own high-resolution clock thread unless
    /// <see cref="ReplayOptions.Clock"/> is <see cref="ReplayClock.Timer"/>.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="ArgumentException"><see cref="ReplayOptions.SpinLead"/> is set with a virtual-time scheduler, or with
    /// <see cref="ReplayClock.HighResolution"/> on a system-time scheduler.</exception>
    public static IReplaySession Scaled(IEnumerable<LabeledObservation> source, ReplayOptions options, IScheduler scheduler)
    {
        ArgumentNullException.ThrowIfNull(source);
        Check(options, scheduler);
        return new ScaledReplaySession(ObservationCursor.For(source), options.Total ?? ObservationCursor.CountOf(source), options, scheduler);
    }

    /// <summary>
    /// Creates a scaled wall-clock replay of a batch source, pulling one batch at a time; see
    /// <see cref="Scaled(IEnumerable{LabeledObservation}, ReplayOptions, IScheduler)"/>. The total is known only
    /// from <see cref="ReplayOptions.Total"/> (or at completion).
    /// </summary>
    public static IReplaySession Scaled(IEnumerable<ObservationBatch> source, ReplayOptions options, IScheduler scheduler)
    {
        ArgumentNullException.ThrowIfNull(source);
        Check(options, scheduler);
        return new ScaledReplaySession(ObservationCursor.For(source), options.Total, options, scheduler);
    }

    /// <summary>
    /// Merges timestamp-ordered sources into one timestamp-ordered source, lazily (a heap over one read-ahead
    /// observation per source; O(log k) per observation). Tie rule: equal timestamps come in source index order
    /// (all of source 0's observations at that instant, then source 1's, …), and within one source in that source's
    /// own order. Each source is checked for order; a violation throws <see cref="ObservationOrderException"/> with
    /// <see cref="ReplaySourceException.SourceIndex"/> set. The result can be enumerated again if the sources can.
    /// </summary>
    public static IEnumerable<LabeledObservation> Merge(IReadOnlyList<IEnumerable<LabeledObservation>> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var opens = new Func<ObservationCursor>[sources.Count];
        for (var i = 0; i < opens.Length; i++)
        {
            opens[i] = ObservationCursor.For(sources[i] ?? throw new ArgumentException($"Source {i} is null.", nameof(sources)));
        }

        return ObservationMerge.Merge(opens);
    }

    /// <summary>
    /// Merges timestamp-ordered batch sources into one observation source, pulling one batch per source at a time;
    /// same tie rule as <see cref="Merge(IReadOnlyList{IEnumerable{LabeledObservation}})"/>. Series keep their
    /// names, so the sources' series tables need not agree.
    /// </summary>
    public static IEnumerable<LabeledObservation> Merge(IReadOnlyList<IEnumerable<ObservationBatch>> sources)
    {
        ArgumentNullException.ThrowIfNull(sources);
        var opens = new Func<ObservationCursor>[sources.Count];
        for (var i = 0; i < opens.Length; i++)
        {
            opens[i] = ObservationCursor.For(sources[i] ?? throw new ArgumentException($"Source {i} is null.", nameof(sources)));
        }

        return ObservationMerge.Merge(opens);
    }

    private static void Check(ReplayOptions options, IScheduler scheduler)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(scheduler);
        options.Validate();
        if (options.SpinLead > TimeSpan.Zero && scheduler is VirtualTimeSchedulerBase<DateTimeOffset, TimeSpan>)
        {
            throw new ArgumentException(
                "ReplayOptions.SpinLead needs a real-time scheduler: a virtual clock does not move while the replay spins.",
                nameof(options));
        }

        if (options.SpinLead > TimeSpan.Zero && options.Clock == ReplayClock.HighResolution && UsesHighResolutionClock(options, scheduler))
        {
            throw new ArgumentException(
                "ReplayOptions.SpinLead applies to ReplayClock.Timer; the high-resolution clock spins by itself (set Clock = ReplayClock.Timer to use SpinLead).",
                nameof(options));
        }
    }

    /// <summary>Whether a scaled replay on <paramref name="scheduler"/> gets its own <see cref="HighResolutionScheduler"/>:
    /// with <see cref="ReplayClock.HighResolution"/> on a scheduler that keeps system time (Rx's built-in ones).</summary>
    internal static bool UsesHighResolutionClock(ReplayOptions options, IScheduler scheduler) =>
        options.Clock == ReplayClock.HighResolution && scheduler is LocalScheduler;
}
