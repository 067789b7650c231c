using System.Reactive.Concurrency;
using System.Reactive.Linq;
using Workbench.Core;
using Workbench.Data;
using Workbench.Operators.Indicators;
using Workbench.Operators.Rolling;
using Workbench.Operators.Windows;
using Workbench.Pipelines;
using Workbench.Pipelines.MarketData;

namespace Workbench.Tests.Pipelines;

/// <summary>The market-data pipeline and its <c>market-ticks</c> preset, on the reduced feed (3 symbols × 1 day).</summary>
public sealed class MarketDataPipelineTests
{
    private static readonly Lazy<List<LabeledObservation>> ReducedData = new(() => MarketDataPipeline.Reduced().DefaultData().ToList());

    private static readonly Lazy<PipelineRun> ReducedRun = new(() => PipelineRunner.Run(MarketDataPipeline.Reduced(), ReducedData.Value));

    private static readonly MarketDataOptions ReducedOptions = MarketDataPipeline.Reduced().Options;

    private static bool IsDuplicateOfPrevious(List<LabeledObservation> data, int i) => i > 0 && data[i] == data[i - 1];

    [Fact]
    public void Options_OutOfRange_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new MarketTicksDataset(new MarketTicksOptions { Symbols = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MarketTicksDataset(new MarketTicksOptions { DuplicateFraction = 0.5 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MarketTicksDataset(new MarketTicksOptions { SpikesPerDay = 13 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MarketTicksDataset(new MarketTicksOptions { Start = new DateTime(2024, 3, 4, 1, 0, 0, DateTimeKind.Utc) }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MarketDataPipeline(new MarketDataOptions { MovePercent = 5, CriticalMovePercent = 4 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MarketDataPipeline(new MarketDataOptions { VolatilityShortWindow = 120 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new MarketDataPipeline(new MarketDataOptions { Timeframes = [] }));
    }

    [Fact]
    public void Preset_SameSeed_IsIdentical_AnotherSeed_Differs()
    {
        var dataset = new MarketTicksDataset(MarketTicksOptions.Reduced with { Symbols = 2 });
        var a = dataset.Generate(7).ToList();
        var b = dataset.Generate(7).ToList();
        var c = dataset.Generate(8).ToList();

        Assert.Equal(a, b);
        Assert.NotEmpty(a);
        Assert.False(a.SequenceEqual(c));
        Assert.Equal(a, new MarketTicksDataset(MarketTicksOptions.Reduced with { Symbols = 2 }).Generate(7).ToList());
    }

    [Fact]
    public void Preset_HasTheDocumentedShape()
    {
        var data = ReducedData.Value;
        var start = new DateTime(2024, 3, 4, 0, 0, 0, DateTimeKind.Utc);

        Assert.Equal(["SYM00/price", "SYM01/price", "SYM02/price"], data.Select(o => o.Series).Distinct().Order(StringComparer.Ordinal));
        Assert.All(data, o => Assert.True(o.Timestamp >= start && o.Timestamp < start.AddDays(1) && o.Timestamp.Kind == DateTimeKind.Utc));
        for (var i = 1; i < data.Count; i++)
        {
            Assert.True(data[i].Timestamp >= data[i - 1].Timestamp, $"row {i} out of timestamp order");
        }

        // Per symbol: about 1.15 ticks/s (profile mean 1, bursts 12 × 3 min × 4 extra), strictly increasing except exact duplicates.
        foreach (var series in data.GroupBy(o => o.Series))
        {
            var rows = series.ToList();
            var distinct = rows.Where((o, i) => i == 0 || o != rows[i - 1]).ToList();
            Assert.InRange(distinct.Count, 86_400 * 0.95, 86_400 * 1.35);
            for (var i = 1; i < distinct.Count; i++)
            {
                Assert.True(distinct[i].Timestamp > distinct[i - 1].Timestamp, $"{series.Key}: two different ticks at {distinct[i].Timestamp:O}");
            }
        }

        // Hygiene faults: exact duplicates right after the original (≈ 0.5 %) and malformed prices (≈ 0.1 %), never on a labelled row.
        var duplicates = Enumerable.Range(0, data.Count).Count(i => IsDuplicateOfPrevious(data, i));
        var malformed = data.Where(o => o.Value is not > 0).ToList();
        Assert.InRange(duplicates / (double)data.Count, 0.004, 0.006);
        Assert.InRange(malformed.Count / (double)data.Count, 0.0006, 0.0014);
        Assert.All(malformed, o => Assert.False(o.Label.IsAnomaly));
        Assert.DoesNotContain(Enumerable.Range(0, data.Count), i => IsDuplicateOfPrevious(data, i) && data[i].Label.IsAnomaly);
        Assert.Contains(malformed, o => o.Value is null);
        Assert.Contains(malformed, o => o.Value == 0);
        Assert.Contains(malformed, o => o.Value < 0);
        Assert.All(data.Where(o => o.Value > 0), o => Assert.Equal(Math.Round(o.Value!.Value, 2), o.Value!.Value));

        // Labelled events per symbol-day: 2 spikes (1–5 ticks), 2 price gaps (15–45 min), 1 volatility burst (30–60 min), 1 stale feed.
        var events = data.Where(o => o.Label.IsAnomaly).GroupBy(o => (o.Series, o.Label.EventId))
            .Select(g => (g.Key.Series, Kind: g.First().Label.Kind!.Name, Rows: g.ToList())).ToList();
        foreach (var symbol in events.GroupBy(e => e.Series))
        {
            Assert.Equal(["level_shift", "level_shift", "missing", "spike", "spike", "volatility"], symbol.Select(e => e.Kind).Order(StringComparer.Ordinal));
            Assert.All(symbol, e => Assert.True(e.Rows[0].Timestamp >= start.AddHours(2), "anomalies start after the two-hour warm-up"));
        }

        Assert.All(events.Where(e => e.Kind == "spike"), e => Assert.InRange(e.Rows.Count, 1, 5));
        Assert.All(events.Where(e => e.Kind == "level_shift"), e => Assert.InRange((e.Rows[^1].Timestamp - e.Rows[0].Timestamp).TotalMinutes, 14, 45));
        Assert.All(events.Where(e => e.Kind == "volatility"), e => Assert.InRange((e.Rows[^1].Timestamp - e.Rows[0].Timestamp).TotalMinutes, 29, 60));
        foreach (var (series, _, rows) in events.Where(e => e.Kind == "missing"))
        {
            // A stale feed: exactly the tick before and the tick after a 3–10 minute silence of that symbol.
            Assert.Equal(2, rows.Count);
            Assert.InRange((rows[1].Timestamp - rows[0].Timestamp).TotalMinutes, 3, 10.5);
            Assert.DoesNotContain(data, o => o.Series == series && o.Timestamp > rows[0].Timestamp && o.Timestamp < rows[1].Timestamp);
        }

        // A spike moves its ticks 3–8 % away from the tick before it; a gap moves its first tick 3–6 %.
        foreach (var (series, kind, rows) in events.Where(e => e.Kind is "spike" or "level_shift"))
        {
            var before = data.Last(o => o.Series == series && o.Timestamp < rows[0].Timestamp && o.Value > 0);
            var move = Math.Abs((rows[0].Value!.Value / before.Value!.Value) - 1);
            Assert.InRange(move, kind == "spike" ? 0.025 : 0.025, kind == "spike" ? 0.085 : 0.065);
        }
    }

    [Fact]
    public async Task Preset_RoundTripsThroughADatasetFile_WithKeptDuplicates()
    {
        // Canonical file order (ties in first-appearance order), malformed values, the custom 'volatility' kind.
        var data = ReducedData.Value;
        var path = Path.Combine(Path.GetTempPath(), $"workbench-market-ticks-{Guid.NewGuid():N}.parquet");
        try
        {
            var dataset = new MarketTicksDataset(MarketTicksOptions.Reduced);
            await LabeledDatasetWriter.WriteAsync(path, data, DatasetRecipe.Create("generate", dataset.SpecJson, dataset.DefaultSeed),
                new DatasetWriterOptions { DuplicateTimestamps = DuplicateTimestampPolicy.Keep });
            using var reader = LabeledDatasetReader.Open(path);
            Assert.Equal(data, reader.ReadObservations().ToList());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Reduced_DetectsTheInjectedEvents_WithFewFalseAlarms()
    {
        // Measured on the reduced default data (seed 20240304): 18/18 events, 28 alerts, 0 false alarms, median delay 49 s.
        var run = ReducedRun.Value;
        var e = run.Evaluation;

        Assert.True(e.HasLabels);
        Assert.Equal(18, e.Events);
        Assert.True(e.Recall >= 0.9, $"recall {e.Recall:F3}");
        Assert.True(e.FalseAlarms <= 2, $"{e.FalseAlarms} false alarms");
        Assert.All(e.ByKind, k => Assert.True(k.Recall >= 2.0 / 3, $"{k.Kind}: recall {k.Recall:F3}"));
        Assert.Equal(["level_shift", "missing", "spike", "volatility"], e.ByKind.Select(k => k.Kind));
        Assert.True(e.MedianDelay <= TimeSpan.FromMinutes(2), $"median delay {e.MedianDelay}");
        Assert.All(e.Outcomes.Where(o => o.Event.Kind == "missing" && o.FirstAlert is not null), o => Assert.Equal("stale", o.FirstAlert!.Kind));
        Assert.All(e.Outcomes.Where(o => o.Event.Kind == "volatility" && o.FirstAlert is not null), o => Assert.Equal("volatility", o.FirstAlert!.Kind));
        Assert.All(run.Alerts, a => Assert.Contains(a.Scope, new[] { "SYM00", "SYM01", "SYM02" }));
        for (var i = 1; i < run.Alerts.Count; i++)
        {
            Assert.True(run.Alerts[i].Timestamp >= run.Alerts[i - 1].Timestamp.AddMinutes(-1), "alerts come in event-time order (candle alerts at the candle's end)");
        }
    }

    [Fact]
    public void ScaledReplay_GivesTheSameAlertsAsVirtualTime()
    {
        var data = ReducedData.Value;
        var virtualRun = ReducedRun.Value;
        var scaled = PipelineRunner.Run(MarketDataPipeline.Reduced(), data,
            new PipelineRunOptions { Speed = 1e6, WallClock = new HistoricalScheduler(new DateTimeOffset(data[0].Timestamp)) });

        Assert.StartsWith("scaled", scaled.Mode, StringComparison.Ordinal);
        Assert.NotEmpty(virtualRun.Alerts);
        Assert.Equal(virtualRun.Alerts, scaled.Alerts);
        Assert.Equal(virtualRun.Describe(int.MaxValue), scaled.Describe(int.MaxValue));
    }

    [Fact]
    public void Figures_CountEveryInjectedDuplicateAndMalformedRow()
    {
        var data = ReducedData.Value;
        var run = ReducedRun.Value;
        double F(string name) => Assert.Single(run.Figures, f => f.Name == name).Value;

        var duplicates = Enumerable.Range(0, data.Count).Count(i => IsDuplicateOfPrevious(data, i));
        var missing = data.Count(o => o.Value is null);
        var nonPositive = data.Count(o => o.Value <= 0);
        Assert.Equal(data.Count, F("ticks.in"));
        Assert.Equal(duplicates, F("ticks.duplicates"));
        Assert.Equal(missing, F("ticks.malformed.missing"));
        Assert.Equal(nonPositive, F("ticks.malformed.non_positive"));
        Assert.Equal(missing + nonPositive, F("ticks.malformed"));
        Assert.Equal(data.Count - duplicates - missing - nonPositive, F("ticks.clean"));
        Assert.Equal(3, F("symbols"));
        Assert.Equal(0, F("candles.late"));
        Assert.Equal(run.Alerts.Count, new[] { "jump", "spike", "volatility", "stale" }.Sum(k => F($"alerts.{k}")));
        Assert.All(new[] { "jump", "spike", "volatility", "stale" }, k => Assert.Equal(run.Alerts.Count(a => a.Kind == k), F($"alerts.{k}")));
    }

    [Fact]
    public void CandleAndIndicatorCounts_EqualTheBatchTwinsOnTheCleanTicks()
    {
        var data = ReducedData.Value;
        var run = ReducedRun.Value;
        var options = MarketDataPipeline.Reduced().Options;
        var clean = data.Where((o, i) => o.Value > 0 && !IsDuplicateOfPrevious(data, i)).ToList();
        var candles = WindowBatch.ToCandles(clean, new CandleOptions(options.Timeframes)).Windows;

        foreach (var tf in options.Timeframes)
        {
            var label = MarketDataPipeline.LabelOf(tf);
            var mine = candles.Where(c => c.Timeframe == tf).ToList();
            Assert.Equal(mine.Count, Assert.Single(run.Figures, f => f.Name == $"candles.{label}").Value);
            var closes = mine.Select(c => new LabeledObservation(c.Series, c.End, c.Close, AnomalyLabel.Normal)).ToList();
            var expected =
                RollingBatch.Compute(new SmaOptions(options.MovingAveragePeriod), closes).Count(r => r.Stat is not null)
                + RollingBatch.Compute(new EmaOptions(options.MovingAveragePeriod), closes).Count(r => r.Stat is not null)
                + RollingBatch.Compute(new RsiOptions(options.RsiPeriod), closes).Count(r => r.Stat is not null)
                + RollingBatch.Compute(options.Macd, closes).Count(r => r.Stat is not null)
                + RollingBatch.Compute(options.Bollinger, closes).Count(r => r.Stat is not null);
            Assert.Equal(expected, Assert.Single(run.Figures, f => f.Name == $"indicators.{label}").Value);
        }

        Assert.Equal(3, candles.Count(c => c.Timeframe == TimeSpan.FromDays(1)));
        Assert.Equal(["1m", "5m", "15m", "1h", "4h", "1d"], options.Timeframes.Select(MarketDataPipeline.LabelOf));

        // The traced 1 m closes of SYM00 are the batch candles' closes, stamped at the candle end.
        var sym00 = candles.Where(c => c.Series == "SYM00/price" && c.Timeframe == options.Timeframes[0]).Select(c => new TracePoint(c.End, c.Close!.Value));
        Assert.Equal(sym00, run.Traces["SYM00 close 1m"]);
    }

    [Fact]
    public void Rules_ScoreMovesOutsideTheBand()
    {
        var t = new DateTime(2024, 3, 4, 10, 0, 0, DateTimeKind.Utc);
        CandleIndicators C(double high, double low, double close, BollingerBand? band) =>
            new("SYM00", "1m", new Candle("SYM00/price", TimeSpan.FromMinutes(1), t, 100, high, low, close, 60, 60, 0, 0), null, null, null, null, band);
        var band = new BollingerBand(100, 101, 99, 1.0 / 3);

        Assert.Null(MarketDataPipeline.JumpScore(C(100.5, 99.5, 100, null)));
        Assert.Equal(0, MarketDataPipeline.JumpScore(C(100.5, 99.5, 100.5, band)));
        Assert.Equal(3, MarketDataPipeline.JumpScore(C(103, 99.5, 103, band))!.Value, 9);
        Assert.Equal(4, MarketDataPipeline.JumpScore(C(100, 96, 96, band))!.Value, 9);

        // A spike: the low went 5 % down, the close came back (inside the band, or outside but by less than the move threshold).
        Assert.Equal(5, MarketDataPipeline.SpikeScore(C(100.5, 95, 100.2, band), 1.5)!.Value, 9);
        Assert.Equal(5, MarketDataPipeline.SpikeScore(C(100.5, 95, 98.9, band), 1.5)!.Value, 9);
        Assert.Equal(0, MarketDataPipeline.SpikeScore(C(100.5, 95, 96, band), 1.5));
        Assert.Equal(0, MarketDataPipeline.SpikeScore(C(100.9, 99.1, 100, band), 1.5));
        Assert.Null(MarketDataPipeline.SpikeScore(C(100.5, 95, 100.2, null), 1.5));
    }

    [Fact]
    public void StaleFeedWatch_AlertsOncePerSilence_OnTheFeedsEventTime()
    {
        var t0 = new DateTime(2024, 3, 4, 10, 0, 0, DateTimeKind.Utc);
        var ticks = new List<LabeledObservation>();
        for (var s = 0; s < 300; s++)
        {
            ticks.Add(LabeledObservation.Normal("A/price", t0.AddSeconds(s), 100));
            if (s is < 100 or >= 250)
            {
                ticks.Add(LabeledObservation.Normal("B/price", t0.AddSeconds(s).AddMilliseconds(500), 50));
            }
        }

        var alerts = StaleFeedWatch.Watch(ticks.ToObservable(), TimeSpan.FromSeconds(60), MarketTicksDataset.SymbolOf).ToList().Wait();

        var alert = Assert.Single(alerts);
        Assert.Equal(("B", "stale", t0.AddSeconds(160)), (alert.Scope, alert.Kind, alert.Timestamp));
        Assert.Equal(60.5, alert.Score, 9);
    }

    [Fact]
    public void Charts_ArePriceWithBandsAndAlerts_Rsi_CandlesAndDrops()
    {
        var run = ReducedRun.Value;
        var charts = MarketDataPipeline.Reduced().Charts(run);

        Assert.Equal(4, charts.Count);
        Assert.True(run.Traces["SYM00 close 1m"].Count > 1000);
        Assert.Equal(run.Traces["SYM00 bollinger upper 1m"].Count, run.Traces["SYM00 close 1m"].Count - (ReducedOptions.Bollinger.Period - 1));
        Assert.NotEmpty(run.Traces["SYM00 rsi 1m"]);
        Assert.Empty(run.Traces.Dropped);
    }

    [Fact]
    public void Catalog_RegistersThePipelineAndThePreset()
    {
        Assert.IsType<MarketDataPipeline>(PipelineCatalog.Get("market-data"));
        Assert.IsType<MarketTicksDataset>(PipelineCatalog.FindDataset("market-ticks"));
        var full = new MarketDataPipeline();
        Assert.Equal((20, 3), (full.Options.Data.Symbols, full.Options.Data.Days));
        Assert.Equal("market-ticks", full.Preset);
        Assert.Equal("SYM07", full.ScopeOf("SYM07/price"));
    }
}
