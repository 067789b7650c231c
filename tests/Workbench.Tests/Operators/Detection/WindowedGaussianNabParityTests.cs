using System.Globalization;
using Workbench.Import;
using Workbench.Operators.Detection;
using Workbench.Tests.Support;

namespace Workbench.Tests.Operators.Detection;

/// <summary>
/// Our <c>windowed-gaussian</c> against NAB's published <c>results/windowedGaussian</c> files. NAB wrote its scores
/// with Python 2's <c>str(float)</c>, i.e. 12 significant digits, so the strongest possible comparison is: our double,
/// rounded to 12 significant digits the same (correctly rounded) way, equals the published number exactly.
/// </summary>
public class WindowedGaussianNabParityTests
{
    // numenta/NAB results/windowedGaussian/realKnownCause/windowedGaussian_nyc_taxi.csv (the version of commit
    // 87f30f884cf136a14fba651247839d2d3d2104bf, unchanged up to ea702d75, the corpus snapshot of SOURCE.md):
    // (row, anomaly_score) exactly as printed. Rows 0–288: the growing window; 6400–6499: the full window of rows
    // 0–6399; 6500+: after the first slide by 100.
    private static readonly (int Row, string Score)[] NycTaxiPublished =
    [
        (0, "0.0"), (1, "1.0"), (2, "0.992048087924"), (3, "0.975348091114"), (4, "0.942520233845"),
        (5, "0.936639208495"), (6, "0.914413932057"), (7, "0.891209072142"), (8, "0.84205787818"), (9, "0.82088011235"),
        (10, "0.761527572869"), (11, "0.501925724576"), (12, "0.793973017121"), (13, "0.993728103568"),
        (14, "0.99831909538"), (15, "0.997495003756"), (16, "0.996515399128"), (17, "0.996240224648"),
        (37, "0.979592904509"), (48, "0.614545969823"), (84, "0.898379612401"), (96, "0.650424143327"),
        (134, "0.985599630255"), (139, "0.735606422349"), (144, "0.522115822332"), (192, "0.690477806887"),
        (240, "0.604490141326"), (288, "0.776598215057"),
        (6480, "0.618176266651"), (6499, "0.663208826456"), (6500, "0.60834585528"), (6528, "0.646337935513"),
        (6600, "0.819233880882"), (6672, "0.849708212305"), (6700, "0.710442788363"), (6767, "0.500168544464"),
    ];

    [SkippableFact]
    public void NycTaxi_EqualsNabsPublishedScores_AtTheirPrintedPrecision()
    {
        var file = NabCorpus.Load(TestPaths.RequireNab()).Files.Single(f => f.Key == "realKnownCause/nyc_taxi.csv");
        var ours = Score(file);
        var mismatches = NycTaxiPublished
            .Where(p => Rounded(ours[p.Row]) != double.Parse(p.Score, CultureInfo.InvariantCulture))
            .Select(p => $"row {p.Row}: published {p.Score}, ours {ours[p.Row].ToString("R", CultureInfo.InvariantCulture)}")
            .ToList();
        Assert.True(mismatches.Count == 0, string.Join("; ", mismatches));
    }

    /// <summary>
    /// Every row of every published file, where a copy of NAB's <c>results/windowedGaussian</c> folder is available:
    /// set <c>WORKBENCH_NAB_WG_RESULTS</c> to it (this machine has none; the corpus copy holds data and labels only).
    /// </summary>
    [SkippableFact]
    public void EveryPublishedFile_EqualsOurs_AtThePrintedPrecision()
    {
        var results = Environment.GetEnvironmentVariable("WORKBENCH_NAB_WG_RESULTS");
        Skip.If(string.IsNullOrEmpty(results) || !Directory.Exists(results), "WORKBENCH_NAB_WG_RESULTS (NAB's results/windowedGaussian folder) is not set");
        var corpus = NabCorpus.Load(TestPaths.RequireNab());
        var compared = 0;
        var mismatches = new List<string>();
        foreach (var file in corpus.Files)
        {
            var category = Path.GetDirectoryName(file.Key)!;
            var published = Path.Combine(results, category, "windowedGaussian_" + Path.GetFileName(file.Key));
            var lines = File.ReadAllLines(published);
            var ours = Score(file);
            Assert.Equal(file.Count + 1, lines.Length);
            for (var i = 0; i < file.Count; i++)
            {
                var text = lines[i + 1].Split(',')[2];
                compared++;
                if (Rounded(ours[i]) != double.Parse(text, CultureInfo.InvariantCulture))
                {
                    mismatches.Add($"{file.Key} row {i}: published {text}, ours {ours[i].ToString("R", CultureInfo.InvariantCulture)}");
                }
            }
        }

        Assert.Equal(365_558, compared);
        Assert.True(mismatches.Count == 0, $"{mismatches.Count} mismatches: " + string.Join("; ", mismatches.Take(20)));
    }

    [Fact]
    public void PairwiseSum_FollowsNumpysBlocking_NotLeftToRight()
    {
        // 1e16 + 1 + … : left to right every 1 is lost (1e16 + 1 rounds back to 1e16), numpy's 8 accumulators keep
        // the seven ones of the other lanes together: values 0..127 = [1e16, 1, 1, …] → r0 = 1e16 + 15·1 (lost),
        // r1..r7 = 16 each → 1e16 + 112 exactly (1e16 + 112 is representable: spacing 2 at 1e16).
        var values = new double[128];
        Array.Fill(values, 1.0);
        values[0] = 1e16;
        Assert.Equal(1e16 + 112, NabArithmetic.PairwiseSum(values));
        var naive = 0.0;
        foreach (var v in values) { naive += v; }
        Assert.Equal(1e16, naive);
    }

    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(1.0, 0.15729920705028513)] // CPython math.erfc(1.0)
    [InlineData(2.0, 0.004677734981047266)] // CPython math.erfc(2.0)
    [InlineData(-1.0, 1.8427007929497148)]
    [InlineData(30.0, 0.0)]
    public void Erfc_MatchesCPython(double x, double expected) =>
        Assert.Equal(expected, NabArithmetic.Erfc(x), 15);

    private static double Rounded(double? value) =>
        double.Parse(value!.Value.ToString("G12", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);

    private static double[] Score(NabFile file)
    {
        var values = file.Values.Select(v => (double?)v).ToArray();
        return DetectorBatch.Score(new WindowedGaussianDetector(), file.Timestamps, values).Select(s => s!.Value).ToArray();
    }
}
