namespace Workbench.Operators.Hygiene;

/// <summary>
/// What one operator did to the events of one series (or of all series): every event dropped, repaired, reordered,
/// diverted or inserted is counted. Counters a stage does not use stay 0. At a final report,
/// <c>Emitted = Seen − Dropped + Filled</c>; an intermediate report may also have events held in a buffer.
/// </summary>
/// <param name="Seen">Events that entered the operator.</param>
/// <param name="Emitted">Events it passed on (kept, repaired or inserted).</param>
/// <param name="Dropped">Events removed for any reason (duplicates, invalid or out-of-range under the drop policy,
/// late events — including those diverted to a side channel).</param>
/// <param name="Duplicates">Repeated (series, timestamp) events removed by de-duplication.</param>
/// <param name="NonFinite">Values found NaN or ±∞ (then dropped or marked missing, per policy).</param>
/// <param name="OutOfRange">Values found outside the allowed range (then dropped, clamped or marked missing).</param>
/// <param name="Clamped">Out-of-range values replaced by the nearest bound.</param>
/// <param name="MarkedMissing">Values replaced by null (missing) because they were non-finite or out of range.</param>
/// <param name="Late">Events beyond the lateness bound (or for an already-final window), not passed on.</param>
/// <param name="Diverted">Late events handed to the caller's side channel instead of being discarded (⊆ Late).</param>
/// <param name="Reordered">Events that arrived after a later-timestamped event but within the bound, and were
/// put back in timestamp order.</param>
/// <param name="Gaps">Gaps found: consecutive timestamps further apart than the cadence allows.</param>
/// <param name="GapPoints">Estimated observations missing in those gaps.</param>
/// <param name="Filled">Missing (null-valued) observations inserted into gaps.</param>
/// <param name="GapTime">Total time spanned by the gaps (sum of the distances between the observations around each gap).</param>
/// <param name="LongestGap">The longest such distance.</param>
public readonly record struct HygieneCounts(
    long Seen,
    long Emitted,
    long Dropped,
    long Duplicates,
    long NonFinite,
    long OutOfRange,
    long Clamped,
    long MarkedMissing,
    long Late,
    long Diverted,
    long Reordered,
    long Gaps,
    long GapPoints,
    long Filled,
    TimeSpan GapTime,
    TimeSpan LongestGap)
{
    /// <summary>The sum of two sets of counts (the longest gap is the larger of the two).</summary>
    public static HygieneCounts operator +(HygieneCounts a, HygieneCounts b) => new(
        a.Seen + b.Seen,
        a.Emitted + b.Emitted,
        a.Dropped + b.Dropped,
        a.Duplicates + b.Duplicates,
        a.NonFinite + b.NonFinite,
        a.OutOfRange + b.OutOfRange,
        a.Clamped + b.Clamped,
        a.MarkedMissing + b.MarkedMissing,
        a.Late + b.Late,
        a.Diverted + b.Diverted,
        a.Reordered + b.Reordered,
        a.Gaps + b.Gaps,
        a.GapPoints + b.GapPoints,
        a.Filled + b.Filled,
        a.GapTime + b.GapTime,
        a.LongestGap > b.LongestGap ? a.LongestGap : b.LongestGap);
}

/// <summary>The counts of one series.</summary>
/// <param name="Series">The series id.</param>
/// <param name="Counts">What the operator did to its events.</param>
public readonly record struct SeriesHygiene(string Series, HygieneCounts Counts);

/// <summary>
/// A snapshot of an operator's counts, per series (ordered by series id, ordinal) and in total. Hygiene operators
/// and the tumbling-window operators deliver reports to an <see cref="IObserver{T}"/> the caller passes in (for
/// example a <c>Subject&lt;HygieneReport&gt;</c>, which makes the side channel an <see cref="IObservable{T}"/>); the
/// batch twins return the final report. Reports are immutable and compare by value.
/// </summary>
/// <param name="Stage">The operator that produced it: <c>validate</c>, <c>deduplicate</c>, <c>reorder</c>,
/// <c>fill-gaps</c>, <c>tumble</c>, <c>candles</c>.</param>
/// <param name="IsFinal">True for the report sent when the source completed or failed (no event is pending); false
/// for a periodic report.</param>
/// <param name="Total">The counts over all series.</param>
/// <param name="Series">The counts per series, ordered by series id (ordinal).</param>
public sealed record HygieneReport(string Stage, bool IsFinal, HygieneCounts Total, IReadOnlyList<SeriesHygiene> Series)
{
    /// <summary>The counts of <paramref name="series"/> (all zero when the series was never seen).</summary>
    public HygieneCounts For(string series)
    {
        foreach (var s in Series)
        {
            if (string.Equals(s.Series, series, StringComparison.Ordinal))
            {
                return s.Counts;
            }
        }

        return default;
    }

    public bool Equals(HygieneReport? other) =>
        other is not null
        && string.Equals(Stage, other.Stage, StringComparison.Ordinal)
        && IsFinal == other.IsFinal
        && Total == other.Total
        && Series.SequenceEqual(other.Series);

    public override int GetHashCode() => HashCode.Combine(Stage, IsFinal, Total, Series.Count);

    public override string ToString() =>
        $"{Stage}{(IsFinal ? " (final)" : string.Empty)}: {Series.Count} series, {Total}";
}
