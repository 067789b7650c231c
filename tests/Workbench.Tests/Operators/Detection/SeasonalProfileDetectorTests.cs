using Workbench.Core;
using Workbench.Operators.Detection;
using static Workbench.Tests.Operators.Detection.DetectorTestKit;
using static Workbench.Tests.Operators.OperatorTestKit;

namespace Workbench.Tests.Operators.Detection;

public class SeasonalProfileDetectorTests
{
    /// <summary>Two slots per day (00:00 and 12:00 UTC), one value each, starting Monday 2024-01-01.</summary>
    private static List<LabeledObservation> TwiceDaily(params double?[] values) =>
        values.Select((v, i) => LabeledObservation.Normal("s", T0.AddHours(12 * i), v)).ToList();

    [Fact]
    public void Mean_HandComputed_PerSlot()
    {
        // Slot 0: 10, 12, 14 (mean 12, sd 2) then 18 -> 3. Slot 1: 100, 110, 90 (mean 100) then 100 -> 0.
        var d = new SeasonalProfileDetector(SlotMinutes: 720, History: 3, Statistic: ProfileStatistic.Mean);
        var scores = AssertStreamEqualsBatch(d, TwiceDaily(10, 100, 12, 110, 14, 90, 18, 100)).Select(s => s.Score).ToArray();
        AssertScores([null, null, null, null, null, null, 3, 0], scores);
    }

    [Fact]
    public void Median_HandComputed_HistoryRingRolls()
    {
        // Slot 0: 10, 12, 14 -> median 12, MAD 2 -> 18 scores 6 / (1.4826 * 2). Then history 12, 14, 18: median 14,
        // MAD median(2, 0, 4) = 2 -> 14 scores 0.
        var d = new SeasonalProfileDetector(SlotMinutes: 720, History: 3);
        var scores = AssertStreamEqualsBatch(d, TwiceDaily(10, 100, 12, 110, 14, 90, 18, 100, 14)).Select(s => s.Score).ToArray();
        AssertScores([null, null, null, null, null, null, 6 / (1.4826 * 2), 0, 0], scores);
    }

    [Fact]
    public void Week_SeparatesWeekdays_MondayIsSlotZero()
    {
        // Daily at 00:00 from Monday: 100 on Mondays, 1 otherwise, for 3 weeks; then week 4's Monday 100 is usual
        // but a Tuesday 100 is not.
        var values = Enumerable.Range(0, 23).Select(i => (double?)(i % 7 == 0 ? 100 : 1)).ToList();
        values[22] = 100; // Tuesday of week 4
        var input = values.Select((v, i) => LabeledObservation.Normal("s", T0.AddDays(i), v)).ToList();
        Assert.Equal(DayOfWeek.Monday, T0.DayOfWeek);
        var d = new SeasonalProfileDetector(SeasonalCycle.Week, 1440, 3);
        var scores = AssertStreamEqualsBatch(d, input).Select(s => s.Score).ToArray();
        Assert.All(scores[..21], s => Assert.Null(s));
        Assert.Equal(0, scores[21]);
        Assert.True(scores[22] > 1e9);
    }

    [Fact]
    public void Missing_GetsNoScore_AndLeavesTheProfileUnchanged()
    {
        var d = new SeasonalProfileDetector(SlotMinutes: 720, History: 3, Statistic: ProfileStatistic.Mean);
        var scores = AssertStreamEqualsBatch(d, TwiceDaily(10, 100, null, 110, 12, 90, 14, 100, 18)).Select(s => s.Score).ToArray();
        AssertScores([null, null, null, null, null, null, null, 0, 3], scores);
    }

    [Theory]
    [InlineData("seasonal-profile(slot=7)", "slot must be a positive divisor of the cycle's 1440 minutes")]
    [InlineData("seasonal-profile(cycle=week,slot=0)", "slot must be a positive divisor of the cycle's 10080 minutes")]
    [InlineData("seasonal-profile(history=2)", "history must be >= 3")]
    [InlineData("seasonal-profile(cycle=month)", "is not one of day, week")]
    [InlineData("seasonal-profile(stat=mode)", "is not one of median, mean")]
    [InlineData("seasonal-profile(threshold=0)", "threshold must be")]
    public void BadSpec_Throws(string spec, string expected) => AssertBadSpec(spec, expected);
}
