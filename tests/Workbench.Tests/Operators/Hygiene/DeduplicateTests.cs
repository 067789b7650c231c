using System.Reactive.Linq;
using System.Reactive.Subjects;
using Workbench.Core;
using Workbench.Operators.Hygiene;
using static Workbench.Tests.Operators.Hygiene.HygieneTestKit;

namespace Workbench.Tests.Operators.Hygiene;

public class DeduplicateTests
{
    // Minute 0: a=1, b=10, a=2 (dup), a=3 (dup); minute 1: b=11, b=12 (dup), a=4; minute 2: a=5.
    private static readonly List<LabeledObservation> Input =
    [
        Obs("a", 0, 1), Obs("b", 0, 10), Obs("a", 0, 2), Obs("a", 0, 3),
        Obs("b", 1, 11), Obs("b", 1, 12), Obs("a", 1, 4),
        Obs("a", 2, 5),
    ];

    private static HygieneResult Run(DeduplicateOptions options, IReadOnlyList<LabeledObservation>? input = null) =>
        AssertStreamEqualsBatch(input ?? Input, (s, r) => s.Deduplicate(options, r), i => HygieneBatch.Deduplicate(i, options));

    [Fact]
    public void Deduplicate_KeepFirst_DropsLaterRepeats()
    {
        var result = Run(new DeduplicateOptions());
        Assert.Equal([1, 10, 11, 4, 5], result.Output.Select(o => o.Value));
        Assert.Equal((2L, 2L), (result.Report.For("a").Duplicates, result.Report.For("a").Dropped));
        Assert.Equal(1, result.Report.For("b").Duplicates);
        Assert.Equal((8L, 5L, 3L), (result.Report.Total.Seen, result.Report.Total.Emitted, result.Report.Total.Duplicates));
    }

    [Fact]
    public void Deduplicate_KeepLast_KeepsLastValueAtFirstPosition()
    {
        var result = Run(new DeduplicateOptions(DuplicatePolicy.KeepLast));
        Assert.Equal(["a", "b", "b", "a", "a"], result.Output.Select(o => o.Series));
        Assert.Equal([3, 10, 12, 4, 5], result.Output.Select(o => o.Value));
        Assert.Equal(3, result.Report.Total.Duplicates);
    }

    [Fact]
    public void Deduplicate_KeepLast_HoldsAnInstantUntilALaterTimestamp()
    {
        var subject = new Subject<LabeledObservation>();
        var seen = new List<double?>();
        using var sub = subject.Deduplicate(new DeduplicateOptions(DuplicatePolicy.KeepLast)).Subscribe(o => seen.Add(o.Value));
        subject.OnNext(Obs("a", 0, 1));
        subject.OnNext(Obs("a", 0, 2));
        Assert.Empty(seen);
        subject.OnNext(Obs("a", 1, 3));
        Assert.Equal([2], seen);
        subject.OnCompleted();
        Assert.Equal([2, 3], seen);
    }

    [Fact]
    public void Deduplicate_KeepFirst_PassesOnAtOnce()
    {
        var subject = new Subject<LabeledObservation>();
        var seen = new List<double?>();
        using var sub = subject.Deduplicate().Subscribe(o => seen.Add(o.Value));
        subject.OnNext(Obs("a", 0, 1));
        Assert.Equal([1], seen);
    }

    [Fact]
    public void Deduplicate_LabelsAndMissingValues_AreCarried_ValuesNotCompared()
    {
        var spike = Obs("a", 0, null) with { Label = AnomalyLabel.Anomaly(AnomalyKind.Spike, 1) };
        var result = Run(new DeduplicateOptions(), [spike, Obs("a", 0, 7), Obs("a", 1, null)]);
        Assert.Equal([spike, Obs("a", 1, null)], result.Output);
    }

    [Fact]
    public void Deduplicate_EarlierTimestamp_FailsWithOrderException()
    {
        List<LabeledObservation> input = [Obs("a", 1, 1), Obs("b", 0, 2)];
        var e = Assert.Throws<ObservationOrderException>(() => HygieneBatch.Deduplicate(input));
        Assert.Equal(("b", T0, T0.AddMinutes(1)), (e.Series, e.Timestamp, e.Previous));

        var recorder = new ReportRecorder();
        Exception? error = null;
        input.ToObservable().Deduplicate(null, recorder).Subscribe(_ => { }, ex => error = ex);
        Assert.IsType<ObservationOrderException>(error);
        Assert.Same(error, recorder.Error);
    }

    [Fact]
    public void Deduplicate_ManySeries_StreamEqualsBatch()
    {
        var rng = new Random(5);
        var input = new List<LabeledObservation>();
        for (var minute = 0; minute < 200; minute++)
        {
            for (var k = 0; k < 6; k++)
            {
                input.Add(Obs("s" + rng.Next(4), minute, rng.Next(100)));
            }
        }

        foreach (var keep in new[] { DuplicatePolicy.KeepFirst, DuplicatePolicy.KeepLast })
        {
            var result = Run(new DeduplicateOptions(keep), input);
            Assert.Equal(input.Select(o => (o.Series, o.Timestamp)).Distinct().Count(), result.Output.Count);
            Assert.Equal(input.Count - result.Output.Count, result.Report.Total.Duplicates);
        }
    }

    [Fact]
    public void Dispose_StopsOutput()
    {
        var subject = new Subject<LabeledObservation>();
        var seen = 0;
        var sub = subject.Deduplicate().Subscribe(_ => seen++);
        subject.OnNext(Obs("a", 0, 1));
        sub.Dispose();
        subject.OnNext(Obs("a", 1, 1));
        Assert.Equal(1, seen);
        Assert.False(subject.HasObservers);
    }

    [Fact]
    public void Options_Invalid_Throw() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Observable.Empty<LabeledObservation>().Deduplicate(new DeduplicateOptions((DuplicatePolicy)5)));
}
