using System.Diagnostics;
using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using Workbench.Core;

namespace Workbench.Replay;

/// <summary>
/// A scaled wall-clock replay: observation <c>ts</c> is due at <c>anchorWall + (ts − anchorData) / speed</c> on the
/// wall-clock scheduler; the anchors are set when the first observation is read and rebased by pause/resume, seek
/// and speed changes.
/// </summary>
/// <remarks>
/// Concurrency design: one "worker" at a time reads the source and calls the observer. It runs as an action on
/// the wall-clock scheduler, delivers every observation that is due (overdue ones in one go, up to
/// <see cref="MaxBurst"/>), then schedules itself for the next due time (recursive scheduling, no sleeping).
/// Controls only change state under <see cref="_gate"/> and wake the worker (cancelling its pending timer); a
/// generation counter makes stale timer actions no-ops. The lock is never held while user code runs.
/// With <see cref="ReplayClock.HighResolution"/> on a system-time scheduler the session's scheduler is its own
/// <see cref="HighResolutionScheduler"/> (its thread starts with the first scheduled action and is disposed when the
/// replay ends: completed, faulted or stopped), and timed actions are scheduled at absolute due times.
/// </remarks>
internal sealed class ScaledReplaySession : IReplaySession
{
    /// <summary>The most observations delivered by one scheduled action before it yields the scheduler.</summary>
    internal const int MaxBurst = 1024;

    /// <summary>The longest single timer; a longer wait wakes up and re-arms (system timers have an upper limit).</summary>
    private static readonly long MaxTimerTicks = TimeSpan.FromHours(1).Ticks;

    private static readonly long MaxDateTicks = DateTime.MaxValue.Ticks;

    private readonly Func<ObservationCursor> _open;
    private readonly IScheduler _scheduler;
    private readonly HighResolutionScheduler? _ownedClock;
    private readonly bool _absoluteTimers;
    private readonly long _progressIntervalTicks;
    private readonly long _spinLeadTicks;
    private readonly ProgressPublisher _progress;
    private readonly object _gate = new();

    // Guarded by _gate.
    private ReplayState _state = ReplayState.NotStarted;
    private bool _startPaused;
    private bool _subscribed;
    private IObserver<LabeledObservation>? _observer;
    private double _speed;
    private bool _anchored;
    private long _anchorWall;
    private long _anchorData;
    private bool _hasPausedData;
    private long _pausedData;
    private long _headTicks = long.MaxValue;
    private DateTime? _pendingSeek;
    private int _generation;
    private IDisposable? _timer;
    private bool _workerActive;
    private long _position;
    private long _delivered;
    private long? _total;
    private DateTime? _current;
    private long _lastProgressWall;

    // Owned by the active worker; touched by others only under _gate while no worker is active.
    private ObservationCursor? _cursor;
    private LabeledObservation _head;
    private long _headIndex;
    private bool _hasHead;
    private bool _hasPassed;
    private long _passedMax;

    public ScaledReplaySession(Func<ObservationCursor> open, long? total, ReplayOptions options, IScheduler scheduler)
    {
        _open = open;
        if (ObservationReplay.UsesHighResolutionClock(options, scheduler))
        {
            _ownedClock = new HighResolutionScheduler(threadName: "Workbench replay clock");
            _scheduler = _ownedClock;
        }
        else
        {
            _scheduler = scheduler;
        }

        _absoluteTimers = _scheduler is HighResolutionScheduler;
        _speed = options.Speed;
        _startPaused = options.StartPaused;
        _total = total;
        _progressIntervalTicks = options.ProgressInterval.Ticks;
        _spinLeadTicks = options.SpinLead.Ticks;
        _progress = new ProgressPublisher(SnapshotLocked(ReplayProgressReason.Snapshot, Now()));
        Observations = new SessionObservable(this);
    }

    public IObservable<LabeledObservation> Observations { get; }

    public IObservable<ReplayProgress> Progress => _progress;

    public ReplayState State
    {
        get
        {
            lock (_gate)
            {
                return _state;
            }
        }
    }

    public double Speed
    {
        get
        {
            lock (_gate)
            {
                return _speed;
            }
        }

        set => SetSpeed(value);
    }

    public long Position
    {
        get
        {
            lock (_gate)
            {
                return _position;
            }
        }
    }

