using System.Reactive.Concurrency;
using System.Reactive.Linq;
using Workbench.Core;
using Workbench.Data;
using Workbench.Operators.Alerting;
using Workbench.Pipelines;
using Workbench.Pipelines.SmartMeters;

namespace Workbench.Tests.Pipelines;

/// <summary>The smart-meter telemetry pipeline and its <c>smart-meters</c> preset (on the reduced size).</summary>
public sealed class SmartMetersPipelineTests
{
    private static readonly Lazy<List<LabeledObservation>> ReducedData = new(() => SmartMetersPipeline.Reduced().DefaultData().ToList());

    private static readonly Lazy<PipelineRun> ReducedRun = new(() => PipelineRunner.Run(SmartMetersPipeline.Reduced(), ReducedData.Value));

    private static SmartMetersDatasetOptions Reduced => SmartMetersDatasetOptions.Reduced;

    private static double Figure(PipelineRun run, string name) =>
        (run.Figures.SingleOrDefault(f => f.Name == name) ?? throw new InvalidOperationException($"no figure {name}")).Value;

    private static IEnumerable<IGrouping<(string Series, int Id), LabeledObservation>> Events(IEnumerable<LabeledObservation> rows) =>
        rows.Where(o => o.Label.IsAnomaly).GroupBy(o => (o.Series, o.Label.EventId!.Value));

    [Fact]
    public void Catalog_RegistersThePipelineAndThePreset()
    {
        var pipeline = Assert.IsType<SmartMetersPipeline>(PipelineCatalog.Get("smart-meters"));
        Assert.Equal("smart-meters", pipeline.Preset);
        Assert.Equal((2_000, TimeSpan.FromDays(1)), (pipeline.Data.Meters, pipeline.Data.Duration));
        var preset = Assert.IsType<SmartMetersDataset>(PipelineCatalog.FindDataset("smart-meters"));
        Assert.Equal(SmartMetersDataset.Seed, preset.DefaultSeed);
        Assert.Contains("\"meters\":2000", preset.SpecJson, StringComparison.Ordinal);
    }

    [Fact]
    public void Preset_SameSeed_GivesIdenticalObservations_AnotherSeedDifferentOnes()
    {
        var dataset = new SmartMetersDataset(Reduced);
        var a = dataset.Generate(7).ToList();
        var b = dataset.Generate(7).ToList();
        var c = dataset.Generate(8).ToList();
        Assert.Equal(a, b);
        Assert.NotEqual(a.Select(o => (o.Timestamp, o.Value)), c.Select(o => (o.Timestamp, o.Value)));
        Assert.NotEqual(Events(a).Select(e => (e.Key, e.First().Timestamp)), Events(c).Select(e => (e.Key, e.First().Timestamp)));
    }

