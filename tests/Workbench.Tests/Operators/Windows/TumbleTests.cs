using System.Reactive.Linq;
using System.Reactive.Subjects;
using Workbench.Core;
using Workbench.Operators.Windows;
using Workbench.Tests.Operators.Hygiene;
using static Workbench.Tests.Operators.Windows.WindowTestKit;

namespace Workbench.Tests.Operators.Windows;

public class TumbleTests
{
    private static readonly TumblingOptions OneMinute = new(TimeSpan.FromMinutes(1));

    // a: 0:10 -> 1, 0:50 -> 3, 1:20 -> missing, 1:40 -> 5, 3:05 -> 2.
    private static readonly List<LabeledObservation> Input =
    [
        At("a", 10 / 60.0, 1), At("a", 50 / 60.0, 3), At("a", 80 / 60.0, null), At("a", 100 / 60.0, 5), At("a", 185 / 60.0, 2),
    ];

    private static WindowAggregate W(string series, int startMinute, WindowStats stats, int revision = 0, int minutes = 1) =>
        new(series, T0.AddMinutes(startMinute), T0.AddMinutes(startMinute + minutes), stats, revision);

    [Fact]
    public void Tumble_OneMinute_HandComputed_EmptySkippedByDefault()
    {
        var result = Tumble(Input, OneMinute);
        Assert.Equal([W("a", 0, Stats(1, 3)), W("a", 1, Stats(null, 5)), W("a", 3, Stats(2))], result.Windows);
        Assert.Equal(new WindowStats(1, 1, 5, 5, 5, 5, 5, 5), result.Windows[1].Stats);
        Assert.Equal(0, result.Report.Total.Late);
        Assert.Equal("tumble", result.Report.Stage);
    }

    [Fact]
    public void Tumble_EmitEmpty_EmitsCountZeroWindowsBetweenObservations()
    {
        var result = Tumble(Input, OneMinute with { EmitEmpty = true });
        Assert.Equal([W("a", 0, Stats(1, 3)), W("a", 1, Stats(null, 5)), W("a", 2, Stats()), W("a", 3, Stats(2))], result.Windows);
        Assert.Equal(new WindowStats(0, 0, 0, null, null, null, null, null), result.Windows[2].Stats);
    }

    [Fact]
    public void Tumble_ClosesWhenAnEventPastTheEndArrives_AndFlushesAtCompletion()
    {
        var subject = new Subject<LabeledObservation>();
        var seen = new List<WindowAggregate>();
        var completed = false;
        using var sub = subject.Tumble(OneMinute).Subscribe(seen.Add, () => completed = true);
        subject.OnNext(Input[0]);
        subject.OnNext(Input[1]);
        Assert.Empty(seen);
        subject.OnNext(At("b", 5, 9)); // another series does not close a's window
        Assert.Empty(seen);
        subject.OnNext(At("a", 1, 4)); // exactly at the end: belongs to the next window and closes [0, 1)
        Assert.Equal([W("a", 0, Stats(1, 3))], seen);
        subject.OnCompleted();
        // Flush: series in order of first appearance.
        Assert.Equal([W("a", 0, Stats(1, 3)), W("a", 1, Stats(4)), W("b", 5, Stats(9))], seen);
        Assert.True(completed);
    }

    [Fact]
    public void Tumble_LateEvent_WithoutLateness_IsDroppedAndCounted()
    {
        List<LabeledObservation> input = [At("a", 0.5, 1), At("a", 2.5, 2), At("a", 0.7, 100), At("b", 0.2, 1)];
        var result = Tumble(input, OneMinute);
        Assert.Equal([W("a", 0, Stats(1)), W("a", 2, Stats(2)), W("b", 0, Stats(1))], result.Windows);
        var a = result.Report.For("a");
        Assert.Equal((3L, 2L, 1L, 1L), (a.Seen, a.Emitted, a.Late, a.Dropped));
        Assert.Equal(0, result.Report.For("b").Late);
    }

