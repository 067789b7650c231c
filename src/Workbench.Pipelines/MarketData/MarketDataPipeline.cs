using System.Globalization;
using System.Reactive;
using System.Reactive.Linq;
using Plotly.NET;
using Workbench.Charts;
using Workbench.Core;
using Workbench.Operators.Alerting;
using Workbench.Operators.Detection;
using Workbench.Operators.Hygiene;
using Workbench.Operators.Indicators;
using Workbench.Operators.Rolling;
using Workbench.Operators.Windows;

namespace Workbench.Pipelines.MarketData;

/// <summary>
/// The market-data stream (issue 10, system 2): an exchange tick feed with duplicates and malformed records is validated
/// (<see cref="HygieneObservable.Validate{T}"/>: a missing price is read as NaN, non-positive prices are out of range;
/// both dropped and counted) and de-duplicated (<see cref="HygieneObservable.Deduplicate"/>), built into OHLCV candles at
/// 1 m, 5 m, 15 m, 1 h, 4 h and 1 d at once (<see cref="WindowObservable.ToCandles(IObservable{LabeledObservation}, CandleOptions, System.Reactive.Concurrency.IScheduler?, IObserver{HygieneReport}?, long)"/>),
/// and SMA, EMA, RSI, MACD and Bollinger bands are computed on the closes of every (symbol, timeframe). Four surveillance
/// rules alert per symbol: <c>jump</c> (a 1 m close outside the Bollinger band and ≥ <see cref="MarketDataOptions.MovePercent"/>
/// from its middle), <c>spike</c> (a 1 m high or low out there while the close is not), <c>volatility</c> (the
/// median 1 m log range of the last 10 candles ≥ 2.5× that of the last 120) and <c>stale</c> (no tick for 60 s while
/// the feed moves on). Candle alerts are stamped at the candle's end; all rules run on event time.
/// </summary>
public sealed class MarketDataPipeline : ReferencePipeline
{
    private readonly MarketDataOptions _options;

    /// <summary>The pipeline with <paramref name="options"/> (default: the full-size system, 20 symbols × 3 days).</summary>
    public MarketDataPipeline(MarketDataOptions? options = null)
    {
        _options = options ?? new MarketDataOptions();
        _options.Validate();
    }

    /// <summary>The pipeline on the reduced feed (3 symbols × 1 day), for the notebook and the snapshot test.</summary>
    public static MarketDataPipeline Reduced() => new(new MarketDataOptions { Data = MarketTicksOptions.Reduced });

    /// <summary>The options.</summary>
    public MarketDataOptions Options => _options;

    /// <inheritdoc/>
    public override string Name => "market-data";

    /// <inheritdoc/>
    public override string Title => "Market-data stream";

    /// <inheritdoc/>
    public override string Summary => "Exchange ticks validated and de-duplicated, candles at six timeframes with SMA/EMA/RSI/MACD/Bollinger, alerts on jumps, spikes, volatility bursts and stale feeds.";

    /// <inheritdoc/>
    public override string Preset => MarketTicksDataset.PresetName;

    /// <summary>Five minutes: a 1 m candle closes up to a minute after its ticks, and a gap that closes or a burst that ends shows a candle later.</summary>
    public override TimeSpan DetectionTolerance => TimeSpan.FromMinutes(5);

    /// <summary>The symbol: <c>SYM07/price</c> → <c>SYM07</c>.</summary>
    public override string ScopeOf(string series) => MarketTicksDataset.SymbolOf(series);

    /// <summary>The preset's data generator.</summary>
    public MarketTicksDataset Dataset => new(_options.Data);

    /// <inheritdoc/>
    public override IEnumerable<LabeledObservation> DefaultData() => Dataset.Generate(_options.Seed);

    /// <summary>A timeframe's label: 1m, 15m, 4h, 1d.</summary>
    public static string LabelOf(TimeSpan timeframe) =>
        timeframe.Ticks % TimeSpan.TicksPerDay == 0 ? string.Create(CultureInfo.InvariantCulture, $"{timeframe.Ticks / TimeSpan.TicksPerDay}d")
        : timeframe.Ticks % TimeSpan.TicksPerHour == 0 ? string.Create(CultureInfo.InvariantCulture, $"{timeframe.Ticks / TimeSpan.TicksPerHour}h")
        : timeframe.Ticks % TimeSpan.TicksPerMinute == 0 ? string.Create(CultureInfo.InvariantCulture, $"{timeframe.Ticks / TimeSpan.TicksPerMinute}m")
        : string.Create(CultureInfo.InvariantCulture, $"{timeframe.TotalSeconds:G6}s");

