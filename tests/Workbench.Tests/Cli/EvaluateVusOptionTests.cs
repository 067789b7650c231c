using Workbench.Cli.Commands;
using Workbench.Data;
using Workbench.Evaluation.Metrics;
using Workbench.Evaluation.Runs;
using Workbench.Operators.Specs;
using Workbench.Tests.Support;

namespace Workbench.Tests.Cli;

/// <summary><c>evaluate --vus vldb2022|tsb-ad-2024 --vus-buffer L</c> (issue 11 part 7): the CLI computes what the library computes for that definition.</summary>
public class EvaluateVusOptionTests
{
    private static readonly string Data = Path.Combine(TestPaths.RepoRoot, "data", "default.parquet");

    private static async Task<(double Roc, double Pr)> CliVus(params string[] extra)
    {
        var r = await CliRunner.RunAsync(["evaluate", Data, "--detector", "zscore", "--json", "-", .. extra]);
        Assert.True(r.ExitCode == 0, r.Error);
        var row = Assert.Single(r.Json().GetProperty("detectors").EnumerateArray());
        return (row.GetProperty("vusRoc").GetDouble(), row.GetProperty("vusPr").GetDouble());
    }

    private static async Task<(double Roc, double Pr)> LibraryVus(VusOptions vus)
    {
        var set = await LabeledSeriesSet.LoadAsync(Data);
        var detector = OperatorCatalogs.Cli.ParseDetector("zscore");
        var e = Assert.Single(DetectorEvaluator.Evaluate(set, [detector], new EvaluationOptions { Vus = vus }));
        return (e.VusRoc!.Value, e.VusPr!.Value);
    }

    [Fact]
    public async Task Vus_Definitions_MatchTheLibrary_AndDiffer()
    {
        var vldb = await CliVus();
        var vldbExplicit = await CliVus("--vus", "vldb2022");
        var tsb = await CliVus("--vus", "tsb-ad-2024", "--vus-buffer", "40");

        Assert.Equal(await LibraryVus(new VusOptions()), vldb);
        Assert.Equal(vldb, vldbExplicit);
        Assert.Equal(await LibraryVus(new VusOptions { Definition = VusDefinition.TsbAd2024, MaxBuffer = 40 }), tsb);
        Assert.NotEqual(vldb.Pr, tsb.Pr);
    }

    [Theory]
    [InlineData("--vus", "tsb-ad", "tsb-ad")]
    [InlineData("--vus-buffer", "-1", "--vus-buffer must be 0 or more (got -1)")]
    public async Task Vus_BadValue_FailsWithOneLine(string option, string value, string message)
    {
        var r = await CliRunner.RunAsync("evaluate", Data, "--detector", "zscore", option, value);
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains(message, r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Vus_NonDefault_WithCluster_IsRefused()
    {
        var r = await CliRunner.RunAsync("evaluate", Data, "--detector", "zscore", "--vus", "tsb-ad-2024", "--cluster", "redis://127.0.0.1:1");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("--cluster: the silos compute VUS with the default definition", r.Error, StringComparison.Ordinal);
        Assert.Single(r.Error.TrimEnd().Split('\n'));
    }
}
