using Workbench.Operators.Rolling;

namespace Workbench.Tests.Operators.Rolling;

public class RollingMomentsTests
{
    [Fact]
    public void MatchesTwoPassComputation_OverEveryWindowPosition()
    {
        var rng = new Random(7);
        var xs = Enumerable.Range(0, 500).Select(_ => (rng.NextDouble() * 100) - 50).ToArray();
        var m = new RollingMoments(17);
        for (var i = 0; i < xs.Length; i++)
        {
            m.Add(xs[i]);
            var window = xs[Math.Max(0, i - 16)..(i + 1)];
            var mean = window.Average();
            var variance = window.Length > 1 ? window.Sum(x => (x - mean) * (x - mean)) / (window.Length - 1) : 0;
            Assert.Equal(mean, m.Mean, 9);
            Assert.Equal(variance, m.Variance, 9);
        }
    }

    [Fact]
    public void LargeOffset_KeepsPrecision()
    {
        // Values 1e9 + {0,1,2,...}: naive sum of squares loses every digit; the sliding Welford update does not.
        var m = new RollingMoments(4);
        for (var i = 0; i < 1000; i++)
        {
            m.Add(1e9 + (i % 4));
        }

        Assert.Equal(1e9 + 1.5, m.Mean, 6);
        Assert.Equal(5.0 / 3, m.Variance, 6);
    }

    [Fact]
    public void Clear_Empties() 
    {
        var m = new RollingMoments(3);
        m.Add(5);
        m.Clear();
        Assert.Equal(0, m.Count);
        Assert.Equal(0, m.Variance);
        Assert.Throws<ArgumentOutOfRangeException>(() => new RollingMoments(0));
    }
}
