using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using Workbench.Core;
using Workbench.Operators.Detection;
using Workbench.Operators.Monitoring;
using static Workbench.Tests.Operators.OperatorTestKit;

namespace Workbench.Tests.Operators.Monitoring;

public class PipelineMonitorTests
{
    private static List<LabeledObservation> Input(int n) =>
        Enumerable.Range(0, n).Select(i => LabeledObservation.Normal(i % 3 == 0 ? "a" : "b", T0.AddSeconds(i), i % 17 == 0 ? null : Math.Sin(i) * 10)).ToList();

    [Fact]
    public void Output_IsIdentical_WithAndWithoutTheMonitor()
    {
        var input = Input(2000);
        var plain = input.ToObservable().Detect(new ZScoreDetector(20)).Flag(4).ToList().Wait();
        var monitor = new PipelineMonitor(new MonitorOptions(ReportEvery: 64));
        var monitored = input.ToObservable().Monitor(monitor).Detect(new ZScoreDetector(20)).Flag(4).ToList().Wait();
        Assert.Equal(plain, monitored);
    }

    [Fact]
    public void Stats_CountEveryEvent_ReportEveryN_ThenAFinalReport()
    {
        var monitor = new PipelineMonitor(new MonitorOptions(ReportEvery: 100));
        var reports = new List<RuntimeStats>();
        var statsCompleted = false;
        monitor.Stats.Subscribe(reports.Add, () => statsCompleted = true);
        var seen = 0;
        Input(1050).ToObservable().Monitor(monitor).Detect(new ZScoreDetector(5)).Subscribe(_ => seen++);

        Assert.Equal(1050, seen);
        Assert.True(statsCompleted);
        Assert.Equal(11, reports.Count);
        Assert.Equal(Enumerable.Range(1, 10).Select(k => k * 100L).Append(1050), reports.Select(r => r.Events));
        Assert.Equal(Enumerable.Repeat(100L, 10).Append(50), reports.Select(r => r.IntervalEvents));
        Assert.Equal([.. Enumerable.Repeat(false, 10), true], reports.Select(r => r.IsFinal));
        foreach (var r in reports)
        {
            Assert.True(r.ElapsedSeconds >= 0 && r.IntervalSeconds >= 0 && r.EventsPerSecond >= 0);
            Assert.True(r.LatencyP50Microseconds >= 0);
            Assert.True(r.LatencyP50Microseconds <= r.LatencyP95Microseconds);
            Assert.True(r.LatencyP95Microseconds <= r.LatencyP99Microseconds);
            Assert.True(r.LatencyP99Microseconds <= r.LatencyMaxMicroseconds);
            Assert.True(r.ManagedHeapBytes > 0 && r.AllocatedBytes > 0);
            Assert.True(r.Gen0Collections >= r.Gen1Collections && r.Gen1Collections >= r.Gen2Collections);
        }

        Assert.True(reports.Zip(reports.Skip(1)).All(p => p.Second.ElapsedSeconds >= p.First.ElapsedSeconds));
    }

    [Fact]
    public void IntervalReports_FollowTheVirtualClock()
    {
        var scheduler = new HistoricalScheduler(new DateTimeOffset(T0));
        var times = new[] { 10, 20, 90, 125, 130, 135, 250 };
        var source = Observable.Create<int>(o => new CompositeDisposable(
            times.Select((s, i) => scheduler.Schedule(new DateTimeOffset(T0.AddSeconds(s)), () => o.OnNext(i)))
                .Append(scheduler.Schedule(new DateTimeOffset(T0.AddSeconds(260)), o.OnCompleted))));
        var monitor = new PipelineMonitor(new MonitorOptions(ReportEvery: 0, ReportInterval: TimeSpan.FromMinutes(1)), scheduler);
        var reports = new List<RuntimeStats>();
        monitor.Stats.Subscribe(reports.Add);
        var values = new List<int>();
        using var sub = source.Monitor(monitor).Subscribe(values.Add);

        scheduler.AdvanceTo(new DateTimeOffset(T0.AddMinutes(10)));

        Assert.Equal(Enumerable.Range(0, times.Length), values);
        // Ticks at 60, 120, 180, 240 s, then the final report at completion (260 s), then no more ticks.
        Assert.Equal([2L, 1, 3, 0, 1], reports.Select(r => r.IntervalEvents));
        Assert.Equal([2L, 3, 6, 6, 7], reports.Select(r => r.Events));
        Assert.Equal([false, false, false, false, true], reports.Select(r => r.IsFinal));
        Assert.Null(reports[3].LatencyP50Microseconds); // no events in that interval
        Assert.Equal(0, reports[3].EventsPerSecond);
    }