    /// <inheritdoc/>
    public override IObservable<PipelineAlert> Build(IObservable<LabeledObservation> observations, PipelineContext context)
    {
        ArgumentNullException.ThrowIfNull(observations);
        ArgumentNullException.ThrowIfNull(context);
        var o = _options;
        return Observable.Defer(() =>
        {
            var run = new RunState(o);
            var validation = new ValidationOptions(InvalidValuePolicy.Drop, new ValueRange(double.Epsilon, double.PositiveInfinity), OutOfRangePolicy.Drop);
            var clean = observations
                .Validate(x => new RawObservation(x.Series, x.Timestamp, x.Value ?? double.NaN, x.Label), validation, run.Validate)
                .Deduplicate(new DeduplicateOptions(DuplicatePolicy.KeepFirst), run.Deduplicate);
            var alerts = clean.Publish(ticks => Observable.Merge(
                StaleFeedWatch.Watch(ticks, o.StaleAfter, ScopeOf, () => run.Count("stale")),
                ticks.ToCandles(new CandleOptions(o.Timeframes), null, run.Candles)
                    .Select(run.Label)
                    .Publish(candles => Indicators(candles, o))
                    .Do(c => run.Observe(c, context))
                    .Where(c => c.Candle.Timeframe == o.Timeframes[0])
                    .Publish(oneMinute => Observable.Merge(MoveAlerts(oneMinute, o, run), VolatilityAlerts(oneMinute, o, run)))));
            return alerts.Concat(Observable.Defer(() =>
            {
                run.Report(context);
                return Observable.Empty<PipelineAlert>();
            }));
        });
    }

    private static IObservable<CandleIndicators> Indicators(IObservable<(Candle Candle, string Symbol, string Label, LabeledObservation Close)> candles, MarketDataOptions o)
    {
        var closes = candles.Select(c => c.Close);
        return Observable.Zip(
            candles,
            closes.Sma(o.MovingAveragePeriod),
            closes.Ema(o.MovingAveragePeriod),
            closes.Rsi(o.RsiPeriod),
            closes.Macd(o.Macd),
            closes.Bollinger(o.Bollinger),
            (c, sma, ema, rsi, macd, band) => new CandleIndicators(c.Symbol, c.Label, c.Candle, sma.Stat, ema.Stat, rsi.Stat, macd.Stat, band.Stat));
    }

    private IObservable<PipelineAlert> MoveAlerts(IObservable<CandleIndicators> oneMinute, MarketDataOptions o, RunState run)
    {
        var options = new AlertOptions(o.MovePercent, Critical: o.CriticalMovePercent, Cooldown: o.Cooldown);
        IObservable<PipelineAlert> Rule(string kind, Func<CandleIndicators, double?> score, string what) =>
            oneMinute.Select(c => new ScoredObservation(new LabeledObservation(c.Symbol, c.Candle.End, c.Candle.Close, AnomalyLabel.Normal), score(c)))
                .Alert(options)
                .Where(a => a.State is AlertState.Raised)
                .Select(a =>
                {
                    run.Count(kind);
                    return new PipelineAlert(a.Series, a.Timestamp, kind, a.Level, a.PeakScore,
                        string.Create(CultureInfo.InvariantCulture, $"1m {what} {a.PeakScore:F2} % from the Bollinger middle, outside ±{o.Bollinger.K:G3} σ"));
                });

        return Observable.Merge(
            Rule("jump", c => JumpScore(c), "close"),
            Rule("spike", c => SpikeScore(c, o.MovePercent), "high/low"));
    }

    /// <summary>Percent distance of the close from the band's middle when the close is outside the band (else 0; null before the band).</summary>
    internal static double? JumpScore(CandleIndicators c) =>
        c.Band is not { } b || c.Candle.Close is not { } close ? null
        : close > b.Upper || close < b.Lower ? Math.Abs((close / b.Middle) - 1) * 100 : 0;

