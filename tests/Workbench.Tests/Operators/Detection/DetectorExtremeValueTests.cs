using Workbench.Core;
using Workbench.Operators.Detection;
using Workbench.Operators.Rolling;
using Workbench.Operators.Specs;
using static Workbench.Tests.Operators.OperatorTestKit;

namespace Workbench.Tests.Operators.Detection;

/// <summary>
/// Finite extremes (±1e308, double.MaxValue, alternating signs, values around the 2^480 switch to scaled units) never
/// turn a score into NaN or ±∞, for every registered detector, and the batch twins still equal the stream.
/// </summary>
public class DetectorExtremeValueTests
{
    private static readonly string[] SpecList =
    [
        "zscore(window=5)",
        "threshold(upper=13,lower=7)",
        "threshold(upper=1e308,lower=-1e308)",
        "mad(window=5)",
        "iqr(window=5,k=1)",
        "ewma(lambda=0.3,l=2.5,baseline=warmup,warmup=5)",
        "ewma(lambda=0.3,l=2.5,window=6)",
        "ewma(lambda=1e-300,window=5)",
        "ewma(window=5,reset=false)",
        "cusum(k=0.25,h=3,baseline=warmup,warmup=5)",
        "cusum(window=5,reset=false)",
        "page-hinkley(delta=0.01,lambda=5,alpha=0.99)",
        "page-hinkley(lambda=1e308,alpha=1)",
        "level-shift(window=4,threshold=2)",
        "variance-shift(window=4)",
        "forecast-residual(forecaster=naive,window=5,threshold=3)",
        "forecast-residual(forecaster=holt-winters(period=4),window=5)",
        "forecast-residual(forecaster=test-band(width=2),scale=interval,threshold=1)",
        "seasonal-profile(slot=1440,history=3)",
        "seasonal-profile(slot=1440,history=3,stat=mean)",
        "missing(run=2)",
        "flatline(window=3,tolerance=0.5)",
        "outage(below=8,run=2,missing=true)",
        "ema-spike(alpha=0.2,spike=1e-300,drop=0.2,outage=8,warmup=3)",
        "scaling-ratio(forecaster=naive,benchmark=test-mean,threshold=0.05)",
        "windowed-gaussian(window=6,step=2)",
        "random",
        "ensemble(members=zscore(window=5)+mad(window=5)+missing+threshold(upper=1e-300),combine=mean)",
        "ensemble(members=cusum(window=5)+threshold(upper=13)+ewma(window=5),combine=max)",
    ];

    private static readonly double Big = double.MaxValue;

    public static TheoryData<string> Specs => new(SpecList);

