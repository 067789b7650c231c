using System.Reactive.Concurrency;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using Workbench.Core;
using Workbench.Operators.Windows;
using Workbench.Tests.Operators.Hygiene;
using static Workbench.Tests.Operators.Windows.WindowTestKit;

namespace Workbench.Tests.Operators.Windows;

/// <summary>closeOnClock on a virtual clock: no sleeps, the HistoricalScheduler is advanced by hand.</summary>
public class TumbleClockTests
{
    private static readonly TumblingOptions OneMinute = new(TimeSpan.FromMinutes(1));

    private static (HistoricalScheduler Clock, Subject<LabeledObservation> Source, List<(DateTime At, WindowAggregate Window)> Seen, IDisposable Subscription)
        Start(TumblingOptions options, HygieneTestKit.ReportRecorder? report = null)
    {
        var clock = new HistoricalScheduler(new DateTimeOffset(T0));
        var source = new Subject<LabeledObservation>();
        var seen = new List<(DateTime, WindowAggregate)>();
        var sub = source.Tumble(options, clock, report).Subscribe(w => seen.Add((clock.Now.UtcDateTime, w)));
        return (clock, source, seen, sub);
    }

    /// <summary>Advances the virtual clock to the event's timestamp and delivers it there (as replay does).</summary>
    private static void Deliver(HistoricalScheduler clock, Subject<LabeledObservation> source, LabeledObservation o)
    {
        clock.AdvanceTo(new DateTimeOffset(o.Timestamp));
        source.OnNext(o);
    }

    [Fact]
    public void QuietSeries_WindowClosesWhenTheClockReachesItsEnd()
    {
        var (clock, source, seen, sub) = Start(OneMinute);
        using (sub)
        {
            Deliver(clock, source, At("a", 0.5, 1));
            Deliver(clock, source, At("b", 0.6, 2));
            clock.AdvanceTo(new DateTimeOffset(T0.AddSeconds(59)));
            Assert.Empty(seen);

            // At 1:00 the clock closes both [0, 1) windows although neither series has sent anything past 1:00.
            clock.AdvanceTo(new DateTimeOffset(T0.AddMinutes(1)));
            Assert.Equal([("a", T0, T0.AddMinutes(1)), ("b", T0, T0.AddMinutes(1))], seen.Select(s => (s.Window.Series, s.Window.Start, s.At)));
            Assert.Equal(Stats(1), seen[0].Window.Stats);

            // b goes on; a stays quiet and, with no open window and no empty windows requested, emits nothing more.
            Deliver(clock, source, At("b", 1.5, 3));
            clock.AdvanceTo(new DateTimeOffset(T0.AddMinutes(5)));
            Assert.Equal(3, seen.Count);
            Assert.Equal(("b", T0.AddMinutes(1), T0.AddMinutes(2)), (seen[2].Window.Series, seen[2].Window.Start, seen[2].At));
        }
    }

    [Fact]
    public void AllowedLateness_ClockClosesAtEndPlusLateness_LaterEventsAreLate()
    {
        var report = new HygieneTestKit.ReportRecorder();
        var (clock, source, seen, sub) = Start(OneMinute with { AllowedLateness = TimeSpan.FromMinutes(2) }, report);
        using (sub)
        {
            Deliver(clock, source, At("a", 0.5, 1));
            clock.AdvanceTo(new DateTimeOffset(T0.AddMinutes(2.9)));
            Assert.Empty(seen);
            clock.AdvanceTo(new DateTimeOffset(T0.AddMinutes(3)));
            Assert.Equal([(T0.AddMinutes(3), 0)], seen.Select(s => (s.At, s.Window.Revision)));

            // An event for the window the clock has made final is late, even though a's own watermark is still 0:30.
            source.OnNext(At("a", 0.8, 5));
            source.OnCompleted();
            Assert.Single(seen);
            Assert.Equal(1, report.Final.For("a").Late);
        }
    }

