namespace Workbench.Tests.Cli;

/// <summary>
/// <c>bench operators-chunked</c>: its arguments and the shape of its result (every path per operator, ratios). No figure
/// is asserted: the run is tiny, and performance belongs in the bench itself.
/// </summary>
public class BenchOperatorsChunkedCommandTests
{
    [Fact]
    public async Task OperatorsChunked_Json_ReportsEveryPathPerOperator()
    {
        var run = await CliRunner.RunAsync("bench", "operators-chunked", "--events", "3000", "--series", "3", "--only", "zscore", "--only", "naive", "--only", "tumble", "--json");
        Assert.Equal(0, run.ExitCode);
        var figures = run.Json().GetProperty("figures").EnumerateArray()
            .Select(f => (Name: f.GetProperty("name").GetString()!, Value: f.GetProperty("value").GetDouble())).ToList();
        foreach (var op in new[] { "zscore(window=288,threshold=4)", "naive" })
        {
            foreach (var path in new[] { "twin", "per-event", "fused", "chunked-instant", "chunked-run" })
            {
                Assert.Contains(figures, f => f.Name == $"{op} {path}" && f.Value > 0);
            }
        }

        Assert.Contains(figures, f => f.Name == "tumble(1m) per-event");
        Assert.DoesNotContain(figures, f => f.Name == "tumble(1m) chunked-run");
    }

    [Fact]
    public async Task OperatorsChunked_Text_PrintsOneLinePerOperator()
    {
        var run = await CliRunner.RunAsync("bench", "operators-chunked", "--events", "2000", "--series", "2", "--only", "threshold");
        Assert.Equal(0, run.ExitCode);
        Assert.Contains("threshold(upper=1000,lower=none) |", run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OperatorsChunked_BadArguments_OneLineError()
    {
        var run = await CliRunner.RunAsync("bench", "operators-chunked", "--max-rows", "0");
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("--max-rows", run.Error, StringComparison.Ordinal);
        Assert.Single(run.Error.Trim().Split('\n'));
    }
}
