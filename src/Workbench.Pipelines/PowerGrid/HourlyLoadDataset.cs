using System.Globalization;
using Workbench.Core;
using Workbench.Generation;

namespace Workbench.Pipelines.PowerGrid;

/// <summary>
/// The <c>hourly-load</c> preset: hourly electricity load (MW) of several grid regions, shaped like a system operator's
/// load history — a weekday profile with morning and evening peaks, lower and later weekends, public holidays that look
/// like weekends, an annual cycle (winter and summer peaks), AR(1) weather noise — with labelled anomalies in the
/// <b>monitoring period</b> (the last <see cref="MonitoredFraction"/> of the days; the earlier days are the clean history
/// a benchmark is trained on): demand spikes (1–3 h, +25…50 %), load drops (a large consumer or feeder offline, 6–36 h,
/// −15…30 %, kind <c>level_shift</c>) and metering drift (a ramp to +12…25 % over 1.5–3 days, kind <c>drift</c>).
/// Labels mark exactly the hours an injection changed. Same seed ⇒ identical rows.
/// </summary>
/// <param name="Regions">Grid regions (series <c>region-01</c>…); 1–999.</param>
/// <param name="Days">Days of history from <see cref="Start"/>; ≥ 28.</param>
/// <param name="Seed">Default seed.</param>
public sealed class HourlyLoadDataset(int Regions = 6, int Days = 730, long Seed = 20261207) : PipelineDataset
{
    /// <summary>The first hour: 2024-01-01 00:00 UTC.</summary>
    public static readonly DateTime Start = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>The fraction of the days (the last ones) that carries injected anomalies: 0.2.</summary>
    public const double MonitoredFraction = 0.2;

    private const ulong Domain = 0x6C6F6164_0000000AUL; // "load"

    /// <summary>Grid regions.</summary>
    public int Regions { get; } = Regions is >= 1 and <= 999 ? Regions : throw new ArgumentOutOfRangeException(nameof(Regions), Regions, "regions must be in 1..999");

    /// <summary>Days of history.</summary>
    public int Days { get; } = Days >= 28 ? Days : throw new ArgumentOutOfRangeException(nameof(Days), Days, "days must be >= 28");

    /// <summary>Days before the monitoring period (the training history): ⌊(1 − <see cref="MonitoredFraction"/>) · days⌋.</summary>
    public int TrainingDays => (int)Math.Floor((1 - MonitoredFraction) * Days);

    /// <inheritdoc/>
    public override string Name => "hourly-load";

    /// <inheritdoc/>
    public override string Description => string.Create(CultureInfo.InvariantCulture,
        $"{Regions} grid regions × {Days} days of hourly load (MW): daily + weekly seasonality, holidays, annual cycle; spikes, drops and drift in the last {MonitoredFraction:P0}");

    /// <inheritdoc/>
    public override long DefaultSeed => Seed;

    /// <inheritdoc/>
    public override string SpecJson => string.Create(CultureInfo.InvariantCulture,
        $$"""{"preset":"hourly-load","regions":{{Regions}},"days":{{Days}},"start":"2024-01-01T00:00:00Z","monitoredFraction":{{MonitoredFraction}}}""");

    /// <summary>The series ids, in order.</summary>
    public IReadOnlyList<string> SeriesNames => [.. Enumerable.Range(1, Regions).Select(Series)];

    /// <summary>Whether <paramref name="day"/> (UTC date) is a public holiday of the preset's calendar.</summary>
    public static bool IsHoliday(DateTime day)
    {
        var (m, d) = (day.Month, day.Day);
        if ((m, d) is (1, 1) or (5, 1) or (7, 4) or (12, 24) or (12, 25) or (12, 26) or (12, 31))
        {
            return true;
        }

        // Fourth Thursday of November, last Monday of May, first Monday of September.
        return (m == 11 && day.DayOfWeek == DayOfWeek.Thursday && d is >= 22 and <= 28)
            || (m == 5 && day.DayOfWeek == DayOfWeek.Monday && d >= 25)
            || (m == 9 && day.DayOfWeek == DayOfWeek.Monday && d <= 7);
    }

