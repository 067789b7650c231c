using System.Reactive.Linq;
using Workbench.Core;
using Workbench.Generation;
using Workbench.Operators.Detection;
using Workbench.Operators.Specs;
using Workbench.Testing;

namespace Workbench.Tests.Testing;

/// <summary>
/// The fixed generated series every detector-family snapshot runs on: one latency series of 2,400 ten-minute points
/// (16.7 days, daily seasonality of 144 points), seed 33, with six injected events covering every kind (seasonal,
/// two spikes, missing, drift, level shift).
/// </summary>
internal static class TranscriptFixture
{
    public static DatasetSpec Spec { get; } = CreateSpec();

    public static DatasetGenerator Generator { get; } = new(Spec);

    public static IReadOnlyList<LabeledObservation> Observations { get; } = Generator.GenerateObservations().ToArray();

    /// <summary>The snapshot folder beside this file (the committed <c>.snap</c> files).</summary>
    public static string SnapshotFolder([System.Runtime.CompilerServices.CallerFilePath] string file = "") =>
        Path.Combine(Path.GetDirectoryName(file)!, "__snapshots__");

    /// <summary>Parses detector specs through the catalog, as the CLI does.</summary>
    public static IDetector[] Detectors(params string[] specs) => specs.Select(OperatorCatalog.BuiltIn.ParseDetector).ToArray();

    /// <summary>Options naming the pipeline, with the dataset's description and each detector's full spec in the header.</summary>
    public static RecordingOptions Options(string name, params IDetector[] detectors) => new()
    {
        Name = name,
        Header = [.. TranscriptHeader.ForGenerated(Generator), .. detectors.Select(d => $"detector {d.Name}: {d.Spec} (threshold {d.Threshold.ToString(System.Globalization.CultureInfo.InvariantCulture)})")],
    };

    /// <summary>Each detector scores and flags (at its own threshold) the shared replay, tagged with its name.</summary>
    public static IObservable<TaggedEvent> DetectEach(IObservable<LabeledObservation> replay, IReadOnlyList<IDetector> detectors) =>
        replay.Publish(shared => Observable.Merge(detectors.Select(d => shared.DetectAndFlag(d).Tag(d.Name)).ToArray()));

    /// <summary>Records one detector family on the fixture series.</summary>
    public static PipelineTranscript RecordFamily(string name, params string[] specs)
    {
        var detectors = Detectors(specs);
        return PipelineRecording.Record(Observations, replay => DetectEach(replay, detectors), Options(name, detectors));
    }

    private static DatasetSpec CreateSpec()
    {
        var preset = Presets.Get(Presets.DefaultSmall);
        var latency = preset.Metrics[0] with { Seasonalities = [new SeasonalComponent(144, 20, -2 * Math.PI / 3)] };
        return preset with
        {
            Seed = 33,
            Sources = 1,
            Points = 2400,
            Frequency = TimeSpan.FromMinutes(10),
            Metrics = [latency],
            Anomalies = preset.Anomalies with { SourceRatio = 1, EventsPerSource = new(6, 6), MinGap = 60, EdgeMargin = 300 },
        };
    }
}
