using System.Globalization;
using System.Reactive.Linq;
using Workbench.Core;
using Workbench.Data;
using Workbench.Evaluation.Online;
using Workbench.Generation;
using Workbench.Notebooks;
using Workbench.Onnx;
using Workbench.Operators.Detection;
using Workbench.Operators.Forecasting;
using Workbench.Operators.Specs;
using Workbench.Pipelines.Examples;
using Workbench.Testing;

namespace Workbench.Tests.Notebooks;

/// <summary>
/// The core pipeline of each notebook in <c>notebooks/</c>, recorded in virtual time with the snapshot API and verified
/// against a committed transcript (<c>__snapshots__/NotebookPipelineSnapshotTests.*.snap</c>; notebook 06's own snapshot
/// is <c>notebooks/snapshots/06-zscore-mad.snap</c>, which the notebook verifies too). The data and the pipelines come from
/// <c>Workbench.Pipelines.Examples</c>, which the notebooks call too, so the test records what the notebook runs; only the
/// recording (tags, header) is here.
/// </summary>
public sealed class NotebookPipelineSnapshotTests
{
    [Fact]
    public void Notebook01_ReplayHourlyBuffer_MatchesSnapshot()
    {
        var generator = new DatasetGenerator(ReplayExample.Spec());
        var formatters = TranscriptFormatters.Default.With<int>((count, _) =>
            new TranscriptEvent("window", string.Create(CultureInfo.InvariantCulture, $"count={count}"), TranscriptMarks.Normal, Notable: true));
        var transcript = PipelineRecording.Record(
            generator.GenerateObservations(),
            (replay, scheduler) => replay.Publish(shared => Observable.Merge(
                shared.Tag("replay"),
                ReplayExample.HourlyCounts(shared, scheduler).Tag("hourly"))),
            new RecordingOptions { Name = "notebook 01: one-hour buffer over a virtual-time replay", Header = TranscriptHeader.ForGenerated(generator), Formatters = formatters });

        Assert.Equal(RecordingEnd.Completed, transcript.End);
        Assert.Equal(24, transcript.Events.Count(e => e.Event.Key == "hourly:window"));
        Assert.Equal(12_960, transcript.Events.Count(e => e.Event.Key.StartsWith("replay:", StringComparison.Ordinal)));
        TranscriptSnapshot.Match(transcript);
    }

    [Fact]
    public void Notebook02_GeneratedDataset_MatchesSnapshot()
    {
        var generator = new DatasetGenerator(GeneratingExample.Spec());
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
        var generator = new DatasetGenerator(ForecastingExample.Spec());
        var name = ForecastingExample.FirstEvent(generator).Series;
        var series = generator.GenerateObservations().Where(o => o.Series == name).ToArray();
        var forecasters = ForecastingExample.Forecasters(WorkbenchPaths.RepositoryFile(OnnxForecaster.DefaultModel));
        var transcript = PipelineRecording.Record(
            series,
            replay => ForecastingExample.Forecasts(replay, forecasters).Select(x => new TaggedEvent(x.Forecaster, x.Forecast)),
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
        var generator = new DatasetGenerator(DetectorsExample.Spec());
        var detectors = DetectorsExample.Detectors(DetectorsExample.DefaultSpecs);
        var transcript = PipelineRecording.Record(
            generator.GenerateObservations(),
            replay => DetectorsExample.DetectAll(replay, detectors).Select(x => new TaggedEvent(x.Detector, x.Row)),
            new RecordingOptions
            {
                Name = "notebook 04: detectors side by side",
                Header = [.. TranscriptHeader.ForGenerated(generator), .. detectors.Select(d => $"detector {d.Spec}")],
            });

        Assert.Equal(5 * 2400, transcript.Events.Count(e => e.Event.Key.Contains(':', StringComparison.Ordinal)));
        TranscriptSnapshot.Match(transcript);
    }

    [Fact]
    public void Notebook04_ListsTheDetectorsItsSnapshotTestUses()
    {
        // The notebook writes its specs in a cell so a reader can edit them; as committed they must be the library's.
        var notebook = Notebook.Load(Path.Combine(NotebookSuiteTests.Folder, "04-detectors.ipynb"));
        var cell = Assert.Single(notebook.Cells, c => c.Source.Contains("DetectorsExample.Detectors(new[]", StringComparison.Ordinal)).Source;
        var list = cell[cell.IndexOf("DetectorsExample.Detectors(new[]", StringComparison.Ordinal)..];
        list = list[..list.IndexOf("});", StringComparison.Ordinal)];
        var specs = System.Text.RegularExpressions.Regex.Matches(list, "\"([^\"]+)\"").Select(m => m.Groups[1].Value).ToArray();
        Assert.Equal(DetectorsExample.DefaultSpecs, specs);
    }

    [Fact]
    public void Notebook05_OnlineEvaluation_MatchesSnapshot()
    {
        var generator = new DatasetGenerator(EvaluationExample.Spec());
        var data = LabeledSeriesSet.FromObservations("latency-8x2400", generator.GenerateObservations());
        var detector = EvaluationExample.Detectors()[0];
        var formatters = TranscriptFormatters.Default.With<EvaluationSnapshot>((s, f) => new TranscriptEvent(
            "online-evaluation",
            string.Create(CultureInfo.InvariantCulture,
                $"n={s.Observations} tp={s.TruePositives} fp={s.FalsePositives} fn={s.FalseNegatives} f1={f.Number(s.PointF1)} events={s.DetectedClosedEvents}/{s.ClosedEvents} open={s.DetectedOpenEvents}/{s.OpenEvents} range-f1={f.Number(s.RangeScoresFinal.F1)}{(s.IsFinal ? " FINAL" : string.Empty)}"),
            TranscriptMarks.Normal,
            Notable: s.EventClosed || s.IsFinal));
        var transcript = PipelineRecording.Record(
            data.Series[0].Observations(),
            replay => EvaluationExample.OnlineEvaluation(replay, detector),
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
        var generator = new DatasetGenerator(DetectorsExample.Spec());
        var observations = generator.GenerateObservations().ToArray();
        var detectors = DetectorsExample.Detectors(DetectorsExample.SnapshotSpecs);
        var transcript = PipelineRecording.Record(
            observations,
            replay => DetectorsExample.DetectAll(replay, detectors).Select(x => new TaggedEvent(x.Detector, x.Row)),
            new RecordingOptions
            {
                Name = "notebook 06: zscore and mad",
                Header = [.. TranscriptHeader.ForGenerated(generator), .. detectors.Select(d => $"detector {d.Spec}")],
            });

        var result = SnapshotFile.Verify(Path.Combine(NotebookPaths.RepoRoot, "notebooks", "snapshots", "06-zscore-mad.snap"), transcript);
        Assert.True(result.Matches, result.Message);
    }
}
