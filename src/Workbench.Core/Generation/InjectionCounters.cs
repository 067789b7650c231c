namespace Workbench.Generation;

/// <summary>
/// Counts kept by an injector: events started, skipped and truncated (under <see cref="ConflictPolicy.Skip"/>) and
/// points labelled. Thread-safe; pass one instance per subscription to read that subscription's counts (an instance
/// shared by several subscriptions adds them up).
/// </summary>
public sealed class InjectionCounters
{
    private long _eventsInjected;
    private long _eventsSkipped;
    private long _eventsTruncated;
    private long _pointsLabelled;

    /// <summary>Events that started.</summary>
    public long EventsInjected => Interlocked.Read(ref _eventsInjected);

    /// <summary>Events not started because their first point was labelled or another event was active.</summary>
    public long EventsSkipped => Interlocked.Read(ref _eventsSkipped);

    /// <summary>Events ended early at an already-labelled point.</summary>
    public long EventsTruncated => Interlocked.Read(ref _eventsTruncated);

    /// <summary>Points changed and labelled.</summary>
    public long PointsLabelled => Interlocked.Read(ref _pointsLabelled);

    internal void AddInjected() => Interlocked.Increment(ref _eventsInjected);

    internal void AddSkipped() => Interlocked.Increment(ref _eventsSkipped);

    internal void AddTruncated() => Interlocked.Increment(ref _eventsTruncated);

    internal void AddLabelled() => Interlocked.Increment(ref _pointsLabelled);

    public override string ToString() =>
        $"injected {EventsInjected}, skipped {EventsSkipped}, truncated {EventsTruncated}, labelled points {PointsLabelled}";
}
