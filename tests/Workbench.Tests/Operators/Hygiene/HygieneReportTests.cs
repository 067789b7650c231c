using Workbench.Operators.Hygiene;
using static Workbench.Tests.Operators.Hygiene.HygieneTestKit;

namespace Workbench.Tests.Operators.Hygiene;

public class HygieneReportTests
{
    [Fact]
    public void Report_TotalIsTheSumOfSeries_SeriesOrderedOrdinally_ComparesByValue()
    {
        // Series arrive as "b", "B", "a": the report lists them in ordinal order "B", "a", "b".
        var input = new[] { Obs("b", 0, 1), Obs("b", 0, 2), Obs("B", 0, 3), Obs("a", 1, 4), Obs("a", 1, 5), Obs("a", 1, 6) };
        var report = HygieneBatch.Deduplicate(input).Report;
        Assert.Equal(["B", "a", "b"], report.Series.Select(s => s.Series));
        Assert.Equal(report.Series.Aggregate(default(HygieneCounts), (sum, s) => sum + s.Counts), report.Total);
        Assert.Equal((6L, 3L, 3L), (report.Total.Seen, report.Total.Emitted, report.Total.Duplicates));
        Assert.Equal(default, report.For("never-seen"));

        var again = HygieneBatch.Deduplicate(input).Report;
        Assert.Equal(report, again);
        Assert.Equal(report.GetHashCode(), again.GetHashCode());
        Assert.NotEqual(report, again with { IsFinal = false });
        Assert.Contains("deduplicate (final): 3 series", report.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Counts_Add_TakesTheLongestGap()
    {
        var a = new HygieneCounts(1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 2, TimeSpan.FromMinutes(3), TimeSpan.FromMinutes(3));
        var b = a with { LongestGap = TimeSpan.FromMinutes(5), GapTime = TimeSpan.FromMinutes(5) };
        var sum = a + b;
        Assert.Equal((2L, 2L, 4L, TimeSpan.FromMinutes(8), TimeSpan.FromMinutes(5)), (sum.Seen, sum.Gaps, sum.Filled, sum.GapTime, sum.LongestGap));
    }
}
