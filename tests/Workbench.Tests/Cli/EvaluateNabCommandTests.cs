using System.Diagnostics;
using System.Text.Json;
using Workbench.Evaluation.Nab;
using Workbench.Operators.Specs;
using Workbench.Tests.Evaluation.Nab;
using Workbench.Tests.Support;
using Xunit.Abstractions;

namespace Workbench.Tests.Cli;

public sealed class EvaluateNabCommandTests(ITestOutputHelper output) : IDisposable
{
    private static readonly string[] ProfileNames = ["standard", "reward_low_FP_rate", "reward_low_FN_rate"];

    private readonly NabSyntheticCorpus _corpus = new();

    public void Dispose() => _corpus.Dispose();

    private static void AssertNabJson(JsonElement result, string detector, IReadOnlyList<NabCorpusScore> expected)
    {
        Assert.Equal(detector, result.GetProperty("detector").GetString());
        var scores = result.GetProperty("scores");
        var thresholds = result.GetProperty("thresholds");
        Assert.Equal(ProfileNames, scores.EnumerateObject().Select(p => p.Name));
        Assert.Equal(ProfileNames, thresholds.EnumerateObject().Select(p => p.Name));
        for (var p = 0; p < ProfileNames.Length; p++)
        {
            Assert.Equal(expected[p].Profile.Name, ProfileNames[p]);
            Assert.Equal(expected[p].NormalizedScore, scores.GetProperty(ProfileNames[p]).GetDouble(), 1e-12);
            Assert.Equal(expected[p].Threshold, thresholds.GetProperty(ProfileNames[p]).GetDouble());
        }
    }

    private static bool IsWindowStart(string key, int row) =>
        NabSyntheticCorpus.Layout.Single(l => l.Key == key).Windows.Any(w => w.Start == row);

    [Fact]
    public async Task Results_PerfectZeroAndControlledScores_MatchScorer()
    {
        static double Controlled(string key, int row) => NabSyntheticCorpus.Value(key, row) / 60.0;
        var dir = _corpus.WriteResults("perfect", (k, i) => IsWindowStart(k, i) ? 1.0 : 0.0);
        _corpus.WriteResults("silent", (k, i) => 0.0);
        _corpus.WriteResults("valued", Controlled);

        var r = await CliRunner.RunAsync("evaluate", "nab", "--results", dir, "--labels", _corpus.LabelsPath, "--json");
        Assert.True(r.ExitCode == 0, r.Error);
        var all = r.Json().EnumerateArray().ToList();
        Assert.Equal(["perfect", "silent", "valued"], all.Select(a => a.GetProperty("detector").GetString()));
        foreach (var name in ProfileNames)
        {
            Assert.Equal(100.0, all[0].GetProperty("scores").GetProperty(name).GetDouble(), 1e-9);
            Assert.Equal(0.0, all[1].GetProperty("scores").GetProperty(name).GetDouble(), 1e-9);
            Assert.Equal(NabScorer.NoDetectionThreshold, all[1].GetProperty("thresholds").GetProperty(name).GetDouble());
        }

        AssertNabJson(all[2], "valued", NabScorer.ScoreCorpus(NabSyntheticCorpus.Inputs(Controlled), NabProfile.All));
        Assert.True(all[2].GetProperty("thresholdsOptimized").GetBoolean());
    }

