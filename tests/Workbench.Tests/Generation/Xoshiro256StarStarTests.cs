using Workbench.Generation;

namespace Workbench.Tests.Generation;

public class Xoshiro256StarStarTests
{
    // Reference values from an independent Python transcription of SplitMix64 and xoshiro256** 1.0.
    [Fact]
    public void NextUInt64_SeededFromKeyZero_MatchesReference()
    {
        var rng = new Xoshiro256StarStar(0);
        Assert.Equal([11091344671253066420UL, 13793997310169335082UL, 1900383378846508768UL, 7684712102626143532UL],
            new[] { rng.NextUInt64(), rng.NextUInt64(), rng.NextUInt64(), rng.NextUInt64() });
    }

    [Fact]
    public void ForStream_DerivesTheDocumentedKey_AndMatchesReference()
    {
        Assert.Equal(0x1497b5e3db63eb07UL, SplitMix64.StreamKey(42, Xoshiro256StarStar.SeriesDomain, 5));
        var rng = Xoshiro256StarStar.ForStream(42, Xoshiro256StarStar.SeriesDomain, 5);
        Assert.Equal([17914008428898010984UL, 5054934447196527487UL, 13346574840370193228UL],
            new[] { rng.NextUInt64(), rng.NextUInt64(), rng.NextUInt64() });
    }

    [Fact]
    public void ForStream_DifferentStreams_Differ()
    {
        var a = Xoshiro256StarStar.ForStream(1, Xoshiro256StarStar.SeriesDomain, 0);
        var b = Xoshiro256StarStar.ForStream(1, Xoshiro256StarStar.SeriesDomain, 1);
        var c = Xoshiro256StarStar.ForStream(1, Xoshiro256StarStar.PlanDomain, 0);
        var first = a.NextUInt64();
        Assert.NotEqual(first, b.NextUInt64());
        Assert.NotEqual(first, c.NextUInt64());
    }

    [Fact]
    public void NextDouble_IsInUnitInterval_AndNonZeroVariantNeverZero()
    {
        var rng = new Xoshiro256StarStar(7);
        for (var i = 0; i < 100_000; i++)
        {
            Assert.InRange(rng.NextDouble(), 0.0, 1.0 - double.Epsilon);
            Assert.InRange(rng.NextDoubleNonZero(), double.Epsilon, 1.0);
        }
    }

    [Fact]
    public void NextInt64_StaysInBounds_AndHitsEveryValueEvenly()
    {
        var rng = new Xoshiro256StarStar(3);
        var counts = new int[7];
        const int n = 70_000;
        for (var i = 0; i < n; i++)
        {
            var v = rng.NextInt64(10, 16);
            Assert.InRange(v, 10, 16);
            counts[v - 10]++;
        }

        // chi-square with 6 degrees of freedom: 22.46 is the 0.999 quantile
        var chi = counts.Sum(c => Math.Pow(c - (n / 7.0), 2) / (n / 7.0));
        Assert.True(chi < 22.46, $"chi-square {chi}");
        Assert.Equal(5, rng.NextInt64(5, 5));
        Assert.InRange(rng.NextInt64(long.MinValue, long.MaxValue), long.MinValue, long.MaxValue);
    }

    [Fact]
    public void ZigguratTables_MatchTheirDefiningRecurrence()
    {
        const double v = 0.00492867323399;
        static double F(double x) => Math.Exp(-0.5 * x * x);
        var x = ZigguratTables.X;
        Assert.Equal(257, x.Length);
        Assert.Equal(257, ZigguratTables.F.Length);
        Assert.Equal(v / F(ZigguratTables.R), x[0], 14);
        Assert.Equal(ZigguratTables.R, x[1]);
        Assert.Equal(0, x[256]);
        for (var i = 1; i < 255; i++)
        {
            Assert.Equal(Math.Sqrt(-2 * Math.Log((v / x[i]) + F(x[i]))), x[i + 1], 13);
        }

        for (var i = 0; i < 257; i++)
        {
            Assert.Equal(F(x[i]), ZigguratTables.F[i], 15);
        }

        // the top layer's area equals the others'
        Assert.Equal(v, x[255] * (1 - F(x[255])), 10);
    }

    [Fact]
    public void NextGaussian_HasStandardNormalMomentsTailsAndCdf()
    {
        var rng = new Xoshiro256StarStar(11);
        const int n = 1_000_000;
        var draws = new double[n];
        for (var i = 0; i < n; i++)
        {
            draws[i] = rng.NextGaussian();
        }

        var mean = draws.Average();
        var variance = draws.Select(d => (d - mean) * (d - mean)).Sum() / (n - 1);
        var skew = draws.Select(d => Math.Pow(d - mean, 3)).Average();
        var kurtosis = draws.Select(d => Math.Pow(d - mean, 4)).Average();
        Assert.InRange(mean, -0.005, 0.005);
        Assert.InRange(variance, 0.99, 1.01);
        Assert.InRange(skew, -0.015, 0.015);
        Assert.InRange(kurtosis, 2.96, 3.04);

        // Tail beyond R (expected 2·(1 − Φ(3.6542)) ≈ 2.58e-4 → 258 of 1e6) exercises the tail sampler on both sides.
        var tail = draws.Count(d => Math.Abs(d) > ZigguratTables.R);
        Assert.InRange(tail, 190, 330);
        Assert.Contains(draws, d => d < -ZigguratTables.R);
        Assert.Contains(draws, d => d > ZigguratTables.R);

        // Kolmogorov–Smirnov against Φ: 1.95/√n is the 0.001 critical value.
        Array.Sort(draws);
        var ks = 0.0;
        for (var i = 0; i < n; i++)
        {
            var cdf = NormalCdf(draws[i]);
            ks = Math.Max(ks, Math.Max(Math.Abs(cdf - (i / (double)n)), Math.Abs(((i + 1) / (double)n) - cdf)));
        }

        Assert.True(ks < 1.95 / Math.Sqrt(n), $"KS statistic {ks}");
    }

    /// <summary>Φ(x) via the complementary error function (Numerical Recipes' erfc approximation, |error| &lt; 1.2e-7).</summary>
    private static double NormalCdf(double x)
    {
        var z = Math.Abs(x) / Math.Sqrt(2);
        var t = 1 / (1 + (0.5 * z));
        double[] c = [-1.26551223, 1.00002368, 0.37409196, 0.09678418, -0.18628806, 0.27886807, -1.13520398, 1.48851587, -0.82215223, 0.17087277];
        var poly = 0.0;
        for (var k = c.Length - 1; k >= 0; k--)
        {
            poly = c[k] + (t * poly);
        }

        var erfc = t * Math.Exp((-z * z) + poly);
        return x >= 0 ? 1 - (0.5 * erfc) : 0.5 * erfc;
    }
}