    public long Delivered
    {
        get
        {
            lock (_gate)
            {
                return _delivered;
            }
        }
    }

    public long? Total
    {
        get
        {
            lock (_gate)
            {
                return _total;
            }
        }
    }

    public DateTime? CurrentTimestamp
    {
        get
        {
            lock (_gate)
            {
                return _current;
            }
        }
    }

    public ReplayProgress Snapshot()
    {
        lock (_gate)
        {
            return SnapshotLocked(ReplayProgressReason.Snapshot, Now());
        }
    }

    /// <summary>
    /// The wall time at which an observation stamped <paramref name="timestamp"/> is due under the current anchor and
    /// speed; null before the schedule is anchored or while paused. Used by <see cref="ReplayTiming"/>.
    /// </summary>
    internal DateTimeOffset? DueTimeOf(DateTime timestamp)
    {
        lock (_gate)
        {
            return _anchored && _state == ReplayState.Running
                ? new DateTimeOffset(DueLocked(timestamp.Ticks), TimeSpan.Zero)
                : null;
        }
    }

    /// <summary>The session's clock (its own high-resolution clock, or the scheduler's); used by <see cref="ReplayTiming"/>.</summary>
    internal DateTimeOffset ClockNow => _scheduler.Now;

    /// <summary>The session's own clock thread, when it has one (for tests).</summary>
    internal HighResolutionScheduler? OwnedClock => _ownedClock;

    public void Pause()
    {
        lock (_gate)
        {
            switch (_state)
            {
                case ReplayState.NotStarted:
                    _startPaused = true;
                    return;
                case ReplayState.Running:
                    var now = Now();
                    if (_anchored)
                    {
                        _hasPausedData = true;
                        _pausedData = Math.Min(DataClockLocked(now), _headTicks);
                    }

                    _state = ReplayState.Paused;
                    CancelTimerLocked();
                    _progress.Enqueue(SnapshotLocked(ReplayProgressReason.Paused, now));
                    break;
                default:
                    return;
            }
        }

        _progress.Drain();
    }

    public void Resume()
    {
        int generation;
        lock (_gate)
        {
            switch (_state)
            {
                case ReplayState.NotStarted:
                    _startPaused = false;
                    return;
                case ReplayState.Paused:
                    var now = Now();
                    if (_hasPausedData)
                    {
                        _anchored = true;
                        _anchorWall = now;
                        _anchorData = _pausedData;
                        _hasPausedData = false;
                    }

                    _state = ReplayState.Running;
                    generation = WakeLocked();
                    _progress.Enqueue(SnapshotLocked(ReplayProgressReason.Resumed, now));
                    break;
                default:
                    return;
            }
        }

        ScheduleWorker(generation, 0, 0);
        _progress.Drain();
    }

    public void Seek(DateTime timestamp)
    {
        if (timestamp.Kind != DateTimeKind.Utc)
        {
            throw new ArgumentException($"The seek target must be UTC (DateTimeKind.Utc), not {timestamp.Kind}.", nameof(timestamp));
        }

        int generation;
        lock (_gate)
        {
            if (IsEnded(_state))
            {
                return;
            }

            _pendingSeek = timestamp;
            generation = _state == ReplayState.NotStarted ? -1 : WakeLocked();
        }

        ScheduleWorker(generation, 0, 0);
    }

    private void SetSpeed(double value)
    {
        ReplayOptions.ValidateSpeed(value, nameof(value));
        int generation = -1;
        lock (_gate)
        {
            if (IsEnded(_state))
            {
                return;
            }

            var now = Now();
            if (_state == ReplayState.Running && _anchored)
            {
                var data = Math.Min(DataClockLocked(now), _headTicks);
                _anchorWall = now;
                _anchorData = data;
            }

            _speed = value;
            if (_state == ReplayState.NotStarted)
            {
                return;
            }

            if (_state == ReplayState.Running)
            {
                generation = WakeLocked();
            }

            _progress.Enqueue(SnapshotLocked(ReplayProgressReason.SpeedChanged, now));
        }

        ScheduleWorker(generation, 0, 0);
        _progress.Drain();
    }