    [Fact]
    public void Tumble_AllowedLateness_ReEmitsWithNextRevision_ThenDrops()
    {
        // Lateness 2 minutes. 0:30 -> 1; 1:10 closes [0,1) (rev 0); 0:20 late but allowed: [0,1) rev 1 with first = 7
        // (earlier timestamp); 3:30 makes [0,1) final (3:30 >= 1:00 + 2:00) and closes [1,2); 0:40 is then dropped.
        List<LabeledObservation> input = [At("a", 0.5, 1), At("a", 70 / 60.0, 4), At("a", 20 / 60.0, 7), At("a", 3.5, 5), At("a", 40 / 60.0, 9)];
        var result = Tumble(input, OneMinute with { AllowedLateness = TimeSpan.FromMinutes(2) });
        Assert.Equal(
        [
            W("a", 0, Stats(1)),
            W("a", 0, new WindowStats(2, 0, 8, 4, 1, 7, 7, 1), revision: 1),
            W("a", 1, Stats(4)),
            W("a", 3, Stats(5)),
        ], result.Windows);
        Assert.Equal(1, result.Report.Total.Late);
    }

    [Fact]
    public void Tumble_AllowedLateness_LateEventForAWindowNeverEmitted_IsEmittedOnce()
    {
        // 0:30, then 2:30 (closes [0,1)), then 1:30 (window [1,2) did not exist; it is past its end, so it is emitted now).
        List<LabeledObservation> input = [At("a", 0.5, 1), At("a", 2.5, 2), At("a", 1.5, 3)];
        var result = Tumble(input, OneMinute with { AllowedLateness = TimeSpan.FromMinutes(5) });
        Assert.Equal([W("a", 0, Stats(1)), W("a", 1, Stats(3)), W("a", 2, Stats(2))], result.Windows);
    }

    [Theory]
    [InlineData(15, 7.5)] // 15-minute windows align on quarter hours
    [InlineData(60, 59.0)]
    [InlineData(1440, 10 * 60)] // 23:00 -> the day starting at midnight
    public void Tumble_AlignsOnUtcBoundaries(int sizeMinutes, double offsetMinutes)
    {
        var t = new DateTime(2024, 3, 1, 13, 0, 0, DateTimeKind.Utc).AddMinutes(offsetMinutes);
        var result = Tumble([LabeledObservation.Normal("a", t, 1)], new TumblingOptions(TimeSpan.FromMinutes(sizeMinutes)));
        var w = Assert.Single(result.Windows);
        Assert.Equal(0, (w.Start - DateTime.UnixEpoch).Ticks % TimeSpan.FromMinutes(sizeMinutes).Ticks);
        Assert.True(w.Start <= t && t < w.End);
        Assert.Equal(DateTimeKind.Utc, w.Start.Kind);
        if (sizeMinutes == 1440)
        {
            Assert.Equal(new DateTime(2024, 3, 1, 0, 0, 0, DateTimeKind.Utc), w.Start);
        }
    }

    [Fact]
    public void Tumble_MultiDayWindows_AlignOnTheOrigin_AndBeforeIt()
    {
        // 2-day windows from the Unix epoch: 2024-03-01 is day 19783 (odd) -> the window starts on 2024-02-29.
        var result = Tumble([At("a", 0, 1)], new TumblingOptions(TimeSpan.FromDays(2)));
        Assert.Equal(new DateTime(2024, 2, 29, 0, 0, 0, DateTimeKind.Utc), result.Windows[0].Start);

        // Before the origin the grid continues (floor, not truncation toward the origin).
        var early = new DateTime(1969, 12, 31, 22, 30, 0, DateTimeKind.Utc);
        var hourly = Tumble([LabeledObservation.Normal("a", early, 1)], new TumblingOptions(TimeSpan.FromHours(1)));
        Assert.Equal(new DateTime(1969, 12, 31, 22, 0, 0, DateTimeKind.Utc), hourly.Windows[0].Start);

        var custom = Tumble([At("a", 7, 1)], new TumblingOptions(TimeSpan.FromMinutes(15)) { Origin = T0.AddMinutes(5) });
        Assert.Equal(T0.AddMinutes(5), custom.Windows[0].Start);
    }

