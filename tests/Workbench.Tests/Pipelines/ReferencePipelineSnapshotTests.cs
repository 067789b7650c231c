using System.Globalization;
using Workbench.Pipelines;
using Workbench.Testing;

namespace Workbench.Tests.Pipelines;

/// <summary>
/// Each reference pipeline's virtual-time run on its reduced data, pinned by a snapshot
/// (<c>__snapshots__/ReferencePipelineSnapshotTests.VirtualTimeRun_MatchesSnapshot_&lt;name&gt;.snap</c>): the header is
/// the run's <see cref="PipelineRun.Describe"/> (span, evaluation per kind, figures), the events are its alerts with the
/// virtual clock at which each was raised. The reduced variants are the ones the notebooks run.
/// </summary>
public sealed class ReferencePipelineSnapshotTests
{
    /// <summary>The reduced variant of every catalogued pipeline (a new pipeline must be added here).</summary>
    public static readonly IReadOnlyDictionary<string, Func<ReferencePipeline>> Reduced = new Dictionary<string, Func<ReferencePipeline>>(StringComparer.Ordinal)
    {
        ["power-grid"] = Workbench.Pipelines.PowerGrid.PowerGridPipeline.Reduced,
        ["market-data"] = Workbench.Pipelines.MarketData.MarketDataPipeline.Reduced,
        ["smart-meters"] = Workbench.Pipelines.SmartMeters.SmartMetersPipeline.Reduced,
        ["plant-sensors"] = () => Workbench.Pipelines.PlantSensors.PlantSensorsPipeline.Reduced(),
        ["data-factory"] = Workbench.Pipelines.DataFactory.DataFactoryPipeline.Reduced,
    };

    public static TheoryData<string> Names() => [.. Reduced.Keys];

    [Fact]
    public void EveryCataloguedPipeline_HasAReducedVariantHere()
    {
        Assert.Equal(PipelineCatalog.All.Select(p => p.Name).Order(StringComparer.Ordinal), Reduced.Keys.Order(StringComparer.Ordinal));
        foreach (var (name, make) in Reduced)
        {
            Assert.Equal(name, make().Name);
        }
    }

    [Theory]
    [MemberData(nameof(Names))]
    public void VirtualTimeRun_MatchesSnapshot(string name)
    {
        var pipeline = Reduced[name]();
        var data = pipeline.DefaultData().ToArray();
        var run = PipelineRunner.Run(pipeline, data);
        var formatters = TranscriptFormatters.Default.With<PipelineAlert>((a, _) => new TranscriptEvent(
            a.Kind,
            string.Create(CultureInfo.InvariantCulture, $"{a.Timestamp:yyyy-MM-dd HH:mm:ss} {a.Scope} {a.Level.ToString().ToLowerInvariant()} score {a.Score:G4}"),
            TranscriptMarks.AlertRaised,
            Notable: true));
        var transcript = PipelineRecording.Record(
            data,
            (replay, scheduler) => pipeline.Build(replay, new PipelineContext(scheduler, isVirtualTime: true)),
            new RecordingOptions { Name = $"pipeline {name} (reduced)", Header = run.Describe(0), Formatters = formatters, MaxLinesPerKey = 200 });

        Assert.Equal(RecordingEnd.Completed, transcript.End);
        Assert.Equal(run.Alerts.Count, transcript.Events.Count(e => e.Event.Mark == TranscriptMarks.AlertRaised));
        TranscriptSnapshot.Match(transcript, name);
    }
}
