using Workbench.Core;
using Workbench.Operators.Chunked;

namespace Workbench.Replay;

/// <summary>
/// A per-event virtual replay that a kernel operator applied straight to it can fuse with
/// (<see cref="ObservationReplay.Virtual(IEnumerable{LabeledObservation}, ReplayScheduler)"/> returns one).
/// </summary>
internal interface IFusableReplay
{
    /// <summary>The replay and the operator as one observable, with the per-event semantics of replay → operator.</summary>
    IObservable<TOut> Fuse<TKernel, TState, TResult, TOut>(TKernel kernel)
        where TKernel : struct, IFusedKernel<TState, TResult, TOut>
        where TState : class;
}

/// <summary>
/// A chunk kernel that also builds the per-event operator's notification from a row and its result, as a struct
/// method the fused pump's loop can inline (a delegate here cost a call and two copies of the row per event).
/// </summary>
internal interface IFusedKernel<TState, TResult, TOut> : IChunkKernel<TState, TResult>
    where TState : class
{
    /// <summary>What the per-event operator emits for <paramref name="observation"/> and its kernel result.</summary>
    TOut Output(in LabeledObservation observation, TResult result);
}

/// <summary>
/// Replay → kernel operator, fused: chosen automatically by <c>Detect</c>, <c>Forecast</c>, <c>Rolling</c> and
/// <c>RollingQuantile</c> when their source is a virtual replay itself. Each subscription reads a block of rows
/// ahead, runs the kernel over the block (the loop of the chunked path), then delivers row by row exactly as the
/// per-event replay would followed by the operator: the clock set to each row's timestamp, other scheduled work
/// interleaved between rows by the clock rule, a kernel error delivered at its row, a source error after the row
/// before it. What differs is invisible to the stream: the source is read up to <see cref="BlockRows"/> rows ahead (so
/// it is also released when the subscription ends mid-block) and kernels run ahead of delivery by as much.
/// </summary>
internal sealed class FusedReplay<TKernel, TState, TResult, TOut>(
    Func<ObservationCursor> open, ReplayScheduler scheduler, TKernel kernel) : IObservable<TOut>
    where TKernel : struct, IFusedKernel<TState, TResult, TOut>
    where TState : class
{
    /// <summary>Rows read and scored ahead of delivery.</summary>
    public const int BlockRows = 256;

    public IDisposable Subscribe(IObserver<TOut> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        var pump = new FusedReplayPump<TKernel, TState, TResult, TOut>(open, scheduler, kernel, observer);
        scheduler.Register(pump);
        return pump;
    }
}

/// <summary>One subscription of a <see cref="FusedReplay{TKernel, TState, TResult, TOut}"/>; mirrors <see cref="VirtualReplayPump"/> row by row.</summary>
internal sealed class FusedReplayPump<TKernel, TState, TResult, TOut> : CursorReplayPump<TOut>
    where TKernel : struct, IFusedKernel<TState, TResult, TOut>
    where TState : class
{
    private readonly LabeledObservation[] _rows = new LabeledObservation[FusedReplay<TKernel, TState, TResult, TOut>.BlockRows];
    private readonly TResult[] _results = new TResult[FusedReplay<TKernel, TState, TResult, TOut>.BlockRows];
    private readonly SeriesNumbering _table = new();
    private readonly Dictionary<string, TState> _states = new(StringComparer.Ordinal);
    private TKernel _kernel;
    private TState?[] _byId = new TState?[16];
    private int _count;
    private int _position;
    private int _kernelErrorAt = -1;
    private Exception? _kernelError;

    public FusedReplayPump(
        Func<ObservationCursor> open, ReplayScheduler scheduler, TKernel kernel, IObserver<TOut> observer)
        : base(open, scheduler, observer)
    {
        _kernel = kernel;
    }

    /// <summary>Delivers the next row, then — under RunToCompletion, while nothing else is due first — the following ones.</summary>
    protected override void Deliver()
    {
        do
        {
            var ticks = DueTicks;
            var clock = Scheduler.ClockTicks;
            var i = _position;
            if (ticks < clock)
            {
                ref readonly var late = ref _rows[i];
                Fail(new ObservationOrderException(late.Series, BlockFirstIndex + i, late.Timestamp, null, new DateTime(clock, DateTimeKind.Utc)));
                return;
            }

            if (ticks != clock)
            {
                Scheduler.SetClockTicks(ticks);
            }

            if (i == _kernelErrorAt)
            {
                // The operator fails on this row, as the per-event operator does when the replay delivers it.
                var error = _kernelError!;
                Finish();
                Observer.OnError(error);
                return;
            }

            var item = _kernel.Output(in _rows[i], _results[i]);
            _position = i + 1;
            try
            {
                Observer.OnNext(item);
            }
            catch
            {
                Finish();
                throw;
            }

            if (IsDisposed)
            {
                return;
            }

            Advance();
        }
        while (State == PumpPhase.HasNext && Scheduler.CanRunAhead(this, DueTicks));
    }

    /// <summary>The cursor was just opened: reads and scores the first block.</summary>
    protected override void Opened() => Refill();

    /// <summary>Moves to the next row: in the block, from a new block, or to the terminal notification at the current clock.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private void Advance()
    {
        if (_position < _count)
        {
            DueTicks = _rows[_position].Timestamp.Ticks;
            return;
        }

        Refill();
    }

    /// <summary>Reads the next block from the source, runs the kernel over it (up to its first failure), and sets the next due time.</summary>
    private void Refill()
    {
        _position = 0;
        _count = ReadBlock(_rows);
        Score();
    }

    private void Score()
    {
        var rows = _rows;
        var results = _results;
        var n = _count;
        var i = 0;
        if (_kernelError is not null)
        {
            // Rows after a failing row are never delivered.
            return;
        }

        try
        {
            for (; i < n; i++)
            {
                ref readonly var row = ref rows[i];
                var id = _table.IdOf(row.Series);
                var byId = _byId;
                var state = (uint)id < (uint)byId.Length ? byId[id] : null;
                state ??= Resolve(id, row.Series);
                results[i] = _kernel.Next(state, row.Timestamp, row.Value);
            }
        }
#pragma warning disable CA1031 // The operator's failure is delivered at its row.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _kernelError = ex;
            _kernelErrorAt = i;
            StopReadingBlocks();
        }
    }

    private TState Resolve(int id, string series)
    {
        if (id >= _byId.Length)
        {
            Array.Resize(ref _byId, Math.Max(id + 1, 2 * _byId.Length));
        }

        if (!_states.TryGetValue(series, out var state))
        {
            state = _kernel.Create(series);
            _states.Add(series, state);
        }

        _byId[id] = state;
        return state;
    }

}
