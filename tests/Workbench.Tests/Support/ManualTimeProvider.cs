namespace Workbench.Tests.Support;

/// <summary>
/// A <see cref="TimeProvider"/> whose time moves only when a test calls <see cref="Advance"/>: timers created on it fire
/// then, on the calling thread. Lets tests of timeouts run without waiting on the wall clock.
/// </summary>
internal sealed class ManualTimeProvider : TimeProvider
{
    private readonly object _gate = new();
    private readonly List<ManualTimer> _timers = [];
    private readonly TaskCompletionSource _firstTimer = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<(int Count, TaskCompletionSource Done)> _timerWaiters = [];
    private int _timersCreated;
    private DateTimeOffset _now = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Completes when the first timer has been created.</summary>
    public Task TimerCreated => _firstTimer.Task;

    /// <summary>Completes when <paramref name="count"/> timers have been created in total (disposed ones included).</summary>
    public Task TimersCreated(int count)
    {
        lock (_gate)
        {
            if (_timersCreated >= count)
            {
                return Task.CompletedTask;
            }

            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _timerWaiters.Add((count, done));
            return done.Task;
        }
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate) { return _now; }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        ManualTimer timer;
        lock (_gate)
        {
            timer = new ManualTimer(this, callback, state);
            timer.Schedule(_now, dueTime, period);
            _timers.Add(timer);
            _timersCreated++;
            foreach (var waiter in _timerWaiters.Where(w => w.Count <= _timersCreated).ToList())
            {
                _timerWaiters.Remove(waiter);
                waiter.Done.TrySetResult();
            }
        }

        _firstTimer.TrySetResult();
        return timer;
    }

    /// <summary>Moves the clock forward and fires every timer that falls due, in due order.</summary>
    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        DateTimeOffset target;
        lock (_gate) { target = _now + by; }
        while (true)
        {
            ManualTimer? next;
            lock (_gate)
            {
                next = _timers.Where(t => t.Due is { } d && d <= target).MinBy(t => t.Due);
                if (next is null)
                {
                    _now = target;
                    return;
                }

                _now = next.Due!.Value;
                next.Due = next.Period is { } p ? _now + p : null;
            }

            next.Fire();
        }
    }

    private void Remove(ManualTimer timer)
    {
        lock (_gate) { _timers.Remove(timer); }
    }

    private sealed class ManualTimer(ManualTimeProvider owner, TimerCallback callback, object? state) : ITimer
    {
        public DateTimeOffset? Due { get; set; }

        public TimeSpan? Period { get; private set; }

        public void Schedule(DateTimeOffset now, TimeSpan dueTime, TimeSpan period)
        {
            Due = dueTime == Timeout.InfiniteTimeSpan ? null : now + dueTime;
            Period = period == Timeout.InfiniteTimeSpan || period == TimeSpan.Zero ? null : period;
        }

        public void Fire() => callback(state);

        public bool Change(TimeSpan dueTime, TimeSpan period)
        {
            Schedule(owner.GetUtcNow(), dueTime, period);
            return true;
        }

        public void Dispose() => owner.Remove(this);

        public ValueTask DisposeAsync()
        {
            Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
