using Workbench.Core;
using Workbench.Evaluation.Breakdown;
using static Workbench.Tests.Evaluation.Metrics.MetricsTestKit;

namespace Workbench.Tests.Evaluation.Breakdown;

public class KindBreakdownCalculatorTests
{
    private static readonly AnomalyLabel N = AnomalyLabel.Normal;

    private static AnomalyLabel A(AnomalyKind kind, int id) => AnomalyLabel.Anomaly(kind, id);

    [Fact]
    public void Compute_MultiSeries_CountsRecallAndDelaysPerKind()
    {
        var spike = AnomalyKind.Spike;
        var shift = AnomalyKind.LevelShift;
        var missing = AnomalyKind.Missing;
        var unknown = new AnomalyLabel(true, null, 3);

        // Series 0 rows: 0 1 2 3 4 5 6 7 8 9 10 11 — spike #1 at 2-3, level_shift #2 at 6-9.
        AnomalyLabel[] s0 = [N, N, A(spike, 1), A(spike, 1), N, N, A(shift, 2), A(shift, 2), A(shift, 2), A(shift, 2), N, N];
        var f0 = B("000100001001"); // spike found at row 3 (delay 1), shift at row 8 (delay 2), false alarm at row 11
        // Series 1 rows: 0..9 — missing #1 at 1-3 (not found), spike #2 at 5 (delay 0), unknown #3 at 7-8 (delay 1).
        AnomalyLabel[] s1 = [N, A(missing, 1), A(missing, 1), A(missing, 1), N, A(spike, 2), N, unknown, unknown, N];
        var f1 = B("1000010010"); // false alarm at row 0

        var r = KindBreakdownCalculator.Compute([s0, s1], [f0, f1], [Minutes(12), Minutes(10)]);

        Assert.Equal(["level_shift", "missing", "spike", "unknown"], r.ByKind.Keys);
        Assert.Equal(
            new KindScores(1, 1, 1.0, 2, 2, TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(2)), r.ByKind["level_shift"]);
        Assert.Equal(new KindScores(1, 0, 0.0, null, null, null, null), r.ByKind["missing"]);
        Assert.Equal(
            new KindScores(2, 2, 1.0, 0.5, 0.5, TimeSpan.FromSeconds(30), TimeSpan.FromSeconds(30)), r.ByKind["spike"]);
        Assert.Equal(
            new KindScores(1, 1, 1.0, 1, 1, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1)), r.ByKind["unknown"]);

        Assert.Equal(5, r.Overall.EventCount);
        Assert.Equal(4, r.Overall.DetectedCount);
        Assert.Equal(2, r.Overall.FalseAlarmCount);
        Assert.Equal(6 + 4, r.Overall.NormalPointCount); // series 0 rows 0,1,4,5,10,11; series 1 rows 0,4,6,9
    }

    [Fact]
    public void Compute_NoEvents_EmptyByKind_FalseAlarmsOverall()
    {
        var r = KindBreakdownCalculator.Compute([N, N, N, N], B("0110"), Minutes(4));

        Assert.Empty(r.ByKind);
        Assert.Equal(0, r.Overall.EventCount);
        Assert.Equal(1, r.Overall.FalseAlarmCount);
        Assert.Equal(4, r.Overall.NormalPointCount);
    }

    [Fact]
    public void Compute_FlagOnAdjacentEventOfOtherKind_DoesNotDetectThisKind()
    {
        // spike #1 at row 1, drift #2 at rows 2-3 (touching, separated by ids); only the drift is flagged.
        AnomalyLabel[] l = [N, A(AnomalyKind.Spike, 1), A(AnomalyKind.Drift, 2), A(AnomalyKind.Drift, 2), N];
        var r = KindBreakdownCalculator.Compute(l, B("00100"));

        Assert.Equal(0, r.ByKind["spike"].DetectedCount);
        Assert.Equal(1, r.ByKind["drift"].DetectedCount);
        Assert.Equal(0, r.ByKind["drift"].MeanDelayRows);
        Assert.Null(r.ByKind["drift"].MeanDelay); // no timestamps
    }

    [Fact]
    public void Compute_WithoutEventIds_EventsAreLabelledRuns()
    {
        var s = new AnomalyLabel(true, AnomalyKind.Spike, null);
        var d = new AnomalyLabel(true, AnomalyKind.Drift, null);
        AnomalyLabel[] l = [s, N, N, d, d, d, N, s, s];
        var r = KindBreakdownCalculator.Compute(l, B("000001111")); // row 6 (normal) is the one false alarm

        Assert.Equal(new KindScores(1, 1, 1.0, 2, 2, null, null), r.ByKind["drift"]);
        Assert.Equal(2, r.ByKind["spike"].EventCount);
        Assert.Equal(1, r.ByKind["spike"].DetectedCount);
        Assert.Equal(0.5, r.ByKind["spike"].Recall);
        Assert.Equal(1, r.Overall.FalseAlarmCount);
    }

    [Fact]
    public void Compute_EventMixingKinds_RejectedNamingSeriesRowAndKinds()
    {
        AnomalyLabel[] l = [N, A(AnomalyKind.Spike, 1), A(AnomalyKind.Drift, 1), N];
        var ex = Assert.Throws<ArgumentException>(() => KindBreakdownCalculator.Compute([[N], l], [B("0"), B("0000")]));

        Assert.Contains("Series 1, row 2", ex.Message);
        Assert.Contains("'drift'", ex.Message);
        Assert.Contains("'spike'", ex.Message);
    }

    [Fact]
    public void Compute_ShapeMismatch_Rejected()
    {
        Assert.Throws<ArgumentException>(() => KindBreakdownCalculator.Compute([N, N], B("0")));
        Assert.Throws<ArgumentException>(() => KindBreakdownCalculator.Compute([[N]], [B("0"), B("0")]));
    }

    [Fact]
    public void Compute_SeriesPermuted_SameBreakdown()
    {
        AnomalyLabel[] a = [N, A(AnomalyKind.Spike, 1), N, A(AnomalyKind.Missing, 2)];
        AnomalyLabel[] b = [A(AnomalyKind.Spike, 1), A(AnomalyKind.Spike, 1), N, N];
        var x = KindBreakdownCalculator.Compute([a, b], [B("0101"), B("0100")]);
        var y = KindBreakdownCalculator.Compute([b, a], [B("0100"), B("0101")]);

        Assert.Equal(x.ByKind, y.ByKind);
        Assert.Equal(x.Overall.FalseAlarmCount, y.Overall.FalseAlarmCount);
    }
}
