using System.Reactive.Concurrency;

namespace Workbench.Replay;

/// <summary>
/// A virtual-time scheduler that drives replays (<see cref="ObservationReplay.Virtual(IEnumerable{Workbench.Core.LabeledObservation}, ReplayScheduler)"/>)
/// as fast as the CPU allows, with its clock equal to each observation's timestamp when it is delivered, and
/// interleaves them with any other work scheduled on it (timers, windows, buffers of downstream operators).
/// </summary>
/// <remarks>
/// <para>
/// Drive it like any <see cref="HistoricalScheduler"/>: <see cref="VirtualTimeSchedulerBase{TAbsolute,TRelative}.Start"/>
/// runs everything to completion; <see cref="VirtualTimeSchedulerBase{TAbsolute,TRelative}.AdvanceTo"/> and
/// <see cref="VirtualTimeSchedulerBase{TAbsolute,TRelative}.AdvanceBy"/> deliver exactly the observations with
/// timestamps up to the target; <see cref="VirtualTimeSchedulerBase{TAbsolute,TRelative}.Stop"/> (e.g. from an
/// observer) stops after the current observation.
/// </para>
/// <para>
/// Clock rule: before an observation with timestamp <c>t</c> is delivered, every scheduled item due at or before
/// <c>t</c> has run — including items scheduled at <c>t</c> while earlier observations at <c>t</c> were delivered.
/// So a tumbling window <c>[start, end)</c> whose closing timer is due at <c>end</c> closes before an observation
/// stamped exactly <c>end</c> arrives, and that observation opens the next window. Observations of two replays
/// subscribed to the same scheduler with equal timestamps are delivered in subscription order.
/// </para>
/// <para>
/// The clock only moves forward: an observation earlier than the clock when it becomes due (a replay started
/// after the clock has passed its data, or a <see cref="VirtualTimeSchedulerBase{TAbsolute,TRelative}.Sleep"/>
/// past it) ends that replay with an <see cref="ObservationOrderException"/>. Start the scheduler at (or before)
/// the data's first timestamp — ideally aligned to the windows downstream operators use, because periodic
/// timers count from the clock at which they were subscribed.
/// </para>
/// <para>
/// Replays do not put one work item per observation into the scheduler's queue: each subscribed replay is one
/// reusable item whose due time is its next observation's timestamp, offered to the dispatch loop beside the
/// queue (<see cref="GetNext"/>). Under <see cref="RunToCompletion"/> a replay goes further and delivers a run of
/// observations in one invocation for as long as nothing else is due at or before the next one. Like
/// <see cref="HistoricalScheduler"/>, this scheduler is not thread-safe: subscribe, dispose and run it from one
/// thread (or while it is not running).
/// </para>
/// </remarks>
public class ReplayScheduler : HistoricalScheduler
{
    private readonly List<ReplayPump> _pumps = [];
    private bool _runAhead;

    // The run-ahead horizon of one pump (CanRunAhead), valid while nothing that could move it has happened: every
    // dispatch (another item or replay may have run and moved its due time), every item scheduled, every replay
    // subscribed or disposed bumps _version. A cancelled queued item can only leave the horizon too early, which
    // stops a run sooner than necessary, never later.
    private long _version;
    private long _horizonVersion = -1;
    private ReplayPump? _horizonPump;
    private long _horizonExclusive;
    private long _horizonInclusive;

    /// <summary>Creates a scheduler whose clock starts at <see cref="DateTimeOffset.MinValue"/>.</summary>
    public ReplayScheduler()
    {
    }

    /// <summary>Creates a scheduler whose clock starts at <paramref name="initialClock"/>.</summary>
    public ReplayScheduler(DateTimeOffset initialClock)
        : base(initialClock)
    {
    }

    /// <summary>Creates a scheduler whose clock starts at the UTC instant <paramref name="initialClockUtc"/>.</summary>
    /// <exception cref="ArgumentException">The instant is not of kind <see cref="DateTimeKind.Utc"/>.</exception>
    public ReplayScheduler(DateTime initialClockUtc)
        : base(ToClock(initialClockUtc))
    {
    }

    /// <summary>The clock as a UTC <see cref="DateTime"/> (the observations' time type).</summary>
    public DateTime UtcNow => new(Clock.UtcTicks, DateTimeKind.Utc);

    /// <summary>The number of replays subscribed to this scheduler that have not finished yet.</summary>
    public int ActiveReplays => _pumps.Count;

