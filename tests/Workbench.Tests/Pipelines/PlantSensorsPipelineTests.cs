using System.Reactive.Concurrency;
using Workbench.Core;
using Workbench.Operators.Alerting;
using Workbench.Pipelines;
using Workbench.Pipelines.PlantSensors;
using Workbench.Replay;

namespace Workbench.Tests.Pipelines;

/// <summary>
/// The plant sensor monitor: its preset (deterministic, correlated, the documented shape and labels), detection on
/// <see cref="PlantSensorsPipeline.Reduced"/> data, identical alerts in virtual, scaled and paused/resumed replays,
/// acknowledgements, hygiene counts and the wall-clock inference latency kept out of the figures.
/// </summary>
public sealed class PlantSensorsPipelineTests
{
    private static readonly DateTime W0 = new(2030, 1, 1, 0, 0, 0, DateTimeKind.Utc);
    private static readonly Lazy<LabeledObservation[]> ReducedData = new(() => PlantSensorsPipeline.Reduced().DefaultData().ToArray());
    private static readonly Lazy<PipelineRun> VirtualRun = new(() => PipelineRunner.Run(PlantSensorsPipeline.Reduced(), ReducedData.Value));

    private static double Figure(PipelineRun run, string name) =>
        (run.Figures.SingleOrDefault(f => f.Name == name) ?? throw new InvalidOperationException($"no figure {name}")).Value;

    [Fact]
    public void Preset_IsDeterministicPerSeed()
    {
        var d = PlantSensorsDataset.Small;
        var a = d.Generate(7).Take(40_000).ToArray();
        var b = d.Generate(7).Take(40_000).ToArray();
        var c = d.Generate(8).Take(40_000).ToArray();
        Assert.Equal(a, b);
        Assert.NotEqual(a.Select(o => o.Value), c.Select(o => o.Value));
        Assert.Equal(d.Plan(7), d.Plan(7), new PlanComparer());
        Assert.NotEqual(d.Plan(7).Select(e => e.Start), d.Plan(8).Select(e => e.Start));
    }

    [Fact]
    public void Preset_HasTheDocumentedShape_CorrelatedChannels_AndLabelsOnExactlyTheAffectedRows()
    {
        var d = PlantSensorsDataset.Small;
        var rows = ReducedData.Value;
        var channels = d.Channels(d.DefaultSeed);
        Assert.Equal(16 * 7200, rows.Length);
        Assert.Equal(d.Rows, rows.Length);
        Assert.Equal(16, channels.Count);
        Assert.Equal(channels.Select(c => c.Name).Order(StringComparer.Ordinal), channels.Select(c => c.Name));
        Assert.Equal(["flow", "pressure", "temp", "vibration"], channels.Select(c => c.Type).Distinct().Order(StringComparer.Ordinal));

        // 1 Hz, every channel every second, channels in ordinal order, series plant-1/<type>-NN.
        for (var i = 0; i < rows.Length; i++)
        {
            Assert.Equal(PlantSensorsDataset.Start.AddSeconds(i / 16), rows[i].Timestamp);
            Assert.Equal("plant-1/" + channels[i % 16].Name, rows[i].Series);
            Assert.NotNull(rows[i].Value);
        }

        // Correlated through the shared load: two channels of different types, on normal rows.
        var flow = rows.Where(o => o.Series == "plant-1/flow-01").Select(o => o.Value!.Value).ToArray();
        var pressure = rows.Where(o => o.Series == "plant-1/pressure-01").Select(o => o.Value!.Value).ToArray();
        var normal = rows.Where(o => o.Series == "plant-1/flow-01").Zip(rows.Where(o => o.Series == "plant-1/pressure-01"))
            .Select((p, i) => (p, i)).Where(x => !x.p.First.Label.IsAnomaly && !x.p.Second.Label.IsAnomaly).Select(x => x.i).ToArray();
        Assert.True(Correlation([.. normal.Select(i => flow[i])], [.. normal.Select(i => pressure[i])]) > 0.8);

        // Labels: exactly the planned rows, of the four kinds, several events of each.
        var plan = d.Plan(d.DefaultSeed);
        Assert.Equal(12, plan.Count);
        Assert.All(PlantSensorsDataset.Kinds, k => Assert.Equal(3, plan.Count(e => e.Kind == k)));
        var expected = plan.SelectMany(e => e.Channels.SelectMany(c => Enumerable.Range(0, e.Seconds)
            .Select(s => ("plant-1/" + channels[c].Name, e.Start.AddSeconds(s), e.Kind, e.EventId)))).ToHashSet();
        var labelled = rows.Where(o => o.Label.IsAnomaly).Select(o => (o.Series, o.Timestamp, o.Label.Kind!.Name, o.Label.EventId!.Value)).ToHashSet();
        Assert.Equal(expected.Count, labelled.Count);
        Assert.True(expected.SetEquals(labelled));

        // A stuck sensor repeats its last reading; an upset steps several channels at once.
        foreach (var e in plan.Where(e => e.Kind == "stuck"))
        {
            var series = "plant-1/" + channels[e.Channels[0]].Name;
            var values = rows.Where(o => o.Series == series && o.Timestamp >= e.Start.AddSeconds(-1) && o.Timestamp <= e.End).Select(o => o.Value).Distinct();
            Assert.Single(values);
        }

        Assert.All(plan.Where(e => e.Kind == "upset"), e => Assert.InRange(e.Channels.Count, 4, 7));
        Assert.True(plan.Zip(plan.Skip(1)).All(p => p.First.End < p.Second.Start));
    }

