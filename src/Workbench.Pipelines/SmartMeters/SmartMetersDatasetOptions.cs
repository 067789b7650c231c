using System.Globalization;
using System.Text.Json;

namespace Workbench.Pipelines.SmartMeters;

/// <summary>
/// The shape of the <c>smart-meters</c> preset: how many meters, over which span, their reporting cadence, and how many
/// labelled events of each kind are injected. Defaults are the full-size fleet (2,000 meters over one day, about
/// 6.1 million readings); <see cref="Reduced"/> is the notebook and snapshot size.
/// </summary>
public sealed record SmartMetersDatasetOptions
{
    /// <summary>Meters in the fleet (≥ 1; default 2,000).</summary>
    public int Meters { get; init; } = 2_000;

    /// <summary>First instant of the data (UTC; default Monday 2024-03-04 00:00). The daily profiles are in UTC hours.</summary>
    public DateTime Start { get; init; } = new(2024, 3, 4, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>The span replayed: readings fall in [Start, Start + Duration) (≥ 2 h; default one day).</summary>
    public TimeSpan Duration { get; init; } = TimeSpan.FromDays(1);

    /// <summary>Shortest interval between two readings of a meter (&gt; 0; default 10 s).</summary>
    public TimeSpan MinInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Longest interval between two readings of a meter (≥ <see cref="MinInterval"/>; default 60 s).</summary>
    public TimeSpan MaxInterval { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Share of the meters that are commercial buildings (the rest are households), in [0, 1] (default 0.2).</summary>
    public double BuildingShare { get; init; } = 0.2;

    /// <summary>Labelled spike events (load × 2.6–4 for 3–12 min; default 200).</summary>
    public int Spikes { get; init; } = 200;

    /// <summary>Labelled drop events (load × 0.25–0.4 for 10–45 min; default 200).</summary>
    public int Drops { get; init; } = 200;

    /// <summary>Labelled outage events (readings 0–0.03 kW for 5–45 min; default 200).</summary>
    public int Outages { get; init; } = 200;

    /// <summary>No event starts in the first <see cref="WarmupMargin"/> of the data (the baselines are still forming; default 30 min).</summary>
    public TimeSpan WarmupMargin { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>Two events of one meter are at least this far apart (default 30 min), so each is judged against a settled baseline.</summary>
    public TimeSpan EventGap { get; init; } = TimeSpan.FromMinutes(30);

    /// <summary>
    /// The reduced preset: 50 meters over the 6 hours 14:00–20:00 (the end of the business day and the households'
    /// evening peak; about 37,000 readings) with 8 events of each kind.
    /// </summary>
    public static SmartMetersDatasetOptions Reduced { get; } = new()
    {
        Meters = 50,
        Start = new DateTime(2024, 3, 4, 14, 0, 0, DateTimeKind.Utc),
        Duration = TimeSpan.FromHours(6),
        Spikes = 8,
        Drops = 8,
        Outages = 8,
    };

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for out-of-range options.</summary>
    public void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(Meters, 1, nameof(Meters));
        if (Start.Kind != DateTimeKind.Utc)
        {
            throw new ArgumentOutOfRangeException(nameof(Start), Start, "start must be a UTC DateTime");
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(Duration, TimeSpan.FromHours(2), nameof(Duration));
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(MinInterval, TimeSpan.Zero, nameof(MinInterval));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxInterval, MinInterval, nameof(MaxInterval));
        if (!(BuildingShare >= 0 && BuildingShare <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(BuildingShare), BuildingShare, "building share must be in [0, 1]");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(Spikes, nameof(Spikes));
        ArgumentOutOfRangeException.ThrowIfNegative(Drops, nameof(Drops));
        ArgumentOutOfRangeException.ThrowIfNegative(Outages, nameof(Outages));
        ArgumentOutOfRangeException.ThrowIfLessThan(WarmupMargin, TimeSpan.Zero, nameof(WarmupMargin));
        ArgumentOutOfRangeException.ThrowIfLessThan(EventGap, TimeSpan.Zero, nameof(EventGap));
        if (WarmupMargin + TimeSpan.FromMinutes(55) > Duration)
        {
            throw new ArgumentOutOfRangeException(nameof(WarmupMargin), WarmupMargin, "the span after the warm-up margin is too short for the longest event (45 min) and its 10 min tail");
        }
    }

    /// <summary>The options as JSON (the recipe stored with a generated file): invariant, fixed key order.</summary>
    public string ToJson()
    {
        var fields = new (string Key, object Value)[]
        {
            ("preset", "smart-meters"),
            ("meters", Meters),
            ("start", Start.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)),
            ("duration", Duration.ToString("c", CultureInfo.InvariantCulture)),
            ("min_interval_s", MinInterval.TotalSeconds),
            ("max_interval_s", MaxInterval.TotalSeconds),
            ("building_share", BuildingShare),
            ("spikes", Spikes),
            ("drops", Drops),
            ("outages", Outages),
            ("warmup_margin", WarmupMargin.ToString("c", CultureInfo.InvariantCulture)),
            ("event_gap", EventGap.ToString("c", CultureInfo.InvariantCulture)),
        };
        return JsonSerializer.Serialize(fields.ToDictionary(f => f.Key, f => f.Value));
    }
}
