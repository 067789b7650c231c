using Workbench.Core;

namespace Workbench.Tests.Core;

public class DatasetSummaryTests
{
    private static readonly DateTime T0 = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Of_CountsRowsSeriesMissingPointsAndDistinctEventsPerKind()
    {
        var b1 = new ObservationBatch(["a", "b", "c"], 8);
        b1.Add(0, T0, 1, AnomalyLabel.Normal);
        b1.Add(1, T0, null, AnomalyLabel.Anomaly(AnomalyKind.Missing, 0));
        b1.Add(0, T0.AddMinutes(1), 9, AnomalyLabel.Anomaly(AnomalyKind.Spike, 0));
        b1.Add(1, T0.AddMinutes(1), null, AnomalyLabel.Anomaly(AnomalyKind.Missing, 0));
        var b2 = new ObservationBatch(["a", "b", "c"], 8);
        b2.Add(0, T0.AddMinutes(2), 9, AnomalyLabel.Anomaly(AnomalyKind.Spike, 1));
        b2.Add(1, T0.AddMinutes(2), 3, AnomalyLabel.Anomaly(AnomalyKind.Spike, 1));
        b2.Add(0, T0.AddMinutes(3), 2, new AnomalyLabel(true, null, null));

        var s = DatasetSummary.Of([b1, b2]);

        Assert.Equal(7, s.Rows);
        Assert.Equal(2, s.Series);
        Assert.Equal(2, s.SeriesWithAnomalies);
        Assert.Equal(2, s.MissingValues);
        Assert.Equal(T0, s.First);
        Assert.Equal(T0.AddMinutes(3), s.Last);
        Assert.Equal(new Dictionary<string, long> { ["missing"] = 2, ["spike"] = 3, ["unknown"] = 1 }, s.AnomalyPoints);
        // spike: (a,0), (a,1), (b,1) are three distinct events; missing: (b,0) is one.
        Assert.Equal(new Dictionary<string, long> { ["missing"] = 1, ["spike"] = 3, ["unknown"] = 1 }, s.AnomalyEvents);
    }

    [Fact]
    public void Of_Empty_IsAllZero()
    {
        var s = DatasetSummary.Of([]);
        Assert.Equal(0, s.Rows);
        Assert.Equal(0, s.Series);
        Assert.Null(s.First);
        Assert.Empty(s.AnomalyPoints);
        Assert.Empty(s.AnomalyEvents);
    }
}
