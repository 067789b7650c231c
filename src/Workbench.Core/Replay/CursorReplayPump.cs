using Workbench.Core;

namespace Workbench.Replay;

/// <summary>
/// The life cycle shared by the pumps that replay an <see cref="ObservationCursor"/> on a <see cref="ReplayScheduler"/>
/// (per event <see cref="VirtualReplayPump"/>, chunked <see cref="ChunkedReplayPump"/>, fused with a kernel
/// <see cref="FusedReplayPump{TKernel, TState, TResult, TOut}"/>): open the cursor on the first invocation, then deliver
/// (<see cref="Deliver"/>) until the source ends or fails, leave the scheduler and release the cursor before the
/// terminal notification, and on disposal stop — releasing the cursor at once, or after the invocation in progress.
/// </summary>
/// <typeparam name="TOut">What the observer receives.</typeparam>
internal abstract class CursorReplayPump<TOut> : ReplayPump, IDisposable
{
    private readonly Func<ObservationCursor> _open;
    private bool _invoking;
    private Exception? _blockError;
    private bool _blocksEnded;

    protected CursorReplayPump(Func<ObservationCursor> open, ReplayScheduler scheduler, IObserver<TOut> observer)
    {
        _open = open;
        Scheduler = scheduler;
        Observer = observer;
        DueTicks = scheduler.ClockTicks;
    }

    /// <summary>Where the replay stands.</summary>
    protected enum PumpPhase
    {
        NotOpened,
        HasNext,
        Completing,
        Failing,
        Done,
    }

    protected ReplayScheduler Scheduler { get; }

    protected IObserver<TOut> Observer { get; }

    /// <summary>The open source; null before the first invocation and once released.</summary>
    protected ObservationCursor? Cursor { get; private set; }

    /// <summary>The source's failure, delivered when <see cref="State"/> is <see cref="PumpPhase.Failing"/>.</summary>
    protected Exception? Error { get; set; }

    protected PumpPhase State { get; set; }

    protected bool IsDisposed { get; private set; }

    public sealed override void Invoke()
    {
        if (IsDisposed)
        {
            return;
        }

        _invoking = true;
        try
        {
            switch (State)
            {
                case PumpPhase.NotOpened:
                    try
                    {
                        Cursor = _open();
                    }
#pragma warning disable CA1031 // Any failure of the source goes to OnError.
                    catch (Exception ex)
#pragma warning restore CA1031
                    {
                        Fail(ex);
                        return;
                    }

                    Opened();
                    return;

                case PumpPhase.HasNext:
                    Deliver();
                    return;

                case PumpPhase.Completing:
                    Finish();
                    Observer.OnCompleted();
                    return;

                case PumpPhase.Failing:
                    var error = Error!;
                    Finish();
                    Observer.OnError(error);
                    return;

                default:
                    return;
            }
        }
        finally
        {
            _invoking = false;
            if (IsDisposed)
            {
                ReleaseCursor();
            }
        }
    }

    public void Dispose()
    {
        if (IsDisposed)
        {
            return;
        }

        IsDisposed = true;
        Scheduler.Unregister(this);
        if (!_invoking)
        {
            ReleaseCursor();
        }
    }

    /// <summary>The cursor was just opened: read ahead to the first notification.</summary>
    protected virtual void Opened() => ReadAhead();

    /// <summary>Delivers what is due (the pump's <see cref="State"/> is <see cref="PumpPhase.HasNext"/>).</summary>
    protected abstract void Deliver();

    /// <summary>Reads the next observation; at the end or on failure, queues the terminal notification at the current clock.</summary>
    protected void ReadAhead()
    {
        try
        {
            if (Cursor!.MoveNext())
            {
                DueTicks = Cursor.CurrentTicks;
                State = PumpPhase.HasNext;
                return;
            }

            State = PumpPhase.Completing;
        }
#pragma warning disable CA1031 // Any failure of the source goes to OnError.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            Error = ex;
            State = PumpPhase.Failing;
        }

        DueTicks = Scheduler.ClockTicks;
    }

    /// <summary>The source index of row 0 of the block <see cref="ReadBlock"/> read last.</summary>
    protected long BlockFirstIndex { get; private set; }

    /// <summary>
    /// For pumps that read the source a block at a time (<see cref="ObservationCursor.Read"/>): reads the next block
    /// into <paramref name="rows"/> and returns its row count. With rows, the next notification is row 0; without
    /// (the source ended, failed after the previous block, or <see cref="StopReadingBlocks"/> was called), the
    /// terminal notification is queued at the current clock.
    /// </summary>
    protected int ReadBlock(LabeledObservation[] rows)
    {
        var count = 0;
        if (_blockError is null && !_blocksEnded)
        {
            var cursor = Cursor!;
            BlockFirstIndex = cursor.Index + 1;
            count = cursor.Read(rows, out var error);
            _blockError = error;
            _blocksEnded = error is null && count < rows.Length;
        }

        if (count > 0)
        {
            DueTicks = rows[0].Timestamp.Ticks;
            State = PumpPhase.HasNext;
            return count;
        }

        Error = _blockError;
        State = _blockError is null ? PumpPhase.Completing : PumpPhase.Failing;
        DueTicks = Scheduler.ClockTicks;
        return 0;
    }

    /// <summary>Reads no further block: the rows already read are the last (a source failure after them is dropped).</summary>
    protected void StopReadingBlocks()
    {
        _blockError = null;
        _blocksEnded = true;
    }

    /// <summary>Fails now (the error is delivered in this invocation).</summary>
    protected void Fail(Exception error)
    {
        Finish();
        Observer.OnError(error);
    }

    /// <summary>Leaves the scheduler and releases the source before the terminal notification.</summary>
    protected void Finish()
    {
        State = PumpPhase.Done;
        IsDisposed = true;
        Scheduler.Unregister(this);
        ReleaseCursor();
    }

    private void ReleaseCursor()
    {
        var cursor = Cursor;
        Cursor = null;
        cursor?.Dispose();
    }
}
