using System.Text.Json;
using Workbench.Tests.Support;

namespace Workbench.Tests.Cli;

public class CliCommandsTests
{
    private const string SmallSpec = """
        {
          "seed": 11,
          "sources": 4,
          "points": 600,
          "start": "2024-03-01T00:00:00Z",
          "frequency": "1m",
          "metrics": [
            { "name": "latency", "level": 100, "seasonalities": [ { "period": 1440, "amplitude": 10 } ], "noise": { "sigma": 2 } }
          ],
          "anomalies": { "sourceRatio": 1.0, "eventsPerSource": { "min": 2, "max": 3 }, "minGap": 20, "edgeMargin": 20 }
        }
        """;

    [Theory]
    [InlineData("generate")]
    [InlineData("import", "nab")]
    [InlineData("inspect")]
    [InlineData("replay")]
    [InlineData("bench")]
    [InlineData("bench", "generate")]
    public async Task Help_EveryCommand_PrintsUsage_AndSucceeds(params string[] command)
    {
        var r = await CliRunner.RunAsync([.. command, "--help"]);
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("Usage:", r.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Generate_Inspect_Replay_RoundTrip_WithJson()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("spec.json"), SmallSpec);
        var gen = await CliRunner.RunAsync("generate", "--spec", dir.File("spec.json"), "--out", dir.File("a.parquet"), "--json");
        Assert.True(gen.ExitCode == 0, gen.Error);
        Assert.Equal(2400, gen.Json().GetProperty("rows").GetInt64());

        var inspect = await CliRunner.RunAsync("inspect", dir.File("a.parquet"), "--json");
        Assert.True(inspect.ExitCode == 0, inspect.Error);
        var j = inspect.Json();
        Assert.Equal(2400, j.GetProperty("rows").GetInt64());
        Assert.Equal(4, j.GetProperty("series").GetInt32());
        var points = j.GetProperty("anomalyPoints").EnumerateObject().Sum(p => p.Value.GetInt64());
        var events = j.GetProperty("anomalyEvents").EnumerateObject().Sum(p => p.Value.GetInt64());
        Assert.True(points > 0 && events is >= 8 and <= 12, $"points {points}, events {events}");
        Assert.True(j.GetProperty("missingValues").GetInt64() >= 0);
        Assert.Equal(11, j.GetProperty("recipe").GetProperty("seed").GetInt64());

        var replay = await CliRunner.RunAsync("replay", dir.File("a.parquet"), "--virtual", "--json");
        Assert.True(replay.ExitCode == 0, replay.Error);
        Assert.Equal(2400, replay.Json().GetProperty("events").GetInt64());
        Assert.True(replay.Json().GetProperty("eventsPerSecond").GetDouble() > 0);

        var limited = await CliRunner.RunAsync("replay", dir.File("a.parquet"), "--virtual", "--limit", "100", "--json");
        Assert.Equal(100, limited.Json().GetProperty("events").GetInt64());

        var scaled = await CliRunner.RunAsync("replay", dir.File("a.parquet"), "--speed", "1e9", "--limit", "50", "--json");
        Assert.True(scaled.ExitCode == 0, scaled.Error);
        Assert.Equal(50, scaled.Json().GetProperty("events").GetInt64());
        Assert.Equal("scaled", scaled.Json().GetProperty("mode").GetString());
    }

    [Fact]
    public async Task Generate_SameSpecAndSeed_ByteIdentical_OtherSeedDiffers()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("spec.json"), SmallSpec);
        Assert.Equal(0, (await CliRunner.RunAsync("generate", "--spec", dir.File("spec.json"), "--out", dir.File("a.parquet"))).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync("generate", "--spec", dir.File("spec.json"), "--out", dir.File("b.parquet"))).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync("generate", "--spec", dir.File("spec.json"), "--seed", "12", "--out", dir.File("c.parquet"))).ExitCode);

        Assert.Equal(File.ReadAllBytes(dir.File("a.parquet")), File.ReadAllBytes(dir.File("b.parquet")));
        Assert.NotEqual(File.ReadAllBytes(dir.File("a.parquet")), File.ReadAllBytes(dir.File("c.parquet")));
    }

    [Theory]
    [InlineData(new[] { "generate", "--out", "x.parquet" }, "exactly one of --spec")]
    [InlineData(new[] { "generate", "--preset", "nope", "--out", "x.parquet" }, "nope")]
    [InlineData(new[] { "replay", "missing.parquet", "--virtual" }, "does not exist")]
    [InlineData(new[] { "replay", "missing.parquet" }, "exactly one of --virtual")]
    [InlineData(new[] { "inspect", "missing.parquet" }, "does not exist")]
    [InlineData(new[] { "import", "nab", "--root", "/nonexistent-nab", "--out", "x.parquet" }, "does not exist")]
    [InlineData(new[] { "frobnicate" }, "frobnicate")]
    public async Task Errors_ExitNonZero_WithOneClearLine(string[] args, string expected)
    {
        var r = await CliRunner.RunAsync(args);
        Assert.NotEqual(0, r.ExitCode);
        var lines = r.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines);
        Assert.Contains(expected, lines[0], StringComparison.Ordinal);
        Assert.StartsWith("workbench", lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspect_NotAParquetFile_FailsNamingTheFile()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("bad.parquet"), "not parquet");
        var r = await CliRunner.RunAsync("inspect", dir.File("bad.parquet"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("bad.parquet", r.Error, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task ImportNab_ThenInspect_HasPublishedCounts()
    {
        var root = TestPaths.RequireNab();
        using var dir = new TempDirectory();
        var import = await CliRunner.RunAsync("import", "nab", "--root", root, "--out", dir.File("nab.parquet"), "--json");
        Assert.True(import.ExitCode == 0, import.Error);
        Assert.Equal(365_558, import.Json().GetProperty("rows").GetInt64());

        var inspect = await CliRunner.RunAsync("inspect", dir.File("nab.parquet"), "--json", "--full");
        Assert.True(inspect.ExitCode == 0, inspect.Error);
        var j = inspect.Json();
        Assert.Equal(365_558, j.GetProperty("rows").GetInt64());
        Assert.Equal(58, j.GetProperty("series").GetInt32());
        Assert.Equal(52, j.GetProperty("seriesWithAnomalies").GetInt64());
        Assert.Equal(0, j.GetProperty("missingValues").GetInt64());
        Assert.Equal(33_495, j.GetProperty("anomalyPoints").GetProperty("labelled_window").GetInt64());
        Assert.Equal(116, j.GetProperty("anomalyEvents").GetProperty("labelled_window").GetInt64());
    }
}
