using Workbench.Core;
using Workbench.Generation;

namespace Workbench.Pipelines.SmartMeters;

/// <summary>
/// The <c>smart-meters</c> preset: power readings (kW) of a fleet of meters, merged in one stream in timestamp order.
/// <para><b>Meters.</b> Series <c>meter-0000</c>, <c>meter-0001</c>, …; a share of them (<see cref="SmartMetersDatasetOptions.BuildingShare"/>)
/// are commercial buildings (base load 5–40 kW, a business-hours plateau 08:00–18:00 of +100–200 %), the rest households
/// (base load 0.6–1.5 kW, a morning peak near 07:30 and a larger evening peak near 19:30 of up to +80–140 %), each with a
/// phase offset of ±30 min. On top run three appliances per meter (households: 10–40 % of the base load, on for
/// 3–15 min on average, off for 20–120 min; buildings: compressors of 5–20 %, on 10–30 min, off 10–40 min), switched
/// on and off at exponentially distributed times, and 4 % multiplicative Gaussian noise. Values are rounded to watts.</para>
/// <para><b>Cadence.</b> Irregular: each meter reports at its own base interval drawn in [MinInterval, MaxInterval]
/// (10–60 s), every interval jittered by ±20 % (kept within the bounds) and rounded to milliseconds; the first reading
/// falls at a random offset within one interval of the start.</para>
/// <para><b>Anomalies</b> (labels mark exactly the readings inside the event's span [start, start + duration)):
/// <c>spike</c> — the load × 2.6–4.0 for 3–12 min (a fault or an unmetered load switched through);
/// <c>drop</c> (custom kind) — the load × 0.25–0.40 for 10–45 min (a lost phase or circuit; the readings stay above
/// 0.1 kW, so a drop is never an outage); <c>outage</c> (custom kind) — no supply for 5–45 min: the meter keeps
/// reporting on its backup battery, readings 0–0.03 kW (not missing rows). Events are placed on random meters, none in
/// the first 30 min (warm-up) or the last 10 min, two events of a meter at least 30 min apart; event ids count 1, 2, …
/// per meter in time order.</para>
/// Deterministic: the same options and seed give identical observations (xoshiro256** streams per meter and one for
/// the event plan).
/// </summary>
public sealed class SmartMetersDataset : PipelineDataset
{
    /// <summary>The seed used when none is given.</summary>
    public const long Seed = 20240304;

    /// <summary>The custom kind of a drop event.</summary>
    public static readonly AnomalyKind Drop = AnomalyKind.FromName("drop");

    /// <summary>The custom kind of an outage event.</summary>
    public static readonly AnomalyKind Outage = AnomalyKind.FromName("outage");

    private const ulong ReadingDomain = 0x736D7472_00000001UL;
    private const ulong PlanDomain = 0x736D7472_00000002UL;

    /// <summary>The preset with <paramref name="options"/> (default: the full-size fleet).</summary>
    public SmartMetersDataset(SmartMetersDatasetOptions? options = null)
    {
        Options = options ?? new SmartMetersDatasetOptions();
        Options.Validate();
    }

    /// <summary>The preset's shape.</summary>
    public SmartMetersDatasetOptions Options { get; }

    /// <inheritdoc/>
    public override string Name => "smart-meters";

    /// <inheritdoc/>
    public override string Description =>
        $"{Options.Meters} smart meters (kW, households and buildings, daily profiles and appliance switching), one reading per 10-60 s each (irregular), labelled spike, drop and outage events";

    /// <inheritdoc/>
    public override long DefaultSeed => Seed;

    /// <inheritdoc/>
    public override string SpecJson => Options.ToJson();

    /// <summary>The series id of meter <paramref name="index"/>.</summary>
    public static string MeterName(int index) => $"meter-{index:D4}";

    /// <inheritdoc/>
    public override IEnumerable<LabeledObservation> Generate(long seed)
    {
        var plan = PlanEvents(seed);
        var end = (Options.Start + Options.Duration).Ticks;
        var meters = new Meter[Options.Meters];
        for (var i = 0; i < meters.Length; i++)
        {
            meters[i] = new Meter(i, Options, unchecked((ulong)seed), plan[i]);
        }

        // Canonical order: timestamps ascending, equal timestamps in the order the meters first appear (their rank by
        // first reading, then index), which is how a file's series table is built.
        var ranked = meters.Where(m => m.NextTicks < end).OrderBy(m => m.NextTicks).ThenBy(m => m.Index).ToArray();
        var queue = new PriorityQueue<Meter, (long Ticks, int Rank)>(ranked.Length);
        for (var rank = 0; rank < ranked.Length; rank++)
        {
            ranked[rank].Rank = rank;
            queue.Enqueue(ranked[rank], (ranked[rank].NextTicks, rank));
        }

        while (queue.TryDequeue(out var meter, out _))
        {
            yield return meter.Read();
            if (meter.NextTicks < end)
            {
                queue.Enqueue(meter, (meter.NextTicks, meter.Rank));
            }
        }
    }