    private IDisposable Subscribe(IObserver<LabeledObservation> observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        var generation = -1;
        bool rejected;
        lock (_gate)
        {
            rejected = _subscribed;
            if (!rejected)
            {
                _subscribed = true;
                _observer = observer;
                _state = _startPaused ? ReplayState.Paused : ReplayState.Running;
                if (_state == ReplayState.Running)
                {
                    generation = WakeLocked();
                }

                var now = Now();
                _lastProgressWall = now;
                _progress.Enqueue(SnapshotLocked(ReplayProgressReason.Started, now));
            }
        }

        if (rejected)
        {
            observer.OnError(new InvalidOperationException(
                "This replay session's Observations were already subscribed; a session replays once. Call ObservationReplay.Scaled again for an independent replay, or share this one downstream (Publish)."));
            return Disposable.Empty;
        }

        ScheduleWorker(generation, 0, 0);
        _progress.Drain();
        return Disposable.Create(this, static s => s.Stop());
    }

    /// <summary>Disposal of the subscription: stops all work; no terminal message.</summary>
    private void Stop()
    {
        ObservationCursor? cursor = null;
        lock (_gate)
        {
            if (IsEnded(_state))
            {
                return;
            }

            _state = ReplayState.Stopped;
            _generation++;
            _timer?.Dispose();
            _timer = null;
            if (!_workerActive)
            {
                cursor = _cursor;
                _cursor = null;
            }

            _progress.Enqueue(SnapshotLocked(ReplayProgressReason.Stopped, Now()), complete: true);
        }

        cursor?.Dispose();
        _ownedClock?.Dispose();
        _progress.Drain();
    }

    private void Work(int generation)
    {
        lock (_gate)
        {
            if (generation != _generation || _workerActive || IsEnded(_state))
            {
                return;
            }

            _workerActive = true;
            _timer = null;
        }

        try
        {
            Run();
        }
        catch
        {
            // The observer (or a progress observer) threw: the subscription is broken. Stop and release the
            // source, then let the exception reach the scheduler, as Rx does.
            StopAfterObserverFault();
            throw;
        }
    }

    private void Run()
    {
        var burst = 0;
        while (true)
        {
            DateTime? seek;
            bool stopped;
            lock (_gate)
            {
                stopped = IsEnded(_state);
                seek = _pendingSeek;
                _pendingSeek = null;
                if (!stopped && seek is null && _state != ReplayState.Running)
                {
                    _workerActive = false;
                    return;
                }
            }

            if (stopped)
            {
                LeaveAsWorker();
                return;
            }

            if (seek is { } target)
            {
                if (!SeekTo(target))
                {
                    return;
                }

                continue;
            }

            if (!_hasHead && !ReadHead())
            {
                return;
            }

            var now = Now();
            var headTicks = _head.Timestamp.Ticks;
            var next = -1;
            long delay = 0;
            long spinUntil = 0;
            IObserver<LabeledObservation> observer;
            lock (_gate)
            {
                _headTicks = headTicks;
                if (_state != ReplayState.Running || _pendingSeek is not null)
                {
                    continue;
                }

                if (!_anchored)
                {
                    _anchored = true;
                    _anchorWall = now;
                    _anchorData = headTicks;
                }

                var due = DueLocked(headTicks);
                if (due > now)
                {
                    var wait = due - now;
                    if (wait <= _spinLeadTicks)
                    {
                        spinUntil = due;
                    }
                    else
                    {
                        next = ++_generation;
                        _workerActive = false;
                        delay = Math.Min(wait - _spinLeadTicks, MaxTimerTicks);
                    }
                }
                else if (burst >= MaxBurst)
                {
                    next = ++_generation;
                    _workerActive = false;
                }

                observer = _observer!;
            }

            if (next >= 0)
            {
                ScheduleWorker(next, delay, now + delay);
                return;
            }

            if (spinUntil != 0)
            {
                SpinUntil(spinUntil);
                continue;
            }

            observer.OnNext(_head);
            burst++;
            var drain = false;
            lock (_gate)
            {
                _delivered++;
                _position = _headIndex + 1;
                _current = _head.Timestamp;
                stopped = IsEnded(_state);
                if (!stopped && now - _lastProgressWall >= _progressIntervalTicks)
                {
                    _lastProgressWall = now;
                    _progress.Enqueue(SnapshotLocked(ReplayProgressReason.Progress, now));
                    drain = true;
                }
            }

            if (stopped)
            {
                LeaveAsWorker();
                return;
            }

            if (drain)
            {
                _progress.Drain();
            }

            _hasPassed = true;
            _passedMax = headTicks;
            _hasHead = false;
            if (!ReadHead())
            {
                return;
            }
        }
    }