    /// <summary>Input shapes, each one series (seasonal-profile uses one daily slot, so every value meets its history).</summary>
    public static IEnumerable<double?[]> Shapes()
    {
        yield return [1e308, -1e308, 1e308, -1e308, 1e308, -1e308, 1e308, -1e308, 1e308, -1e308, 1e308, -1e308, 1e308, -1e308];
        yield return [Big, Big, Big, Big, Big, Big, -Big, -Big, -Big, -Big, -Big, -Big, Big, -Big, Big, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        yield return [0, 0, 0, 0, 0, 0, 0, Big, -Big, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 2, 3];
        yield return [1, 2, 3, 2, 1, 2, 3, 2, 1e308, 2, 1, -1e308, 2, 3, 2, 1, 2, 3, 2, 1, 2, 3, 2, 1, 2, 3];
        yield return [Math.ScaleB(1.0, 480), Math.ScaleB(1.0, 481), -Math.ScaleB(1.0, 481), Math.ScaleB(1.0, 480), 5e-324, null, -Math.ScaleB(1.0, 480), 1e-300, 1e200, -1e200, 1e150, 3, 4, 5, 6, 7, 8, 9];
        yield return Enumerable.Range(0, 40).Select(i => (double?)(i % 3 == 0 ? Big * (i % 2 == 0 ? 1 : -1) : 10 + (i % 5))).ToArray();
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public void ExtremeValues_ScoresAreFiniteOrNull_AndBatchEqualsStream(string spec)
    {
        var detector = TestForecasters.Catalog.ParseDetector(spec);
        var k = 0;
        var anyScore = false;
        foreach (var shape in Shapes())
        {
            var a = Series("a", shape);
            var b = Series("b", shape.Reverse().ToArray());
            var scored = AssertStreamEqualsBatch(detector, Interleave(a, b));
            anyScore |= scored.Any(s => s.Score.HasValue);
            foreach (var s in scored)
            {
                Assert.True(s.Score is not { } v || double.IsFinite(v), $"{spec}, shape {k}, {s.Observation.Series} at {s.Observation.Timestamp:O}: score {s.Score}");
            }

            k++;
        }

        Assert.True(anyScore, $"{spec}: no score on any shape");
    }

    [Fact]
    public void Specs_CoverEveryRegisteredDetector()
    {
        var covered = SpecList.Select(s => OperatorSpec.Parse(s).Name).ToHashSet();
        Assert.Equal(DetectorRegistry.BuiltIn.Select(d => d.Name).Order(), covered.Order());
    }

    [Theory]
    [InlineData("zscore(window=5)")]
    [InlineData("ewma(window=5)")]
    [InlineData("ewma(baseline=warmup,warmup=5)")]
    [InlineData("cusum(window=5,reset=false)")]
    [InlineData("cusum(baseline=warmup,warmup=5,reset=false)")]
    [InlineData("level-shift(window=4)")]
    [InlineData("variance-shift(window=4)")]
    [InlineData("mad(window=5)")]
    [InlineData("iqr(window=5)")]
    [InlineData("windowed-gaussian(window=8,step=2)")]
    [InlineData("seasonal-profile(slot=1440,history=3)")]
    [InlineData("seasonal-profile(slot=1440,history=3,stat=mean)")]
    public void ScaleFreeScores_AreUnchanged_WhenTheSeriesIsScaledToNearTheDoubleLimit(string spec)
    {
        // Scores are ratios: multiplying the series by 2^1000 (exact) must give the same scores, although the
        // scaled values (up to ~1e303) overflow every naive sum of squares. Non-flat data, so the 1e-12 floors never bind.
        var detector = OperatorCatalog.BuiltIn.ParseDetector(spec);
        var values = Enumerable.Range(0, 60).Select(i => (double?)(3 + Math.Sin(i * 0.7) + (i % 7 == 0 ? 9 : 0) + (i * 0.01))).ToArray();
        var scaled = values.Select(v => v is { } x ? (double?)Math.ScaleB(x, 1000) : null).ToArray();
        Assert.True(scaled.Max() > 1e301);

        var plain = DetectorTestKit.Scores(detector, values);
        var big = DetectorTestKit.Scores(detector, scaled);
        Assert.Contains(plain, s => s.HasValue);
        for (var i = 0; i < plain.Length; i++)
        {
            if (plain[i] is { } p)
            {
                Assert.True(big[i].HasValue, $"row {i}");
                Assert.Equal(p, big[i]!.Value, 1e-9 * Math.Max(1, Math.Abs(p)));
            }
            else
            {
                Assert.Null(big[i]);
            }
        }
    }

    [Fact]
    public void ZScore_AfterAHugeValueLeavesTheWindow_IsExactlyTheFreshWindowsScore()
    {
        // The sliding update cannot remove 1e308 without leaving rounding behind; the exact recomputation does.
        var detector = new ZScoreDetector(Window: 4);
        var after = new double?[] { 1, 2, 4, 8, 3 };
        var withSpike = DetectorTestKit.Scores(detector, [.. new double?[] { 5, 1e308, -1e308, 7 }, .. after]);
        var clean = DetectorTestKit.Scores(detector, after);
        Assert.Equal(clean[^1], withSpike[^1]);
    }

    [Fact]
    public void RollingMoments_StatisticsStayFinite_AndReturnToPlainUnits()
    {
        var m = new RollingMoments(3);
        m.Add(1e308);
        m.Add(-1e308);
        m.Add(1e308);
        Assert.Equal(544, m.ScaleExponent);
        Assert.True(double.IsFinite(m.Mean));
        Assert.Equal(double.MaxValue, m.Variance); // the true variance (~1.3e616) saturates
        Assert.True(double.IsFinite(m.ScaledVariance) && m.ScaledVariance > 0);
        Assert.Equal(-Math.Sqrt(3) / 6, m.StandardScore(0), 12); // mean 1e308/3, sample σ 1e308·√(4/3): z = -√3/6

        m.Add(1);
        m.Add(2);
        m.Add(3);
        Assert.Equal(0, m.ScaleExponent);
        Assert.Equal((2.0, 1.0), (m.Mean, m.Variance));
    }

    [Fact]
    public void Ratio_AndSaturate_NeverGiveNaNOrInfinity()
    {
        Assert.Equal(double.MaxValue, DetectorMath.Ratio(1e308, 1e-12));
        Assert.Equal(-double.MaxValue, DetectorMath.Ratio(-1, 0));
        Assert.Equal(0, DetectorMath.Ratio(0, 0));
        Assert.Equal(0.5, DetectorMath.Ratio(1, 2));
        Assert.Equal(double.MaxValue, DetectorMath.Saturate(double.PositiveInfinity));
        Assert.Equal(-double.MaxValue, DetectorMath.Saturate(1e308 * -10));
    }

    [Fact]
    public void RollingQuantile_MedianAndMad_OfOppositeExtremes_AreFinite()
    {
        ReadOnlySpan<double> sorted = [-double.MaxValue, -1e308, 1e308, double.MaxValue];
        Assert.Equal(0, RollingQuantile.QuantileOfSorted(sorted, 0.5));
        var mad = RollingQuantile.MadOfSorted(sorted);
        Assert.True(double.IsFinite(mad));
        Assert.Equal(double.MaxValue * 0.5 + 5e307, mad, 1e295);
    }

    [Fact]
    public void RollingZScore_Statistic_IsFiniteForExtremes()
    {
        var kernel = new RollingZScoreOptions(3).CreateKernel();
        foreach (var v in new double?[] { 1e308, -1e308, double.MaxValue, -double.MaxValue, 0, 1e308 })
        {
            Assert.True(kernel.Update(v) is not { } z || double.IsFinite(z));
        }

        var ewma = new EwmaOptions(0.5).CreateKernel();
        foreach (var v in new double?[] { 1e308, -1e308, double.MaxValue, -double.MaxValue, 0, 1, 2 })
        {
            var s = ewma.Update(v)!.Value;
            Assert.True(double.IsFinite(s.Mean) && double.IsFinite(s.Variance), $"{v}: {s}");
        }
    }
}
