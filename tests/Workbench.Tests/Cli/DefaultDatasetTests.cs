using Workbench.Tests.Support;

namespace Workbench.Tests.Cli;

public class DefaultDatasetTests
{
    [Fact]
    public async Task CommittedDefaultDataset_RegeneratesByteIdentically_FromItsCommittedSpec()
    {
        var spec = Path.Combine(TestPaths.RepoRoot, "data", "default.spec.json");
        var committed = Path.Combine(TestPaths.RepoRoot, "data", "default.parquet");
        using var dir = new TempDirectory();

        var r = await CliRunner.RunAsync("generate", "--spec", spec, "--out", dir.File("again.parquet"));

        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Equal(File.ReadAllBytes(committed), File.ReadAllBytes(dir.File("again.parquet")));
    }

    [Fact]
    public async Task CommittedDefaultDataset_HasEveryInjectedKind()
    {
        var r = await CliRunner.RunAsync("inspect", Path.Combine(TestPaths.RepoRoot, "data", "default.parquet"), "--json", "--full");
        Assert.True(r.ExitCode == 0, r.Error);
        var events = r.Json().GetProperty("anomalyEvents");
        foreach (var kind in new[] { "spike", "level_shift", "drift", "missing", "seasonal" })
        {
            Assert.True(events.GetProperty(kind).GetInt64() > 0, kind);
        }

        Assert.Equal(172_800, r.Json().GetProperty("rows").GetInt64());
    }
}