    [Fact]
    public async Task Preset_IsInCanonicalOrder_AndRoundTripsThroughAParquetFile()
    {
        var rows = ReducedData.Value;
        var firstSeen = rows.Select(o => o.Series).Distinct().Select((s, i) => (s, i)).ToDictionary(p => p.s, p => p.i);
        var pairs = rows.Zip(rows.Skip(1)).ToArray();
        Assert.All(pairs, p => Assert.True(p.First.Timestamp < p.Second.Timestamp
            || (p.First.Timestamp == p.Second.Timestamp && firstSeen[p.First.Series] < firstSeen[p.Second.Series])));
        Assert.Contains(pairs, p => p.First.Timestamp == p.Second.Timestamp); // ties occur, so the order among them is exercised

        var dataset = new SmartMetersDataset(Reduced);
        var path = Path.Combine(Path.GetTempPath(), $"smart-meters-{Guid.NewGuid():N}.parquet");
        try
        {
            await LabeledDatasetWriter.WriteAsync(path, rows, DatasetRecipe.Create("generate", dataset.SpecJson, SmartMetersDataset.Seed));
            using var reader = LabeledDatasetReader.Open(path);
            Assert.Equal(rows, reader.ReadObservations().ToList());
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Preset_Options_OutOfRange_Throw()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SmartMetersDataset(Reduced with { Meters = 0 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SmartMetersDataset(Reduced with { MaxInterval = TimeSpan.FromSeconds(5) }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new SmartMetersDataset(Reduced with { Start = new DateTime(2024, 1, 1) }));
        Assert.Throws<InvalidOperationException>(() => new SmartMetersDataset(Reduced with { Meters = 1, Spikes = 50 }).Generate(1).First());
    }

    [Fact]
    public void Preset_HasTheDocumentedShape()
    {
        var rows = ReducedData.Value;
        var start = Reduced.Start;
        var end = start + Reduced.Duration;
        Assert.True(rows.Count is > 30_000 and < 45_000, $"{rows.Count} readings");
        Assert.True(rows.Zip(rows.Skip(1)).All(p => p.First.Timestamp <= p.Second.Timestamp), "timestamp order");
        Assert.All(rows, o => Assert.True(o.Timestamp >= start && o.Timestamp < end && o.Timestamp.Kind == DateTimeKind.Utc));
        Assert.All(rows, o => Assert.True(o.Value is >= 0));
        var meters = rows.GroupBy(o => o.Series).ToDictionary(g => g.Key, g => g.ToList());
        Assert.Equal(Enumerable.Range(0, 50).Select(SmartMetersDataset.MeterName), meters.Keys.Order(StringComparer.Ordinal));

        // Irregular cadence: every interval within [10 s, 60 s], the meters' mean intervals spread over that range.
        var means = new List<double>();
        foreach (var (_, series) in meters)
        {
            Assert.True(series[0].Timestamp < start.AddSeconds(60));
            var gaps = series.Zip(series.Skip(1)).Select(p => (p.Second.Timestamp - p.First.Timestamp).TotalSeconds).ToArray();
            Assert.All(gaps, g => Assert.InRange(g, 10, 60));
            Assert.True(gaps.Distinct().Count() > 10, "jittered intervals");
            means.Add(gaps.Average());
        }

        Assert.True(means.Min() < 20 && means.Max() > 50, $"mean intervals {means.Min():F1}..{means.Max():F1} s");

        // Households (base ≤ 1.5 kW) and buildings (≥ 5 kW) both present.
        var medians = meters.Values.Select(s => s.Select(o => o.Value!.Value).Order().ElementAt(s.Count / 2)).ToArray();
        Assert.Contains(medians, m => m < 4);
        Assert.Contains(medians, m => m > 5);

        // Labelled events: 8 of each kind, contiguous rows of one meter, in the documented ranges and placement.
        var events = Events(rows).ToList();
        Assert.Equal(
            [("drop", 8), ("outage", 8), ("spike", 8)],
            events.GroupBy(e => e.First().Label.Kind!.Name).Select(g => (g.Key, g.Count())).OrderBy(k => k.Key, StringComparer.Ordinal));
        foreach (var e in events)
        {
            var kind = e.First().Label.Kind!.Name;
            var series = meters[e.Key.Series];
            var first = series.FindIndex(o => o.Label.EventId == e.Key.Id);
            var last = series.FindLastIndex(o => o.Label.EventId == e.Key.Id);
            Assert.Equal(last - first + 1, e.Count());
            var span = series[last].Timestamp - series[first].Timestamp;
            var (lo, hi) = kind switch { "spike" => (3, 12), "drop" => (10, 45), _ => (5, 45) };
            Assert.InRange(span.TotalMinutes, lo - 2.01, hi); // the first and last rows lie up to one interval (60 s) inside the span
            Assert.True(series[first].Timestamp >= start + Reduced.WarmupMargin && series[last].Timestamp < end - TimeSpan.FromMinutes(10));
            var before = series.Take(first).Where(o => o.Timestamp >= series[first].Timestamp.AddMinutes(-10)).Average(o => o.Value!.Value);
            var during = e.Average(o => o.Value!.Value);
            switch (kind)
            {
                case "spike":
                    Assert.True(during > 1.8 * before, $"spike {during:F3} vs {before:F3}");
                    break;
                case "drop":
                    Assert.True(during < 0.55 * before, $"drop {during:F3} vs {before:F3}");
                    Assert.All(e, o => Assert.True(o.Value >= 0.1, "a drop is not an outage"));
                    break;
                default:
                    Assert.All(e, o => Assert.InRange(o.Value!.Value, 0, 0.03));
                    break;
            }
        }

        foreach (var perMeter in events.GroupBy(e => e.Key.Series))
        {
            var spans = perMeter.Select(e => (Start: e.First().Timestamp, End: e.Last().Timestamp)).OrderBy(s => s.Start).ToArray();
            Assert.Equal(Enumerable.Range(1, spans.Length), perMeter.Select(e => e.Key.Id).Order());
            Assert.All(spans.Zip(spans.Skip(1)), p => Assert.True(p.Second.Start - p.First.End >= Reduced.EventGap));
        }
    }

    [Fact]
    public void Reduced_DetectsTheInjectedEvents_WithoutFalseAlarms()
    {
        // Measured on the reduced default data (seed 20240304): 24/24 events, 50 alerts, 0 false alarms, mean delay 40 s.
        var e = ReducedRun.Value.Evaluation;
        Assert.Equal(24, e.Events);
        Assert.True(e.Recall >= 0.95, $"recall {e.Recall}");
        Assert.All(e.ByKind, k => Assert.True(k.Recall >= 0.875, $"{k.Kind} recall {k.Recall}"));
        Assert.Equal(["drop", "outage", "spike"], e.ByKind.Select(k => k.Kind));
        Assert.True(e.FalseAlarms <= 1, $"{e.FalseAlarms} false alarms");
        Assert.True(e.MeanDelay < TimeSpan.FromMinutes(1.5), $"mean delay {e.MeanDelay}");

        // Each event is first caught by an alert of its own kind.
        Assert.All(e.Outcomes.Where(o => o.FirstAlert is not null), o => Assert.Equal(o.Event.Kind, o.FirstAlert!.Kind));
    }

    [Fact]
    public void Alerts_AreAtWindowEnds_PerMeter_WithSeverity()
    {
        var run = ReducedRun.Value;
        Assert.All(run.Alerts, a =>
        {
            Assert.Equal(0, a.Timestamp.Ticks % TimeSpan.TicksPerMinute);
            Assert.StartsWith("meter-", a.Scope, StringComparison.Ordinal);
            Assert.Contains(a.Kind, new[] { "spike", "drop", "outage" });
        });
        Assert.True(run.Alerts.Zip(run.Alerts.Skip(1)).All(p => p.First.Timestamp <= p.Second.Timestamp.AddMinutes(1)), "alerts in window order");
        foreach (var kind in new[] { "spike", "drop", "outage" })
        {
            var levels = run.Alerts.Where(a => a.Kind == kind).Select(a => a.Level).Distinct().ToArray();
            Assert.Contains(AlertLevel.Warning, levels);
            Assert.Contains(AlertLevel.Critical, levels);
        }

        // Severity follows the documented scores: spike critical ≥ 2, drop ≥ 1.4, outage after 5 windows.
        Assert.All(run.Alerts, a =>
        {
            var critical = a.Kind switch { "spike" => 2.0, "drop" => 1.4, _ => 5.0 };
            Assert.Equal(a.Score >= critical, a.Level is AlertLevel.Critical);
            Assert.True(a.Score >= 1);
        });
    }

    [Fact]
    public void ScaledReplay_GivesTheSameAlertsAsVirtualTime()
    {
        var pipeline = SmartMetersPipeline.Reduced();
        var virtualRun = ReducedRun.Value;
        var scaled = PipelineRunner.Run(pipeline, ReducedData.Value,
            new PipelineRunOptions { Speed = 1e6, WallClock = new HistoricalScheduler(new DateTimeOffset(Reduced.Start)) });

        Assert.StartsWith("scaled", scaled.Mode, StringComparison.Ordinal);
        Assert.NotEmpty(virtualRun.Alerts);
        Assert.Equal(virtualRun.Alerts, scaled.Alerts);
        Assert.Equal(virtualRun.Describe(int.MaxValue), scaled.Describe(int.MaxValue));
    }

    [Fact]
    public void Figures_CountReadingsWindowsAndAlerts_AsTheDataImplies()
    {
        var run = ReducedRun.Value;
        var rows = ReducedData.Value;
        static DateTime Floor(DateTime t, TimeSpan size) => new(t.Ticks - (t.Ticks % size.Ticks), DateTimeKind.Utc);
        var minutes = rows.GroupBy(o => (o.Series, Floor(o.Timestamp, TimeSpan.FromMinutes(1)))).ToArray();
        var quarters = rows.GroupBy(o => (o.Series, Floor(o.Timestamp, TimeSpan.FromMinutes(15)))).ToArray();

        Assert.Equal(rows.Count, Figure(run, "readings"));
        Assert.Equal(50, Figure(run, "meters"));
        Assert.Equal(minutes.Length, Figure(run, "windows.1m"));
        Assert.Equal(quarters.Length, Figure(run, "windows.15m"));
        Assert.Equal(0, Figure(run, "tumble.1m.late") + Figure(run, "tumble.1m.dropped") + Figure(run, "tumble.15m.late") + Figure(run, "tumble.15m.dropped"));
        Assert.Equal(minutes.Count(g => g.Average(o => o.Value!.Value) < 0.1), Figure(run, "baseline.held_outage_windows"));
        foreach (var kind in new[] { "spike", "drop", "outage" })
        {
            Assert.Equal(run.Alerts.Count(a => a.Kind == kind), Figure(run, $"alerts.{kind}"));
        }

        Assert.Equal(run.Alerts.Count(a => a.Message.Contains("escalated", StringComparison.Ordinal)), Figure(run, "alerts.escalated"));
        Assert.Equal(run.Alerts.Count(a => a.Level is AlertLevel.Critical), Figure(run, "alerts.critical"));
        Assert.InRange(Figure(run, "alerts.lag_after_window_end.max"), 1, 60);
        var energy = quarters.Sum(g => g.Average(o => o.Value!.Value) * 0.25);
        Assert.Equal(energy, Figure(run, "energy.fleet.total"), energy * 1e-9);
        Assert.Equal(24, run.Traces["fleet energy 15m"].Count);
    }

    [Fact]
    public void LateReadings_AreCountedByTheTumbleReport_NotSilentlyLost()
    {
        var t0 = new DateTime(2024, 3, 4, 12, 0, 0, DateTimeKind.Utc);
        LabeledObservation At(int seconds) => LabeledObservation.Normal("meter-0000", t0.AddSeconds(seconds), 1.0);
        var rows = new[] { At(0), At(70), At(30), At(130) };
        var context = new PipelineContext(new HistoricalScheduler(), isVirtualTime: true);

        var alerts = SmartMetersPipeline.Reduced().Build(rows.ToObservable(), context).ToList().Wait();

        Assert.Empty(alerts);
        Assert.Equal(4, context.Figures.Get("readings")!.Value);
        Assert.Equal((1, 1), (context.Figures.Get("tumble.1m.late")!.Value, context.Figures.Get("tumble.1m.dropped")!.Value));
        Assert.Equal(0, context.Figures.Get("tumble.15m.late")!.Value);
        Assert.Equal(3, context.Figures.Get("windows.1m")!.Value);
    }

    [Fact]
    public void Charts_ShowAMeterWithItsBaselineAndAlerts_TheAlertsPerKind_AndTheFleetEnergy()
    {
        var pipeline = SmartMetersPipeline.Reduced();
        var run = ReducedRun.Value;
        var charts = pipeline.Charts(run);
        Assert.Equal(4, charts.Count);
        var json = charts.Select(c => Plotly.NET.GenericChart.toJson(c)).ToArray();
        Assert.Contains("EMA baseline", json[0], StringComparison.Ordinal);
        Assert.Contains("alert", json[0], StringComparison.Ordinal);
        Assert.Contains("spike critical", json[1], StringComparison.Ordinal);
        Assert.Contains("fleet energy", json[2], StringComparison.Ordinal);
        Assert.Contains("recall", json[3], StringComparison.Ordinal);
        Assert.Equal(8, run.Traces.Names.Count(n => n.EndsWith(" 1m mean", StringComparison.Ordinal)));
    }
}
