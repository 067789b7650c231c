using System.Globalization;

namespace Workbench.Replay;

/// <summary>
/// Configuration of a scaled wall-clock replay (<see cref="ObservationReplay.Scaled(IEnumerable{Workbench.Core.LabeledObservation}, ReplayOptions, System.Reactive.Concurrency.IScheduler)"/>),
/// captured when the replay is created and validated there.
/// </summary>
public sealed record ReplayOptions
{
    /// <summary>
    /// Data time per wall time: 1 plays in real time, 60 plays a minute of data per second, 1000 a second of data
    /// per millisecond. Finite and &gt; 0. Default 1. Can be changed while the replay runs
    /// (<see cref="IReplaySession.Speed"/>).
    /// </summary>
    public double Speed { get; init; } = 1.0;

    /// <summary>
    /// The number of observations in the source, for progress (<see cref="IReplaySession.Total"/>). Null (the
    /// default) takes the count of a source that is a collection, and otherwise leaves the total unknown until the
    /// replay completes. Not negative.
    /// </summary>
    public long? Total { get; init; }

    /// <summary>
    /// The minimum wall time between two periodic <see cref="ReplayProgressReason.Progress"/> notifications while
    /// observations are being delivered (state changes are always notified). Zero notifies after every observation.
    /// Not negative. Default 1 s.
    /// </summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Whether the replay starts paused when <see cref="IReplaySession.Observations"/> is subscribed: nothing is
    /// read until <see cref="IReplaySession.Resume"/>. Default false.
    /// </summary>
    public bool StartPaused { get; init; }

    /// <summary>
    /// What times the deliveries when the scheduler keeps system time (one of Rx's built-in schedulers, all
    /// <see cref="System.Reactive.Concurrency.LocalScheduler"/>s: <see cref="System.Reactive.Concurrency.Scheduler.Default"/>,
    /// thread-pool, new-thread, event-loop, task-pool): <see cref="ReplayClock.HighResolution"/> (the default) gives
    /// the session its own <see cref="HighResolutionScheduler"/> (one dedicated thread, started at subscription and
    /// ended with the replay; observations are delivered on it); <see cref="ReplayClock.Timer"/> uses the scheduler's
    /// own timers (~1 ms granular; observations delivered on that scheduler). Any other scheduler (a virtual-time one, a
    /// <see cref="HighResolutionScheduler"/> passed in, a custom clock) is used as it is, whichever the setting.
    /// </summary>
    public ReplayClock Clock { get; init; } = ReplayClock.HighResolution;

    /// <summary>
    /// With <see cref="ReplayClock.Timer"/> only: how long before an observation's due time the replay wakes up and then spins (re-reading the scheduler's
    /// clock, never sleeping) until the due time, to deliver closer to schedule than the ~1 ms granularity of
    /// system timers. Zero (the default) never spins. Costs CPU (up to this much busy time per wake-up); only for
    /// a real-time scheduler — a virtual clock never moves while the replay spins, so it is refused there — and
    /// refused with <see cref="ReplayClock.HighResolution"/> (which spins by itself). Between 0 and 100 ms.
    /// </summary>
    public TimeSpan SpinLead { get; init; }

    /// <summary>The largest <see cref="SpinLead"/> accepted.</summary>
    public static TimeSpan MaxSpinLead { get; } = TimeSpan.FromMilliseconds(100);

    /// <summary>Checks every field's range.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A field is out of its documented range.</exception>
    public void Validate()
    {
        ValidateSpeed(Speed);
        if (Total is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Total), Total, "The total must not be negative.");
        }

        if (ProgressInterval < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(ProgressInterval), ProgressInterval, "The progress interval must not be negative.");
        }

        if (!Enum.IsDefined(Clock))
        {
            throw new ArgumentOutOfRangeException(nameof(Clock), Clock, "Unknown replay clock.");
        }

        if (SpinLead < TimeSpan.Zero || SpinLead > MaxSpinLead)
        {
            throw new ArgumentOutOfRangeException(nameof(SpinLead), SpinLead,
                string.Create(CultureInfo.InvariantCulture, $"The spin lead must be between 0 and {MaxSpinLead.TotalMilliseconds} ms."));
        }
    }

    internal static void ValidateSpeed(double speed, string name = nameof(Speed))
    {
        if (!double.IsFinite(speed) || speed <= 0)
        {
            throw new ArgumentOutOfRangeException(name, speed, "The speed must be finite and greater than 0.");
        }
    }
}

/// <summary>What times a scaled replay's deliveries on a system-time scheduler (<see cref="ReplayOptions.Clock"/>).</summary>
public enum ReplayClock
{
    /// <summary>A dedicated <see cref="HighResolutionScheduler"/> per session: sleeps coarsely, spins the last stretch.</summary>
    HighResolution,

    /// <summary>The scheduler's own timers (<see cref="System.Threading.Timer"/>, ~1 ms granular), optionally with <see cref="ReplayOptions.SpinLead"/>.</summary>
    Timer,
}
