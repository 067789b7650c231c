using System.Globalization;
using System.Reactive.Linq;
using Workbench.Core;
using Workbench.Data;
using Workbench.Evaluation.Online;
using Workbench.Generation;
using Workbench.Onnx;
using Workbench.Operators.Detection;
using Workbench.Operators.Forecasting;
using Workbench.Operators.Specs;
using Workbench.Testing;

namespace Workbench.Tests.Notebooks;

/// <summary>
/// The core pipeline of each notebook in <c>notebooks/</c>, recorded in virtual time with the snapshot API and verified
/// against a committed transcript (<c>__snapshots__/NotebookPipelineSnapshotTests.*.snap</c>; notebook 06's own snapshot
/// is <c>notebooks/snapshots/06-zscore-mad.snap</c>, which the notebook verifies too). Each test builds the same data
/// and operators as the notebook's cells; when a notebook's pipeline changes, change the test with it.
/// </summary>
public sealed class NotebookPipelineSnapshotTests
{
    [Fact]
    public void Notebook01_ReplayHourlyBuffer_MatchesSnapshot()
    {
        var generator = new DatasetGenerator(Presets.Get(Presets.DefaultSmall) with { Sources = 3, Points = 1440 });
        var formatters = TranscriptFormatters.Default.With<int>((count, _) =>
            new TranscriptEvent("window", string.Create(CultureInfo.InvariantCulture, $"count={count}"), TranscriptMarks.Normal, Notable: true));
        var transcript = PipelineRecording.Record(
            generator.GenerateObservations(),
            (replay, scheduler) => replay.Publish(shared => Observable.Merge(
                shared.Tag("replay"),
                shared.Buffer(TimeSpan.FromHours(1), scheduler).Select(window => window.Count).Tag("hourly"))),
            new RecordingOptions { Name = "notebook 01: one-hour buffer over a virtual-time replay", Header = TranscriptHeader.ForGenerated(generator), Formatters = formatters });

        Assert.Equal(RecordingEnd.Completed, transcript.End);
        Assert.Equal(24, transcript.Events.Count(e => e.Event.Key == "hourly:window"));
        Assert.Equal(12_960, transcript.Events.Count(e => e.Event.Key.StartsWith("replay:", StringComparison.Ordinal)));
        TranscriptSnapshot.Match(transcript);
    }

    [Fact]
    public void Notebook02_GeneratedDataset_MatchesSnapshot()
    {
        var generator = new DatasetGenerator(ExampleDatasets.Latency(sources: 4, points: 2400, eventsPerSource: 6, seed: 33));
        var transcript = PipelineRecording.Record(
            generator.GenerateObservations(),
            replay => replay,
            new RecordingOptions { Name = "notebook 02: the generated dataset", Header = TranscriptHeader.ForGenerated(generator) });

        Assert.Equal(5, generator.Events.Select(e => e.Kind).Distinct().Count());
        TranscriptSnapshot.Match(transcript);
    }

    [Fact]
    public void Notebook03_RollingForecasts_MatchesSnapshot()
    {
        var spec = Presets.Get(Presets.DefaultSmall) with { Sources = 4, Points = 4 * 1440, Metrics = [Presets.Get(Presets.DefaultSmall).Metrics[0]] };
        var generator = new DatasetGenerator(spec);
        var compareFrom = spec.Start.AddDays(2);
        var name = generator.Events.First(e => generator.TimestampAt(e.Start - 180) >= compareFrom).Series;
        var series = generator.GenerateObservations().Where(o => o.Series == name).ToArray();
        var model = WorkbenchPaths.RepositoryFile(OnnxForecaster.DefaultModel);
        var catalog = OperatorCatalog.BuiltIn.With(OnnxForecaster.Descriptor);
        IForecaster[] forecasters =
        [
            catalog.ParseForecaster("holt-winters(period=1440)"),
            catalog.ParseForecaster("ar(p=24,window=720,every=60)"),
            catalog.ParseForecaster($"onnx(model={model})"),
        ];
        var transcript = PipelineRecording.Record(
            series,
            replay => replay.Publish(shared => Observable.Merge(forecasters.Select(f => shared.Forecast(f).Tag(f.Name)))),
            new RecordingOptions
            {
                Name = "notebook 03: rolling one-step forecasts",
                Header = [.. TranscriptHeader.ForGenerated(generator), $"series {name}", .. forecasters.Select(f => $"forecaster {f.Spec}")],
                Scrubbers = [Scrubbers.Path(NotebookPaths.RepoRoot, "{Repository}"), .. Scrubbers.Default],
            });

        Assert.Equal(RecordingEnd.Completed, transcript.End);
        Assert.Contains("onnx(model={Repository}/models/lstm-latency/model.onnx", transcript.Text, StringComparison.Ordinal);
        TranscriptSnapshot.Match(transcript);
    }

