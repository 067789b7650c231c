using System.Globalization;
using System.Text.Json;
using Workbench.Core;
using Workbench.Generation;

namespace Workbench.Pipelines.MarketData;

/// <summary>
/// The <c>market-ticks</c> preset: an exchange tick feed of <see cref="MarketTicksOptions.Symbols"/> symbols (series
/// <c>SYMnn/price</c>) on a 24-hour venue. Per symbol, prices follow a seeded geometric random walk in continuous time
/// with an intraday volatility profile (0.5× at 03:00 to 1.5× at 15:00 UTC), rounded to a cent; ticks arrive as a Poisson
/// process whose rate follows the same profile and jumps ×<see cref="MarketTicksOptions.BurstRateFactor"/> during arrival
/// bursts (timestamps in whole milliseconds, strictly increasing per symbol). Each symbol-day carries labelled anomalies in
/// separate slots after a two-hour warm-up: <c>spike</c> (1–5 consecutive ticks moved 3–8 %, mostly down: a flash crash or
/// fat finger), <c>level_shift</c> (every tick of a 15–45 min span moved 3–6 %: a price gap that later closes),
/// <c>volatility</c> (a 30–60 min span where a Brownian bridge of about 4× the volatility is added, so only that span's
/// rows change) and <c>missing</c> (a stale feed: no tick for 3–10 min; the last tick before and the first tick after the
/// silence carry the label, so the event spans the silence). Hygiene faults are not anomalies: a known fraction of clean
/// unlabelled ticks is re-sent exactly (the copy right after the original) and another fraction arrives with a malformed
/// price (missing, zero or negative). Output in canonical order: timestamp, then the symbols' order of first appearance (the dataset file's series order), so `workbench generate` can write it (with kept duplicate timestamps).
/// </summary>
public sealed class MarketTicksDataset : PipelineDataset
{
    /// <summary>The preset name.</summary>
    public const string PresetName = "market-ticks";

    /// <summary>The volatility-burst anomaly kind (a custom kind name).</summary>
    public static readonly AnomalyKind Volatility = AnomalyKind.FromName("volatility");

    private const ulong ArrivalDomain = 0x6D6B7461_00000001UL;
    private const ulong PlanDomain = 0x6D6B7461_00000002UL;
    private const ulong FaultDomain = 0x6D6B7461_00000003UL;
    private const ulong StartDomain = 0x6D6B7461_00000004UL;
    private static readonly TimeSpan WarmUp = TimeSpan.FromHours(2);
    private static readonly TimeSpan LastSlotEnd = TimeSpan.FromHours(23.75);

    /// <summary>A preset of the given shape (default: the full-size feed).</summary>
    public MarketTicksDataset(MarketTicksOptions? options = null)
    {
        Options = options ?? new MarketTicksOptions();
        Options.Validate();
    }

    /// <summary>The shape.</summary>
    public MarketTicksOptions Options { get; }

    /// <inheritdoc/>
    public override string Name => PresetName;

    /// <inheritdoc/>
    public override string Description => string.Create(CultureInfo.InvariantCulture,
        $"Exchange ticks of {Options.Symbols} symbols × {Options.Days} days (bursty Poisson arrivals, geometric random walk), {Options.DuplicateFraction:P1} exact duplicates, {Options.MalformedFraction:P1} malformed prices; spikes, price gaps, volatility bursts, stale feeds.");

    /// <inheritdoc/>
    public override long DefaultSeed => 20240304;

    /// <inheritdoc/>
    public override string SpecJson => JsonSerializer.Serialize(Options);

    /// <summary>The re-sent ticks are part of the feed: the file keeps their repeated timestamps (and declares it).</summary>
    public override Workbench.Data.DatasetWriterOptions? WriterOptions => new() { DuplicateTimestamps = Workbench.Data.DuplicateTimestampPolicy.Keep };

    /// <summary>The series id of symbol <paramref name="index"/>: <c>SYM07/price</c>.</summary>
    public static string SeriesOf(int index) => string.Create(CultureInfo.InvariantCulture, $"SYM{index:D2}/price");

    /// <summary>The symbol of a series id: the part before the first '/' (<c>SYM07</c>).</summary>
    public static string SymbolOf(string series)
    {
        ArgumentNullException.ThrowIfNull(series);
        var slash = series.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? series : series[..slash];
    }

    /// <inheritdoc/>
    public override IEnumerable<LabeledObservation> Generate(long seed)
    {
        var n = Options.Symbols;
        var series = Enumerable.Range(0, n).Select(SeriesOf).ToArray();
        var logPrice = new double[n];
        var nextEventId = new int[n];
        for (var s = 0; s < n; s++)
        {
            var r = Xoshiro256StarStar.ForStream(unchecked((ulong)seed), StartDomain, (ulong)s);
            logPrice[s] = Math.Log(r.NextDouble(50, 400));
            nextEventId[s] = 1;
        }

        // Ties (same millisecond) go in order of the symbols' first appearance: the canonical order of the dataset file.
        var rank = new int[n];
        Array.Fill(rank, -1);
        var ranked = 0;
        for (var day = 0; day < Options.Days; day++)
        {
            var ticks = new SymbolDay[n];
            for (var s = 0; s < n; s++)
            {
                ticks[s] = GenerateDay(seed, s, day, ref logPrice[s], ref nextEventId[s]);
            }

            foreach (var o in Merge(series, ticks, rank, () => ranked++))
            {
                yield return o;
            }
        }
    }