    /// <summary>Positions the source at the first observation ≥ <paramref name="target"/>; false if the replay ended meanwhile.</summary>
    private bool SeekTo(DateTime target)
    {
        var t = target.Ticks;
        if (_cursor is null || (_hasPassed && t <= _passedMax))
        {
            var old = _cursor;
            _cursor = null;
            _hasHead = false;
            _hasPassed = false;
            old?.Dispose();
        }

        var skipped = 0;
        while (true)
        {
            if (!_hasHead && !ReadHead())
            {
                return false;
            }

            if (_head.Timestamp.Ticks >= t)
            {
                break;
            }

            _hasPassed = true;
            _passedMax = _head.Timestamp.Ticks;
            _hasHead = false;
            if ((++skipped & 4095) == 0)
            {
                lock (_gate)
                {
                    if (IsEnded(_state))
                    {
                        return true;
                    }
                }
            }
        }

        var now = Now();
        lock (_gate)
        {
            _headTicks = _head.Timestamp.Ticks;
            _position = _headIndex;
            _current = target;
            if (_state == ReplayState.Running)
            {
                _anchored = true;
                _anchorWall = now;
                _anchorData = t;
            }
            else
            {
                _hasPausedData = true;
                _pausedData = t;
            }

            _progress.Enqueue(SnapshotLocked(ReplayProgressReason.Seeked, now));
        }

        _progress.Drain();
        return true;
    }

    /// <summary>Reads the next observation into the head; at the end or on a source error, ends the replay and returns false.</summary>
    private bool ReadHead()
    {
        bool more;
        try
        {
            _cursor ??= _open();
            more = _cursor.MoveNext();
        }
#pragma warning disable CA1031 // Any failure of the source goes to OnError.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            _hasHead = false;
            End(ex);
            return false;
        }

        if (!more)
        {
            _hasHead = false;
            End(null);
            return false;
        }

