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
    public IObservable<TOut> Fuse<TKernel, TState, TResult, TOut>(TKernel kernel, Func<LabeledObservation, TResult, TOut> output)
        where TKernel : struct, Workbench.Operators.Chunked.IChunkKernel<TState, TResult>
        where TState : class =>
        new FusedReplay<TKernel, TState, TResult, TOut>(open, scheduler, kernel, output);

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
internal sealed class VirtualReplayPump : ReplayPump, IDisposable
{
    private enum Phase
    {
        NotOpened,
        HasNext,
        Completing,
        Failing,
        Done,
    }

    private readonly Func<ObservationCursor> _open;
    private readonly ReplayScheduler _scheduler;
    private readonly IObserver<LabeledObservation> _observer;
    private ObservationCursor? _cursor;
    private Exception? _error;
    private Phase _phase;
    private bool _disposed;
    private bool _invoking;

    public VirtualReplayPump(Func<ObservationCursor> open, ReplayScheduler scheduler, IObserver<LabeledObservation> observer)
    {
        _open = open;
        _scheduler = scheduler;
        _observer = observer;
        SetDue(scheduler.ClockTicks);
    }

    public override void Invoke()
    {
        if (_disposed)
        {
            return;
        }

        _invoking = true;
        try
        {
            switch (_phase)
            {
                case Phase.NotOpened:
                    try
                    {
                        _cursor = _open();
                    }
#pragma warning disable CA1031 // Any failure of the source goes to OnError.
                    catch (Exception ex)
#pragma warning restore CA1031
                    {
                        Fail(ex);
                        return;
                    }

                    ReadAhead();
                    return;

                case Phase.HasNext:
                    Deliver();
                    return;

                case Phase.Completing:
                    Finish();
                    _observer.OnCompleted();
                    return;

                case Phase.Failing:
                    var error = _error!;
                    Finish();
                    _observer.OnError(error);
                    return;

                default:
                    return;
            }
        }
        finally
        {
            _invoking = false;
            if (_disposed)
            {
                ReleaseCursor();
            }
        }
    }

    /// <summary>
    /// Delivers the next observation, then — under <see cref="ReplayScheduler.RunToCompletion"/>, while nothing else is
    /// due first — the following ones in the same run, setting the clock to each one's timestamp.
    /// </summary>
    private void Deliver()
    {
        do
        {
            var ticks = DueTicks;
            var clock = _scheduler.ClockTicks;
            if (ticks < clock)
            {
                ref readonly var late = ref _cursor!.Current;
                Fail(new ObservationOrderException(late.Series, _cursor.Index, late.Timestamp, null, new DateTime(clock, DateTimeKind.Utc)));
                return;
            }

            if (ticks != clock)
            {
                // The dispatch loop sets the clock to DueTime before the first observation of a run.
                _scheduler.SetClockTicks(ticks);
            }

            try
            {
                _observer.OnNext(_cursor!.Current);
            }
            catch
            {
                // The observer failed: the subscription is broken; let the exception reach the caller of the scheduler.
                Finish();
                throw;
            }

            if (_disposed)
            {
                return;
            }

            ReadAhead();
        }
        while (_phase == Phase.HasNext && _scheduler.CanRunAhead(this, DueTicks));
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _scheduler.Unregister(this);
        if (!_invoking)
        {
            ReleaseCursor();
        }
    }

    /// <summary>Reads the next observation; at the end or on failure, queues the terminal notification at the current clock.</summary>
    private void ReadAhead()
    {
        try
        {
            if (_cursor!.MoveNext())
            {
                SetDue(_cursor.Current.Timestamp.Ticks);
                _phase = Phase.HasNext;
                return;
            }

            _phase = Phase.Completing;
        }
#pragma warning disable CA1031 // Any failure of the source goes to OnError.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _error = ex;
            _phase = Phase.Failing;
        }

        SetDue(_scheduler.ClockTicks);
    }

    private void SetDue(long utcTicks) => DueTicks = utcTicks;

    /// <summary>Fails now (the error is delivered in this invocation).</summary>
    private void Fail(Exception error)
    {
        Finish();
        _observer.OnError(error);
    }

    /// <summary>Leaves the scheduler and releases the source before the terminal notification.</summary>
    private void Finish()
    {
        _phase = Phase.Done;
        _disposed = true;
        _scheduler.Unregister(this);
        ReleaseCursor();
    }

    private void ReleaseCursor()
    {
        var cursor = _cursor;
        _cursor = null;
        cursor?.Dispose();
    }
}
