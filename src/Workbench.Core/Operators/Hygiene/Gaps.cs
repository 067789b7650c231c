using Workbench.Core;

namespace Workbench.Operators.Hygiene;

/// <summary>A gap in one series: two consecutive observations further apart than the expected cadence allows.</summary>
/// <param name="Series">The series id.</param>
/// <param name="LastBefore">Timestamp of the observation before the gap.</param>
/// <param name="FirstAfter">Timestamp of the observation after the gap.</param>
/// <param name="Cadence">The expected spacing for this series.</param>
/// <param name="MissingPoints">Estimated observations missing: round((FirstAfter − LastBefore) / Cadence) − 1 (halves rounded up), at least 0.</param>
public readonly record struct GapEvent(string Series, DateTime LastBefore, DateTime FirstAfter, TimeSpan Cadence, long MissingPoints)
{
    /// <summary>FirstAfter − LastBefore.</summary>
    public TimeSpan Duration => FirstAfter - LastBefore;
}

/// <summary>
/// Gap detection against an expected cadence. Within each series, two consecutive observations (present or missing
/// values alike) at distance Δ form a gap when Δ &gt; Cadence·(1 + <see cref="Tolerance"/>). Each series must be in
/// non-decreasing timestamp order (an earlier timestamp fails the stream with
/// <see cref="ObservationOrderException"/>); equal timestamps are not a gap. A series that stops is not reported
/// (no observation closes the gap).
/// </summary>
/// <param name="Cadence">Expected spacing of every series without its own (&gt; 0).</param>
/// <param name="Tolerance">Allowed excess as a fraction of the cadence (≥ 0, finite; default 0.5: a gap is more than
/// 1.5 cadences).</param>
/// <param name="SeriesCadence">Per-series cadences by series id (default null: none).</param>
public sealed record GapOptions(TimeSpan Cadence, double Tolerance = 0.5, IReadOnlyDictionary<string, TimeSpan>? SeriesCadence = null)
{
    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for a non-positive cadence or a bad tolerance.</summary>
    public void Validate()
    {
        if (Cadence <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Cadence), Cadence, "cadence must be > 0");
        }

        if (!(Tolerance >= 0) || double.IsInfinity(Tolerance))
        {
            throw new ArgumentOutOfRangeException(nameof(Tolerance), Tolerance, "tolerance must be a finite number >= 0");
        }

        if (SeriesCadence is not null)
        {
            foreach (var (series, cadence) in SeriesCadence)
            {
                if (cadence <= TimeSpan.Zero)
                {
                    throw new ArgumentOutOfRangeException(nameof(SeriesCadence), cadence, $"cadence of series '{series}' must be > 0");
                }
            }
        }
    }

    internal TimeSpan CadenceFor(string series) =>
        SeriesCadence is not null && SeriesCadence.TryGetValue(series, out var c) ? c : Cadence;
}

/// <summary>
/// The gap kernel. Reports each gap through <c>onGap</c>; with <c>emit</c> it also passes every observation on and,
/// when filling, inserts a missing observation at LastBefore + k·Cadence for k = 1 … MissingPoints before the
/// observation that closes the gap.
/// </summary>
internal sealed class GapTracker(GapOptions options, HygieneLedger ledger, Action<GapEvent>? onGap, Action<LabeledObservation>? emit, bool fill)
{
    private readonly SeriesState<Slot> _slots = new(() => new Slot());

    public void Process(LabeledObservation o)
    {
        var slot = _slots.For(o.Series);
        if (slot.Counter is null)
        {
            slot.Counter = ledger.For(o.Series);
            slot.Cadence = options.CadenceFor(o.Series);
            slot.Limit = slot.Cadence.Ticks * (1 + options.Tolerance);
        }

        var c = slot.Counter;
        c.Seen++;
        if (slot.HasLast)
        {
            var delta = o.Timestamp.Ticks - slot.Last.Ticks;
            if (delta < 0)
            {
                throw new ObservationOrderException(o.Series, o.Timestamp, slot.Last, "gap detection needs each series in timestamp order (put Reorder before it)");
            }

            if (delta > slot.Limit)
            {
                var missing = Math.Max(0, (long)Math.Round((double)delta / slot.Cadence.Ticks, MidpointRounding.AwayFromZero) - 1);
                var gap = new GapEvent(o.Series, slot.Last, o.Timestamp, slot.Cadence, missing);
                c.Gaps++;
                c.GapPoints += missing;
                c.GapTime += gap.Duration;
                if (gap.Duration > c.LongestGap)
                {
                    c.LongestGap = gap.Duration;
                }

                onGap?.Invoke(gap);
                if (fill && emit is not null)
                {
                    for (var k = 1; k <= missing; k++)
                    {
                        c.Filled++;
                        c.Emitted++;
                        emit(new LabeledObservation(o.Series, slot.Last.AddTicks(k * slot.Cadence.Ticks), null, AnomalyLabel.Normal));
                    }
                }
            }
        }

        slot.Last = o.Timestamp;
        slot.HasLast = true;
        if (emit is not null)
        {
            c.Emitted++;
            emit(o);
        }
    }

    private sealed class Slot
    {
        public HygieneCounter? Counter;
        public TimeSpan Cadence;
        public double Limit;
        public DateTime Last;
        public bool HasLast;
    }
}
