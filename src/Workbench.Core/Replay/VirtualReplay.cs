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
        do
        {
            var ticks = DueTicks;
            var clock = Scheduler.ClockTicks;
            if (ticks < clock)
            {
                ref readonly var late = ref Cursor!.Current;
                Fail(new ObservationOrderException(late.Series, Cursor.Index, late.Timestamp, null, new DateTime(clock, DateTimeKind.Utc)));
                return;
            }

            if (ticks != clock)
            {
                // The dispatch loop sets the clock to DueTime before the first observation of a run.
                Scheduler.SetClockTicks(ticks);
            }

            try
            {
                Observer.OnNext(Cursor!.CurrentValue);
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
        }
        while (State == PumpPhase.HasNext && Scheduler.CanRunAhead(this, DueTicks));
    }

}
