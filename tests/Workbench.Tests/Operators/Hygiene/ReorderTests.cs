using System.Reactive;
using System.Reactive.Linq;
using System.Reactive.Subjects;
using Workbench.Core;
using Workbench.Operators.Hygiene;
using static Workbench.Tests.Operators.Hygiene.HygieneTestKit;

namespace Workbench.Tests.Operators.Hygiene;

public class ReorderTests
{
    private static HygieneResult Run(ReorderOptions options, IReadOnlyList<LabeledObservation> input)
    {
        var late = new List<LabeledObservation>();
        var result = AssertStreamEqualsBatch(input, (s, r) => s.Reorder(options, Observer.Create<LabeledObservation>(late.Add), r), i => HygieneBatch.Reorder(i, options));
        Assert.Equal(result.Late, late);
        return result;
    }

    [Fact]
    public void Reorder_WithinBound_RestoresOrder_CountsReordered()
    {
        // Arrival: 0, 2, 1, 3, 5, 4 with lateness 2 minutes: nothing is late.
        List<LabeledObservation> input = [Obs("a", 0, 0), Obs("a", 2, 2), Obs("b", 1, 1), Obs("a", 3, 3), Obs("b", 5, 5), Obs("a", 4, 4)];
        var result = Run(new ReorderOptions(TimeSpan.FromMinutes(2)), input);
        Assert.Equal([0, 1, 2, 3, 4, 5], result.Output.Select(o => o.Value));
        Assert.Equal((1L, 1L), (result.Report.For("a").Reordered, result.Report.For("b").Reordered));
        Assert.Equal(0, result.Report.Total.Late);
        Assert.Empty(result.Late);
    }

    [Fact]
    public void Reorder_BeyondBound_LateIsCountedAndDiverted()
    {
        // Lateness 1 minute. After minute 5 arrives the watermark is 4: minute 3 is late, minute 4 is not.
        List<LabeledObservation> input = [Obs("a", 0, 0), Obs("a", 5, 5), Obs("b", 3, 3), Obs("a", 4, 4), Obs("b", 6, 6)];
        var result = Run(new ReorderOptions(TimeSpan.FromMinutes(1)), input);
        Assert.Equal([0, 4, 5, 6], result.Output.Select(o => o.Value));
        Assert.Equal([Obs("b", 3, 3)], result.Late);
        var b = result.Report.For("b");
        Assert.Equal((1L, 1L, 1L), (b.Late, b.Diverted, b.Dropped));
        Assert.Equal(1, result.Report.For("a").Reordered);
    }

    [Fact]
    public void Reorder_WithoutSideChannel_LateIsDropped()
    {
        List<LabeledObservation> input = [Obs("a", 5, 5), Obs("a", 1, 1)];
        var recorder = new ReportRecorder();
        var output = input.ToObservable().Reorder(new ReorderOptions(TimeSpan.Zero), report: recorder).ToList().Wait();
        Assert.Equal([Obs("a", 5, 5)], output);
        Assert.Equal((1L, 0L, 1L), (recorder.Final.Total.Late, recorder.Final.Total.Diverted, recorder.Final.Total.Dropped));
    }

    [Fact]
    public void Reorder_ZeroLateness_KeepsEqualTimestampsInArrivalOrder()
    {
        List<LabeledObservation> input = [Obs("a", 1, 1), Obs("b", 1, 2), Obs("a", 1, 3), Obs("a", 0, 9), Obs("b", 2, 4)];
        var result = Run(new ReorderOptions(TimeSpan.Zero), input);
        Assert.Equal([1, 2, 3, 4], result.Output.Select(o => o.Value));
        Assert.Equal(1, result.Report.Total.Late);
    }

    [Fact]
    public void Reorder_ReleasesWhenTheWatermarkPasses()
    {
        var subject = new Subject<LabeledObservation>();
        var seen = new List<double?>();
        using var sub = subject.Reorder(new ReorderOptions(TimeSpan.FromMinutes(2))).Subscribe(o => seen.Add(o.Value));
        subject.OnNext(Obs("a", 0, 0));
        subject.OnNext(Obs("a", 2, 2));
        Assert.Empty(seen); // watermark 0: minute 0 is not strictly below it
        subject.OnNext(Obs("a", 3, 3));
        Assert.Equal([0], seen); // watermark 1
        subject.OnNext(Obs("a", 1, 1));
        Assert.Equal([0], seen);
        subject.OnNext(Obs("a", 10, 10));
        Assert.Equal([0, 1, 2, 3], seen);
        subject.OnCompleted();
        Assert.Equal([0, 1, 2, 3, 10], seen);
    }

    [Fact]
    public void Reorder_RandomBoundedDisplacement_EqualsSortedInput_StreamEqualsBatch()
    {
        var rng = new Random(9);
        var ordered = Enumerable.Range(0, 2000).Select(i => Obs("s" + (i % 3), i, i)).ToList();
        // Each event is delayed by up to 5 minutes of arrival jitter.
        var shuffled = ordered.Select(o => (o, key: o.Timestamp.AddMinutes(rng.NextDouble() * 5))).OrderBy(t => t.key).Select(t => t.o).ToList();
        var result = Run(new ReorderOptions(TimeSpan.FromMinutes(5)), shuffled);
        Assert.Equal(ordered, result.Output);
        Assert.Equal(0, result.Report.Total.Late);
        Assert.True(result.Report.Total.Reordered > 100);

        var tight = Run(new ReorderOptions(TimeSpan.FromMinutes(1)), shuffled);
        Assert.True(tight.Report.Total.Late > 0);
        Assert.Equal(ordered.Except(tight.Late), tight.Output);
    }

    [Fact]
    public void Reorder_SideChannel_CompletesAndFailsWithTheSource()
    {
        var subject = new Subject<LabeledObservation>();
        var lateDone = 0;
        Exception? lateError = null;
        var side = Observer.Create<LabeledObservation>(_ => { }, e => lateError = e, () => lateDone++);
        using (subject.Reorder(new ReorderOptions(TimeSpan.Zero), side).Subscribe(_ => { }, _ => { }))
        {
            subject.OnCompleted();
        }

        Assert.Equal(1, lateDone);
        var failing = new Subject<LabeledObservation>();
        var failingSide = Observer.Create<LabeledObservation>(_ => { }, e => lateError = e);
        using (failing.Reorder(new ReorderOptions(TimeSpan.Zero), failingSide).Subscribe(_ => { }, _ => { }))
        {
            failing.OnError(new InvalidOperationException("x"));
        }

        Assert.IsType<InvalidOperationException>(lateError);
    }

    [Fact]
    public void Options_Invalid_Throw() =>
        Assert.Equal("Lateness", Assert.Throws<ArgumentOutOfRangeException>(() =>
            Observable.Empty<LabeledObservation>().Reorder(new ReorderOptions(TimeSpan.FromTicks(-1)))).ParamName);
}