    /// <summary>The events of each meter, in time order, with their ids.</summary>
    private List<MeterEvent>[] PlanEvents(long seed)
    {
        var o = Options;
        var rng = Xoshiro256StarStar.ForStream(unchecked((ulong)seed), PlanDomain, 0);
        var perMeter = new List<MeterEvent>[o.Meters];
        for (var i = 0; i < perMeter.Length; i++)
        {
            perMeter[i] = [];
        }

        var first = (o.Start + o.WarmupMargin).Ticks;
        var last = (o.Start + o.Duration - TimeSpan.FromMinutes(10)).Ticks;
        foreach (var (kind, count) in new[] { (AnomalyKind.Spike, o.Spikes), (Drop, o.Drops), (Outage, o.Outages) })
        {
            for (var n = 0; n < count; n++)
            {
                var (minMinutes, maxMinutes, minFactor, maxFactor) = kind == AnomalyKind.Spike ? (3, 12, 2.6, 4.0)
                    : kind == Drop ? (10, 45, 0.25, 0.40)
                    : (5, 45, 0.0, 0.0);
                var placed = false;
                for (var attempt = 0; attempt < 10_000 && !placed; attempt++)
                {
                    var meter = rng.NextInt32(0, o.Meters - 1);
                    var duration = TimeSpan.FromSeconds(rng.NextInt32(minMinutes * 60, maxMinutes * 60)).Ticks;
                    var start = rng.NextInt64(first, last - duration);
                    start -= start % TimeSpan.TicksPerSecond;
                    var factor = rng.NextDouble(minFactor, maxFactor);
                    var gap = o.EventGap.Ticks;
                    if (perMeter[meter].Any(e => start < e.End + gap && e.Start < start + duration + gap))
                    {
                        continue;
                    }

                    perMeter[meter].Add(new MeterEvent(kind, start, start + duration, factor, 0));
                    placed = true;
                }

                if (!placed)
                {
                    throw new InvalidOperationException($"smart-meters: cannot place {count} {kind.Name} events on {o.Meters} meters over {o.Duration} with {o.EventGap} between the events of a meter; use fewer events or more meters");
                }
            }
        }

        for (var i = 0; i < perMeter.Length; i++)
        {
            perMeter[i] = [.. perMeter[i].OrderBy(e => e.Start).Select((e, k) => e with { Id = k + 1 })];
        }

        return perMeter;
    }

    /// <summary>One injected event of one meter: [Start, End) in ticks, the load factor (spike, drop), the label's event id.</summary>
    private sealed record MeterEvent(AnomalyKind Kind, long Start, long End, double Factor, int Id);

    /// <summary>The reading generator of one meter: cadence, load shape, appliances, injected events.</summary>
    private sealed class Meter
    {
        private const int Appliances = 3;

        private readonly string _name;
        private readonly List<MeterEvent> _events;
        private readonly long _minInterval;
        private readonly long _maxInterval;
        private readonly double _baseInterval;
        private readonly bool _building;
        private readonly double _scale;
        private readonly double _amplitude;
        private readonly double _phaseHours;
        private readonly double[] _power = new double[Appliances];
        private readonly double[] _meanOnTicks = new double[Appliances];
        private readonly double[] _meanOffTicks = new double[Appliances];
        private readonly bool[] _on = new bool[Appliances];
        private readonly long[] _toggle = new long[Appliances];
        private readonly long _dayOrigin;
        private Xoshiro256StarStar _rng;
        private int _nextEvent;

