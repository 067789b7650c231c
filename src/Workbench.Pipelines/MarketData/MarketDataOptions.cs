using Workbench.Operators.Indicators;

namespace Workbench.Pipelines.MarketData;

/// <summary>
/// The market-data pipeline's parameters: its data, the candle timeframes, the indicators computed per timeframe and the
/// alert rules. Defaults are the full-size system; every rule works on event time.
/// </summary>
public sealed record MarketDataOptions
{
    /// <summary>The default data's shape (default: the full-size <c>market-ticks</c> feed).</summary>
    public MarketTicksOptions Data { get; init; } = new();

    /// <summary>The seed of the default data (default <see cref="MarketTicksDataset.DefaultSeed"/>).</summary>
    public long Seed { get; init; } = 20240304;

    /// <summary>The candle timeframes built at once (default 1 m, 5 m, 15 m, 1 h, 4 h, 1 d); the first is the alerting timeframe.</summary>
    public IReadOnlyList<TimeSpan> Timeframes { get; init; } =
        [TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15), TimeSpan.FromHours(1), TimeSpan.FromHours(4), TimeSpan.FromDays(1)];

    /// <summary>SMA and EMA period in candles (default 20).</summary>
    public int MovingAveragePeriod { get; init; } = 20;

    /// <summary>RSI period in candles (default 14).</summary>
    public int RsiPeriod { get; init; } = 14;

    /// <summary>MACD periods (default 12/26/9).</summary>
    public MacdOptions Macd { get; init; } = new();

    /// <summary>Bollinger bands on candle closes (default 20 candles, ±3 σ: the alert band).</summary>
    public BollingerOptions Bollinger { get; init; } = new(20, 3);

    /// <summary>
    /// Price-move rules (jump and spike): a 1 m close (jump) or high/low (spike) outside the Bollinger band and at least
    /// this far from its middle, in percent (default 1.5).
    /// </summary>
    public double MovePercent { get; init; } = 1.5;

    /// <summary>Moves at or above this are critical, in percent (default 4).</summary>
    public double CriticalMovePercent { get; init; } = 4;

    /// <summary>Volatility rule: short window of 1 m candles for the median log range (default 10).</summary>
    public int VolatilityShortWindow { get; init; } = 10;

    /// <summary>Volatility rule: baseline window of 1 m candles for the median log range (default 120).</summary>
    public int VolatilityLongWindow { get; init; } = 120;

    /// <summary>Volatility rule: alert when the short median range is at least this multiple of the baseline one (default 2.5).</summary>
    public double VolatilityRatio { get; init; } = 2.5;

    /// <summary>Volatility rule: consecutive 1 m candles at or above the ratio before alerting (default 3).</summary>
    public int VolatilityMinCandles { get; init; } = 3;

    /// <summary>Stale-feed rule: a symbol without a clean tick for this long while the feed moves on (default 60 s).</summary>
    public TimeSpan StaleAfter { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Event time after an alert resolves during which the same rule does not alert again for the symbol (default 15 min).</summary>
    public TimeSpan Cooldown { get; init; } = TimeSpan.FromMinutes(15);

    /// <summary>The symbol whose 1 m close, bands and RSI are traced for the charts (default <c>SYM00</c>).</summary>
    public string TraceSymbol { get; init; } = "SYM00";

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for out-of-range options.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Data);
        Data.Validate();
        if (Timeframes is null || Timeframes.Count == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Timeframes), "give at least one timeframe");
        }

        new SmaOptions(MovingAveragePeriod).Validate();
        new RsiOptions(RsiPeriod).Validate();
        ArgumentNullException.ThrowIfNull(Macd);
        Macd.Validate();
        ArgumentNullException.ThrowIfNull(Bollinger);
        Bollinger.Validate();
        if (!(MovePercent > 0) || !double.IsFinite(MovePercent) || !(CriticalMovePercent > MovePercent) || !double.IsFinite(CriticalMovePercent))
        {
            throw new ArgumentOutOfRangeException(nameof(MovePercent), MovePercent, "move percent must be finite, > 0 and below the critical move percent");
        }

        if (VolatilityShortWindow < 1 || VolatilityLongWindow <= VolatilityShortWindow)
        {
            throw new ArgumentOutOfRangeException(nameof(VolatilityLongWindow), VolatilityLongWindow, "volatility windows must be 1 <= short < long");
        }

        if (!(VolatilityRatio > 1) || !double.IsFinite(VolatilityRatio) || VolatilityMinCandles < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(VolatilityRatio), VolatilityRatio, "volatility ratio must be finite and > 1, min candles >= 1");
        }

        if (StaleAfter <= TimeSpan.Zero || Cooldown < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(StaleAfter), StaleAfter, "stale-after must be > 0 and cooldown >= 0");
        }

        ArgumentException.ThrowIfNullOrWhiteSpace(TraceSymbol);
    }
}