    [Fact]
    public void Reduced_DetectsTheInjectedEvents_WithoutFalseAlarms()
    {
        var run = VirtualRun.Value;
        var e = run.Evaluation;

        // Measured on the default seed: 27/27 events (3 spikes, 3 stuck, 3 drifts, 18 channel-events of 3 upsets), 0 false alarms.
        Assert.Equal(27, e.Events);
        Assert.All(e.ByKind, k => Assert.True(k.Recall >= 0.99, $"{k.Kind}: recall {k.Recall}"));
        Assert.Equal(["drift", "spike", "stuck", "upset"], e.ByKind.Select(k => k.Kind));
        Assert.True(e.FalseAlarms <= 1, $"{e.FalseAlarms} false alarms");
        Assert.True(e.ByKind.Single(k => k.Kind == "spike").MeanDelay <= TimeSpan.FromSeconds(5));
        Assert.True(e.ByKind.Single(k => k.Kind == "stuck").MeanDelay <= TimeSpan.FromSeconds(20));
        Assert.True(e.ByKind.Single(k => k.Kind == "upset").MeanDelay <= TimeSpan.FromSeconds(10));
        Assert.All(run.Alerts, a => Assert.Equal(("plant-1", "risk"), (a.Scope, a.Kind)));
        Assert.All(run.Alerts, a => Assert.InRange(a.Score, 0.7, 1.0));
        Assert.All(run.Alerts.Where(a => a.Level == AlertLevel.Critical), a => Assert.True(a.Score >= 0.85));
    }

    [Fact]
    public void Reduced_Figures_CountRowsChannelsInferencesAlertsAndAcknowledgements()
    {
        var run = VirtualRun.Value;
        Assert.Equal(115_200, Figure(run, "rows.replayed"));
        Assert.Equal(0, Figure(run, "rows.missing"));
        Assert.Equal(0, Figure(run, "rows.duplicate"));
        Assert.Equal(16, Figure(run, "channels"));
        Assert.Equal(7200, Figure(run, "seconds"));
        Assert.Equal(7200 - 300, Figure(run, "seconds.scored"));

        // One batched call per second once the 48-value windows are full (from the 48th second on), all channels in it.
        Assert.Equal(7200 - 47, Figure(run, "inference.calls"));
        Assert.Equal(16 * (7200 - 47), Figure(run, "inference.windows"));

        var raised = Figure(run, "alerts.raised.warning") + Figure(run, "alerts.raised.critical");
        Assert.Equal(run.Alerts.Count, raised + Figure(run, "alerts.escalated"));
        Assert.Equal(run.Alerts.Count(a => a.Message.StartsWith("escalated", StringComparison.Ordinal)), Figure(run, "alerts.escalated"));
        Assert.Equal(run.Alerts.Count, Figure(run, "acknowledgements.sent"));
        Assert.Equal(Figure(run, "acknowledgements.sent"), Figure(run, "alerts.acknowledged") + Figure(run, "acknowledgements.ignored"));
        Assert.True(Figure(run, "alerts.acknowledged") > 0);
        Assert.DoesNotContain(run.Figures, f => f.Name.Contains("latency", StringComparison.Ordinal));
    }

