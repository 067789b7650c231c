namespace Workbench.Operators.Hygiene;

/// <summary>The mutable counts of one series inside one subscription (see <see cref="HygieneCounts"/>).</summary>
internal sealed class HygieneCounter
{
    public long Seen;
    public long Emitted;
    public long Dropped;
    public long Duplicates;
    public long NonFinite;
    public long OutOfRange;
    public long Clamped;
    public long MarkedMissing;
    public long Late;
    public long Diverted;
    public long Reordered;
    public long Gaps;
    public long GapPoints;
    public long Filled;
    public TimeSpan GapTime;
    public TimeSpan LongestGap;

    public HygieneCounts Snapshot() => new(
        Seen, Emitted, Dropped, Duplicates, NonFinite, OutOfRange, Clamped, MarkedMissing, Late, Diverted, Reordered,
        Gaps, GapPoints, Filled, GapTime, LongestGap);
}

/// <summary>Per-series counters of one operator subscription, and the snapshots built from them.</summary>
internal sealed class HygieneLedger(string stage)
{
    private readonly SeriesState<HygieneCounter> _series = new(() => new HygieneCounter());

    public string Stage { get; } = stage;

    public HygieneCounter For(string series) => _series.For(series);

    public HygieneReport Snapshot(bool isFinal)
    {
        var rows = new List<SeriesHygiene>(_series.Count);
        HygieneCounts total = default;
        foreach (var (series, counter) in _series.All)
        {
            var counts = counter.Snapshot();
            rows.Add(new SeriesHygiene(series, counts));
            total += counts;
        }

        rows.Sort((a, b) => string.CompareOrdinal(a.Series, b.Series));
        return new HygieneReport(Stage, isFinal, total, rows);
    }
}

/// <summary>
/// Delivers one subscription's reports to the caller's observer: a snapshot every <c>every</c> input events (when
/// &gt; 0), and a final snapshot followed by OnCompleted or OnError when the source terminates.
/// </summary>
internal sealed class ReportChannel(HygieneLedger ledger, IObserver<HygieneReport>? observer, long every)
{
    private long _events;

    public HygieneLedger Ledger => ledger;

    public void Tick()
    {
        if (observer is not null && every > 0 && ++_events % every == 0)
        {
            observer.OnNext(ledger.Snapshot(false));
        }
    }

    public void Complete()
    {
        if (observer is not null)
        {
            observer.OnNext(ledger.Snapshot(true));
            observer.OnCompleted();
        }
    }

    public void Fail(Exception error)
    {
        if (observer is not null)
        {
            observer.OnNext(ledger.Snapshot(true));
            observer.OnError(error);
        }
    }

    public static void ValidateEvery(long every)
    {
        if (every < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(every), every, "reportEvery must be >= 0 (0 = final report only)");
        }
    }
}
