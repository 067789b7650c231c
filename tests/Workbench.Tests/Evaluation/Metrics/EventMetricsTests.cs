using Workbench.Evaluation.Metrics;
using static Workbench.Tests.Evaluation.Metrics.MetricsTestKit;

namespace Workbench.Tests.Evaluation.Metrics;

public class EventMetricsTests
{
    [Fact]
    public void Compute_HandComputed_RecallFalseAlarmsAndDelays()
    {
        // Rows:    0 1 2 3 4 5 6 7 8 9 10 11   (one minute apart)
        // labels:  1 1 0 0 0 1 1 1 0 0 1  1    events [0-1] at the start, [5-7], [10-11] at the end
        // flags:   0 1 0 1 1 0 0 1 1 0 0  0
        // Event 1 found at row 1 (delay 1), event 2 at row 7 (delay 2), event 3 missed. False alarms: run 3-4 and the
        // normal tail of the 7-8 run (row 8) = 2 over 5 normal points (rows 2, 3, 4, 8, 9).
        var r = EventMetrics.Compute(B("110001110011"), null, B("010110011000"), Minutes(12));

        Assert.Equal(3, r.EventCount);
        Assert.Equal(2, r.DetectedCount);
        Assert.Equal(1, r.UndetectedCount);
        Assert.Equal(2.0 / 3, r.Recall, 15);
        Assert.Equal(
            [
                new EventDetection(0, null, 0, 1, 2, 1, 1, TimeSpan.FromMinutes(1)),
                new EventDetection(0, null, 5, 7, 3, 7, 2, TimeSpan.FromMinutes(2)),
                new EventDetection(0, null, 10, 11, 2, null, null, null),
            ],
            r.Events);
        Assert.Equal(5, r.NormalPointCount);
        Assert.Equal(2, r.FalseAlarmCount);
        Assert.Equal(400.0, r.FalseAlarmsPer1000Normal, 12);
        Assert.Equal(TimeSpan.FromMinutes(11), r.ObservedDuration);
        Assert.Equal(2 / (11.0 / 1440), r.FalseAlarmsPerDay!.Value, 9);
        Assert.Equal(1.5, r.MeanDelayRows);
        Assert.Equal(1.5, r.MedianDelayRows);
        Assert.Equal(TimeSpan.FromSeconds(90), r.MeanDelay);
        Assert.Equal(TimeSpan.FromSeconds(90), r.MedianDelay);
    }

    [Fact]
    public void Compute_OddNumberOfDelays_MedianIsMiddle_MeanIsAverage()
    {
        // Delays 0, 3, 1 rows (and minutes): mean 4/3, median 1.
        var r = EventMetrics.Compute(B("1011110110"), null, B("1000010010"), Minutes(10));

        Assert.Equal(3, r.DetectedCount);
        Assert.Equal(4.0 / 3, r.MeanDelayRows!.Value, 15);
        Assert.Equal(1.0, r.MedianDelayRows);
        Assert.Equal(TimeSpan.FromSeconds(80), r.MeanDelay);
        Assert.Equal(TimeSpan.FromMinutes(1), r.MedianDelay);
    }

    [Fact]
    public void Compute_DelayInTime_FollowsIrregularTimestamps()
    {
        var t0 = new DateTime(2024, 3, 1, 0, 0, 0, DateTimeKind.Utc);
        DateTime[] ts = [t0, t0.AddSeconds(10), t0.AddSeconds(70), t0.AddHours(1)];

        var r = EventMetrics.Compute(B("0111"), null, B("0001"), ts);

        Assert.Equal(2, r.Events[0].DelayRows);
        Assert.Equal(TimeSpan.FromHours(1) - TimeSpan.FromSeconds(10), r.Events[0].Delay);
    }

    [Fact]
    public void Compute_NoAnomalies_RecallZeroDelaysNull_FalseAlarmsCounted()
    {
        var r = EventMetrics.Compute(B("000000"), null, B("110101"), Minutes(6));

        Assert.Equal(0, r.EventCount);
        Assert.Equal(0, r.Recall);
        Assert.Null(r.MeanDelayRows);
        Assert.Null(r.MedianDelayRows);
        Assert.Null(r.MeanDelay);
        Assert.Null(r.MedianDelay);
        Assert.Equal(3, r.FalseAlarmCount);
        Assert.Equal(500.0, r.FalseAlarmsPer1000Normal, 12);
        Assert.Equal(3 / (5.0 / 1440), r.FalseAlarmsPerDay!.Value, 9);
    }

