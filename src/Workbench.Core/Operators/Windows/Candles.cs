using Workbench.Core;

namespace Workbench.Operators.Windows;

/// <summary>
/// One OHLCV candle: the tumbling window of one series at one timeframe, as open (first present value by timestamp),
/// high, low, close (last present value by timestamp) and volume. Missing values are skipped and counted.
/// </summary>
/// <param name="Series">The series id.</param>
/// <param name="Timeframe">The candle length.</param>
/// <param name="Start">Candle start (inclusive, UTC); it ends at Start + Timeframe (exclusive).</param>
/// <param name="Open">First present value; null when the candle has none.</param>
/// <param name="High">Largest present value; null when none.</param>
/// <param name="Low">Smallest present value; null when none.</param>
/// <param name="Close">Last present value; null when none.</param>
/// <param name="Volume">The number of present values, or the sum of the volume selector over them.</param>
/// <param name="Count">Present values in the candle.</param>
/// <param name="Missing">Observations with a missing value in the candle.</param>
/// <param name="Revision">0 for the first emission; 1, 2, … for re-emissions after late events within the allowed lateness.</param>
public readonly record struct Candle(
    string Series, TimeSpan Timeframe, DateTime Start, double? Open, double? High, double? Low, double? Close, double Volume, long Count, long Missing, int Revision)
{
    /// <summary>Start + Timeframe.</summary>
    public DateTime End => Start + Timeframe;
}

/// <summary>
/// OHLCV candles at several timeframes at once. Every timeframe is a tumbling window with the rules of
/// <see cref="TumblingOptions"/> (alignment on <see cref="Origin"/>, closing by event time / clock / completion,
/// allowed lateness with re-emission, optional empty candles). Emission order for one event: the candles it closes,
/// timeframe by timeframe in the order given.
/// </summary>
/// <param name="Timeframes">Distinct candle lengths, each dividing a day or a whole number of days (at least one).</param>
public sealed record CandleOptions(IReadOnlyList<TimeSpan> Timeframes)
{
    /// <summary>Volume of one observation with a present value (must be finite); default null: each counts 1.</summary>
    public Func<LabeledObservation, double>? Volume { get; init; }

    /// <summary>Emit candles without observations (OHLC null, Volume 0); default false.</summary>
    public bool EmitEmpty { get; init; }

    /// <summary>How long after its end a candle still accepts late events and re-emits (≥ 0; default 0).</summary>
    public TimeSpan AllowedLateness { get; init; }

    /// <summary>The alignment origin (UTC; default the Unix epoch).</summary>
    public DateTime Origin { get; init; } = DateTime.UnixEpoch;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for bad timeframes, lateness or origin.</summary>
    public void Validate()
    {
        if (Timeframes is null || Timeframes.Count == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Timeframes), "give at least one timeframe");
        }

        foreach (var t in Timeframes)
        {
            TumblingOptions.ValidateSize(t, nameof(Timeframes));
        }

        if (Timeframes.Distinct().Count() != Timeframes.Count)
        {
            throw new ArgumentOutOfRangeException(nameof(Timeframes), "timeframes must be distinct");
        }

        TumblingOptions.ValidateLateness(AllowedLateness, nameof(AllowedLateness));
        if (Origin.Kind != DateTimeKind.Utc)
        {
            throw new ArgumentOutOfRangeException(nameof(Origin), Origin, "origin must be a UTC DateTime");
        }
    }

    internal static Candle ToCandle(TumblingSeries kernel, OpenWindow w)
    {
        var s = w.Accumulator.Stats();
        return new Candle(kernel.Series, kernel.Timeframe, new DateTime(w.Start, DateTimeKind.Utc), s.First, s.Max, s.Min, s.Last,
            w.Accumulator.Volume, s.Count, s.Missing, w.Revision);
    }
}
