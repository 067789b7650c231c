using System.Reactive.Linq;
using System.Reactive.Subjects;
using Workbench.Core;
using Workbench.Operators.Detection;
using static Workbench.Tests.Operators.OperatorTestKit;

namespace Workbench.Tests.Operators.Detection;

public class ZScoreDetectorTests
{
    [Fact]
    public void Score_HandComputed_UsesPreviousWindowOnly()
    {
        // Window 3 over 1, 2, 3 -> mean 2, sample sd 1; next value 5 -> z = 3. Then window 2, 3, 5 -> mean 10/3,
        // sd = sqrt(((2-10/3)^2 + (3-10/3)^2 + (5-10/3)^2) / 2) = sqrt(7/3); value 2 -> |2 - 10/3| / sqrt(7/3).
        var scores = AssertStreamEqualsBatch(new ZScoreDetector(3, 4), Series("s", 1, 2, 3, 5, 2)).Select(s => s.Score).ToArray();

        Assert.Equal([null, null, null], scores[..3]);
        Assert.Equal(3.0, scores[3]!.Value, 12);
        Assert.Equal(Math.Abs(2 - (10.0 / 3)) / Math.Sqrt(7.0 / 3), scores[4]!.Value, 12);
    }

    [Fact]
    public void Missing_GetsNoScore_AndLeavesTheBaselineUnchanged()
    {
        var withGap = AssertStreamEqualsBatch(new ZScoreDetector(3, 4), Series("s", 1, 2, null, 3, 5));
        var without = AssertStreamEqualsBatch(new ZScoreDetector(3, 4), Series("s", 1, 2, 3, 5));

        Assert.Null(withGap[2].Score);
        Assert.Equal(without[3].Score, withGap[4].Score);
    }

    [Fact]
    public void FlatBaseline_GivesFiniteScore_ZeroWhenUnchanged()
    {
        var scores = AssertStreamEqualsBatch(new ZScoreDetector(2, 4), Series("s", 7, 7, 7, 8)).Select(s => s.Score).ToArray();
        Assert.Equal(0, scores[2]);
        Assert.True(scores[3] > 1e6 && double.IsFinite(scores[3]!.Value));
    }

    [Fact]
    public void PerSeries_StateIsIsolated()
    {
        var a = Series("a", 1, 2, 3, 5, 2);
        var b = Series("b", 100, -50, 7, 1e6, 3);
        var mixed = AssertStreamEqualsBatch(new ZScoreDetector(3, 4), Interleave(a, b));
        var alone = AssertStreamEqualsBatch(new ZScoreDetector(3, 4), a);

        Assert.Equal(alone.Select(s => s.Score), mixed.Where(s => s.Observation.Series == "a").Select(s => s.Score));
    }

    [Fact]
    public void Output_CarriesObservationAndLabelThrough()
    {
        var input = Series("s", 1, 2, 3, 50);
        input[3] = input[3] with { Label = AnomalyLabel.Anomaly(AnomalyKind.Spike, 0) };
        var scored = AssertStreamEqualsBatch(new ZScoreDetector(3, 4), input);
        Assert.Equal(input, scored.Select(s => s.Observation));
    }

    [Fact]
    public void Flag_AtThreshold_IsInclusive_NullNeverFlags()
    {
        var flagged = Series("s", 1, 2, 3, 5).ToObservable().DetectAndFlag(new ZScoreDetector(3, 3)).ToList().Wait();
        Assert.Equal([false, false, false, true], flagged.Select(f => f.Flag));
        Assert.Equal(flagged, DetectorBatch.Flag(DetectorBatch.Score(new ZScoreDetector(3, 3), Series("s", 1, 2, 3, 5)), 3));
    }

    [Fact]
    public void Subscriptions_AreIndependent_AndErrorsPassThroughOnce()
    {
        var subject = new Subject<LabeledObservation>();
        var detect = subject.Detect(new ZScoreDetector(2, 4));
        var first = new List<double?>();
        var second = new List<double?>();
        Exception? error = null;
        var completed = 0;
        using var s1 = detect.Subscribe(s => first.Add(s.Score), e => error = e, () => completed++);
        foreach (var o in Series("s", 1, 2, 4))
        {
            subject.OnNext(o);
        }

        using var s2 = detect.Subscribe(s => second.Add(s.Score), _ => { });
        foreach (var o in Series("s", 8, 9))
        {
            subject.OnNext(o with { Timestamp = o.Timestamp.AddHours(1) });
        }

        var boom = new InvalidOperationException("boom");
        subject.OnError(boom);
        subject.OnNext(Series("s", 1)[0]);

        Assert.Equal(5, first.Count);
        Assert.Equal([null, null], second); // a fresh subscription starts with a fresh baseline
        Assert.Same(boom, error);
        Assert.Equal(0, completed);
    }

    [Fact]
    public void Dispose_StopsOutput()
    {
        var subject = new Subject<LabeledObservation>();
        var seen = 0;
        var sub = subject.Detect(new ZScoreDetector(2, 4)).Subscribe(_ => seen++);
        subject.OnNext(Series("s", 1)[0]);
        sub.Dispose();
        subject.OnNext(Series("s", 2)[0]);
        Assert.Equal(1, seen);
        Assert.False(subject.HasObservers);
    }
}
