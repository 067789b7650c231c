using System.Reactive.Concurrency;
using Workbench.Core;

namespace Workbench.Replay;

/// <summary>
/// The cold observable returned by <see cref="ObservationReplay.Virtual(IEnumerable{LabeledObservation}, ReplayScheduler)"/>:
/// configuration only; every subscription gets its own <see cref="VirtualReplayPump"/> and its own enumeration of
/// the source.
/// </summary>
internal sealed class VirtualReplay(Func<ObservationCursor> open, ReplayScheduler scheduler) : IObservable<LabeledObservation>, IFusableReplay
{
    public IObservable<TOut> Fuse<TKernel, TState, TResult, TOut>(TKernel kernel)
        where TKernel : struct, IFusedKernel<TState, TResult, TOut>
        where TState : class =>
        new FusedReplay<TKernel, TState, TResult, TOut>(open, scheduler, kernel);

    public IDisposable Subscribe(IObserver<LabeledObservation> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        var pump = new VirtualReplayPump(open, scheduler, observer);
        scheduler.Register(pump);
        return pump;
    }
}

/// <summary>
/// One subscription of a virtual replay: a reusable scheduled item whose due time is the next notification's
/// virtual time (the first invocation opens the source and reads ahead one observation). Under the plain dispatch
/// loop (<c>Start</c>, <c>AdvanceTo</c>, <c>AdvanceBy</c>) each invocation delivers one notification, so the loop
/// orders observations against queued work and honours <c>AdvanceTo</c> bounds and <c>Stop</c>; under
/// <see cref="ReplayScheduler.RunToCompletion"/> it delivers a run while nothing else is due first. Either way no
/// work item is allocated per observation.
/// </summary>
internal sealed class VirtualReplayPump : CursorReplayPump<LabeledObservation>
{

    public VirtualReplayPump(Func<ObservationCursor> open, ReplayScheduler scheduler, IObserver<LabeledObservation> observer)
        : base(open, scheduler, observer)
    {
    }

    /// <summary>
    /// Delivers the next observation, then — under <see cref="ReplayScheduler.RunToCompletion"/>, while nothing else is
    /// due first — the following ones in the same run, setting the clock to each one's timestamp.
    /// </summary>
    protected override void Deliver()
    {
        // The cursor, observer and scheduler stay in registers for the whole run; the per-event work is the clock,
        // one OnNext, the disposal check, one cursor read and the run-ahead check.
        var cursor = Cursor!;
        var observer = Observer;
        var scheduler = Scheduler;
        var ticks = DueTicks;
        while (true)
        {
            var clock = scheduler.ClockTicks;
            if (ticks != clock)
            {
                if (ticks < clock)
                {
                    ref readonly var late = ref cursor.Current;
                    Fail(new ObservationOrderException(late.Series, cursor.Index, late.Timestamp, null, new DateTime(clock, DateTimeKind.Utc)));
                    return;
                }

                // The dispatch loop sets the clock to DueTime before the first observation of a run.
                scheduler.SetClockTicks(ticks);
            }

            try
            {
                observer.OnNext(cursor.CurrentValue);
            }
            catch
            {
                // The observer failed: the subscription is broken; let the exception reach the caller of the scheduler.
                Finish();
                throw;
            }

            if (IsDisposed)
            {
                return;
            }

            ReadAhead();
            if (State != PumpPhase.HasNext)
            {
                return;
            }

            ticks = DueTicks;
            if (!scheduler.CanRunAhead(this, ticks))
            {
                return;
            }
        }
    }

}