    private static IEnumerable<LabeledObservation> Merge(string[] series, SymbolDay[] days, int[] rank, Func<int> nextRank)
    {
        // Key: (timestamp, rank of first appearance); a symbol not seen yet ranks after all seen ones, by index.
        var n = days.Length;
        var heap = new PriorityQueue<int, (long Ticks, int Rank)>();
        var position = new int[n];
        for (var s = 0; s < n; s++)
        {
            if (days[s].Count > 0)
            {
                heap.Enqueue(s, (days[s].Ticks[0], rank[s] >= 0 ? rank[s] : n + s));
            }
        }

        while (heap.TryDequeue(out var s, out _))
        {
            if (rank[s] < 0)
            {
                rank[s] = nextRank();
            }

            var d = days[s];
            var i = position[s]++;
            var o = new LabeledObservation(series[s], new DateTime(d.Ticks[i], DateTimeKind.Utc), d.Values[i], d.Labels[i]);
            yield return o;
            if (d.Duplicated[i])
            {
                yield return o;
            }

            if (i + 1 < d.Count)
            {
                heap.Enqueue(s, (d.Ticks[i + 1], rank[s]));
            }
        }
    }

    private static double Profile(double secondOfDay) => 1 + (0.5 * Math.Cos(2 * Math.PI * ((secondOfDay / 3600.0) - 15) / 24));

    private SymbolDay GenerateDay(long seed, int symbol, int day, ref double logPrice, ref int nextEventId)
    {
        var o = Options;
        var stream = ((ulong)symbol << 20) | (uint)day;
        var arrivals = Xoshiro256StarStar.ForStream(unchecked((ulong)seed), ArrivalDomain, stream);
        var plan = Xoshiro256StarStar.ForStream(unchecked((ulong)seed), PlanDomain, stream);
        var faults = Xoshiro256StarStar.ForStream(unchecked((ulong)seed), FaultDomain, stream);
        var dayStart = o.Start.AddDays(day).Ticks;

        // Arrival bursts (seconds of day).
        var bursts = new (double Start, double End)[o.ArrivalBurstsPerDay];
        for (var b = 0; b < bursts.Length; b++)
        {
            var start = plan.NextDouble(0, 86_400 - 300);
            bursts[b] = (start, start + plan.NextDouble(60, 300));
        }

        // Anomaly plan: kinds shuffled into slots after the warm-up.
        var kinds = new List<AnomalyKind>();
        kinds.AddRange(Enumerable.Repeat(AnomalyKind.Spike, o.SpikesPerDay));
        kinds.AddRange(Enumerable.Repeat(AnomalyKind.LevelShift, o.LevelShiftsPerDay));
        kinds.AddRange(Enumerable.Repeat(Volatility, o.VolatilityBurstsPerDay));
        kinds.AddRange(Enumerable.Repeat(AnomalyKind.Missing, o.StaleFeedsPerDay));
        for (var i = kinds.Count - 1; i > 0; i--)
        {
            var j = plan.NextInt32(0, i);
            (kinds[i], kinds[j]) = (kinds[j], kinds[i]);
        }

        var slot = (LastSlotEnd - WarmUp).TotalSeconds / Math.Max(1, kinds.Count);
        var events = new List<PlannedEvent>(kinds.Count);
        for (var k = 0; k < kinds.Count; k++)
        {
            var kind = kinds[k];
            var duration = kind == AnomalyKind.Spike ? 0
                : kind == AnomalyKind.LevelShift ? plan.NextDouble(15 * 60, 45 * 60)
                : kind == Volatility ? plan.NextDouble(30 * 60, 60 * 60)
                : plan.NextDouble(3 * 60, 10 * 60);
            var slotStart = WarmUp.TotalSeconds + (k * slot) + 600;
            var start = plan.NextDouble(slotStart, slotStart + slot - 1200 - duration);
            var magnitude = kind == AnomalyKind.Spike ? plan.NextDouble(0.03, 0.08) : kind == AnomalyKind.LevelShift ? plan.NextDouble(0.03, 0.06) : 0;
            var sign = kind == AnomalyKind.Spike ? (plan.NextDouble() < 0.7 ? -1 : 1) : (plan.NextBool() ? 1 : -1);
            events.Add(new PlannedEvent(kind, start, start + duration, sign * magnitude, plan.NextInt32(1, 5)));
        }

        events.Sort((a, b) => a.Start.CompareTo(b.Start));
        foreach (var e in events)
        {
            e.EventId = nextEventId++;
        }

        // Arrivals and the path (log price, continuous-time random walk with the intraday volatility profile).
        var sigma = o.DailyVolatility / Math.Sqrt(86_400);
        var times = new List<long>(checked((int)(o.BaseRate * 86_400 * 1.3)) + 16);
        var logs = new List<double>(times.Capacity);
        var t = 0.0;
        var previousMs = -1L;
        var x = logPrice;
        while (true)
        {
            var rate = o.BaseRate * Profile(t);
            foreach (var (bs, be) in bursts)
            {
                if (t >= bs && t < be)
                {
                    rate *= o.BurstRateFactor;
                    break;
                }
            }

            var dt = -Math.Log(arrivals.NextDoubleNonZero()) / rate;
            t += dt;
            if (t >= 86_400)
            {
                break;
            }

            x += sigma * Profile(t) * Math.Sqrt(dt) * arrivals.NextGaussian();
            var ms = Math.Max((long)(t * 1000), previousMs + 1);
            if (ms >= 86_400_000)
            {
                break;
            }

            previousMs = ms;
            times.Add(ms);
            logs.Add(x);
        }

        logPrice = x;
        var count = times.Count;
        var labels = new AnomalyLabel[count];
        var adjust = new double[count];
        var removed = new bool[count];
        foreach (var e in events)
        {
            Inject(e, times, labels, adjust, removed, ref faults, sigma);
        }

        var day0 = new SymbolDay(count - removed.Count(r => r));
        for (var i = 0; i < count; i++)
        {
            if (removed[i])
            {
                continue;
            }

            var j = day0.Count++;
            day0.Ticks[j] = dayStart + (times[i] * TimeSpan.TicksPerMillisecond);
            day0.Labels[j] = labels[i];
            double? value = Math.Round(Math.Exp(logs[i] + adjust[i]), 2);
            if (!labels[i].IsAnomaly)
            {
                var u = faults.NextDouble();
                if (u < o.MalformedFraction)
                {
                    var which = faults.NextInt32(0, 2);
                    value = which == 0 ? null : which == 1 ? 0.0 : -value;
                }
                else if (u < o.MalformedFraction + o.DuplicateFraction)
                {
                    day0.Duplicated[j] = true;
                }
            }

            day0.Values[j] = value;
        }

        return day0;
    }

