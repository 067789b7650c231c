using System.Reactive.Concurrency;
using System.Reactive.Linq;
using Workbench.Core;
using Workbench.Import;
using Workbench.Operators.Detection;
using Workbench.Pipelines;
using Workbench.Pipelines.PowerGrid;
using Workbench.Tests.Support;
using Xunit.Abstractions;

namespace Workbench.Tests.Pipelines;

/// <summary>The power-grid load monitor and its <c>hourly-load</c> preset.</summary>
public sealed class PowerGridPipelineTests(ITestOutputHelper output)
{
    private static readonly HourlyLoadDataset Small = new(Regions: 2, Days: 150);

    [Fact]
    public void HourlyLoad_IsDeterministicPerSeed_HourlyPerRegion_WithAnomaliesOnlyInTheMonitoredPeriod()
    {
        var a = Small.Generate(7).ToArray();
        Assert.Equal(a, Small.Generate(7).ToArray());
        Assert.NotEqual(a.Select(o => o.Value), Small.Generate(8).Select(o => o.Value));

        Assert.Equal(2 * 150 * 24, a.Length);
        Assert.Equal(["region-01", "region-02"], a.Select(o => o.Series).Distinct().Order(StringComparer.Ordinal));
        Assert.True(a.Zip(a.Skip(1)).All(p => p.First.Timestamp <= p.Second.Timestamp));
        Assert.All(a.Where(o => o.Series == "region-01").Zip(a.Where(o => o.Series == "region-01").Skip(1)),
            p => Assert.Equal(TimeSpan.FromHours(1), p.Second.Timestamp - p.First.Timestamp));

        var monitoredFrom = HourlyLoadDataset.Start.AddDays(Small.TrainingDays);
        Assert.Equal(120, Small.TrainingDays);
        Assert.All(a.Where(o => o.Label.IsAnomaly), o => Assert.True(o.Timestamp >= monitoredFrom));
        Assert.Equal(["drift", "level_shift", "spike"], a.Where(o => o.Label.IsAnomaly).Select(o => o.Label.Kind!.Name).Distinct().Order(StringComparer.Ordinal));

        // Labels mark exactly the injected hours.
        foreach (var region in new[] { 1, 2 })
        {
            var events = Small.Events(7, region);
            Assert.Equal(6, events.Count);
            var labelled = a.Where(o => o.Series == $"region-0{region}" && o.Label.IsAnomaly).ToArray();
            Assert.Equal(events.Sum(e => e.Length), labelled.Length);
        }
    }

    [Fact]
    public void HourlyLoad_HasDailyAndWeeklyShapes_AndHolidaysLookLikeWeekends()
    {
        var rows = new HourlyLoadDataset(Regions: 1, Days: 365).Generate(3).Where(o => !o.Label.IsAnomaly).ToArray();
        double Mean(Func<LabeledObservation, bool> where) => rows.Where(where).Average(o => o.Value!.Value);
        var weekday = Mean(o => o.Timestamp.DayOfWeek is DayOfWeek.Wednesday && !HourlyLoadDataset.IsHoliday(o.Timestamp.Date));
        var sunday = Mean(o => o.Timestamp.DayOfWeek is DayOfWeek.Sunday);
        Assert.True(sunday < 0.95 * weekday, $"sunday {sunday:F0} vs wednesday {weekday:F0}");

        var evening = Mean(o => o.Timestamp.Hour == 19 && o.Timestamp.DayOfWeek is DayOfWeek.Tuesday);
        var night = Mean(o => o.Timestamp.Hour == 3 && o.Timestamp.DayOfWeek is DayOfWeek.Tuesday);
        Assert.True(evening > 1.3 * night, $"19:00 {evening:F0} vs 03:00 {night:F0}");

        // 2024-12-25 is a Wednesday and a holiday: its load is below the Wednesdays around it.
        var christmas = Mean(o => o.Timestamp.Date == new DateTime(2024, 12, 25));
        var around = Mean(o => o.Timestamp.Date == new DateTime(2024, 12, 18) || o.Timestamp.Date == new DateTime(2024, 12, 11));
        Assert.True(christmas < 0.97 * around, $"christmas {christmas:F0} vs wednesdays {around:F0}");
        Assert.True(HourlyLoadDataset.IsHoliday(new DateTime(2024, 11, 28))); // fourth Thursday of November
        Assert.False(HourlyLoadDataset.IsHoliday(new DateTime(2024, 11, 21)));
    }

