using System.Diagnostics;
using System.Reactive.Concurrency;
using System.Reactive.Disposables;

namespace Workbench.Replay;

/// <summary>
/// A wall-clock scheduler that runs its work on one dedicated thread and wakes up for each item closer to its due
/// time than <see cref="System.Threading.Timer"/>-based schedulers can (their ~1 ms granularity plus a thread-pool
/// hop): the thread keeps a priority queue of due items, sleeps coarsely (a monitor wait, woken when an earlier item
/// arrives) until <see cref="SpinLead"/> before the earliest one, then spins — re-reading a
/// <see cref="Stopwatch"/>, yielding the processor between checks — for the last stretch. The default clock of
/// scaled replay (<see cref="ReplayClock.HighResolution"/>).
/// </summary>
/// <remarks>
/// <para>
/// <see cref="Now"/> is the system's UTC time when the scheduler was created advanced by the monotonic
/// <see cref="Stopwatch"/>, so due times and the clock agree to the stopwatch's resolution and never jump with
/// the system clock. Items run one at a time, in due-time order (ties in the order they were scheduled), on the
/// scheduler's thread, which is started by the first <c>Schedule</c> call and ends at <see cref="Dispose"/>.
/// </para>
/// <para>
/// Cost: up to <see cref="SpinLead"/> plus one coarse wait (about 1 ms) of busy, yielding CPU per wake-up; when
/// items are due more often than that, the thread spins all the time. An exception thrown by an item propagates on
/// the scheduler's thread (as with Rx's <see cref="EventLoopScheduler"/>). After <see cref="Dispose"/> nothing more
/// runs: pending items are dropped and later <c>Schedule</c> calls are ignored (they return an empty disposable).
/// </para>
/// </remarks>
public sealed class HighResolutionScheduler : IScheduler, IDisposable
{
    /// <summary>The default <see cref="SpinLead"/>: 1 ms, the granularity of a coarse wait.</summary>
    public static TimeSpan DefaultSpinLead { get; } = TimeSpan.FromMilliseconds(1);

    /// <summary>The largest <see cref="SpinLead"/> accepted.</summary>
    public static TimeSpan MaxSpinLead { get; } = TimeSpan.FromMilliseconds(100);

    /// <summary>
    /// The longest single coarse wait; a longer one wakes up, re-reads the stopwatch and waits again. Long monitor
    /// waits overshoot by more than short ones (measured: ~0.4 ms on a 1 s wait), so the last wait before the spin is
    /// kept short.
    /// </summary>
    private const int MaxWaitMilliseconds = 16;

    /// <summary>The last stretch before a due time spun without yielding: 200 µs.</summary>
    private const long TightSpinTicks = 200 * TimeSpan.TicksPerMillisecond / 1000;

    private readonly long _originUtcTicks;
    private readonly long _originTimestamp;
    private readonly long _spinLeadTicks;
    private readonly string _threadName;
    private readonly object _gate = new();
    private readonly PriorityQueue<WorkItem, (long Due, long Sequence)> _queue = new();

    // Guarded by _gate.
    private Thread? _thread;
    private long _sequence;
    private int _cancelled;

    // Read by the spinning thread without the lock; changed under it (or by a cancellation).
    private volatile bool _disposed;
    private int _version;

    /// <summary>Creates the scheduler; its thread starts with the first scheduled item.</summary>
    /// <param name="spinLead">How long before an item's due time the thread stops sleeping and spins; null for
    /// <see cref="DefaultSpinLead"/>; between 0 and <see cref="MaxSpinLead"/>.</param>
    /// <param name="threadName">The name of the thread (for debuggers and profilers).</param>
    /// <exception cref="ArgumentOutOfRangeException">The spin lead is out of range.</exception>
    public HighResolutionScheduler(TimeSpan? spinLead = null, string threadName = "Workbench high-resolution clock")
    {
        var lead = spinLead ?? DefaultSpinLead;
        if (lead < TimeSpan.Zero || lead > MaxSpinLead)
        {
            throw new ArgumentOutOfRangeException(nameof(spinLead), lead, $"The spin lead must be between 0 and {MaxSpinLead.TotalMilliseconds} ms.");
        }

        ArgumentNullException.ThrowIfNull(threadName);
        _spinLeadTicks = lead.Ticks;
        _threadName = threadName;
        _originUtcTicks = TimeProvider.System.GetUtcNow().UtcTicks;
        _originTimestamp = Stopwatch.GetTimestamp();
    }

    /// <summary>How long before an item's due time the thread stops sleeping and spins.</summary>
    public TimeSpan SpinLead => TimeSpan.FromTicks(_spinLeadTicks);

    /// <inheritdoc/>
    public DateTimeOffset Now => new(NowTicks, TimeSpan.Zero);

    /// <summary>Whether the scheduler's thread has been started and has not yet ended (for tests and diagnostics).</summary>
    internal bool IsThreadAlive
    {
        get
        {
            lock (_gate)
            {
                return _thread?.IsAlive == true;
            }
        }
    }

    /// <summary>The scheduler's thread, once started (for tests: join it to see that it ends).</summary>
    internal Thread? Thread
    {
        get
        {
            lock (_gate)
            {
                return _thread;
            }
        }
    }

    /// <summary>The clock in UTC ticks.</summary>
    internal long NowTicks => _originUtcTicks + Stopwatch.GetElapsedTime(_originTimestamp).Ticks;

    /// <inheritdoc/>
    public IDisposable Schedule<TState>(TState state, Func<IScheduler, TState, IDisposable> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return Enqueue(new WorkItem<TState>(this, state, action), NowTicks);
    }

