using Workbench.Cli.Commands;
using Workbench.Cli.Infrastructure;
using Workbench.Replay;

namespace Workbench.Tests.Cli;

/// <summary>
/// <c>bench replay-timing</c>: its arguments and the shape of its result (both clocks, every speed, ratios). No figure
/// is asserted: the run is tiny and fast, and performance belongs in the bench itself.
/// </summary>
public class BenchReplayTimingCommandTests
{
    [Fact]
    public void ParseSpeeds_ListsAndRejectsBadValues()
    {
        Assert.Equal([1.0, 100.0, 1000.0], BenchCommand.ParseSpeeds("1, 100,1000"));
        Assert.Throws<CommandFailedException>(() => BenchCommand.ParseSpeeds("100,fast"));
        Assert.Throws<CommandFailedException>(() => BenchCommand.ParseSpeeds("0"));
        Assert.Throws<CommandFailedException>(() => BenchCommand.ParseSpeeds(" , "));
    }

    [Fact]
    public void ParseClocks_NamesBothClocks_DuplicatesOnce()
    {
        Assert.Equal([ReplayClock.HighResolution, ReplayClock.Timer], BenchCommand.ParseClocks("high-resolution,timer,timer"));
        Assert.Equal([ReplayClock.Timer], BenchCommand.ParseClocks("TIMER"));
        Assert.Throws<CommandFailedException>(() => BenchCommand.ParseClocks("sundial"));
    }

    [Fact]
    public async Task ReplayTiming_Json_ReportsEveryStatisticPerSpeedAndClock_WithRatios()
    {
        var run = await CliRunner.RunAsync("bench", "replay-timing", "--speeds", "100000,200000", "--count", "20", "--count-at-1", "2", "--json");
        Assert.Equal(0, run.ExitCode);
        var names = run.Json().GetProperty("figures").EnumerateArray().Select(f => f.GetProperty("name").GetString()).ToList();
        foreach (var speed in new[] { "100000x", "200000x" })
        {
            foreach (var clock in new[] { "high-resolution", "timer" })
            {
                foreach (var stat in new[] { "interval", "mean |lateness|", "p50 |lateness|", "p99 |lateness|", "max |lateness|", "process CPU" })
                {
                    Assert.Contains($"{speed} {clock} {stat}", names);
                }
            }

            Assert.Contains($"{speed} timer / high-resolution mean", names);
            Assert.Contains($"{speed} timer / high-resolution p99", names);
        }
    }

    [Fact]
    public async Task ReplayTiming_BadSpeeds_OneLineError()
    {
        var run = await CliRunner.RunAsync("bench", "replay-timing", "--speeds", "-1");
        Assert.NotEqual(0, run.ExitCode);
        Assert.Contains("--speeds", run.Error, StringComparison.Ordinal);
    }
}