    /// <summary>The labelled anomalies of region <paramref name="region"/> (1-based) under <paramref name="seed"/>, in time order.</summary>
    public IReadOnlyList<InjectedLoadEvent> Events(long seed, int region)
    {
        var rng = Xoshiro256StarStar.ForStream(unchecked((ulong)seed), Domain, (ulong)(region * 2));
        var hours = Days * 24;
        var first = TrainingDays * 24;
        var events = new List<InjectedLoadEvent>();
        var kinds = new[] { AnomalyKind.Spike, AnomalyKind.LevelShift, AnomalyKind.Spike, AnomalyKind.Drift, AnomalyKind.Spike, AnomalyKind.LevelShift };
        // One event per slot of the monitoring period, placed inside its slot with room to recover before the next.
        var slot = (hours - first) / kinds.Length;
        for (var i = 0; i < kinds.Length; i++)
        {
            var kind = kinds[i];
            var length = kind == AnomalyKind.Spike ? (int)rng.NextInt64(1, 3)
                : kind == AnomalyKind.LevelShift ? (int)rng.NextInt64(6, 36)
                : (int)rng.NextInt64(36, 72);
            var magnitude = kind == AnomalyKind.Spike ? rng.NextDouble(0.25, 0.5)
                : kind == AnomalyKind.LevelShift ? -rng.NextDouble(0.15, 0.3)
                : rng.NextDouble(0.12, 0.25);
            var room = slot - length - 24; // a day to recover before the next slot
            if (room < 1)
            {
                continue; // a monitoring period too short for this event: fewer events, never overlapping ones
            }

            var start = first + (i * slot) + (int)rng.NextInt64(0, room - 1);
            events.Add(new InjectedLoadEvent(i + 1, kind, start, length, magnitude));
        }

        return events;
    }

    /// <inheritdoc/>
    public override IEnumerable<LabeledObservation> Generate(long seed)
    {
        var regions = new RegionState[Regions];
        for (var r = 0; r < Regions; r++)
        {
            var rng = Xoshiro256StarStar.ForStream(unchecked((ulong)seed), Domain, (ulong)((r + 1) * 2) + 1);
            regions[r] = new RegionState(Series(r + 1), rng, rng.NextDouble(600, 3000), rng.NextDouble(-1.5, 1.5), Events(seed, r + 1));
        }

        for (var h = 0; h < Days * 24; h++)
        {
            var t = Start.AddHours(h);
            foreach (var region in regions)
            {
                yield return region.Next(h, t);
            }
        }
    }

    private static string Series(int region) => string.Create(CultureInfo.InvariantCulture, $"region-{region:D2}");

    /// <summary>Relative load of hour <paramref name="hour"/> on a working day or a weekend/holiday (1 = the day's mean level).</summary>
    private static double Profile(int hour, bool restDay, double peakShift)
    {
        var h = hour + peakShift;
        double Bump(double centre, double width) => Math.Exp(-0.5 * ((h - centre) / width) * ((h - centre) / width));
        return restDay
            ? 0.80 + (0.16 * Bump(11.5, 3.0)) + (0.20 * Bump(19.5, 2.2)) - (0.08 * Bump(4, 2.0))
            : 0.78 + (0.27 * Bump(8.5, 1.8)) + (0.22 * Bump(13, 3.0)) + (0.30 * Bump(19, 2.0)) - (0.10 * Bump(3.5, 2.0));
    }

    private sealed class RegionState(string series, Xoshiro256StarStar rng, double level, double peakShift, IReadOnlyList<InjectedLoadEvent> events)
    {
        private double _noise;
        private int _next;

        public LabeledObservation Next(int hour, DateTime t)
        {
            var restDay = t.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday || IsHoliday(t.Date);
            var dayOfYear = t.DayOfYear + (t.Hour / 24.0);
            var annual = 1 + (0.10 * Math.Cos(2 * Math.PI * (dayOfYear - 20) / 365.25)) + (0.06 * Math.Cos(4 * Math.PI * (dayOfYear - 20) / 365.25));
            _noise = (0.85 * _noise) + (0.012 * Gaussian());
            var value = level * annual * Profile(t.Hour, restDay, peakShift) * (1 + _noise);
            var label = AnomalyLabel.Normal;
            while (_next < events.Count && hour >= events[_next].Start + events[_next].Length)
            {
                _next++;
            }

            if (_next < events.Count && events[_next] is { } e && hour >= e.Start)
            {
                var factor = e.Kind == AnomalyKind.Drift
                    ? 1 + (e.Magnitude * (hour - e.Start + 1) / e.Length) // a ramp reaching the full magnitude at the end
                    : 1 + e.Magnitude;
                value *= factor;
                label = AnomalyLabel.Anomaly(e.Kind, e.EventId);
            }

            return new LabeledObservation(series, t, Math.Round(value, 1), label);
        }

        private double Gaussian()
        {
            // Box-Muller from two uniforms (the first in (0, 1]).
            var u = 1 - rng.NextDouble();
            var v = rng.NextDouble();
            return Math.Sqrt(-2 * Math.Log(u)) * Math.Cos(2 * Math.PI * v);
        }
    }
}

/// <summary>An anomaly the <c>hourly-load</c> preset injects into one region.</summary>
/// <param name="EventId">Event id within the region (1-based).</param>
/// <param name="Kind">spike, level_shift (a drop) or drift.</param>
/// <param name="Start">First hour index (from the preset's start).</param>
/// <param name="Length">Hours.</param>
/// <param name="Magnitude">Relative change: +0.25…0.5 (spike), −0.15…−0.3 (drop), +0.12…0.25 at the end of a drift ramp.</param>
public sealed record InjectedLoadEvent(int EventId, AnomalyKind Kind, int Start, int Length, double Magnitude);