    private static void Inject(PlannedEvent e, List<long> times, AnomalyLabel[] labels, double[] adjust, bool[] removed, ref Xoshiro256StarStar rng, double sigma)
    {
        var first = LowerBound(times, (long)(e.Start * 1000));
        var end = LowerBound(times, (long)(e.End * 1000));
        var label = AnomalyLabel.Anomaly(e.Kind, e.EventId);
        if (e.Kind == AnomalyKind.Spike)
        {
            var factor = Math.Log(1 + e.Magnitude);
            for (var i = first; i < Math.Min(first + e.Ticks, times.Count); i++)
            {
                adjust[i] = factor;
                labels[i] = label;
            }
        }
        else if (e.Kind == AnomalyKind.LevelShift)
        {
            var factor = Math.Log(1 + e.Magnitude);
            for (var i = first; i < end; i++)
            {
                adjust[i] = factor;
                labels[i] = label;
            }
        }
        else if (e.Kind == AnomalyKind.Missing)
        {
            // The silence: ticks in [start, end) are never sent; the ticks around it carry the label.
            for (var i = first; i < end; i++)
            {
                removed[i] = true;
            }

            if (first > 0 && end < times.Count)
            {
                labels[first - 1] = label;
                labels[end] = label;
            }
        }
        else
        {
            // Volatility burst: a Brownian bridge of 4× the base volatility over the span (zero at both ends).
            var extra = 4 * sigma;
            var walk = 0.0;
            var previous = e.Start;
            for (var i = first; i < end; i++)
            {
                var ti = times[i] / 1000.0;
                walk += extra * Profile(ti) * Math.Sqrt(Math.Max(ti - previous, 1e-3)) * rng.NextGaussian();
                previous = ti;
                adjust[i] = walk;
            }

            var span = e.End - e.Start;
            for (var i = first; i < end; i++)
            {
                adjust[i] -= ((times[i] / 1000.0) - e.Start) / span * walk;
                labels[i] = label;
            }
        }
    }

    private static int LowerBound(List<long> sorted, long value)
    {
        int lo = 0, hi = sorted.Count;
        while (lo < hi)
        {
            var mid = (lo + hi) >>> 1;
            if (sorted[mid] < value)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    private sealed class PlannedEvent(AnomalyKind kind, double start, double end, double magnitude, int ticks)
    {
        public AnomalyKind Kind { get; } = kind;

        public double Start { get; } = start;

        public double End { get; } = end;

        public double Magnitude { get; } = magnitude;

        public int Ticks { get; } = ticks;

        public int EventId { get; set; }
    }

    private sealed class SymbolDay(int capacity)
    {
        public long[] Ticks { get; } = new long[capacity];

        public double?[] Values { get; } = new double?[capacity];

        public AnomalyLabel[] Labels { get; } = new AnomalyLabel[capacity];

        public bool[] Duplicated { get; } = new bool[capacity];

        public int Count { get; set; }
    }
}
