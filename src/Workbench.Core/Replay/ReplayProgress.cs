namespace Workbench.Replay;

/// <summary>The life cycle of a scaled replay session.</summary>
public enum ReplayState
{
    /// <summary>Created; <see cref="IReplaySession.Observations"/> not subscribed yet.</summary>
    NotStarted,

    /// <summary>Delivering observations on schedule.</summary>
    Running,

    /// <summary>Paused: nothing is delivered and the data clock stands still.</summary>
    Paused,

    /// <summary>Ended after the last observation (<c>OnCompleted</c> sent).</summary>
    Completed,

    /// <summary>Ended by an error of the source (<c>OnError</c> sent).</summary>
    Faulted,

    /// <summary>Ended by disposing the subscription (no terminal message), or by an observer that threw.</summary>
    Stopped,
}

/// <summary>Why a <see cref="ReplayProgress"/> notification was sent.</summary>
public enum ReplayProgressReason
{
    /// <summary>The current state, before anything happened (the first value a progress subscriber sees).</summary>
    Snapshot,

    /// <summary><see cref="IReplaySession.Observations"/> was subscribed.</summary>
    Started,

    /// <summary>Periodic, while delivering (see <see cref="ReplayOptions.ProgressInterval"/>).</summary>
    Progress,

    /// <summary><see cref="IReplaySession.Pause"/> took effect.</summary>
    Paused,

    /// <summary><see cref="IReplaySession.Resume"/> took effect.</summary>
    Resumed,

    /// <summary>A <see cref="IReplaySession.Seek"/> took effect: the next observation is the first at or after the target.</summary>
    Seeked,

    /// <summary><see cref="IReplaySession.Speed"/> was changed.</summary>
    SpeedChanged,

    /// <summary>The replay completed.</summary>
    Completed,

    /// <summary>The replay failed.</summary>
    Faulted,

    /// <summary>The replay was stopped (subscription disposed, or the observer threw).</summary>
    Stopped,
}

/// <summary>
/// A consistent snapshot of a scaled replay's progress.
/// </summary>
/// <param name="Reason">What caused this notification.</param>
/// <param name="State">The session state after it.</param>
/// <param name="Position">The 0-based source index of the next observation to deliver = the number of source
/// observations already passed (delivered, or skipped by a seek). Equals <paramref name="Delivered"/> when no seek
/// happened; <c>Position / Total</c> is the fraction done.</param>
/// <param name="Delivered">The number of <c>OnNext</c> calls so far (a backward seek delivers some observations again).</param>
/// <param name="Total">The number of observations in the source when known (see <see cref="ReplayOptions.Total"/>); known
/// at completion in any case.</param>
/// <param name="CurrentTimestamp">The replay's position in data time: the timestamp of the last delivered observation,
/// or the target of the last seek if nothing was delivered since; null before anything happened.</param>
/// <param name="Speed">The speed in force.</param>
/// <param name="WallTime">The wall-clock scheduler's time of this snapshot.</param>
public readonly record struct ReplayProgress(
    ReplayProgressReason Reason,
    ReplayState State,
    long Position,
    long Delivered,
    long? Total,
    DateTime? CurrentTimestamp,
    double Speed,
    DateTimeOffset WallTime)
{
    /// <summary><see cref="Position"/> / <see cref="Total"/> in [0, 1] when the total is known and positive; otherwise null.</summary>
    public double? Fraction => Total is > 0 and var t ? Math.Min(1.0, (double)Position / t) : null;
}
