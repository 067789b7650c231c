using System.Reactive.Linq;
using Workbench.Core;
using Workbench.Operators.Hygiene;
using static Workbench.Tests.Operators.Hygiene.HygieneTestKit;

namespace Workbench.Tests.Operators.Hygiene;

public class GapTests
{
    private static readonly GapOptions OneMinute = new(TimeSpan.FromMinutes(1));

    // a: 0, 1, 4 (gap of 3 min: 2 missing), 5, 7 (2 min: 1 missing), 7.4 (fine);  b: 0, 1.5 (1.5 min: not a gap), 10 (8.5 min: round half up 8.5 - 1 = 8 missing)
    private static readonly List<LabeledObservation> Input =
    [
        Obs("a", 0, 1), Obs("b", 0, 1), Obs("a", 1, 2),
        LabeledObservation.Normal("b", T0.AddMinutes(1.5), null),
        Obs("a", 4, 3), Obs("a", 5, 4), Obs("a", 7, null),
        LabeledObservation.Normal("a", T0.AddMinutes(7.4), 6), Obs("b", 10, 2),
    ];

    [Fact]
    public void DetectGaps_HandComputed()
    {
        var gaps = HygieneBatch.DetectGaps(Input, OneMinute);
        Assert.Equal(gaps, Input.ToObservable().DetectGaps(OneMinute).ToList().Wait());
        Assert.Equal(
        [
            new GapEvent("a", T0.AddMinutes(1), T0.AddMinutes(4), TimeSpan.FromMinutes(1), 2),
            new GapEvent("a", T0.AddMinutes(5), T0.AddMinutes(7), TimeSpan.FromMinutes(1), 1),
            new GapEvent("b", T0.AddMinutes(1.5), T0.AddMinutes(10), TimeSpan.FromMinutes(1), 8),
        ], gaps);
        Assert.Equal(TimeSpan.FromMinutes(3), gaps[0].Duration);
    }

    [Fact]
    public void DetectGaps_ToleranceAndPerSeriesCadence()
    {
        // Tolerance 0: any step longer than one cadence is a gap, so b's 1.5-minute step is one too (round(1.5) - 1 = 1
        // estimated missing point); a's 1-minute and 0.4-minute steps are not. With a 5-minute cadence for a (limit
        // 7.5 minutes) none of a's steps is a gap.
        var strict = HygieneBatch.DetectGaps(Input, new GapOptions(TimeSpan.FromMinutes(1), 0));
        Assert.Equal(4, strict.Length);
        Assert.Contains(new GapEvent("b", T0, T0.AddMinutes(1.5), TimeSpan.FromMinutes(1), 1), strict);

        var perSeries = HygieneBatch.DetectGaps(Input, OneMinute with { SeriesCadence = new Dictionary<string, TimeSpan> { ["a"] = TimeSpan.FromMinutes(5) } });
        Assert.Equal(["b"], perSeries.Select(g => g.Series));
    }

    [Fact]
    public void FillGaps_InsertsMissingObservations_AndCounts()
    {
        var result = AssertStreamEqualsBatch(Input, (s, r) => s.FillGaps(OneMinute, r), i => HygieneBatch.FillGaps(i, OneMinute));
        var a = result.Output.Where(o => o.Series == "a").ToList();
        Assert.Equal([0.0, 1, 2, 3, 4, 5, 6, 7, 7.4], a.Select(o => (o.Timestamp - T0).TotalMinutes));
        Assert.Equal([1, 2, null, null, 3, 4, null, null, 6], a.Select(o => o.Value));
        Assert.All(result.Output.Where(o => !Input.Contains(o)), o => Assert.Equal(AnomalyLabel.Normal, o.Label));
        Assert.Equal(Input, result.Output.Where(o => Input.Contains(o)));

        var ca = result.Report.For("a");
        Assert.Equal((2L, 3L, 3L, TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(3)), (ca.Gaps, ca.GapPoints, ca.Filled, ca.GapTime, ca.LongestGap));
        var cb = result.Report.For("b");
        Assert.Equal((1L, 8L, 8L, TimeSpan.FromMinutes(8.5)), (cb.Gaps, cb.GapPoints, cb.Filled, cb.LongestGap));
        Assert.Equal(11, result.Report.Total.Filled);
        Assert.Equal(TimeSpan.FromMinutes(8.5), result.Report.Total.LongestGap);
        // The fills of b come just before the observation that closes the gap, at 2.5, 3.5, ..., 9.5 minutes.
        Assert.Equal([0, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5, 10], result.Output.Where(o => o.Series == "b").Select(o => (o.Timestamp - T0).TotalMinutes));
    }

    [Fact]
    public void Gaps_OutOfOrderSeries_FailsWithOrderException_EqualTimestampsAreFine()
    {
        List<LabeledObservation> input = [Obs("a", 2, 1), Obs("a", 2, 1), Obs("b", 0, 1), Obs("a", 1, 1)];
        var e = Assert.Throws<ObservationOrderException>(() => HygieneBatch.DetectGaps(input, OneMinute));
        Assert.Equal(("a", T0.AddMinutes(1)), (e.Series, e.Timestamp));
        Exception? error = null;
        input.ToObservable().FillGaps(OneMinute).Subscribe(_ => { }, ex => error = ex);
        Assert.IsType<ObservationOrderException>(error);
    }

    [Fact]
    public void Options_Invalid_Throw()
    {
        var source = Observable.Empty<LabeledObservation>();
        Assert.Equal("Cadence", Assert.Throws<ArgumentOutOfRangeException>(() => source.DetectGaps(new GapOptions(TimeSpan.Zero))).ParamName);
        Assert.Equal("Tolerance", Assert.Throws<ArgumentOutOfRangeException>(() => source.FillGaps(new GapOptions(TimeSpan.FromMinutes(1), -0.1))).ParamName);
        Assert.Equal("Tolerance", Assert.Throws<ArgumentOutOfRangeException>(() => source.FillGaps(new GapOptions(TimeSpan.FromMinutes(1), double.NaN))).ParamName);
        Assert.Equal("SeriesCadence", Assert.Throws<ArgumentOutOfRangeException>(() => source.FillGaps(OneMinute with
        {
            SeriesCadence = new Dictionary<string, TimeSpan> { ["x"] = TimeSpan.FromSeconds(-1) },
        })).ParamName);
    }
}