    [Fact]
    public void Compute_AllAnomalies_OneEvent_NoNormalPoints()
    {
        var r = EventMetrics.Compute(B("1111"), null, B("0011"), Minutes(4));

        Assert.Equal(1, r.EventCount);
        Assert.Equal(1.0, r.Recall);
        Assert.Equal(2, r.Events[0].DelayRows);
        Assert.Equal(0, r.NormalPointCount);
        Assert.Equal(0, r.FalseAlarmCount);
        Assert.Equal(0, r.FalseAlarmsPer1000Normal);
        Assert.Equal(0, r.FalseAlarmsPerDay);
    }

    [Fact]
    public void Compute_EmptyFlags_NothingDetected_NoFalseAlarms()
    {
        var r = EventMetrics.Compute(B("0110010"), null, B("0000000"), Minutes(7));

        Assert.Equal(2, r.EventCount);
        Assert.Equal(0, r.DetectedCount);
        Assert.Equal(2, r.UndetectedCount);
        Assert.Equal(0, r.Recall);
        Assert.Equal(0, r.FalseAlarmCount);
        Assert.Null(r.MeanDelayRows);
        Assert.Null(r.MeanDelay);
    }

    [Fact]
    public void Compute_EmptySeries_AllZeroOrNull()
    {
        var r = EventMetrics.Compute(Array.Empty<bool>(), null, Array.Empty<bool>(), Array.Empty<DateTime>());

        Assert.Equal(0, r.EventCount);
        Assert.Equal(0, r.NormalPointCount);
        Assert.Equal(0, r.FalseAlarmsPer1000Normal);
        Assert.Equal(TimeSpan.Zero, r.ObservedDuration);
        Assert.Null(r.FalseAlarmsPerDay);
    }

    [Fact]
    public void Compute_FlagJustBeforeEvent_DoesNotDetectIt_AndIsAFalseAlarm()
    {
        var r = EventMetrics.Compute(B("0011"), null, B("0100"));

        Assert.Equal(0, r.DetectedCount);
        Assert.Equal(1, r.FalseAlarmCount);
    }

    [Fact]
    public void Compute_FlagRunAcrossAnEvent_OneFalseAlarmOnEachSide()
    {
        // Flags 1-5 cover normal rows 1, 4-5 around the event 2-3: the event is found at onset; two normal runs.
        var r = EventMetrics.Compute(B("0011000"), null, B("0111110"));

        Assert.Equal(0, r.Events[0].DelayRows);
        Assert.Equal(2, r.FalseAlarmCount);
    }

    [Fact]
    public void Compute_WithoutTimestamps_TimeFiguresNull()
    {
        var r = EventMetrics.Compute(B("0110"), null, B("0011"));

        Assert.Equal(1, r.Events[0].DelayRows);
        Assert.Null(r.Events[0].Delay);
        Assert.Null(r.MeanDelay);
        Assert.Null(r.MedianDelay);
        Assert.Null(r.ObservedDuration);
        Assert.Null(r.FalseAlarmsPerDay);
        Assert.Equal(1.0, r.MeanDelayRows);
    }

    [Fact]
    public void Compute_AdjacentEventsWithIds_AreSeparate_OneFlagRunCanFindBoth()
    {
        // Rows 2-5 labelled, ids 1,1,2,2; flags on rows 3-4 find event 1 at delay 1 and event 2 at onset.
        var labels = B("0011110");
        var flags = B("0001100");

        var withIds = EventMetrics.Compute(labels, [null, null, 1, 1, 2, 2, null], flags);
        var asRuns = EventMetrics.Compute(labels, null, flags);

        Assert.Equal(
            [new EventDetection(0, 1, 2, 3, 2, 3, 1, null), new EventDetection(0, 2, 4, 5, 2, 4, 0, null)],
            withIds.Events);
        Assert.Equal([new EventDetection(0, null, 2, 5, 4, 3, 1, null)], asRuns.Events);
        Assert.Equal(0, withIds.FalseAlarmCount);
    }

