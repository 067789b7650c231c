using System.Reactive.Concurrency;
using System.Reactive.Linq;
using Workbench.Core;
using Workbench.Operators.Alerting;
using Workbench.Pipelines;

namespace Workbench.Tests.Pipelines;

/// <summary>The pipeline framework: runs in both clocks, event-wise evaluation of alerts, figures, traces, errors.</summary>
public sealed class PipelineRunnerTests
{
    private static readonly DateTime T0 = new(2024, 3, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>Alerts on every value above <see cref="Limit"/>; scope = the series' prefix before '/'.</summary>
    private sealed class AboveLimit(double limit = 10, TimeSpan tolerance = default, Exception? failAt = null) : ReferencePipeline
    {
        public double Limit { get; } = limit;

        public override string Name => "above-limit";

        public override string Title => "Above a limit";

        public override string Summary => "test pipeline";

        public override string Preset => "none";

        public override TimeSpan DetectionTolerance => tolerance;

        public override string ScopeOf(string series) => series.Split('/')[0];

        public override IEnumerable<LabeledObservation> DefaultData() => Data();

        public override IObservable<PipelineAlert> Build(IObservable<LabeledObservation> observations, PipelineContext context) =>
            Observable.Defer(() =>
            {
                var seen = 0;
                return observations
                    .Do(o =>
                    {
                        seen++;
                        context.Traces.Add("value", o.Timestamp, o.Value ?? double.NaN);
                        if (failAt is not null && seen == 5)
                        {
                            throw failAt;
                        }
                    })
                    .Where(o => o.Value > Limit)
                    .Select(o => new PipelineAlert(ScopeOf(o.Series), o.Timestamp, "above", o.Value > 2 * Limit ? AlertLevel.Critical : AlertLevel.Warning, o.Value!.Value, "above the limit"))
                    .Finally(() => context.Figures.Set("observations", seen, "count"));
            });
    }

    /// <summary>
    /// Series a/x: rows 0..19 a minute apart; event 1 (spike) rows 3..4 caught at row 4 (delay 1 min), event 2 (level_shift)
    /// rows 10..12 missed, a false alarm at row 15. Series b/x: event 1 (spike) rows 6..7 caught at row 6 (delay 0).
    /// </summary>
    private static List<LabeledObservation> Data()
    {
        var rows = new List<LabeledObservation>();
        for (var i = 0; i < 20; i++)
        {
            var t = T0.AddMinutes(i);
            var aLabel = i is 3 or 4 ? AnomalyLabel.Anomaly(AnomalyKind.Spike, 1) : i is >= 10 and <= 12 ? AnomalyLabel.Anomaly(AnomalyKind.LevelShift, 2) : AnomalyLabel.Normal;
            var aValue = i == 4 ? 15 : i == 15 ? 30 : 1.0;
            rows.Add(new LabeledObservation("a/x", t, aValue, aLabel));
            var bLabel = i is 6 or 7 ? AnomalyLabel.Anomaly(AnomalyKind.Spike, 1) : AnomalyLabel.Normal;
            rows.Add(new LabeledObservation("b/x", t, i == 6 ? 12 : 2.0, bLabel));
        }

        return rows;
    }

    [Fact]
    public void Evaluation_CountsDetectedEventsDelaysAndFalseAlarmsPerScope()
    {
        var run = PipelineRunner.Run(new AboveLimit(), Data());

        Assert.Equal(40, run.Observations);
        Assert.Equal("virtual", run.Mode);
        Assert.Equal(3, run.Alerts.Count);
        var e = run.Evaluation;
        Assert.True(e.HasLabels);
        Assert.Equal(3, e.Events);
        Assert.Equal(2, e.Detected);
        Assert.Equal(2, e.TrueAlerts);
        Assert.Equal(1, e.FalseAlarms);
        Assert.Equal(2.0 / 3, e.Recall, 12);
        Assert.Equal(2.0 / 3, e.Precision, 12);
        Assert.Equal(TimeSpan.FromSeconds(30), e.MeanDelay);
        Assert.Equal(TimeSpan.FromSeconds(30), e.MedianDelay);
        Assert.Equal(1 / (19.0 / 1440), e.FalseAlarmsPerDay!.Value, 9);
        var spike = Assert.Single(e.ByKind, k => k.Kind == "spike");
        Assert.Equal((2, 2), (spike.Events, spike.Detected));
        var shift = Assert.Single(e.ByKind, k => k.Kind == "level_shift");
        Assert.Equal((1, 0, 0.0), (shift.Events, shift.Detected, shift.Recall));
        Assert.Null(shift.MeanDelay);
        Assert.Equal(["a", "b", "a"], e.Outcomes.Select(o => o.Event.Scope));
        Assert.Equal(20.0, run.Figures.Single(f => f.Name == "observations").Value / 2);
    }

    [Fact]
    public void Tolerance_LetsALateAlertDetectTheEventBeforeIt()
    {
        // The false alarm at row 15 is 3 minutes after event 2's end (row 12).
        Assert.Equal(2, PipelineRunner.Run(new AboveLimit(tolerance: TimeSpan.FromMinutes(2)), Data()).Evaluation.Detected);
        var late = PipelineRunner.Run(new AboveLimit(tolerance: TimeSpan.FromMinutes(3)), Data()).Evaluation;
        Assert.Equal((3, 0), (late.Detected, late.FalseAlarms));
        Assert.Equal(TimeSpan.FromMinutes(5), late.Outcomes.Single(o => o.Event.Kind == "level_shift").Delay);
    }

    [Fact]
    public void ScaledReplay_OnAVirtualWallClock_GivesTheSameAlertsAsVirtualTime()
    {
        var pipeline = new AboveLimit();
        var virtualRun = PipelineRunner.Run(pipeline, Data());
        var scaled = PipelineRunner.Run(pipeline, Data(), new PipelineRunOptions { Speed = 1e4, WallClock = new HistoricalScheduler(new DateTimeOffset(T0)) });

        Assert.StartsWith("scaled", scaled.Mode, StringComparison.Ordinal);
        Assert.Equal(virtualRun.Alerts, scaled.Alerts);
        Assert.Equal(virtualRun.Describe(), scaled.Describe());
    }

    [Fact]
    public void DataWithoutLabels_SaysAlertsCannotBeScored()
    {
        var unlabelled = Data().Select(o => o with { Label = AnomalyLabel.Normal }).ToList();
        var run = PipelineRunner.Run(new AboveLimit(), unlabelled);
        Assert.False(run.Evaluation.HasLabels);
        Assert.Equal(3, run.Alerts.Count);
        Assert.Contains(run.Describe(), l => l.Contains("no labelled anomalies", StringComparison.Ordinal));
    }

    [Fact]
    public void AFailingPipeline_EndsWithPipelineRunException_NamingThePipeline()
    {
        var e = Assert.Throws<PipelineRunException>(() => PipelineRunner.Run(new AboveLimit(failAt: new InvalidOperationException("boom")), Data()));
        Assert.Contains("above-limit", e.Message, StringComparison.Ordinal);
        Assert.Contains("boom", e.Message, StringComparison.Ordinal);
        Assert.IsType<InvalidOperationException>(e.InnerException);
    }

    [Fact]
    public void Limit_ReplaysOnlyTheFirstRows_AndTracesCountWhatTheyDoNotKeep()
    {
        var run = PipelineRunner.Run(new AboveLimit(), Data(), new PipelineRunOptions { Limit = 10, MaxPointsPerTrace = 4 });
        Assert.Equal(10, run.Observations);
        Assert.Equal(4, run.Traces["value"].Count);
        Assert.Equal(6, run.Traces.Dropped["value"]);
        Assert.Contains(run.Describe(), l => l.Contains("trace value: 6 points not kept (cap 4)", StringComparison.Ordinal));
    }

    [Fact]
    public void ACancelledRun_Throws_AndAnInvalidSpeedIsRefused()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAny<OperationCanceledException>(() => PipelineRunner.Run(new AboveLimit(), Data(), null, cts.Token));
        Assert.Throws<ArgumentOutOfRangeException>(() => PipelineRunner.Run(new AboveLimit(), Data(), new PipelineRunOptions { Speed = 0 }));
    }

    [Fact]
    public void Figures_KeepFirstSetOrder_ReplaceOnSet_AndRefuseNaN()
    {
        var figures = new PipelineFigures();
        figures.Set("b", 1, "count");
        figures.Set("a", 2);
        figures.Set("b", 3, "count");
        Assert.Equal(["b = 3 count", "a = 2"], figures.All.Select(f => f.ToString()));
        Assert.Throws<ArgumentException>(() => figures.Set("c", double.NaN));
    }
}