        public Meter(int index, SmartMetersDatasetOptions o, ulong seed, List<MeterEvent> events)
        {
            Index = index;
            _name = MeterName(index);
            _events = events;
            _rng = Xoshiro256StarStar.ForStream(seed, ReadingDomain, (ulong)index);
            _minInterval = o.MinInterval.Ticks;
            _maxInterval = o.MaxInterval.Ticks;
            _baseInterval = _rng.NextDouble(_minInterval, _maxInterval);
            _building = _rng.NextDouble() < o.BuildingShare;
            _scale = _building ? _rng.NextDouble(5, 40) : _rng.NextDouble(0.6, 1.5);
            _amplitude = _building ? _rng.NextDouble(1.0, 2.0) : _rng.NextDouble(0.8, 1.4);
            _phaseHours = _rng.NextDouble(-0.5, 0.5);
            _dayOrigin = o.Start.Date.Ticks;
            var start = o.Start.Ticks;
            for (var a = 0; a < Appliances; a++)
            {
                _power[a] = _scale * (_building ? _rng.NextDouble(0.05, 0.2) : _rng.NextDouble(0.1, 0.4));
                _meanOnTicks[a] = TimeSpan.TicksPerMinute * (_building ? _rng.NextDouble(10, 30) : _rng.NextDouble(3, 15));
                _meanOffTicks[a] = TimeSpan.TicksPerMinute * (_building ? _rng.NextDouble(10, 40) : _rng.NextDouble(20, 120));
                _on[a] = _rng.NextDouble() < _meanOnTicks[a] / (_meanOnTicks[a] + _meanOffTicks[a]);
                _toggle[a] = start + Exponential(_on[a] ? _meanOnTicks[a] : _meanOffTicks[a]);
            }

            NextTicks = start + RoundToMillisecond((long)(_rng.NextDouble() * _baseInterval));
        }

        public int Index { get; }

        /// <summary>Position in the order of first appearance (ties of the merge break on it).</summary>
        public int Rank { get; set; }

        public long NextTicks { get; private set; }

        /// <summary>The reading at <see cref="NextTicks"/>; advances to the next one.</summary>
        public LabeledObservation Read()
        {
            var t = NextTicks;
            for (var a = 0; a < Appliances; a++)
            {
                while (_toggle[a] <= t)
                {
                    _on[a] = !_on[a];
                    _toggle[a] += Exponential(_on[a] ? _meanOnTicks[a] : _meanOffTicks[a]);
                }
            }

            var load = _scale * (1 + (_amplitude * Profile(t)));
            for (var a = 0; a < Appliances; a++)
            {
                if (_on[a])
                {
                    load += _power[a];
                }
            }

            load *= 1 + (0.04 * _rng.NextGaussian());
            while (_nextEvent < _events.Count && _events[_nextEvent].End <= t)
            {
                _nextEvent++;
            }

            var label = AnomalyLabel.Normal;
            if (_nextEvent < _events.Count && _events[_nextEvent].Start <= t)
            {
                var e = _events[_nextEvent];
                label = AnomalyLabel.Anomaly(e.Kind, e.Id);
                load = e.Kind == Outage ? _rng.NextDouble(0, 0.03) : load * e.Factor;
            }

            var interval = Math.Clamp((long)(_baseInterval * _rng.NextDouble(0.8, 1.2)), _minInterval, _maxInterval);
            NextTicks = t + Math.Max(RoundToMillisecond(interval), TimeSpan.TicksPerMillisecond);
            return new LabeledObservation(_name, new DateTime(t, DateTimeKind.Utc), Math.Round(Math.Max(load, 0), 3), label);
        }

        private static long RoundToMillisecond(long ticks) => ticks - (ticks % TimeSpan.TicksPerMillisecond);

        private static double Bump(double hours, double centre, double width)
        {
            var d = Math.Abs(hours - centre);
            d = Math.Min(d, 24 - d);
            return Math.Exp(-0.5 * (d / width) * (d / width));
        }

        private static double Logistic(double x) => 1 / (1 + Math.Exp(-x));

        private long Exponential(double meanTicks) => Math.Max(TimeSpan.TicksPerSecond, (long)(-meanTicks * Math.Log(_rng.NextDoubleNonZero())));

        /// <summary>The daily profile in [0, 1] at <paramref name="ticks"/>.</summary>
        private double Profile(long ticks)
        {
            var hours = (((ticks - _dayOrigin) % TimeSpan.TicksPerDay) / (double)TimeSpan.TicksPerHour) - _phaseHours;
            hours = ((hours % 24) + 24) % 24;
            return _building
                ? Logistic((hours - 8) / 0.5) * Logistic((18 - hours) / 0.6)
                : Math.Min(1, (0.55 * Bump(hours, 7.5, 1.0)) + Bump(hours, 19.5, 1.8));
        }
    }
}
