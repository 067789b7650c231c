using System.Text.Json;
using Workbench.Cli.Commands;
using Workbench.Tests.Cli;
using Workbench.Tests.Support;

namespace Workbench.Tests.Cluster;

/// <summary><c>evaluate --progress json</c>: one JSON object per line on stderr (deterministic fields only; times are checked for shape, not value).</summary>
public sealed class ProgressEventTests
{
    [Theory]
    [InlineData("1")]
    [InlineData("2")]
    public async Task LocalWorkers_ReportEveryItem_ThenDone_WithElapsedAndEta(string workers)
    {
        using var dir = new TempDirectory();
        var data = dir.File("d.parquet");
        var generated = await CliRunner.RunAsync("generate", "--preset", "default-small", "--series", "2", "--points", "1200", "--out", data);
        Assert.True(generated.ExitCode == 0, generated.Error);
        var run = await CliRunner.RunAsync("evaluate", data, "--grid", "zscore(window=[24,48,96],threshold=[3,4])", "--workers", workers, "--progress", "json");
        Assert.True(run.ExitCode == 0, run.Error);

        var events = run.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var progress = events.Where(e => e.GetProperty("event").GetString() == "progress").ToList();
        Assert.Equal([1, 2, 3, 4, 5, 6], progress.Select(e => e.GetProperty("done").GetInt32()));
        var n = int.Parse(workers, System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(progress.Select(e => Math.Min(n, 6 - e.GetProperty("done").GetInt32())), progress.Select(e => e.GetProperty("inFlight").GetInt32()));
        Assert.All(events, e =>
        {
            Assert.Equal("d.parquet", e.GetProperty("dataset").GetString());
            Assert.Equal(6, e.GetProperty("total").GetInt32());
            Assert.Equal(0, e.GetProperty("retried").GetInt32());
            Assert.True(e.GetProperty("elapsedMs").GetInt64() >= 0);
            Assert.True(e.GetProperty("etaMs").GetInt64() >= 0);
            Assert.False(e.TryGetProperty("silo", out _), "a local run names no silo");
        });
        var elapsed = events.Select(e => e.GetProperty("elapsedMs").GetInt64()).ToList();
        Assert.Equal(elapsed.Order(), elapsed);
        var done = events[^1];
        Assert.Equal("done", done.GetProperty("event").GetString());
        Assert.Equal(6, done.GetProperty("done").GetInt32());
        Assert.Equal(0, done.GetProperty("inFlight").GetInt32());
        Assert.Equal(0, done.GetProperty("etaMs").GetInt64());
        Assert.Equal(7, events.Count);
    }

    [Fact]
    public async Task ProgressNone_WritesNothing_AndABadModeIsRefused()
    {
        using var dir = new TempDirectory();
        var data = dir.File("d.parquet");
        var generated = await CliRunner.RunAsync("generate", "--preset", "default-small", "--series", "2", "--points", "1200", "--out", data);
        Assert.True(generated.ExitCode == 0, generated.Error);
        var quiet = await CliRunner.RunAsync("evaluate", data, "--grid", "zscore(window=[24,48])", "--progress", "none");
        Assert.True(quiet.ExitCode == 0, quiet.Error);
        Assert.Equal("", quiet.Error);
        var bad = await CliRunner.RunAsync("evaluate", data, "--grid", "zscore(window=[24,48])", "--progress", "bar");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("--progress 'bar': use auto, json or none", bad.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 10, 5000, null)]
    [InlineData(1, 10, 1000, 9000L)]
    [InlineData(3, 4, 3000, 1000L)]
    [InlineData(2, 3, 1001, 501L)]
    [InlineData(10, 10, 7000, 0L)]
    public void Eta_IsTheTimeLeftAtTheRateSoFar(int done, int total, int elapsedMs, long? expected) =>
        Assert.Equal(expected, ProgressEvent.Eta(done, total, TimeSpan.FromMilliseconds(elapsedMs)));
}
