using System.Text.Json;
using Workbench.Tests.Cli;
using Workbench.Tests.Kernel;
using Workbench.Tests.Support;

namespace Workbench.Tests.Cluster;

/// <summary>
/// The cluster as it is deployed: a membership store (redis-server, or PostgreSQL with Orleans' ADO.NET clustering) and
/// two <c>workbench silo</c> processes on localhost, <c>evaluate --cluster</c> as a third; one silo is killed (SIGKILL) as
/// soon as the first result arrives from it, and the leaderboard files must still be byte-identical to the local run.
/// Needs Debian's redis-server and postgresql (<see cref="MembershipStores"/>): skipped without them, failed without
/// them when <c>WORKBENCH_REQUIRE_CLUSTER=1</c> (as <c>.ci/run</c> sets).
/// </summary>
public sealed class ClusterProcessTests
{
    private static readonly string CliDll = Path.Combine(AppContext.BaseDirectory, "workbench.dll");
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(60);

    [SkippableTheory]
    [InlineData("redis")]
    [InlineData("postgres")]
    public async Task TwoSilos_OneKilledMidSweep_TheLeaderboardIsStillByteIdentical(string store)
    {
        using var dir = new TempDirectory();
        var data = dir.File("d.parquet");
        var generated = await CliRunner.RunAsync("generate", "--preset", "default-small", "--series", "4", "--points", "1500", "--out", data);
        Assert.True(generated.ExitCode == 0, generated.Error);
        const string Grid = "zscore(window=20..200:10,threshold=3..5:0.5)"; // 95 items, one per chunk
        var local = await CliRunner.RunAsync("evaluate", data, "--grid", Grid, "--workers", "1", "--csv", dir.File("local.csv"), "--parquet", dir.File("local.parquet"), "--json", dir.File("local.json"));
        Assert.True(local.ExitCode == 0, local.Error);

        await using var membership = await MembershipStores.StartAsync(store, dir.Path);
        var connection = membership.Connection;
        var ports = new[] { MembershipStores.FreePort(), MembershipStores.FreePort(), MembershipStores.FreePort(), MembershipStores.FreePort() };
        await using var silo1 = StartSilo(connection, ports[0], ports[1], dir.Path);
        await using var silo2 = StartSilo(connection, ports[2], ports[3], dir.Path);
        var ready1 = Ready(await silo1.WaitForLineAsync(l => l.Contains("\"ready\"", StringComparison.Ordinal), Startup));
        var ready2 = Ready(await silo2.WaitForLineAsync(l => l.Contains("\"ready\"", StringComparison.Ordinal), Startup));

        await using var evaluate = ChildProcess.Start("dotnet", [CliDll, "evaluate", data, "--grid", Grid, "--cluster", connection, "--chunk", "1", "--in-flight", "8",
            "--progress", "json", "--csv", dir.File("cluster.csv"), "--parquet", dir.File("cluster.parquet"), "--json", dir.File("cluster.json")], dir.Path);
        // The trigger: the first finished chunk names its silo; that silo is killed while the sweep goes on.
        var first = await evaluate.WaitForLineAsync(l => l.Contains("\"event\":\"progress\"", StringComparison.Ordinal), Startup, stderr: true);
        var firstSilo = JsonDocument.Parse(first).RootElement.GetProperty("silo").GetString()!;
        var (victim, survivor) = firstSilo == ready1 ? (silo1, ready2) : (silo2, ready1);
        Assert.True(firstSilo == ready1 || firstSilo == ready2, $"{firstSilo} is neither {ready1} nor {ready2}");
        victim.KillTree();
        var result = await evaluate.WaitAsync(TimeSpan.FromSeconds(180));
        Assert.True(result.ExitCode == 0, result.Describe());

        Assert.Equal(await File.ReadAllTextAsync(dir.File("local.csv")), await File.ReadAllTextAsync(dir.File("cluster.csv")));
        Assert.Equal(await File.ReadAllTextAsync(dir.File("local.json")), await File.ReadAllTextAsync(dir.File("cluster.json")));
        Assert.Equal(await File.ReadAllBytesAsync(dir.File("local.parquet")), await File.ReadAllBytesAsync(dir.File("cluster.parquet")));
        var events = result.Stderr.Split('\n').Where(l => l.StartsWith('{')).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var done = events.Last(e => e.GetProperty("event").GetString() == "done");
        Assert.True(done.GetProperty("retried").GetInt32() > 0, "killing a silo mid-sweep forces retries: " + ChildProcess.Tail(result.Stderr));
        Assert.Equal(95, done.GetProperty("done").GetInt32());
        Assert.Equal(0, done.GetProperty("etaMs").GetInt64());
        Assert.All(events, e => Assert.Equal(95, e.GetProperty("total").GetInt32()));
        Assert.Contains(events, e => e.GetProperty("event").GetString() == "retry" && e.GetProperty("failure").GetString()!.Length > 0);
        Assert.Contains(events, e => e.GetProperty("event").GetString() == "progress" && e.GetProperty("silo").GetString() == survivor);
        Assert.Contains("95 evaluation(s)", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("retried", result.Stdout, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task EvaluateCluster_WithNoSilo_OrABadConnection_FailsWithOneLine()
    {
        var redis = MembershipStores.RequireRedis();
        using var dir = new TempDirectory();
        var data = dir.File("d.parquet");
        var generated = await CliRunner.RunAsync("generate", "--preset", "default-small", "--series", "2", "--points", "1200", "--out", data);
        Assert.True(generated.ExitCode == 0, generated.Error);
        var bad = await CliRunner.RunAsync("evaluate", data, "--grid", "zscore(window=[36,72])", "--cluster", "mysql://127.0.0.1/x");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("(Redis or PostgreSQL)", bad.Error, StringComparison.Ordinal);
        Assert.Single(bad.Error.Trim().Split('\n'));
        // Nothing listens on port 1: the PostgreSQL store cannot be prepared, and evaluate and silo say so in one line.
        var noDatabase = await CliRunner.RunAsync("evaluate", data, "--grid", "zscore(window=[36,72])", "--cluster", "postgres://workbench:s3cret@127.0.0.1:1/grid");
        Assert.Equal(1, noDatabase.ExitCode);
        Assert.Contains("PostgreSQL at 127.0.0.1:1, database 'grid'", noDatabase.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("s3cret", noDatabase.Error, StringComparison.Ordinal);
        Assert.Single(noDatabase.Error.Trim().Split('\n'));
        var silo = await ChildProcess.RunAsync("dotnet", [CliDll, "silo", "--cluster", "Host=127.0.0.1;Port=1;Database=grid;Username=workbench"], Startup, dir.Path);
        Assert.True(silo.ExitCode == 1, silo.Describe());
        Assert.Contains("PostgreSQL at 127.0.0.1:1", silo.Stderr, StringComparison.Ordinal);
        var nab = await CliRunner.RunAsync("evaluate", data, "--grid", "zscore(window=[36,72])", "--cluster", "redis://127.0.0.1:1", "--select-on", "0.5");
        Assert.Equal(1, nab.ExitCode);
        Assert.Contains("no --scores, --nab or --select-on", nab.Error, StringComparison.Ordinal);

        var redisPort = MembershipStores.FreePort();
        await using var store = ChildProcess.Start(redis, ["--port", $"{redisPort}", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], dir.Path);
        await store.WaitForLineAsync(l => l.Contains("Ready to accept connections", StringComparison.Ordinal), Startup);
        var none = await ChildProcess.RunAsync("dotnet", [CliDll, "evaluate", data, "--grid", "zscore(window=[36,72])", "--cluster", $"redis://127.0.0.1:{redisPort}"], Startup, dir.Path);
        Assert.True(none.ExitCode == 1, none.Describe());
        Assert.Contains("start silos with 'workbench silo", none.Stderr, StringComparison.Ordinal);
    }

    private static ChildProcess StartSilo(string connection, int port, int gatewayPort, string workingDirectory) =>
        ChildProcess.Start("dotnet", [CliDll, "silo", "--cluster", connection, "--port", $"{port}", "--gateway-port", $"{gatewayPort}", "--workers", "2", "--json"], workingDirectory);

    private static string Ready(string line) => JsonDocument.Parse(line).RootElement.GetProperty("silo").GetString()!;
}