    [Fact]
    public async Task Results_OneDetector_PrintsOneObject_AndTextTable()
    {
        var dir = _corpus.WriteResults("solo", (k, i) => NabSyntheticCorpus.Value(k, i) / 60.0);
        var r = await CliRunner.RunAsync("evaluate", "nab", "--results", dir, "--labels", _corpus.LabelsPath, "--json");
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Equal(JsonValueKind.Object, r.Json().ValueKind);
        var text = await CliRunner.RunAsync("evaluate", "nab", "--results", dir, "--labels", _corpus.LabelsPath);
        Assert.True(text.ExitCode == 0, text.Error);
        var lines = text.Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.All(ProfileNames, p => Assert.Contains(p, lines[0], StringComparison.Ordinal));
        Assert.StartsWith("solo", lines[1], StringComparison.Ordinal);
        Assert.Contains("oracle", text.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Results_ThresholdsFile_ScoresAtGivenThresholds()
    {
        static double Controlled(string key, int row) => NabSyntheticCorpus.Value(key, row) / 60.0;
        var dir = _corpus.WriteResults("valued", Controlled);
        var thresholds = Path.Combine(_corpus.Root, "thresholds.json");
        File.WriteAllText(thresholds, """
            {"valued": {"reward_low_FN_rate": {"score": 1.0, "threshold": 0.3},
                        "reward_low_FP_rate": {"score": 2.0, "threshold": 0.8},
                        "standard": {"score": 3.0, "threshold": 0.5}},
             "other": {"standard": {"threshold": 0.1}}}
            """);
        var r = await CliRunner.RunAsync("evaluate", "nab", "--results", dir, "--labels", _corpus.LabelsPath, "--thresholds", thresholds, "--json");
        Assert.True(r.ExitCode == 0, r.Error);
        AssertNabJson(r.Json(), "valued", NabScorer.ScoreCorpus(NabSyntheticCorpus.Inputs(Controlled), NabProfile.All, [0.5, 0.8, 0.3]));
        Assert.False(r.Json().GetProperty("thresholdsOptimized").GetBoolean());

        File.WriteAllText(thresholds, """{"other": {"standard": {"threshold": 0.1}}}""");
        r = await CliRunner.RunAsync("evaluate", "nab", "--results", dir, "--labels", _corpus.LabelsPath, "--thresholds", thresholds);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("no thresholds for detector 'valued'", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Root_Random_MatchesKernelsRunByHand()
    {
        var random = OperatorCatalog.BuiltIn.ParseDetector("random");
        var expected = NabScorer.ScoreCorpus(NabSyntheticCorpus.Inputs((key, row) =>
        {
            // Replay the file by hand up to this row with a fresh kernel (reference, independent of NabRun).
            var kernel = random.CreateKernel();
            var ts = NabTestData.Timestamps(row + 1);
            double? s = null;
            for (var i = 0; i <= row; i++)
            {
                s = kernel.Update(ts[i], NabSyntheticCorpus.Value(key, i));
            }

            return s ?? 0.0;
        }), NabProfile.All);
        var r = await CliRunner.RunAsync("evaluate", "nab", "--root", _corpus.Root, "--detector", "random", "--json");
        Assert.True(r.ExitCode == 0, r.Error);
        AssertNabJson(r.Json(), random.Spec, expected);
    }

    [Theory]
    [InlineData("stray")]
    [InlineData("column")]
    [InlineData("cell")]
    public async Task Results_BadInput_OneLineErrorNamingTheFile(string fault)
    {
        var dir = _corpus.WriteResults("d", (k, i) => 0.1);
        var alpha = Path.Combine(dir, "catA", "d_alpha.csv");
        var named = alpha;
        var lines = File.ReadAllLines(alpha);
        switch (fault)
        {
            case "stray":
                named = Path.Combine(dir, "catA", "d_omega.csv");
                File.Copy(alpha, named);
                break;
            case "column":
                lines[0] = "timestamp,value,label";
                File.WriteAllLines(alpha, lines.Select(l => l[..l.LastIndexOf(',')]));
                break;
            default:
                lines[3] = "2014-07-01 01:00:00,12,0.1x,0";
                File.WriteAllLines(alpha, lines);
                break;
        }

        var r = await CliRunner.RunAsync("evaluate", "nab", "--results", dir, "--labels", _corpus.LabelsPath, "--json");
        Assert.Equal(1, r.ExitCode);
        Assert.Equal("", r.Out);
        Assert.Single(r.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.StartsWith("workbench evaluate nab: error: ", r.Error, StringComparison.Ordinal);
        Assert.Contains(named, r.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--detector", "random")]
    [InlineData("--root", "ROOT")]
    [InlineData("--root", "ROOT", "--results", "ROOT", "--detector", "random")]
    [InlineData("--results", "ROOT")]
    [InlineData("--root", "ROOT", "--detector", "random", "--thresholds", "ROOT/t.json")]
    public async Task Nab_InconsistentOptions_AreUsageErrors(params string[] args)
    {
        var r = await CliRunner.RunAsync(["evaluate", "nab", .. args.Select(a => a.Replace("ROOT", _corpus.Root, StringComparison.Ordinal))]);
        Assert.Equal(2, r.ExitCode);
        Assert.Single(r.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
    }

    [SkippableFact]
    public async Task Root_RealCorpus_WindowedGaussianAndRandom_FiniteScoresWithRequiredKeys()
    {
        var root = TestPaths.RequireNab();
        var clock = Stopwatch.StartNew();
        var r = await CliRunner.RunAsync("evaluate", "nab", "--root", root, "--detector", "windowed-gaussian", "--detector", "random", "--json");
        clock.Stop();
        Assert.True(r.ExitCode == 0, r.Error);
        var all = r.Json().EnumerateArray().ToList();
        Assert.Equal(2, all.Count);
        Assert.StartsWith("windowed-gaussian(", all[0].GetProperty("detector").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("random(", all[1].GetProperty("detector").GetString(), StringComparison.Ordinal);
        foreach (var result in all)
        {
            foreach (var name in ProfileNames)
            {
                var score = result.GetProperty("scores").GetProperty(name).GetDouble();
                var threshold = result.GetProperty("thresholds").GetProperty(name).GetDouble();
                Assert.True(double.IsFinite(score) && score <= 100.0, $"{name}: {score}");
                Assert.InRange(threshold, 0.0, NabScorer.NoDetectionThreshold);
                output.WriteLine($"{result.GetProperty("detector").GetString()} {name}: {score:F4} @ {threshold:R}");
            }
        }

        output.WriteLine($"wall {clock.Elapsed.TotalSeconds:F2} s");
    }
}
