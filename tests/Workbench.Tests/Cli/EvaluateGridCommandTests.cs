using System.Text.Json;
using Workbench.Tests.Support;

namespace Workbench.Tests.Cli;

/// <summary><c>workbench evaluate --grid</c>, <c>--workers</c>, <c>--best-per-family</c>, <c>--select-on</c> and bad grids.</summary>
public sealed class EvaluateGridCommandTests
{
    private static async Task<string> DataAsync(TempDirectory dir)
    {
        var path = dir.File("d.parquet");
        var r = await CliRunner.RunAsync("generate", "--preset", "default-small", "--series", "4", "--points", "1500", "--out", path);
        Assert.True(r.ExitCode == 0, r.Error);
        return path;
    }

    [Fact]
    public async Task Grid_EvaluatesEveryPoint_WithParameterColumns_AndTheSameFilesOnOneAndTwoWorkers()
    {
        using var dir = new TempDirectory();
        var data = await DataAsync(dir);
        var one = await CliRunner.RunAsync("evaluate", data, "--grid", "zscore(window=[36,72],threshold=3..4:0.5)", "--grid", "mad(window=[36,72])", "--workers", "1", "--csv", dir.File("1.csv"), "--parquet", dir.File("1.parquet"));
        var two = await CliRunner.RunAsync("evaluate", data, "--grid", "zscore(window=[36,72],threshold=3..4:0.5)", "--grid", "mad(window=[36,72])", "--workers", "2", "--csv", dir.File("2.csv"), "--parquet", dir.File("2.parquet"));
        Assert.True(one.ExitCode == 0, one.Error);
        Assert.True(two.ExitCode == 0, two.Error);
        Assert.Contains("8 evaluation(s)", one.Out, StringComparison.Ordinal);
        var csv = await File.ReadAllTextAsync(dir.File("1.csv"));
        Assert.Equal(csv, await File.ReadAllTextAsync(dir.File("2.csv")));
        Assert.Equal(await File.ReadAllBytesAsync(dir.File("1.parquet")), await File.ReadAllBytesAsync(dir.File("2.parquet")));
        Assert.Contains("param:window", csv.Split('\n')[0], StringComparison.Ordinal);
        Assert.Contains("param:threshold", csv.Split('\n')[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task BestPerFamily_SaysItIsAnOracleChoice_AndSelectOn_ScoresTheChosenPointOnTheOtherSeries()
    {
        using var dir = new TempDirectory();
        var data = await DataAsync(dir);
        var best = await CliRunner.RunAsync("evaluate", data, "--grid", "zscore(window=[36,72],threshold=[3,4])", "--best-per-family");
        Assert.True(best.ExitCode == 0, best.Error);
        Assert.Contains("an oracle choice", best.Out, StringComparison.Ordinal);
        Assert.Contains("1 evaluation(s)", best.Out, StringComparison.Ordinal);

        var fair = await CliRunner.RunAsync("evaluate", data, "--grid", "zscore(window=[36,72],threshold=[3,4])", "--select-on", "0.5", "--json", "-");
        Assert.True(fair.ExitCode == 0, fair.Error);
        using var doc = JsonDocument.Parse(fair.Out);
        var row = Assert.Single(doc.RootElement.GetProperty("detectors").EnumerateArray());
        var all = await CliRunner.RunAsync("evaluate", data, "--detector", "zscore", "--json", "-");
        using var allDoc = JsonDocument.Parse(all.Out);
        var rows = allDoc.RootElement.GetProperty("detectors")[0].GetProperty("rows").GetInt64();
        // The held-out half of the series (every series has the same length here).
        Assert.Equal(rows / 2, row.GetProperty("rows").GetInt64());
    }

    [Theory]
    [InlineData("zscore(window=[])", "empty list")]
    [InlineData("zscore(window=1..10000:1,threshold=1..1000:1)", "10,000,000 points")]
    [InlineData("zscore(window=60..10:5)", "end >= start")]
    public async Task BadGrids_FailWithOneLine(string grid, string expected)
    {
        using var dir = new TempDirectory();
        var data = await DataAsync(dir);
        var r = await CliRunner.RunAsync("evaluate", data, "--grid", grid);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains(expected, r.Error, StringComparison.Ordinal);
        Assert.Single(r.Error.Trim().Split('\n'));
    }

    [Fact]
    public async Task SelectOn_AnUnknownSeries_OrAFractionOutside01_IsRefused()
    {
        using var dir = new TempDirectory();
        var data = await DataAsync(dir);
        var unknown = await CliRunner.RunAsync("evaluate", data, "--grid", "zscore(window=[36,72])", "--select-on", "nope");
        Assert.Equal(1, unknown.ExitCode);
        Assert.Contains("no series 'nope'", unknown.Error, StringComparison.Ordinal);
        var fraction = await CliRunner.RunAsync("evaluate", data, "--grid", "zscore(window=[36,72])", "--select-on", "1.5");
        Assert.Equal(1, fraction.ExitCode);
        Assert.Contains("(0, 1)", fraction.Error, StringComparison.Ordinal);
    }
}
