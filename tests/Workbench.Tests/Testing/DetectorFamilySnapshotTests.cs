using System.Reactive.Linq;
using Workbench.Operators.Alerting;
using Workbench.Operators.Detection;
using Workbench.Operators.Forecasting;
using Workbench.Operators.Specs;
using Workbench.Testing;

namespace Workbench.Tests.Testing;

/// <summary>
/// One snapshot per detector family (docs/DETECTORS.md) on the fixed generated series (<see cref="TranscriptFixture"/>):
/// any change of a detector's scores, flags or alerts on it changes a committed transcript and fails here.
/// </summary>
public sealed class DetectorFamilySnapshotTests
{
    [Fact]
    public void Statistical_ZScoreMadIqr_MatchesSnapshot() =>
        TranscriptSnapshot.Match(TranscriptFixture.RecordFamily("statistical", "zscore(window=36)", "mad(window=36)", "iqr(window=36)"));

    [Fact]
    public void ControlCharts_EwmaCusumPageHinkley_MatchesSnapshot() =>
        TranscriptSnapshot.Match(TranscriptFixture.RecordFamily("control charts", "ewma", "cusum", "page-hinkley(lambda=60)"));

    [Fact]
    public void Change_LevelShiftVarianceShift_MatchesSnapshot() =>
        TranscriptSnapshot.Match(TranscriptFixture.RecordFamily("change", "level-shift", "variance-shift"));

    [Fact]
    public void DataQuality_MissingFlatlineOutage_MatchesSnapshot() =>
        TranscriptSnapshot.Match(TranscriptFixture.RecordFamily("data quality", "missing", "flatline(window=6,tolerance=2)", "outage(below=0.1,run=3,missing=true)"));

    [Fact]
    public void Nab_WindowedGaussianRandom_MatchesSnapshot() =>
        TranscriptSnapshot.Match(TranscriptFixture.RecordFamily("nab baselines", "windowed-gaussian", "random"));

    /// <summary>Seasonal profile and forecast residuals, plus the Holt-Winters forecasts themselves (the forecast formatter).</summary>
    [Fact]
    public void SeasonalAndForecast_ProfileResidualsForecasts_MatchesSnapshot()
    {
        var detectors = TranscriptFixture.Detectors(
            "seasonal-profile(cycle=day,slot=10,history=5)",
            "forecast-residual(forecaster=holt-winters(period=144),window=144)");
        var forecaster = OperatorCatalog.BuiltIn.ParseForecaster("holt-winters(period=144)");
        var options = TranscriptFixture.Options("seasonal and forecast residual", detectors);
        options = options with { Header = [.. options.Header, $"forecaster {forecaster.Spec}"] };
        var transcript = PipelineRecording.Record(
            TranscriptFixture.Observations,
            replay => replay.Publish(shared => Observable.Merge(
                TranscriptFixture.DetectEach(shared, detectors),
                shared.Forecast(forecaster).Tag("forecast"))),
            options);
        TranscriptSnapshot.Match(transcript);
    }

    /// <summary>The ensemble's flags and the alerts raised from its scores (the alert formatter).</summary>
    [Fact]
    public void Ensemble_MaxOfMembersWithAlerts_MatchesSnapshot()
    {
        var ensemble = OperatorCatalog.BuiltIn.ParseDetector("ensemble(members=zscore(window=36)+mad(window=36)+missing(run=3),combine=max)");
        var alerting = new AlertOptions(Warning: 1, Critical: 2, Clear: 0.8, MinCount: 2, Cooldown: TimeSpan.FromHours(2));
        var options = TranscriptFixture.Options("ensemble", ensemble);
        options = options with { Header = [.. options.Header, $"alerts {alerting}"] };
        var transcript = PipelineRecording.Record(
            TranscriptFixture.Observations,
            replay => replay.Detect(ensemble).Publish(scores => Observable.Merge(
                scores.Flag(ensemble.Threshold).Tag(ensemble.Name),
                scores.Alert(alerting).Tag(ensemble.Name))),
            options);
        TranscriptSnapshot.Match(transcript);
    }

    [Fact]
    public void RecordFamily_TwoRuns_ByteIdentical()
    {
        var first = TranscriptFixture.RecordFamily("statistical", "zscore(window=36)", "mad(window=36)", "iqr(window=36)");
        var second = TranscriptFixture.RecordFamily("statistical", "zscore(window=36)", "mad(window=36)", "iqr(window=36)");
        Assert.Equal(first.Text, second.Text);
        Assert.Equal(first.Lines.Count, second.Lines.Count);
    }

    [Fact]
    public void Transcripts_StayModest_AtMostAFewHundredLines()
    {
        var transcript = TranscriptFixture.RecordFamily("control charts", "ewma", "cusum", "page-hinkley(lambda=60)");
        Assert.Equal(TranscriptFixture.Observations.Count * 3, transcript.Events.Count);
        Assert.InRange(transcript.Lines.Count, 30, 300);
    }
}
