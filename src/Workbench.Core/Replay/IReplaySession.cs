using Workbench.Core;

namespace Workbench.Replay;

/// <summary>
/// One scaled wall-clock replay and its controls. A session is created per replay by
/// <see cref="ObservationReplay.Scaled(IEnumerable{LabeledObservation}, ReplayOptions, System.Reactive.Concurrency.IScheduler)"/>
/// and plays its source once.
/// </summary>
/// <remarks>
/// <para>
/// Contract: <see cref="Observations"/> may be subscribed ONCE; the subscription starts the replay (or arms it,
/// with <see cref="ReplayOptions.StartPaused"/>), and disposing it stops all work — no scheduled action of the
/// session runs afterwards. A second subscription receives <c>OnError</c> with an
/// <see cref="InvalidOperationException"/>. For an independent second replay of the same source, call
/// <c>Scaled</c> again: sessions share nothing but the (read-only) source. To feed several operators from one
/// replay, share it downstream (<c>Publish</c>).
/// </para>
/// <para>
/// Controls may be called from any thread, before or during the replay (before: they set the initial state).
/// After the replay has ended (completed, faulted or stopped) they have no effect.
/// </para>
/// </remarks>
public interface IReplaySession
{
    /// <summary>The replayed observations: <c>OnNext*</c> then exactly one <c>OnCompleted</c> or <c>OnError</c>. Subscribe once.</summary>
    IObservable<LabeledObservation> Observations { get; }

    /// <summary>
    /// Progress notifications: the latest snapshot at subscription, then one per state change and periodic ones
    /// while delivering; completes (without error, after a final snapshot) when the replay ends. A progress
    /// observer must not block waiting for another thread that controls this session.
    /// </summary>
    IObservable<ReplayProgress> Progress { get; }

    /// <summary>The session state.</summary>
    ReplayState State { get; }

    /// <summary>
    /// Data time per wall time; finite and &gt; 0. Setting it while running rebases the schedule at the current data
    /// time: the gap to the next observation is then played at the new speed.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">On set: not finite or not positive.</exception>
    double Speed { get; set; }

    /// <summary>The source index of the next observation (see <see cref="ReplayProgress.Position"/>).</summary>
    long Position { get; }

    /// <summary>The number of observations delivered so far.</summary>
    long Delivered { get; }

    /// <summary>The number of observations in the source, when known.</summary>
    long? Total { get; }

    /// <summary>The replay's position in data time (see <see cref="ReplayProgress.CurrentTimestamp"/>).</summary>
    DateTime? CurrentTimestamp { get; }

    /// <summary>A consistent snapshot of all progress values now.</summary>
    ReplayProgress Snapshot();

    /// <summary>
    /// Pauses: nothing more is delivered and the data clock stops. An observation whose delivery has already begun
    /// finishes. Idempotent.
    /// </summary>
    void Pause();

    /// <summary>
    /// Resumes after <see cref="Pause"/>, rebasing the schedule at the paused data time, so the pause causes no
    /// catch-up burst: the remaining gap to the next observation is played as it was (scaled), and an observation
    /// that was already overdue when pausing is delivered at once, the following ones on their normal spacing.
    /// Idempotent.
    /// </summary>
    void Resume();

    /// <summary>
    /// Jumps to data time <paramref name="timestamp"/>: delivery continues with the first observation whose timestamp
    /// is ≥ the target, the data clock set to the target (so that observation is due after its distance to the target,
    /// scaled). A forward seek skips observations without delivering them; a backward seek (target at or before an
    /// observation already passed) re-reads the source from its start, so the source must be re-enumerable, and
    /// downstream operators see time go backwards with their state untouched (watch for
    /// <see cref="ReplayProgressReason.Seeked"/> to reset them, or start a new session). Seeking past the last
    /// observation completes the replay. Keeps a paused replay paused. The seek is applied by the replay's worker, not
    /// inside this call: its <see cref="ReplayProgressReason.Seeked"/> progress event is published when the jump happens,
    /// so it can follow the events of calls made after <c>Seek</c> (e.g. Pause → Seek → Resume may report Paused,
    /// Resumed, Seeked).
    /// </summary>
    /// <exception cref="ArgumentException">The timestamp is not UTC.</exception>
    void Seek(DateTime timestamp);
}