    [Fact]
    public void Acknowledgements_DoNotChangeWhichAlertsAreRaised_AndComeAFixedDelayAfterThem()
    {
        var never = PipelineRunner.Run(PlantSensorsPipeline.Reduced(new PlantSensorsOptions { AcknowledgeAfter = TimeSpan.FromDays(1) }), ReducedData.Value);
        var run = VirtualRun.Value;
        Assert.Equal(run.Alerts, never.Alerts);
        Assert.Equal(run.Alerts.Count, Figure(run, "acknowledgements.sent"));
        Assert.Equal(0, Figure(never, "alerts.acknowledged"));
        Assert.Equal(0, Figure(never, "acknowledgements.sent"));

        // Acknowledged at once (before the next second): every acknowledgement finds its alert open, none is ignored.
        var atOnce = PipelineRunner.Run(PlantSensorsPipeline.Reduced(new PlantSensorsOptions { AcknowledgeAfter = TimeSpan.Zero }), ReducedData.Value);
        Assert.Equal(run.Alerts, atOnce.Alerts);
        Assert.Equal(atOnce.Alerts.Count, Figure(atOnce, "acknowledgements.sent"));
        Assert.Equal(atOnce.Alerts.Count, Figure(atOnce, "alerts.acknowledged"));
        Assert.Equal(0, Figure(atOnce, "acknowledgements.ignored"));

        // After 30 s some alerts have already resolved: their acknowledgements are ignored (counted).
        Assert.True(Figure(run, "acknowledgements.ignored") > 0);
    }

    [Fact]
    public void ScaledReplay_AtAHighSpeed_GivesTheAlertsOfTheVirtualRun()
    {
        var scaled = PipelineRunner.Run(PlantSensorsPipeline.Reduced(), ReducedData.Value,
            new PipelineRunOptions { Speed = 1e6, WallClock = new HistoricalScheduler(new DateTimeOffset(W0)) });
        Assert.StartsWith("scaled", scaled.Mode, StringComparison.Ordinal);
        Assert.Equal(VirtualRun.Value.Alerts, scaled.Alerts);
        Assert.Equal(VirtualRun.Value.Describe(), scaled.Describe());
    }

    [Fact]
    public void ScaledReplay_PausedAndResumed_GivesTheAlertsOfTheVirtualRun_AndANewSessionResets()
    {
        foreach (var pauseAfter in new[] { TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(3.3) })
        {
            var wall = new HistoricalScheduler(new DateTimeOffset(W0));
            var session = ObservationReplay.Scaled(ReducedData.Value, new ReplayOptions { Speed = 1000 }, wall);
            var context = new PipelineContext(wall, false);
            var alerts = new List<PipelineAlert>();
            var completed = false;
            Exception? error = null;
            using var sub = PlantSensorsPipeline.Reduced().Build(session.Observations, context).Subscribe(alerts.Add, e => error = e, () => completed = true);

            wall.AdvanceBy(pauseAfter);
            session.Pause();
            var delivered = session.Delivered;
            Assert.InRange(delivered, 1, ReducedData.Value.Length - 1);
            wall.AdvanceBy(TimeSpan.FromHours(1));
            Assert.Equal(delivered, session.Delivered); // nothing while paused
            session.Resume();
            wall.Start();

            Assert.Null(error);
            Assert.True(completed);
            Assert.Equal(VirtualRun.Value.Alerts, alerts);
            Assert.Equal(VirtualRun.Value.Figures, context.Figures.All);
        }
    }

    [Fact]
    public void ScaledReplay_SeekingBackwardsOnALivePipeline_FailsWithAnOrderError()
    {
        // Reset is a new session and a new Build: a backward seek would feed old seconds into the live state, which the frame operator refuses.
        var wall = new HistoricalScheduler(new DateTimeOffset(W0));
        var data = ReducedData.Value.Take(16 * 600).ToArray();
        var session = ObservationReplay.Scaled(data, new ReplayOptions { Speed = 1000 }, wall);
        Exception? error = null;
        using var sub = PlantSensorsPipeline.Reduced().Build(session.Observations, new PipelineContext(wall, false)).Subscribe(_ => { }, e => error = e);
        wall.AdvanceBy(TimeSpan.FromSeconds(0.3));
        session.Seek(PlantSensorsDataset.Start);
        wall.Start();
        Assert.IsType<Workbench.Operators.Hygiene.ObservationOrderException>(error);
    }

