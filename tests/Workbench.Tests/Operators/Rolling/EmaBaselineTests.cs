using System.Reactive.Linq;
using Workbench.Core;
using Workbench.Operators.Detection;
using Workbench.Operators.Rolling;
using static Workbench.Tests.Operators.OperatorTestKit;
using static Workbench.Tests.Operators.Rolling.RollingTestKit;

namespace Workbench.Tests.Operators.Rolling;

public sealed class EmaBaselineTests
{
    [Fact]
    public void Options_OutOfRange_Throw()
    {
        Assert.Equal("Alpha", Assert.Throws<ArgumentOutOfRangeException>(() => new EmaBaselineOptions(0).CreateKernel()).ParamName);
        Assert.Equal("Alpha", Assert.Throws<ArgumentOutOfRangeException>(() => new EmaBaselineOptions(1.5).CreateKernel()).ParamName);
        Assert.Equal("Alpha", Assert.Throws<ArgumentOutOfRangeException>(() => new EmaBaselineOptions(double.NaN).CreateKernel()).ParamName);
        Assert.Equal("Warmup", Assert.Throws<ArgumentOutOfRangeException>(() => new EmaBaselineOptions(0.2, 0).CreateKernel()).ParamName);
    }

    [Fact]
    public void EmaBaseline_HandComputed_ComparesWithTheBaselineBeforeTheValue_MissingHoldsIt()
    {
        // α = 0.5: b = 2 (first value); 4 → change (4−2)/2 = +1, b = 3; 1 → (1−3)/3, b = 2; missing → null, b stays 2;
        // 3 → +0.5, b = 2.5.
        var s = Stats(new EmaBaselineOptions(0.5), 2, 4, 1, null, 3);
        Assert.Equal([null, new BaselineChange(2, 1), new BaselineChange(3, -2.0 / 3), null, new BaselineChange(2, 0.5)], s);
    }

    [Fact]
    public void EmaBaseline_Warmup_OnlyBuildsTheBaseline()
    {
        // Warm-up 2 over 10, 20: b = 10 then 0.8·10 + 0.2·20 = 12; 6 → (6 − 12)/12 = −0.5.
        var s = Stats(new EmaBaselineOptions(0.2, 2), 10, 20, 6);
        Assert.Equal([null, null], s[..2]);
        Assert.Equal(12, s[2]!.Value.Baseline, 12);
        Assert.Equal(-0.5, s[2]!.Value.Change!.Value, 12);
    }

    [Fact]
    public void EmaBaseline_ZeroBaseline_HasNoRelativeChange()
    {
        var s = Stats(new EmaBaselineOptions(0.2), 0, 5);
        Assert.Equal(new BaselineChange(0, null), s[1]);
    }

    [Fact]
    public void EmaBaseline_Stream_EqualsBatch_OnInterleavedSeriesWithMissingValues() =>
        AssertStreamEqualsBatch(new EmaBaselineOptions(0.2, 3), MixedInput());

    [Fact]
    public void EmaBaseline_Agrees_WithEmaSpikeDetectorScore_ValueForValue()
    {
        var input = MixedInput(500, 5);
        var detector = new EmaSpikeDetector(Alpha: 0.2, Spike: 1, Drop: 0.5, Warmup: 3);
        var scores = input.ToObservable().Detect(detector).ToList().Wait();
        var changes = RollingBatch.Compute(new EmaBaselineOptions(0.2, 3), input);
        Assert.Equal(scores.Count, changes.Length);
        var compared = 0;
        for (var i = 0; i < changes.Length; i++)
        {
            double? expected = changes[i].Stat?.Change is { } d ? Math.Max(0, Math.Max(d / 1, -d / 0.5)) : null;
            Assert.Equal(expected, scores[i].Score);
            compared += expected is null ? 0 : 1;
        }

        Assert.True(compared > 400, $"only {compared} values compared");
    }

    [Fact]
    public void EmaBaseline_KeepsStatePerSeries()
    {
        var input = Interleave(Series("a", 1, 2, 3), Series("b", 100, 100, 50));
        var s = AssertStreamEqualsBatch(new EmaBaselineOptions(0.2), input);
        Assert.Equal(new BaselineChange(100, -0.5), s.Single(r => r.Observation.Series == "b" && r.Observation.Value == 50).Stat);
        Assert.Equal(new BaselineChange(1, 1), s.Single(r => r.Observation.Series == "a" && r.Observation.Value == 2).Stat);
    }
}