    [Fact]
    public void AllowedLateness_EventClosedWindow_IsNotReEmittedByTheClock()
    {
        var report = new HygieneTestKit.ReportRecorder();
        var (clock, source, seen, sub) = Start(OneMinute with { AllowedLateness = TimeSpan.FromMinutes(2) }, report);
        using (sub)
        {
            Deliver(clock, source, At("a", 0.5, 1));
            Deliver(clock, source, At("a", 70 / 60.0, 2)); // closes [0, 1) at 1:10, revision 0
            Assert.Equal([(T0.AddMinutes(70 / 60.0), T0, 0)], seen.Select(s => (s.At, s.Window.Start, s.Window.Revision)));
            source.OnNext(At("a", 0.75, 3)); // within lateness: revision 1
            Assert.Equal(1, seen[^1].Window.Revision);
            clock.AdvanceTo(new DateTimeOffset(T0.AddMinutes(3))); // final now, no new emission for it
            Assert.Equal(2, seen.Count);
            clock.AdvanceTo(new DateTimeOffset(T0.AddMinutes(4))); // [1, 2) closed by the clock at 2:00 + 2:00
            Assert.Equal([T0, T0, T0.AddMinutes(1)], seen.Select(s => s.Window.Start));
            Assert.Equal(T0.AddMinutes(4), seen[^1].At);
            source.OnNext(At("a", 0.9, 4)); // too late now
            source.OnCompleted();
            Assert.Equal(3, seen.Count);
            Assert.Equal(1, report.Final.For("a").Late);
        }
    }

    [Fact]
    public void EmitEmpty_QuietSeriesGetsAnEmptyWindowPerPeriod_UntilDisposed()
    {
        var (clock, source, seen, sub) = Start(OneMinute with { EmitEmpty = true });
        Deliver(clock, source, At("a", 0.5, 1));
        clock.AdvanceTo(new DateTimeOffset(T0.AddMinutes(4)));
        Assert.Equal([T0.AddMinutes(1), T0.AddMinutes(2), T0.AddMinutes(3), T0.AddMinutes(4)], seen.Select(s => s.At));
        Assert.Equal([1L, 0, 0, 0], seen.Select(s => s.Window.Stats.Count));
        Assert.Equal([T0, T0.AddMinutes(1), T0.AddMinutes(2), T0.AddMinutes(3)], seen.Select(s => s.Window.Start));

        sub.Dispose();
        clock.AdvanceTo(new DateTimeOffset(T0.AddMinutes(10)));
        Assert.Equal(4, seen.Count); // disposal cancelled the timers
        Assert.False(source.HasObservers);
    }

    [Fact]
    public void ClockAndEvents_WithoutLateness_GiveTheSameWindowsAsTheBatchTwin()
    {
        var rng = new Random(4);
        var input = new List<LabeledObservation>();
        for (var i = 0; i < 400; i++)
        {
            input.Add(At("s" + rng.Next(4), i * 0.37, rng.NextDouble() < 0.1 ? null : rng.Next(50)));
        }

        var (clock, source, seen, sub) = Start(OneMinute);
        using (sub)
        {
            foreach (var o in input)
            {
                Deliver(clock, source, o);
            }

            // Before completion every window was closed by the clock or an event, never before its end.
            Assert.All(seen, s => Assert.True(s.At >= s.Window.End));
            source.OnCompleted();
        }

        // In timestamp-ordered replay without lateness the clock only closes windows earlier; contents are identical.
        var batch = WindowBatch.Tumble(input, OneMinute).Windows;
        Assert.Equal(batch.OrderBy(w => (w.Series, w.Start)), seen.Select(s => s.Window).OrderBy(w => (w.Series, w.Start)));
    }

    [Fact]
    public void ClockDrivenReplay_IsDeterministic()
    {
        static List<(DateTime, WindowAggregate)> RunOnce()
        {
            var clock = new HistoricalScheduler(new DateTimeOffset(T0));
            var seen = new List<(DateTime, WindowAggregate)>();
            // A virtual-time source: events scheduled on the same clock at their timestamps.
            var source = Observable.Generate(0, i => i < 50, i => i + 1, i => At("s" + (i % 2), i * 0.7, i), i => new DateTimeOffset(At("x", i * 0.7, 0).Timestamp), clock);
            using var sub = source.Tumble(OneMinute with { EmitEmpty = true, AllowedLateness = TimeSpan.FromSeconds(30) }, clock)
                .Subscribe(w => seen.Add((clock.Now.UtcDateTime, w)));
            clock.AdvanceTo(new DateTimeOffset(T0.AddHours(1)));
            return seen;
        }

        var first = RunOnce();
        Assert.NotEmpty(first);
        Assert.Equal(first, RunOnce());
    }
}