    [Fact]
    public void Compute_IdRepeatedAfterAGap_IsOneEvent()
    {
        // Id 4 on rows 1 and 4 (normal rows between): one event of two points, first flag on row 4.
        var r = EventMetrics.Compute(B("010010"), [null, 4, null, null, 4, null], B("000010"));

        Assert.Equal([new EventDetection(0, 4, 1, 4, 2, 4, 3, null)], r.Events);
    }

    [Fact]
    public void Compute_IdOnNormalPoint_ThrowsNamingSeriesAndRow()
    {
        var ex = Assert.Throws<ArgumentException>(() =>
            EventMetrics.Compute([B("01"), B("10")], [[null, 1], [1, 2]], [B("00"), B("00")], null));

        Assert.Equal("eventIds", ex.ParamName);
        Assert.Contains("Series 1, row 1", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compute_DecreasingTimestamps_ThrowsNamingRow()
    {
        var ts = Minutes(3);
        (ts[1], ts[2]) = (ts[2], ts[1]);

        var ex = Assert.Throws<ArgumentException>(() => EventMetrics.Compute(B("010"), null, B("000"), ts));

        Assert.Equal("timestamps", ex.ParamName);
        Assert.Contains("row 2", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Compute_TimestampLengthMismatch_Throws()
    {
        var ex = Assert.Throws<ArgumentException>(() => EventMetrics.Compute(B("010"), null, B("000"), Minutes(2)));

        Assert.Equal("timestamps", ex.ParamName);
    }

    [Fact]
    public void Compute_MultipleSeries_EventsAndAlarmsNeverSpanSeries()
    {
        // Series 0 ends with a labelled run and series 1 starts with one: two events, although both carry id 1.
        // The flagged normal run at the end of series 2 and the flagged normal row at the start of series 3 are two
        // false alarms, not one.
        bool[][] labels = [B("0011"), B("1100"), B("100"), B("001")];
        int?[][] ids = [[null, null, 1, 1], [1, 1, null, null], [1, null, null], [null, null, 1]];
        bool[][] flags = [B("0001"), B("0001"), B("011"), B("100")];
        DateTime[][] ts = [Minutes(4), Minutes(4), Minutes(3), Minutes(3)];

        var r = EventMetrics.Compute(labels, ids, flags, ts);

        Assert.Equal(4, r.EventCount);
        Assert.Equal([0, 1, 2, 3], r.Events.Select(e => e.Series));
        Assert.Equal([true, false, false, false], r.Events.Select(e => e.Detected));
        Assert.Equal(1, r.Events[0].DelayRows);
        Assert.Equal(3, r.FalseAlarmCount); // series 1 row 3, series 2 rows 1-2, series 3 row 0
        Assert.Equal(TimeSpan.FromMinutes(3 + 3 + 2 + 2), r.ObservedDuration);

        var withoutIds = EventMetrics.Compute(labels, null, flags, ts);
        Assert.Equal(4, withoutIds.EventCount);
        Assert.Equal(r.FalseAlarmCount, withoutIds.FalseAlarmCount);
    }

    [Fact]
    public void Compute_SeriesPermuted_SameAggregates()
    {
        bool[][] labels = [B("0110010"), B("11000"), B("00011")];
        bool[][] flags = [B("0010001"), B("01100"), B("10010")];
        DateTime[][] ts = [Minutes(7), Minutes(5), Minutes(5)];
        int[] order = [2, 0, 1];

        var a = EventMetrics.Compute(labels, null, flags, ts);
        var b = EventMetrics.Compute(
            [.. order.Select(i => labels[i])], null, [.. order.Select(i => flags[i])], [.. order.Select(i => ts[i])]);

        Assert.Equal(a.EventCount, b.EventCount);
        Assert.Equal(a.DetectedCount, b.DetectedCount);
        Assert.Equal(a.FalseAlarmCount, b.FalseAlarmCount);
        Assert.Equal(a.NormalPointCount, b.NormalPointCount);
        Assert.Equal(a.ObservedDuration, b.ObservedDuration);
        Assert.Equal(a.MeanDelayRows, b.MeanDelayRows);
        Assert.Equal(a.MedianDelay, b.MedianDelay);
    }
}
