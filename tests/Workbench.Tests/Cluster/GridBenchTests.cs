using System.Text.Json;
using Workbench.Tests.Cli;
using Workbench.Tests.Support;

namespace Workbench.Tests.Cluster;

/// <summary><c>bench grid</c>: its arguments and the shape of its result (never its timings).</summary>
public sealed class GridBenchTests
{
    [Fact]
    public async Task BenchGrid_ReportsBothWorkerCounts_AndIdenticalCsvs()
    {
        using var dir = new TempDirectory();
        var data = dir.File("d.parquet");
        var generated = await CliRunner.RunAsync("generate", "--preset", "default-small", "--series", "2", "--points", "1200", "--out", data);
        Assert.True(generated.ExitCode == 0, generated.Error);
        var run = await CliRunner.RunAsync("bench", "grid", "--data", data, "--grid", "zscore(window=[24,48])", "--workers", "2", "--runs", "1", "--json");
        Assert.True(run.ExitCode == 0, run.Error);
        var figures = JsonDocument.Parse(run.Out).RootElement.GetProperty("figures").EnumerateArray()
            .ToDictionary(f => f.GetProperty("name").GetString()!, f => f);
        Assert.Equal("yes", figures["leaderboard CSVs identical"].GetProperty("unit").GetString());
        Assert.Contains("1 worker(s) wall (best of 1)", figures.Keys);
        Assert.Contains("2 worker(s) throughput (best)", figures.Keys);
        Assert.Contains("2 points", figures["1 worker(s) wall (best of 1)"].GetProperty("note").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task BenchGrid_RefusesOneWorker()
    {
        var run = await CliRunner.RunAsync("bench", "grid", "--workers", "1");
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("--workers must be at least 2", run.Error, StringComparison.Ordinal);
    }
}