    /// <summary>
    /// Percent distance of the high or low (the farther) from the middle when it is outside the band, unless the close
    /// itself is a jump (the move is then the jump rule's; score 0).
    /// </summary>
    internal static double? SpikeScore(CandleIndicators c, double movePercent)
    {
        if (c.Band is not { } b || c.Candle.High is not { } high || c.Candle.Low is not { } low)
        {
            return null;
        }

        if (JumpScore(c) >= movePercent)
        {
            return 0;
        }

        var up = high > b.Upper ? (high / b.Middle) - 1 : 0;
        var down = low < b.Lower ? 1 - (low / b.Middle) : 0;
        return Math.Max(up, down) * 100;
    }

    private static IObservable<PipelineAlert> VolatilityAlerts(IObservable<CandleIndicators> oneMinute, MarketDataOptions o, RunState run)
    {
        var ranges = oneMinute.Select(c => new LabeledObservation(c.Symbol, c.Candle.End,
            c.Candle.High is { } h && c.Candle.Low is { } l && l > 0 ? Math.Log(h / l) : null, AnomalyLabel.Normal));
        return ranges.Publish(r => Observable.Zip(r.RollingMedian(o.VolatilityShortWindow), r.RollingMedian(o.VolatilityLongWindow),
                (s, l) => new ScoredObservation(s.Observation, s.Value is { } a && l.Value is { } b && b > 0 ? a / b : null)))
            .Alert(new AlertOptions(o.VolatilityRatio, Critical: 2 * o.VolatilityRatio, MinCount: o.VolatilityMinCandles, Cooldown: o.Cooldown))
            .Where(a => a.State is AlertState.Raised)
            .Select(a =>
            {
                run.Count("volatility");
                return new PipelineAlert(a.Series, a.Timestamp, "volatility", a.Level, a.PeakScore,
                    string.Create(CultureInfo.InvariantCulture, $"volatility burst: median 1m range of the last {o.VolatilityShortWindow} candles {a.PeakScore:F2}× that of the last {o.VolatilityLongWindow}"));
            });
    }

    /// <inheritdoc/>
    public override IReadOnlyList<GenericChart> Charts(PipelineRun run)
    {
        ArgumentNullException.ThrowIfNull(run);
        var symbol = _options.TraceSymbol;
        var close = run.Traces[$"{symbol} close 1m"];
        var lines = new List<TimelineLine> { Line($"{symbol} 1m close", close) };
        foreach (var (name, dashed) in new[] { ("bollinger upper", true), ("bollinger middle", false), ("bollinger lower", true) })
        {
            var points = run.Traces[$"{symbol} {name} 1m"];
            if (points.Count > 0)
            {
                lines.Add(Line(name, points, dashed));
            }
        }

        var markers = run.Alerts.Where(a => a.Scope == symbol).GroupBy(a => a.Kind, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new TimelineMarkers($"{g.Key} alert", [.. g.Select(a => a.Timestamp)], [.. g.Select(a => PriceAt(close, a.Timestamp))]))
            .ToArray();
        var spans = run.Evaluation.Outcomes.Where(e => e.Event.Scope == symbol).Select(e => (e.Event.Start, e.Event.End)).ToArray();
        var candles = run.Figures.Where(f => f.Name.StartsWith("candles.", StringComparison.Ordinal) && f.Name != "candles.late")
            .Select(f => (f.Name["candles.".Length..], f.Value)).ToArray();
        var drops = run.Figures.Where(f => f.Name is "ticks.duplicates" or "ticks.malformed.missing" or "ticks.malformed.non_positive" or "candles.late")
            .Select(f => (f.Name, f.Value)).ToArray();
        return
        [
            TimelineChart.Create($"{symbol}: 1m close, Bollinger({_options.Bollinger.Period}, {_options.Bollinger.K:G3}) and alerts (shaded: labelled events)", lines, markers, spans, "price"),
            TimelineChart.Create($"{symbol}: RSI({_options.RsiPeriod}) of 1m closes", [Line("RSI", run.Traces[$"{symbol} rsi 1m"])], null, spans, "RSI"),
            TimelineChart.Bars("candles built per timeframe", candles, "candles"),
            TimelineChart.Bars("ticks dropped by hygiene", drops, "ticks"),
        ];
    }

    private static TimelineLine Line(string name, IReadOnlyList<TracePoint> points, bool dashed = false) =>
        new(name, [.. points.Select(p => p.Timestamp)], [.. points.Select(p => p.Value)], dashed);