    [Fact]
    public void Notebook04_DetectorsSideBySide_MatchesSnapshot()
    {
        var generator = new DatasetGenerator(ExampleDatasets.Latency());
        var detectors = new[] { "zscore(window=36)", "mad(window=36)", "cusum", "seasonal-profile(cycle=day,slot=10,history=5)", "windowed-gaussian" }
            .Select(OperatorCatalog.BuiltIn.ParseDetector).ToArray();
        var transcript = PipelineRecording.Record(
            generator.GenerateObservations(),
            replay => replay.Publish(shared => Observable.Merge(detectors.Select(d => shared.DetectAndFlag(d).Tag(d.Name)))),
            new RecordingOptions
            {
                Name = "notebook 04: detectors side by side",
                Header = [.. TranscriptHeader.ForGenerated(generator), .. detectors.Select(d => $"detector {d.Spec}")],
            });

        Assert.Equal(5 * 2400, transcript.Events.Count(e => e.Event.Key.Contains(':', StringComparison.Ordinal)));
        TranscriptSnapshot.Match(transcript);
    }

    [Fact]
    public void Notebook05_OnlineEvaluation_MatchesSnapshot()
    {
        var generator = new DatasetGenerator(ExampleDatasets.Latency(sources: 8, seed: 5));
        var data = LabeledSeriesSet.FromObservations("latency-8x2400", generator.GenerateObservations());
        var detector = OperatorCatalog.BuiltIn.ParseDetector("zscore(window=36)");
        var formatters = TranscriptFormatters.Default.With<EvaluationSnapshot>((s, f) => new TranscriptEvent(
            "online-evaluation",
            string.Create(CultureInfo.InvariantCulture,
                $"n={s.Observations} tp={s.TruePositives} fp={s.FalsePositives} fn={s.FalseNegatives} f1={f.Number(s.PointF1)} events={s.DetectedClosedEvents}/{s.ClosedEvents} open={s.DetectedOpenEvents}/{s.OpenEvents} range-f1={f.Number(s.RangeScoresFinal.F1)}{(s.IsFinal ? " FINAL" : string.Empty)}"),
            TranscriptMarks.Normal,
            Notable: s.EventClosed || s.IsFinal));
        var transcript = PipelineRecording.Record(
            data.Series[0].Observations(),
            replay => replay.DetectAndFlag(detector).EvaluateOnline(new OnlineEvaluationOptions { EmitEvery = 24 }),
            new RecordingOptions
            {
                Name = "notebook 05: online evaluation of zscore",
                Header = [.. TranscriptHeader.ForGenerated(generator), $"series {data.Series[0].Name}", $"detector {detector.Spec}"],
                Formatters = formatters,
                Detail = TranscriptDetail.Full,
            });

        Assert.Equal(101, transcript.Events.Count(e => e.Event.Key == "online-evaluation"));
        TranscriptSnapshot.Match(transcript);
    }

    [Fact]
    public void Notebook06_ZScoreAndMad_MatchesNotebookSnapshot()
    {
        var generator = new DatasetGenerator(ExampleDatasets.Latency());
        var observations = generator.GenerateObservations().ToArray();
        var detectors = new[] { "zscore(window=36)", "mad(window=36)" }.Select(OperatorCatalog.BuiltIn.ParseDetector).ToArray();
        var transcript = PipelineRecording.Record(
            observations,
            replay => replay.Publish(shared => Observable.Merge(detectors.Select(d => shared.DetectAndFlag(d).Tag(d.Name)))),
            new RecordingOptions
            {
                Name = "notebook 06: zscore and mad",
                Header = [.. TranscriptHeader.ForGenerated(generator), .. detectors.Select(d => $"detector {d.Spec}")],
            });

        var result = SnapshotFile.Verify(Path.Combine(NotebookPaths.RepoRoot, "notebooks", "snapshots", "06-zscore-mad.snap"), transcript);
        Assert.True(result.Matches, result.Message);
    }
}
