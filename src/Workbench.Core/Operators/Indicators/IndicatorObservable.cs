using Workbench.Core;
using Workbench.Operators.Rolling;

namespace Workbench.Operators.Indicators;

/// <summary>
/// The technical indicators on observation streams: one output per input observation carrying the observation and
/// the indicator (null during warm-up and for missing values). Thin wrappers over
/// <see cref="RollingObservable.Rolling{TStat}"/>; batch twin: <see cref="RollingBatch"/> with the same options.
/// </summary>
public static class IndicatorObservable
{
    /// <summary>Simple moving average over <paramref name="period"/> present values (<see cref="SmaOptions"/>).</summary>
    public static IObservable<RolledObservation<double>> Sma(this IObservable<LabeledObservation> source, int period = 20) =>
        source.Rolling(new SmaOptions(period));

    /// <summary>Exponential moving average, SMA-seeded (<see cref="EmaOptions"/>).</summary>
    public static IObservable<RolledObservation<double>> Ema(this IObservable<LabeledObservation> source, int period = 20) =>
        source.Rolling(new EmaOptions(period));

    /// <summary>Wilder's RSI in [0, 100] (<see cref="RsiOptions"/>).</summary>
    public static IObservable<RolledObservation<double>> Rsi(this IObservable<LabeledObservation> source, int period = 14) =>
        source.Rolling(new RsiOptions(period));

    /// <summary>MACD line, signal and histogram (<see cref="MacdOptions"/>; default 12/26/9).</summary>
    public static IObservable<RolledObservation<MacdValue>> Macd(this IObservable<LabeledObservation> source, MacdOptions? options = null) =>
        source.Rolling(options ?? new MacdOptions());

    /// <summary>Bollinger bands (<see cref="BollingerOptions"/>; default 20 periods, ±2 population σ).</summary>
    public static IObservable<RolledObservation<BollingerBand>> Bollinger(this IObservable<LabeledObservation> source, BollingerOptions? options = null) =>
        source.Rolling(options ?? new BollingerOptions());
}
