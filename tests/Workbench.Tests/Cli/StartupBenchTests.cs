using Workbench.Cli.Commands;
using Workbench.Cli.Infrastructure;

namespace Workbench.Tests.Cli;

/// <summary>The start-up benchmark's mechanics (the figures themselves belong in docs/BENCHMARKS.md, never in a test).</summary>
public sealed class StartupBenchTests
{
    [SkippableFact]
    public void Run_TwoExecutables_OneTimingPerExecutableAndCommand()
    {
        Skip.IfNot(File.Exists("/bin/true") && File.Exists("/bin/echo"), "needs /bin/true and /bin/echo");
        var timings = StartupBench.Run(["/bin/true", "/bin/echo"], [["a"], ["b", "c"]], 3, CancellationToken.None);

        Assert.Equal(4, timings.Count);
        Assert.Equal(["/bin/true", "/bin/true", "/bin/echo", "/bin/echo"], timings.Select(t => t.Executable).ToArray());
        Assert.Equal(["a", "b c", "a", "b c"], timings.Select(t => t.Command).ToArray());
        Assert.All(timings, t =>
        {
            Assert.Equal(3, t.Runs);
            Assert.True(t.MinMs > 0 && t.MinMs <= t.MedianMs, $"min {t.MinMs} median {t.MedianMs}");
        });
    }

    [SkippableFact]
    public void Run_FailingCommand_ThrowsNamingIt()
    {
        Skip.IfNot(File.Exists("/bin/false"), "needs /bin/false");
        var e = Assert.Throws<CommandFailedException>(() => StartupBench.Run(["/bin/false"], [["x"]], 1, CancellationToken.None));
        Assert.Contains("/bin/false x", e.Message, StringComparison.Ordinal);
        Assert.Contains("exited 1", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cli_MissingExecutable_OneClearLine()
    {
        var r = await CliRunner.RunAsync("bench", "startup", "--exe", "/nonexistent/workbench", "--data", typeof(StartupBench).Assembly.Location, "--runs", "1");
        Assert.NotEqual(0, r.ExitCode);
        Assert.Contains("/nonexistent/workbench does not exist", r.Error, StringComparison.Ordinal);
    }
}