    /// <summary>
    /// The next item to run: the earliest of the scheduler's queue and the subscribed replays; on a tie, a
    /// queued item comes before an observation (see the clock rule), and replays in subscription order.
    /// </summary>
    protected override IScheduledItem<DateTimeOffset>? GetNext()
    {
        _version++;
        var next = base.GetNext();
        var pumps = _pumps;
        var count = pumps.Count;
        if (count == 0)
        {
            return next;
        }

        var best = pumps[0];
        for (var i = 1; i < count; i++)
        {
            var p = pumps[i];
            if (p.DueTicks < best.DueTicks)
            {
                best = p;
            }
        }

        return next is null || best.DueTicks < next.DueTime.UtcTicks ? best : next;
    }

    /// <summary>
    /// Runs all work to completion, like <see cref="VirtualTimeSchedulerBase{TAbsolute,TRelative}.Start"/> with the same
    /// order of everything, but faster for replays: while no other item is due at or before a replay's next
    /// observation, the replay delivers its observations in one run instead of one dispatch each.
    /// Does nothing when the scheduler is already running.
    /// </summary>
    public void RunToCompletion()
    {
        if (IsEnabled)
        {
            return;
        }

        _runAhead = true;
        try
        {
            Start();
        }
        finally
        {
            _runAhead = false;
        }
    }

    /// <summary>
    /// Whether <paramref name="pump"/> may deliver its next observation (due at <paramref name="dueTicks"/>) in the
    /// current run: only under <see cref="RunToCompletion"/>, while the scheduler is enabled, and when nothing else —
    /// a queued item, or another replay earlier in the tie order — is due at or before it.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal bool CanRunAhead(ReplayPump pump, long dueTicks)
    {
        if (!_runAhead || !IsEnabled)
        {
            return false;
        }

        if (_horizonVersion != _version || !ReferenceEquals(_horizonPump, pump))
        {
            ComputeHorizon(pump);
        }

        return dueTicks < _horizonExclusive && dueTicks <= _horizonInclusive;
    }

    /// <summary>
    /// Where <paramref name="pump"/>'s run must stop: before the first queued item (a queued item due at the same
    /// time runs first) and before the first other replay earlier in the tie order due at the same time or earlier
    /// (exclusive), and at the first later replay (inclusive: on a tie this pump goes first).
    /// </summary>
    private void ComputeHorizon(ReplayPump pump)
    {
        var exclusive = long.MaxValue;
        var inclusive = long.MaxValue;
        var queued = base.GetNext();
        if (queued is not null)
        {
            exclusive = queued.DueTime.UtcTicks;
        }

        var pumps = _pumps;
        var before = true;
        for (var i = 0; i < pumps.Count; i++)
        {
            var p = pumps[i];
            if (ReferenceEquals(p, pump))
            {
                before = false;
                continue;
            }

            if (before)
            {
                exclusive = Math.Min(exclusive, p.DueTicks);
            }
            else
            {
                inclusive = Math.Min(inclusive, p.DueTicks);
            }
        }

        _horizonExclusive = exclusive;
        _horizonInclusive = inclusive;
        _horizonPump = pump;
        _horizonVersion = _version;
    }

    /// <inheritdoc />
    public override IDisposable ScheduleAbsolute<TState>(TState state, DateTimeOffset dueTime, Func<IScheduler, TState, IDisposable> action)
    {
        _version++;
        return base.ScheduleAbsolute(state, dueTime, action);
    }

    /// <summary>The clock in UTC ticks.</summary>
    internal long ClockTicks => Clock.UtcTicks;

    /// <summary>Sets the clock to an observation's timestamp (never backwards: the caller checks).</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal void SetClockTicks(long utcTicks) => Clock = new DateTimeOffset(utcTicks, TimeSpan.Zero);

    internal void Register(ReplayPump pump)
    {
        _version++;
        _pumps.Add(pump);
    }

    internal void Unregister(ReplayPump pump)
    {
        // Not needed for correctness (a horizon that still counts a gone replay only ends a run early), but a run
        // should not keep stopping for a replay that no longer exists.
        _version++;
        _pumps.Remove(pump);
    }

    private static DateTimeOffset ToClock(DateTime utc)
    {
        if (utc.Kind != DateTimeKind.Utc)
        {
            throw new ArgumentException($"The initial clock must be UTC (DateTimeKind.Utc), not {utc.Kind}.", nameof(utc));
        }

        return new DateTimeOffset(utc.Ticks, TimeSpan.Zero);
    }
}