    /// <inheritdoc/>
    public IDisposable Schedule<TState>(TState state, TimeSpan dueTime, Func<IScheduler, TState, IDisposable> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        var now = NowTicks;
        var delay = Math.Max(0, dueTime.Ticks);
        return Enqueue(new WorkItem<TState>(this, state, action), delay >= long.MaxValue - now ? long.MaxValue : now + delay);
    }

    /// <inheritdoc/>
    public IDisposable Schedule<TState>(TState state, DateTimeOffset dueTime, Func<IScheduler, TState, IDisposable> action)
    {
        ArgumentNullException.ThrowIfNull(action);
        return Enqueue(new WorkItem<TState>(this, state, action), dueTime.UtcTicks);
    }

    /// <summary>Stops the thread promptly (a running item finishes first) and drops the pending items. Idempotent;
    /// may be called from an item on the scheduler's own thread.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            _queue.Clear();
            Interlocked.Increment(ref _version);
            Monitor.PulseAll(_gate);
        }
    }

    private IDisposable Enqueue(WorkItem item, long dueTicks)
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return Disposable.Empty;
            }

            if (_cancelled > 64 && _cancelled > _queue.Count / 2)
            {
                PurgeLocked();
            }

            var isHead = !_queue.TryPeek(out _, out var head) || dueTicks < head.Due;
            _queue.Enqueue(item, (dueTicks, _sequence++));
            if (_thread is null)
            {
                _thread = new Thread(Loop) { IsBackground = true, Name = _threadName };
                _thread.Start();
            }
            else if (isHead)
            {
                Interlocked.Increment(ref _version);
                Monitor.Pulse(_gate);
            }
        }

        return item;
    }

    /// <summary>Rebuilds the queue without its cancelled items.</summary>
    private void PurgeLocked()
    {
        var kept = new List<(WorkItem, (long, long))>(_queue.Count);
        while (_queue.TryDequeue(out var item, out var priority))
        {
            if (!item.IsCancelled)
            {
                kept.Add((item, priority));
            }
        }

        _queue.EnqueueRange(kept);
        _cancelled = 0;
    }

    private void OnCancelled()
    {
        Interlocked.Increment(ref _version);
        lock (_gate)
        {
            _cancelled++;
        }
    }

    /// <summary>The thread: take the earliest item; wait coarsely, then spin, until it is due; run it.</summary>
    private void Loop()
    {
        while (true)
        {
            WorkItem? ready = null;
            long spinUntil = 0;
            int version;
            lock (_gate)
            {
                while (true)
                {
                    if (_disposed)
                    {
                        return;
                    }

                    if (!_queue.TryPeek(out var head, out var priority))
                    {
                        Monitor.Wait(_gate);
                        continue;
                    }

                    if (head.IsCancelled)
                    {
                        _queue.Dequeue();
                        _cancelled = Math.Max(0, _cancelled - 1);
                        continue;
                    }

                    var remaining = priority.Due - NowTicks;
                    if (remaining <= 0)
                    {
                        _queue.Dequeue();
                        ready = head;
                        break;
                    }

                    var sleep = (remaining - _spinLeadTicks) / TimeSpan.TicksPerMillisecond;
                    if (sleep >= 1)
                    {
                        // Woken early by an earlier item, a cancellation of the head or disposal; then look again.
                        Monitor.Wait(_gate, (int)Math.Min(sleep, MaxWaitMilliseconds));
                        continue;
                    }

                    spinUntil = priority.Due;
                    break;
                }

                version = Volatile.Read(ref _version);
            }

            if (ready is not null)
            {
                ready.Invoke();
                continue;
            }

            SpinUntil(spinUntil, version);
        }
    }

    /// <summary>
    /// Spins until <paramref name="due"/>, or until the queue or the state changes (<see cref="_version"/>): the caller
    /// then looks at the queue again. Until <see cref="TightSpinTicks"/> before the due time it yields the processor
    /// between checks (other ready threads run); the last stretch is a tight spin, because a yield under load can
    /// hand the core to another process for a whole time slice (milliseconds).
    /// </summary>
    private void SpinUntil(long due, int version)
    {
        var spinner = default(SpinWait);
        while (Volatile.Read(ref _version) == version && !_disposed)
        {
            var remaining = due - NowTicks;
            if (remaining <= 0)
            {
                return;
            }

            if (remaining > TightSpinTicks)
            {
                spinner.SpinOnce(sleep1Threshold: -1);
            }
            else
            {
                Thread.SpinWait(20);
            }
        }
    }

    private abstract class WorkItem(HighResolutionScheduler owner) : IDisposable
    {
        private readonly SingleAssignmentDisposable _disposable = new();

        protected HighResolutionScheduler Owner => owner;

        public bool IsCancelled => _disposable.IsDisposed;

        /// <summary>Runs the item unless it was cancelled; keeps what it returns for disposal (recursive scheduling).</summary>
        public void Invoke()
        {
            if (!_disposable.IsDisposed)
            {
                _disposable.Disposable = InvokeCore();
            }
        }

        /// <summary>Cancels the item if it has not run, or disposes what it returned.</summary>
        public void Dispose()
        {
            if (_disposable.IsDisposed)
            {
                return;
            }

            _disposable.Dispose();
            owner.OnCancelled();
        }

        protected abstract IDisposable InvokeCore();
    }

    private sealed class WorkItem<TState>(HighResolutionScheduler owner, TState state, Func<IScheduler, TState, IDisposable> action) : WorkItem(owner)
    {
        protected override IDisposable InvokeCore() => action(Owner, state);
    }
}
