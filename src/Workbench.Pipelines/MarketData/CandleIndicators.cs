using Workbench.Operators.Indicators;
using Workbench.Operators.Windows;

namespace Workbench.Pipelines.MarketData;

/// <summary>
/// One closed candle of one (symbol, timeframe) with the indicators on its series of closes after it (null during
/// warm-up). The close series is <c>SYMnn/close/1m</c>; its observations are stamped at the candle's end.
/// </summary>
/// <param name="Symbol">The symbol (<c>SYM07</c>).</param>
/// <param name="Label">The timeframe's label (<c>1m</c>, <c>4h</c>, <c>1d</c>).</param>
/// <param name="Candle">The candle.</param>
/// <param name="Sma">Simple moving average of the closes.</param>
/// <param name="Ema">Exponential moving average of the closes.</param>
/// <param name="Rsi">Wilder's RSI of the closes.</param>
/// <param name="Macd">MACD of the closes.</param>
/// <param name="Band">Bollinger bands of the closes.</param>
public readonly record struct CandleIndicators(
    string Symbol, string Label, Candle Candle, double? Sma, double? Ema, double? Rsi, MacdValue? Macd, BollingerBand? Band)
{
    /// <summary>Indicator values present (0 … 5).</summary>
    public int Present => (Sma.HasValue ? 1 : 0) + (Ema.HasValue ? 1 : 0) + (Rsi.HasValue ? 1 : 0) + (Macd.HasValue ? 1 : 0) + (Band.HasValue ? 1 : 0);
}