        _head = _cursor.CurrentValue;
        _headIndex = _cursor.Index;
        _hasHead = true;
        return true;
    }

    /// <summary>Ends the replay from the worker: completes (<paramref name="error"/> null) or fails.</summary>
    private void End(Exception? error)
    {
        ObservationCursor? cursor;
        IObserver<LabeledObservation>? observer = null;
        lock (_gate)
        {
            if (!IsEnded(_state))
            {
                if (error is null)
                {
                    _state = ReplayState.Completed;
                    _position = (_cursor?.Index ?? -1) + 1;
                    _total ??= _position;
                }
                else
                {
                    _state = ReplayState.Faulted;
                }

                _generation++;
                _timer?.Dispose();
                _timer = null;
                observer = _observer;
                _progress.Enqueue(
                    SnapshotLocked(error is null ? ReplayProgressReason.Completed : ReplayProgressReason.Faulted, Now()),
                    complete: true);
            }

            // Otherwise the replay was stopped under the worker: it only leaves, without a terminal message.
            _workerActive = false;
            cursor = _cursor;
            _cursor = null;
        }

        cursor?.Dispose();
        _ownedClock?.Dispose();
        if (observer is null)
        {
            return;
        }

        if (error is null)
        {
            observer.OnCompleted();
        }
        else
        {
            observer.OnError(error);
        }

        _progress.Drain();
    }

    private void StopAfterObserverFault()
    {
        ObservationCursor? cursor;
        lock (_gate)
        {
            if (!IsEnded(_state))
            {
                _state = ReplayState.Stopped;
                _progress.Enqueue(SnapshotLocked(ReplayProgressReason.Stopped, Now()), complete: true);
            }

            _generation++;
            _timer?.Dispose();
            _timer = null;
            _workerActive = false;
            cursor = _cursor;
            _cursor = null;
        }

        cursor?.Dispose();
        _ownedClock?.Dispose();
        _progress.Drain();
    }

    /// <summary>The worker leaves after the replay was stopped under it, releasing the source (outside the lock).</summary>
    private void LeaveAsWorker()
    {
        ObservationCursor? cursor;
        lock (_gate)
        {
            _workerActive = false;
            cursor = _cursor;
            _cursor = null;
        }

        cursor?.Dispose();
    }

    /// <summary>Makes the worker run soon: returns the generation to schedule, or -1 when it is running and will notice.</summary>
    private int WakeLocked()
    {
        if (_workerActive)
        {
            return -1;
        }

        _timer?.Dispose();
        _timer = null;
        return ++_generation;
    }

    /// <summary>Cancels the worker's pending timer (when it is not running; a running worker notices the state).</summary>
    private void CancelTimerLocked()
    {
        if (_workerActive)
        {
            return;
        }

        _timer?.Dispose();
        _timer = null;
        _generation++;
    }

    /// <summary>Schedules the worker now (<paramref name="delayTicks"/> ≤ 0) or after the delay; a high-resolution
    /// clock gets the absolute due time <paramref name="dueTicks"/> (the clock reading plus the delay), so the time spent
    /// between reading the clock and scheduling does not make the delivery late.</summary>
    private void ScheduleWorker(int generation, long delayTicks, long dueTicks)
    {
        if (generation < 0)
        {
            return;
        }

        var state = (Session: this, Generation: generation);
        var timer = delayTicks <= 0
            ? _scheduler.Schedule(state, static (_, s) => Invoke(s))
            : _absoluteTimers
                ? _scheduler.Schedule(state, new DateTimeOffset(dueTicks, TimeSpan.Zero), static (_, s) => Invoke(s))
                : _scheduler.Schedule(state, TimeSpan.FromTicks(delayTicks), static (_, s) => Invoke(s));
        lock (_gate)
        {
            if (generation == _generation && !IsEnded(_state))
            {
                _timer = timer;
                return;
            }
        }

        timer.Dispose();

        static IDisposable Invoke((ScaledReplaySession Session, int Generation) s)
        {
            s.Session.Work(s.Generation);
            return Disposable.Empty;
        }
    }

    /// <summary>Busy-waits (no sleeping) until the scheduler's clock reaches <paramref name="due"/>, bounded in real time.</summary>
    private void SpinUntil(long due)
    {
        var limit = Stopwatch.GetTimestamp() + (long)(2 * _spinLeadTicks * (Stopwatch.Frequency / (double)TimeSpan.TicksPerSecond));
        var spinner = default(SpinWait);
        while (Now() < due && Stopwatch.GetTimestamp() < limit)
        {
            // Spins, and past a few iterations yields the processor to other ready threads; never sleeps.
            spinner.SpinOnce(sleep1Threshold: -1);
        }
    }

    private long Now() => _scheduler.Now.UtcTicks;

    /// <summary>The data time (UTC ticks) at wall time <paramref name="now"/>.</summary>
    private long DataClockLocked(long now) => AddClamped(_anchorData, (now - _anchorWall) * _speed);

    /// <summary>The wall time (UTC ticks) at which data time <paramref name="dataTicks"/> is due.</summary>
    private long DueLocked(long dataTicks) => AddClamped(_anchorWall, (dataTicks - _anchorData) / _speed);

    /// <summary>
    /// <paramref name="baseTicks"/> + the rounded offset, kept within DateTime's range. The offset is rounded on its
    /// own before the long addition, so no precision is lost to a double holding an absolute time.
    /// </summary>
    private static long AddClamped(long baseTicks, double offset)
    {
        if (offset >= MaxDateTicks - baseTicks)
        {
            return MaxDateTicks;
        }

        if (offset <= -baseTicks)
        {
            return 0;
        }

        return baseTicks + (long)Math.Round(offset);
    }

    private ReplayProgress SnapshotLocked(ReplayProgressReason reason, long now) =>
        new(reason, _state, _position, _delivered, _total, _current, _speed, new DateTimeOffset(now, TimeSpan.Zero));

    private static bool IsEnded(ReplayState state) =>
        state is ReplayState.Completed or ReplayState.Faulted or ReplayState.Stopped;

    private sealed class SessionObservable(ScaledReplaySession session) : IObservable<LabeledObservation>
    {
        public IDisposable Subscribe(IObserver<LabeledObservation> observer) => session.Subscribe(observer);
    }
}