    [Fact]
    public void Tumble_RandomMultiSeries_StreamEqualsBatch_AndPerSeriesIsolation()
    {
        var rng = new Random(23);
        var input = new List<LabeledObservation>();
        for (var i = 0; i < 3000; i++)
        {
            // Mostly ordered with some lateness, three series, missing values.
            var minute = (i / 10.0) - (rng.NextDouble() < 0.2 ? rng.NextDouble() * 4 : 0);
            input.Add(At("s" + rng.Next(3), minute, rng.NextDouble() < 0.1 ? null : rng.Next(100)));
        }

        foreach (var options in new[]
        {
            OneMinute,
            OneMinute with { EmitEmpty = true },
            OneMinute with { AllowedLateness = TimeSpan.FromMinutes(2) },
            new TumblingOptions(TimeSpan.FromMinutes(5)) { AllowedLateness = TimeSpan.FromMinutes(1), EmitEmpty = true },
        })
        {
            var all = Tumble(input, options);
            var alone = Tumble(input.Where(o => o.Series == "s1").ToList(), options);
            Assert.Equal(alone.Windows, all.Windows.Where(w => w.Series == "s1"));
            Assert.Equal(alone.Report.For("s1"), all.Report.For("s1"));

            // Every accepted event is in exactly one final window revision.
            var final = all.Windows.GroupBy(w => (w.Series, w.Start)).Select(g => g.MaxBy(w => w.Revision)).ToList();
            Assert.Equal(all.Report.Total.Emitted, final.Sum(w => w.Stats.Observations));
        }
    }

    [Fact]
    public void Tumble_ErrorsPassThroughOnce_WithFinalReport()
    {
        var subject = new Subject<LabeledObservation>();
        var recorder = new HygieneTestKit.ReportRecorder();
        Exception? error = null;
        var seen = 0;
        using var sub = subject.Tumble(OneMinute, report: recorder).Subscribe(_ => seen++, e => error = e);
        subject.OnNext(Input[0]);
        var boom = new InvalidOperationException("boom");
        subject.OnError(boom);
        Assert.Same(boom, error);
        Assert.Same(boom, recorder.Error);
        Assert.Equal(1, recorder.Final.Total.Seen);
        Assert.Equal(0, seen); // no flush on error
    }

    [Fact]
    public void Tumble_Dispose_StopsOutput()
    {
        var subject = new Subject<LabeledObservation>();
        var seen = 0;
        var sub = subject.Tumble(OneMinute).Subscribe(_ => seen++);
        subject.OnNext(Input[0]);
        sub.Dispose();
        subject.OnNext(Input[4]);
        subject.OnCompleted();
        Assert.Equal(0, seen);
        Assert.False(subject.HasObservers);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-60)]
    [InlineData(7)] // 7 minutes does not divide a day
    [InlineData(25 * 60)] // 25 hours is not a whole number of days
    public void Options_BadSize_Throws(int minutes) =>
        Assert.Equal("Size", Assert.Throws<ArgumentOutOfRangeException>(() =>
            Observable.Empty<LabeledObservation>().Tumble(new TumblingOptions(TimeSpan.FromMinutes(minutes)))).ParamName);

    [Fact]
    public void Options_BadLatenessOrOrigin_Throw()
    {
        var source = Observable.Empty<LabeledObservation>();
        Assert.Equal("AllowedLateness", Assert.Throws<ArgumentOutOfRangeException>(() => source.Tumble(OneMinute with { AllowedLateness = TimeSpan.FromSeconds(-1) })).ParamName);
        Assert.Equal("Origin", Assert.Throws<ArgumentOutOfRangeException>(() => source.Tumble(OneMinute with { Origin = new DateTime(2024, 1, 1) })).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => source.Tumble(OneMinute, reportEvery: -1));
        foreach (var size in new[] { 1, 60, 900, 3600, 86400, 7 * 86400 })
        {
            new TumblingOptions(TimeSpan.FromSeconds(size)).Validate();
        }
    }
}