    [Fact]
    public void MissingAndDuplicateRows_AreCountedInTheFigures()
    {
        var rows = ReducedData.Value.Take(16 * 900).ToList();
        var missing = 0;
        var duplicates = 0;
        for (var i = 16 * 400; i < rows.Count; i += 997)
        {
            rows[i] = rows[i] with { Value = null };
            missing++;
        }

        for (var i = rows.Count - 5; i > 16 * 100; i -= 1601)
        {
            rows.Insert(i + 1, rows[i]);
            duplicates++;
        }

        var run = PipelineRunner.Run(PlantSensorsPipeline.Reduced(), rows);
        Assert.Equal(rows.Count, Figure(run, "rows.replayed"));
        Assert.Equal(missing, Figure(run, "rows.missing"));
        Assert.Equal(duplicates, Figure(run, "rows.duplicate"));
        Assert.True(Figure(run, "inference.windows") < 16 * Figure(run, "inference.calls"));
    }

    [Fact]
    public void InferenceLatency_IsRecordedPerCall_OutsideTheDeterministicFigures()
    {
        var recorder = new InferenceLatencyRecorder();
        var data = ReducedData.Value.Take(16 * 400).ToArray();
        var run = PipelineRunner.Run(PlantSensorsPipeline.Reduced(new PlantSensorsOptions { InferenceLatency = recorder }), data);
        Assert.Equal(Figure(run, "inference.calls"), recorder.Count);
        Assert.True(recorder.Microseconds(0.5) > 0);
        Assert.True(recorder.Microseconds(0.99) >= recorder.Microseconds(0.5));
        Assert.Equal(PipelineRunner.Run(PlantSensorsPipeline.Reduced(), data).Describe(), run.Describe());
        Assert.StartsWith("inference latency: 353 calls, p50 ", recorder.ToString(), StringComparison.Ordinal);
        Assert.Null(new InferenceLatencyRecorder().Microseconds(0.5));
    }

    [Fact]
    public void Charts_RiskWithLevels_ChannelsAroundAnAlert_AndAlertsPerLevel()
    {
        var pipeline = PlantSensorsPipeline.Reduced();
        var charts = pipeline.Charts(VirtualRun.Value);
        Assert.Equal(3, charts.Count);
        Assert.Equal(6900, VirtualRun.Value.Traces["risk:plant-1"].Count);
        Assert.Equal(7200, VirtualRun.Value.Traces["z:plant-1/temp-01"].Count);
        Assert.Contains("0.85", Plotly.NET.GenericChart.toChartHTML(charts[0]), StringComparison.Ordinal);
    }

    [Fact]
    public void Catalog_RegistersThePipelineAndItsPreset_AndOptionsAreValidated()
    {
        Assert.IsType<PlantSensorsPipeline>(PipelineCatalog.Get("plant-sensors"));
        Assert.Same(PlantSensorsDataset.Full, PipelineCatalog.FindDataset("plant-sensors"));
        Assert.Equal(18 * 86_400, PlantSensorsDataset.Full.Rows);
        Assert.Equal("plant-1", PlantSensorsPipeline.Reduced().ScopeOf("plant-1/temp-03"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PlantSensorsPipeline(options: new PlantSensorsOptions { Critical = 0.6 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PlantSensorsDataset(channels: 3));
        var (k, z0) = new PlantSensorsOptions().Squash();
        Assert.Equal(0.7, 1 / (1 + Math.Exp(-k * (4 - z0))), 12);
        Assert.Equal(0.85, 1 / (1 + Math.Exp(-k * (5 - z0))), 12);
    }

    private static double Correlation(double[] x, double[] y)
    {
        var mx = x.Average();
        var my = y.Average();
        var sxy = x.Zip(y).Sum(p => (p.First - mx) * (p.Second - my));
        return sxy / Math.Sqrt(x.Sum(v => (v - mx) * (v - mx)) * y.Sum(v => (v - my) * (v - my)));
    }

    private sealed class PlanComparer : IEqualityComparer<PlantSensorsEvent>
    {
        public bool Equals(PlantSensorsEvent? a, PlantSensorsEvent? b) =>
            a is not null && b is not null && a.EventId == b.EventId && a.Kind == b.Kind && a.Start == b.Start && a.Seconds == b.Seconds
            && a.Channels.SequenceEqual(b.Channels) && a.Magnitudes.SequenceEqual(b.Magnitudes);

        public int GetHashCode(PlantSensorsEvent e) => e.EventId;
    }
}
