namespace Workbench.Pipelines.MarketData;

/// <summary>
/// The shape of the <c>market-ticks</c> preset (<see cref="MarketTicksDataset"/>): a 24-hour venue's tick feed for
/// <see cref="Symbols"/> symbols over <see cref="Days"/> days. Defaults are the full-size feed (20 symbols × 3 days,
/// about 6 million ticks); <see cref="Reduced"/> is the 3 symbols × 1 day variant the notebook and snapshot use.
/// </summary>
public sealed record MarketTicksOptions
{
    /// <summary>Number of symbols, series <c>SYM00/price</c>, <c>SYM01/price</c>, … (1 … 100; default 20).</summary>
    public int Symbols { get; init; } = 20;

    /// <summary>Number of 24-hour days (≥ 1; default 3).</summary>
    public int Days { get; init; } = 3;

    /// <summary>Start of the first day (UTC midnight; default 2024-03-04).</summary>
    public DateTime Start { get; init; } = new(2024, 3, 4, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Mean tick rate per symbol outside bursts, ticks/s, before the intraday profile (0.5× at 03:00 to 1.5× at 15:00 UTC); default 1.</summary>
    public double BaseRate { get; init; } = 1.0;

    /// <summary>Arrival bursts per symbol and day (a Poisson rate jump; not anomalies; default 12).</summary>
    public int ArrivalBurstsPerDay { get; init; } = 12;

    /// <summary>Rate multiplier during an arrival burst (≥ 1; default 5). Bursts last 1–5 minutes.</summary>
    public double BurstRateFactor { get; init; } = 5;

    /// <summary>Daily volatility of the log price (geometric random walk in continuous time; default 0.02 = 2 %/day).</summary>
    public double DailyVolatility { get; init; } = 0.02;

    /// <summary>Fraction of clean, unlabelled ticks re-sent exactly (same series, timestamp, value, right after the original; default 0.005).</summary>
    public double DuplicateFraction { get; init; } = 0.005;

    /// <summary>Fraction of clean, unlabelled ticks whose price arrives malformed: missing, zero or negative, one third each (default 0.001).</summary>
    public double MalformedFraction { get; init; } = 0.001;

    /// <summary>Flash-crash / fat-finger spikes per symbol and day (kind <c>spike</c>; default 2).</summary>
    public int SpikesPerDay { get; init; } = 2;

    /// <summary>Temporary price gaps (jump, hold 15–45 min, jump back) per symbol and day (kind <c>level_shift</c>; default 2).</summary>
    public int LevelShiftsPerDay { get; init; } = 2;

    /// <summary>Volatility bursts (about 4× volatility for 30–60 min) per symbol and day (kind <c>volatility</c>; default 1).</summary>
    public int VolatilityBurstsPerDay { get; init; } = 1;

    /// <summary>Stale-feed outages (no tick for 3–10 min) per symbol and day (kind <c>missing</c>; default 1).</summary>
    public int StaleFeedsPerDay { get; init; } = 1;

    /// <summary>The reduced feed: 3 symbols × 1 day, same rates and anomalies per symbol-day.</summary>
    public static MarketTicksOptions Reduced { get; } = new() { Symbols = 3, Days = 1 };

    /// <summary>Anomalies per symbol and day.</summary>
    public int AnomaliesPerDay => SpikesPerDay + LevelShiftsPerDay + VolatilityBurstsPerDay + StaleFeedsPerDay;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for out-of-range options.</summary>
    public void Validate()
    {
        Check(Symbols is >= 1 and <= 100, nameof(Symbols), Symbols, "symbols must be in 1 … 100");
        Check(Days >= 1, nameof(Days), Days, "days must be >= 1");
        Check(Start.Kind == DateTimeKind.Utc && Start.TimeOfDay == TimeSpan.Zero, nameof(Start), Start, "start must be a UTC midnight");
        Check(double.IsFinite(BaseRate) && BaseRate is >= 0.05 and <= 1000, nameof(BaseRate), BaseRate, "base rate must be in [0.05, 1000] ticks/s");
        Check(ArrivalBurstsPerDay is >= 0 and <= 100, nameof(ArrivalBurstsPerDay), ArrivalBurstsPerDay, "arrival bursts must be in 0 … 100");
        Check(double.IsFinite(BurstRateFactor) && BurstRateFactor is >= 1 and <= 100, nameof(BurstRateFactor), BurstRateFactor, "burst rate factor must be in [1, 100]");
        Check(double.IsFinite(DailyVolatility) && DailyVolatility is > 0 and <= 0.5, nameof(DailyVolatility), DailyVolatility, "daily volatility must be in (0, 0.5]");
        Check(DuplicateFraction is >= 0 and <= 0.2, nameof(DuplicateFraction), DuplicateFraction, "duplicate fraction must be in [0, 0.2]");
        Check(MalformedFraction is >= 0 and <= 0.2, nameof(MalformedFraction), MalformedFraction, "malformed fraction must be in [0, 0.2]");
        Check(SpikesPerDay >= 0 && LevelShiftsPerDay >= 0 && VolatilityBurstsPerDay >= 0 && StaleFeedsPerDay >= 0, nameof(SpikesPerDay), AnomaliesPerDay, "anomaly counts must be >= 0");
        Check(AnomaliesPerDay <= 12, nameof(SpikesPerDay), AnomaliesPerDay, "at most 12 anomalies per symbol and day (each needs a 100-minute slot)");
    }

    private static void Check(bool ok, string name, object value, string message)
    {
        if (!ok)
        {
            throw new ArgumentOutOfRangeException(name, value, message);
        }
    }
}
