using Workbench.Generation;

namespace Workbench.Tests.Generation;

public class BaseSignalTests
{
    private static double[] Render(MetricSpec metric, int points = 100_000, int sources = 1, int series = 0)
    {
        var spec = new DatasetSpec { Seed = 1, Sources = sources, Points = points, Metrics = [metric] };
        return new DatasetGenerator(spec).GenerateSeries(series).Values.Select(v => v!.Value).ToArray();
    }

    private static (double Mean, double Std) Moments(IReadOnlyList<double> x)
    {
        var mean = x.Average();
        return (mean, Math.Sqrt(x.Sum(v => (v - mean) * (v - mean)) / (x.Count - 1)));
    }

    [Fact]
    public void Level_Trend_Seasonality_WithoutNoise_AreExact()
    {
        var component = new SeasonalComponent(100, 3, 0.5);
        var values = Render(new MetricSpec { Level = 7, TrendPerStep = 0.25, Seasonalities = [component] }, points: 1000);
        for (var t = 0; t < values.Length; t++)
        {
            Assert.Equal(7 + (0.25 * t) + component.ValueAt(t), values[t]);
        }
    }

    [Fact]
    public void TrendPerDay_IsConvertedWithTheFrequency()
    {
        var metric = new MetricSpec { Level = 0, TrendPerDay = 2880 };
        var spec = new DatasetSpec { Sources = 1, Points = 10, Frequency = TimeSpan.FromSeconds(30), Metrics = [metric] };
        var values = new DatasetGenerator(spec).GenerateSeries(0).Values;
        Assert.Equal(Enumerable.Range(0, 10).Select(t => (double?)t), values);
        Assert.Equal(1.0, metric.TrendPerStepAt(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public void GaussianNoise_HasTheSpecifiedSigma()
    {
        var (mean, std) = Moments(Render(new MetricSpec { Level = 10, Noise = new NoiseSpec { Sigma = 2 } }));
        Assert.InRange(mean, 9.97, 10.03);
        Assert.InRange(std, 1.98, 2.02);
    }

    [Fact]
    public void Ar1Noise_IsStationaryWithLagOneCorrelationPhi()
    {
        var values = Render(new MetricSpec { Level = 0, Noise = new NoiseSpec { Ar1Phi = 0.8, Ar1Sigma = 1 } });
        var (mean, std) = Moments(values);
        Assert.InRange(mean, -0.1, 0.1);
        Assert.InRange(std, Math.Sqrt(1 / 0.36) * 0.97, Math.Sqrt(1 / 0.36) * 1.03);
        var lag1 = Enumerable.Range(1, values.Length - 1).Sum(t => (values[t] - mean) * (values[t - 1] - mean)) / values.Sum(v => (v - mean) * (v - mean));
        Assert.InRange(lag1, 0.79, 0.81);
        // the first point is already drawn from the stationary distribution (not 0)
        Assert.NotEqual(0, values[0]);
    }

    [Fact]
    public void RandomWalk_StepsHaveTheSpecifiedSigma()
    {
        var values = Render(new MetricSpec { Level = 5, Noise = new NoiseSpec { RandomWalkSigma = 0.5 } });
        var steps = Enumerable.Range(1, values.Length - 1).Select(t => values[t] - values[t - 1]).ToList();
        var (mean, std) = Moments(steps);
        Assert.InRange(mean, -0.01, 0.01);
        Assert.InRange(std, 0.49, 0.51);
    }

    [Fact]
    public void NoiseScale_IsTheStationaryStd_OrTheWalkStep()
    {
        Assert.Equal(5, new NoiseSpec { Sigma = 3, Ar1Phi = 0.6, Ar1Sigma = Math.Sqrt(16 * 0.64) }.Scale, 12);
        Assert.Equal(0.7, new NoiseSpec { RandomWalkSigma = 0.7 }.Scale);
        Assert.Equal(0, new NoiseSpec().Scale);
    }

    [Fact]
    public void Clamping_AppliesToTheBaseSignal()
    {
        var values = Render(new MetricSpec { Level = 0, Noise = new NoiseSpec { Sigma = 1 }, Min = 0, Max = 1 }, points: 20_000);
        Assert.All(values, v => Assert.InRange(v, 0, 1));
        Assert.InRange(values.Count(v => v == 0), 9_500, 10_500); // half the draws fall below 0
        Assert.InRange(values.Count(v => v == 1), 2_900, 3_450); // P(z > 1) ≈ 15.9 %
    }

    [Fact]
    public void LevelSpread_GivesEachSeriesItsOwnLevelWithinTheSpread()
    {
        var metric = new MetricSpec { Level = 100, LevelSpread = 0.2 };
        var spec = new DatasetSpec { Seed = 1, Sources = 200, Points = 3, Metrics = [metric] };
        var generator = new DatasetGenerator(spec);
        var levels = Enumerable.Range(0, 200).Select(s => generator.GenerateSeries(s).Values[0]!.Value).ToList();
        Assert.All(levels, l => Assert.InRange(l, 80, 120));
        Assert.True(levels.Distinct().Count() == 200);
        Assert.True(levels.Min() < 84 && levels.Max() > 116);
    }
}