    [Fact]
    public void Error_PassesThrough_AfterAFinalReport()
    {
        var subject = new Subject<int>();
        var monitor = new PipelineMonitor(new MonitorOptions(ReportEvery: 0));
        var reports = new List<RuntimeStats>();
        var statsCompleted = false;
        monitor.Stats.Subscribe(reports.Add, () => statsCompleted = true);
        Exception? error = null;
        var completed = 0;
        using var sub = subject.Monitor(monitor).Subscribe(_ => { }, e => error = e, () => completed++);
        subject.OnNext(1);
        subject.OnNext(2);
        var boom = new InvalidOperationException("boom");
        subject.OnError(boom);

        Assert.Same(boom, error);
        Assert.Equal(0, completed);
        Assert.True(statsCompleted);
        Assert.Equal(2, Assert.Single(reports).Events);
    }

    [Fact]
    public void Dispose_StopsOutput_AndEndsTheRunWithAFinalReport()
    {
        var subject = new Subject<int>();
        var monitor = new PipelineMonitor(new MonitorOptions(ReportEvery: 0));
        var reports = new List<RuntimeStats>();
        var statsCompleted = false;
        monitor.Stats.Subscribe(reports.Add, () => statsCompleted = true);
        var seen = new List<int>();
        var sub = subject.Monitor(monitor).Subscribe(seen.Add);
        subject.OnNext(1);
        sub.Dispose();
        subject.OnNext(2);

        Assert.Equal([1], seen);
        Assert.False(subject.HasObservers);
        Assert.True(statsCompleted);
        Assert.Equal(1, Assert.Single(reports).Events);
        Assert.True(reports[0].IsFinal);
    }

    [Fact]
    public void AMonitor_MeasuresOneRun()
    {
        var monitor = new PipelineMonitor(new MonitorOptions());
        var monitored = Observable.Range(0, 3).Monitor(monitor);
        Assert.Equal([0, 1, 2], monitored.ToList().Wait());
        var e = Assert.Throws<InvalidOperationException>(() => monitored.ToList().Wait());
        Assert.Contains("one monitor per run", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_AreValidated()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PipelineMonitor(new MonitorOptions(ReportEvery: -1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new PipelineMonitor(new MonitorOptions(ReportInterval: TimeSpan.Zero), Scheduler.Immediate));
        Assert.Throws<ArgumentNullException>(() => new PipelineMonitor(new MonitorOptions(ReportInterval: TimeSpan.FromSeconds(1))));
    }
}

public class LatencyHistogramTests
{
    [Fact]
    public void SmallValues_AreExact_LargeWithinTwoPercent()
    {
        var h = new LatencyHistogram();
        foreach (var v in new long[] { 0, 1, 5, 63 })
        {
            h.Clear();
            h.Record(v);
            Assert.Equal(v, h.ValueAt(0.5));
        }

        foreach (var v in new long[] { 64, 65, 100, 1000, 12_345, 999_999, 123_456_789_012 })
        {
            h.Clear();
            h.Record(v);
            h.Record(long.MaxValue / 2); // keeps Max from capping the midpoint
            Assert.True(Math.Abs(h.ValueAt(0.5) - v) <= 0.016 * v, $"{v}: {h.ValueAt(0.5)}");
        }
    }

    [Fact]
    public void Quantiles_UseNearestRank()
    {
        var h = new LatencyHistogram();
        for (var v = 1; v <= 50; v++)
        {
            h.Record(v);
        }

        Assert.Equal(50, h.Count);
        Assert.Equal(25, h.ValueAt(0.5));
        Assert.Equal(48, h.ValueAt(0.95));
        Assert.Equal(50, h.ValueAt(0.99));
        Assert.Equal(50, h.Max);
        Assert.Equal(1, h.ValueAt(0));
    }
}
