using System.Reactive.Concurrency;
using Workbench.Core;
using Workbench.Data;
using Workbench.Generation;
using Workbench.Pipelines;
using Workbench.Pipelines.DataFactory;

namespace Workbench.Tests.Pipelines;

/// <summary>The labelled-data factory: generate → Parquet → replay → detector suite → alerts → evaluation.</summary>
public sealed class DataFactoryPipelineTests
{
    private static readonly DatasetSpec Tiny = Presets.Get(Presets.OpsMetrics) with { Sources = 10 };

    [Fact]
    public void DefaultData_IsTheGeneratedPresetReadBackFromParquet_AndTheFileIsKeptWhenAsked()
    {
        var path = Path.Combine(Path.GetTempPath(), $"wb-factory-{Guid.NewGuid():N}.parquet");
        try
        {
            var fromFile = new DataFactoryPipeline(Tiny) { ParquetPath = path }.DefaultData().ToArray();
            var generated = new DatasetGenerator(Tiny).GenerateObservations().ToArray();
            Assert.Equal(generated.Length, fromFile.Length);
            Assert.Equal(generated, fromFile);
            using var reader = LabeledDatasetReader.Open(path);
            Assert.Equal(10 * 3 * 1440, reader.ReadObservations().Count());

            // Without a path the temporary file is removed once the rows are read.
            var before = Directory.GetFiles(Path.GetTempPath(), "workbench-data-factory-*.parquet").Length;
            _ = new DataFactoryPipeline(Tiny).DefaultData().Count();
            Assert.Equal(before, Directory.GetFiles(Path.GetTempPath(), "workbench-data-factory-*.parquet").Length);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Reduced_CatchesEveryKind_WithFarFewerFalseAlarmsThanAlerts()
    {
        var run = PipelineRunner.Run(DataFactoryPipeline.Reduced());
        var e = run.Evaluation;
        Assert.Equal(20 * 3 * 1440, run.Observations);
        Assert.Equal(["drift", "level_shift", "missing", "seasonal", "spike"], e.ByKind.Select(k => k.Kind));
        Assert.True(e.Recall >= 0.8, $"recall {e.Recall:F3}");
        Assert.True(e.FalseAlarms <= 40, $"false alarms {e.FalseAlarms}");
        Assert.Equal(run.Alerts.Count, run.Figures.Where(f => f.Name.StartsWith("alerts.", StringComparison.Ordinal)).Sum(f => f.Value));
        Assert.Equal(run.Observations, run.Figures.Single(f => f.Name == "rows.replayed").Value);
    }

    [Fact]
    public void ScaledReplay_GivesTheSameAlertsAsVirtualTime()
    {
        var pipeline = new DataFactoryPipeline(Tiny);
        var data = pipeline.DefaultData().ToArray();
        var replayed = PipelineRunner.Run(pipeline, data);
        var scaled = PipelineRunner.Run(pipeline, data,
            new PipelineRunOptions { Speed = 1e6, WallClock = new HistoricalScheduler(new DateTimeOffset(data[0].Timestamp)) });
        var live = PipelineRunner.Run(pipeline, data, new PipelineRunOptions { Speed = 1e7 }); // one day of data in ~9 ms
        Assert.NotEmpty(replayed.Alerts);
        Assert.Equal(replayed.Alerts, scaled.Alerts);
        Assert.Equal(replayed.Alerts, live.Alerts);
    }

    [Fact]
    public void ABadDetectorSpec_FailsAtConstruction_NamingIt()
    {
        var e = Assert.ThrowsAny<Exception>(() => new DataFactoryPipeline(Tiny, [("spike", "zscore(window=0)")]));
        Assert.Contains("window", e.Message, StringComparison.Ordinal);
    }
}