    private static double PriceAt(IReadOnlyList<TracePoint> close, DateTime t)
    {
        var value = double.NaN;
        foreach (var p in close)
        {
            if (p.Timestamp > t)
            {
                break;
            }

            value = p.Value;
        }

        return double.IsNaN(value) && close.Count > 0 ? close[0].Value : value;
    }

    /// <summary>The state of one run: hygiene reports, counts, series names (created per subscription).</summary>
    private sealed class RunState(MarketDataOptions options)
    {
        private readonly Dictionary<(string Series, TimeSpan Timeframe), (string Symbol, string Label, string Close)> _names = [];
        private readonly Dictionary<string, long> _alerts = new(StringComparer.Ordinal);
        private readonly long[] _candles = new long[options.Timeframes.Count];
        private readonly long[] _indicators = new long[options.Timeframes.Count];
        private HygieneReport? _validate;
        private HygieneReport? _deduplicate;
        private HygieneReport? _candleReport;

        public IObserver<HygieneReport> Validate => Observer.Create<HygieneReport>(r => _validate = r);

        public IObserver<HygieneReport> Deduplicate => Observer.Create<HygieneReport>(r => _deduplicate = r);

        public IObserver<HygieneReport> Candles => Observer.Create<HygieneReport>(r => _candleReport = r);

        public (Candle Candle, string Symbol, string Label, LabeledObservation Close) Label(Candle c)
        {
            if (!_names.TryGetValue((c.Series, c.Timeframe), out var n))
            {
                var symbol = MarketTicksDataset.SymbolOf(c.Series);
                var label = LabelOf(c.Timeframe);
                n = (symbol, label, $"{symbol}/close/{label}");
                _names.Add((c.Series, c.Timeframe), n);
            }

            return (c, n.Symbol, n.Label, new LabeledObservation(n.Close, c.End, c.Close, AnomalyLabel.Normal));
        }

        public void Count(string kind) => _alerts[kind] = _alerts.GetValueOrDefault(kind) + 1;

        public void Observe(CandleIndicators c, PipelineContext context)
        {
            var i = IndexOf(c.Candle.Timeframe);
            _candles[i]++;
            _indicators[i] += c.Present;
            if (i == 0 && c.Symbol == options.TraceSymbol)
            {
                var t = c.Candle.End;
                context.Traces.Add($"{c.Symbol} close 1m", t, c.Candle.Close ?? double.NaN);
                if (c.Band is { } b)
                {
                    context.Traces.Add($"{c.Symbol} bollinger upper 1m", t, b.Upper);
                    context.Traces.Add($"{c.Symbol} bollinger middle 1m", t, b.Middle);
                    context.Traces.Add($"{c.Symbol} bollinger lower 1m", t, b.Lower);
                }

                if (c.Rsi is { } rsi)
                {
                    context.Traces.Add($"{c.Symbol} rsi 1m", t, rsi);
                }
            }
        }

        public void Report(PipelineContext context)
        {
            var f = context.Figures;
            var v = _validate?.Total ?? default;
            var d = _deduplicate?.Total ?? default;
            f.Set("ticks.in", v.Seen, "count");
            f.Set("ticks.malformed", v.Dropped, "count");
            f.Set("ticks.malformed.missing", v.NonFinite, "count");
            f.Set("ticks.malformed.non_positive", v.OutOfRange, "count");
            f.Set("ticks.duplicates", d.Duplicates, "count");
            f.Set("ticks.clean", d.Emitted, "count");
            f.Set("symbols", _deduplicate?.Series.Count ?? 0, "count");
            for (var i = 0; i < _candles.Length; i++)
            {
                f.Set($"candles.{LabelOf(options.Timeframes[i])}", _candles[i], "count");
            }

            f.Set("candles.late", _candleReport?.Total.Late ?? 0, "count");
            for (var i = 0; i < _indicators.Length; i++)
            {
                f.Set($"indicators.{LabelOf(options.Timeframes[i])}", _indicators[i], "count");
            }

            foreach (var kind in new[] { "jump", "spike", "volatility", "stale" })
            {
                f.Set($"alerts.{kind}", _alerts.GetValueOrDefault(kind), "count");
            }
        }

        private int IndexOf(TimeSpan timeframe)
        {
            for (var i = 0; i < options.Timeframes.Count; i++)
            {
                if (options.Timeframes[i] == timeframe)
                {
                    return i;
                }
            }

            throw new InvalidOperationException($"candle of an unknown timeframe {timeframe}");
        }
    }
}