    [Fact]
    public void Reduced_DetectsTheInjectedEvents_WithFewFalseAlarms()
    {
        var run = PipelineRunner.Run(PowerGridPipeline.Reduced());
        foreach (var line in run.Describe(20))
        {
            output.WriteLine(line);
        }

        var e = run.Evaluation;
        Assert.Equal(12, e.Events);
        Assert.True(e.Recall >= 0.8, $"recall {e.Recall:F3}");
        Assert.True(e.FalseAlarms <= 30, $"false alarms {e.FalseAlarms}");
        Assert.Equal(2 * 150 * 24, run.Figures.Single(f => f.Name == "hours.replayed").Value);
        Assert.Equal(120, run.Figures.Single(f => f.Name == "benchmark.training_days").Value);
        Assert.Contains(run.Figures, f => f.Name == "forecast.mape.last24h" && f.Value is > 0 and < 10);
        // No forecast from the benchmark before it is trained: nothing is scored in the first 120 days.
        Assert.All(run.Alerts, a => Assert.True(a.Timestamp >= HourlyLoadDataset.Start.AddDays(120)));
        Assert.All(run.Traces["ratio"], p => Assert.True(p.Timestamp >= HourlyLoadDataset.Start.AddDays(120)));
    }

    [Fact]
    public void RatioScore_IsTheScalingRatioDetectorsScore_HourByHour()
    {
        var pipeline = PowerGridPipeline.Reduced();
        var data = pipeline.DefaultData().ToArray();
        var detector = pipeline.Detector();
        var expected = data.ToObservable().Detect(detector).ToEnumerable()
            .Where(s => s.Score >= pipeline.Options.Threshold).Select(s => (s.Observation.Series, s.Observation.Timestamp)).ToHashSet();
        var run = PipelineRunner.Run(pipeline, data);
        Assert.NotEmpty(run.Alerts);
        // Every alert is raised on an hour the detector flags, with the detector's score.
        Assert.All(run.Alerts, a => Assert.Contains((a.Scope, a.Timestamp), expected));
        var scores = data.ToObservable().Detect(detector).ToEnumerable()
            .Where(s => s.Observation.Series == "region-01" && s.Score is not null)
            .ToDictionary(s => s.Observation.Timestamp, s => s.Score!.Value);
        Assert.All(run.Traces["ratio"], p => Assert.Equal(scores[p.Timestamp], Math.Abs(p.Value - 1), 12));
    }

    [Fact]
    public void ScaledReplay_GivesTheSameAlertsAsVirtualTime()
    {
        var pipeline = PowerGridPipeline.Reduced();
        var data = pipeline.DefaultData().ToArray();
        var replayed = PipelineRunner.Run(pipeline, data);
        var onVirtualWallClock = PipelineRunner.Run(pipeline, data,
            new PipelineRunOptions { Speed = 1e6, WallClock = new HistoricalScheduler(new DateTimeOffset(data[0].Timestamp)) });
        // And on the real wall clock at 10^9 × (150 days of data take about 10 ms).
        var live = PipelineRunner.Run(pipeline, data, new PipelineRunOptions { Speed = 1e9 });
        Assert.NotEmpty(replayed.Alerts);
        Assert.Equal(replayed.Alerts, onVirtualWallClock.Alerts);
        Assert.Equal(replayed.Alerts, live.Alerts);
        Assert.Equal(replayed.Figures, live.Figures);
    }

    [SkippableFact]
    public void NycTaxi_FromNab_RunsWithTheBenchmarkTrainedOnTheFirst172Days()
    {
        var root = TestPaths.RequireNab();
        var corpus = NabCorpus.Load(root);
        var taxi = corpus.ToSeriesSet().Series.Single(s => s.Name == "realKnownCause/nyc_taxi");
        var data = Enumerable.Range(0, taxi.Count).Select(i => new LabeledObservation(taxi.Name, taxi.Timestamps[i], taxi.Values[i], taxi.Labels[i])).ToArray();
        var run = PipelineRunner.Run(PowerGridPipeline.ForNycTaxi(), data);
        foreach (var line in run.Describe(40))
        {
            output.WriteLine(line);
        }

        Assert.Equal(10_320, run.Observations);
        Assert.Equal(5, run.Evaluation.Events);
        var monitored = new DateTime(2014, 7, 1).AddDays(172);
        Assert.All(run.Alerts, a => Assert.True(a.Timestamp >= monitored));
        // The three windows in the monitored period (Christmas, New Year, the blizzard) are the ones it can catch.
        Assert.True(run.Evaluation.Detected >= 3, $"detected {run.Evaluation.Detected} of the 3 monitored windows");
    }
}
