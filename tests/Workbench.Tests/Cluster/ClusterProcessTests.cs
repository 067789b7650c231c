using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Workbench.Tests.Cli;
using Workbench.Tests.Kernel;
using Workbench.Tests.Support;

namespace Workbench.Tests.Cluster;

/// <summary>
/// The cluster as it is deployed: redis-server (the membership store) and two <c>workbench silo</c> processes on
/// localhost, <c>evaluate --cluster</c> as a third; one silo is killed (SIGKILL) as soon as the first result arrives from
/// it, and the leaderboard files must still be byte-identical to the local run. Needs Debian's redis-server: skipped
/// without it, failed without it when <c>WORKBENCH_REQUIRE_CLUSTER=1</c> (as <c>.ci/run</c> sets).
/// </summary>
public sealed class ClusterProcessTests
{
    private const string RequireVariable = "WORKBENCH_REQUIRE_CLUSTER";
    private static readonly string CliDll = Path.Combine(AppContext.BaseDirectory, "workbench.dll");
    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(60);

    [SkippableFact]
    public async Task TwoSilos_OneKilledMidSweep_TheLeaderboardIsStillByteIdentical()
    {
        var redis = RequireRedis();
        using var dir = new TempDirectory();
        var data = dir.File("d.parquet");
        var generated = await CliRunner.RunAsync("generate", "--preset", "default-small", "--series", "4", "--points", "1500", "--out", data);
        Assert.True(generated.ExitCode == 0, generated.Error);
        const string Grid = "zscore(window=20..200:10,threshold=3..5:0.5)"; // 95 items, one per chunk
        var local = await CliRunner.RunAsync("evaluate", data, "--grid", Grid, "--workers", "1", "--csv", dir.File("local.csv"), "--parquet", dir.File("local.parquet"), "--json", dir.File("local.json"));
        Assert.True(local.ExitCode == 0, local.Error);

        var redisPort = FreePort();
        await using var store = ChildProcess.Start(redis, ["--port", $"{redisPort}", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], dir.Path);
        await store.WaitForLineAsync(l => l.Contains("Ready to accept connections", StringComparison.Ordinal), Startup);
        var connection = $"redis://127.0.0.1:{redisPort}";
        var ports = new[] { FreePort(), FreePort(), FreePort(), FreePort() };
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
        Assert.Contains(events, e => e.GetProperty("event").GetString() == "progress" && e.GetProperty("silo").GetString() == survivor);
        Assert.Contains("95 evaluation(s)", result.Stdout, StringComparison.Ordinal);
        Assert.Contains("retried", result.Stdout, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task EvaluateCluster_WithNoSilo_OrABadConnection_FailsWithOneLine()
    {
        var redis = RequireRedis();
        using var dir = new TempDirectory();
        var data = dir.File("d.parquet");
        var generated = await CliRunner.RunAsync("generate", "--preset", "default-small", "--series", "2", "--points", "1200", "--out", data);
        Assert.True(generated.ExitCode == 0, generated.Error);
        var bad = await CliRunner.RunAsync("evaluate", data, "--grid", "zscore(window=[36,72])", "--cluster", "postgres://127.0.0.1/x");
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("only Redis is built", bad.Error, StringComparison.Ordinal);
        Assert.Single(bad.Error.Trim().Split('\n'));
        var nab = await CliRunner.RunAsync("evaluate", data, "--grid", "zscore(window=[36,72])", "--cluster", "redis://127.0.0.1:1", "--select-on", "0.5");
        Assert.Equal(1, nab.ExitCode);
        Assert.Contains("no --scores, --nab or --select-on", nab.Error, StringComparison.Ordinal);

        var redisPort = FreePort();
        await using var store = ChildProcess.Start(redis, ["--port", $"{redisPort}", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], dir.Path);
        await store.WaitForLineAsync(l => l.Contains("Ready to accept connections", StringComparison.Ordinal), Startup);
        var none = await ChildProcess.RunAsync("dotnet", [CliDll, "evaluate", data, "--grid", "zscore(window=[36,72])", "--cluster", $"redis://127.0.0.1:{redisPort}"], Startup, dir.Path);
        Assert.True(none.ExitCode == 1, none.Describe());
        Assert.Contains("start silos with 'workbench silo", none.Stderr, StringComparison.Ordinal);
    }

    private static ChildProcess StartSilo(string connection, int port, int gatewayPort, string workingDirectory) =>
        ChildProcess.Start("dotnet", [CliDll, "silo", "--cluster", connection, "--port", $"{port}", "--gateway-port", $"{gatewayPort}", "--workers", "2", "--json"], workingDirectory);

    private static string Ready(string line) => JsonDocument.Parse(line).RootElement.GetProperty("silo").GetString()!;

    /// <summary>redis-server's path; skips (or, with WORKBENCH_REQUIRE_CLUSTER=1, fails) when it is not installed.</summary>
    private static string RequireRedis()
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, "redis-server")).FirstOrDefault(File.Exists);
        if (found is null && Environment.GetEnvironmentVariable(RequireVariable) == "1")
        {
            Assert.Fail($"redis-server is not installed but {RequireVariable}=1: install Debian's redis-server (apt-get install -y redis-server)");
        }

        Skip.If(found is null, $"redis-server is not installed (apt-get install -y redis-server); set {RequireVariable}=1 to fail instead");
        return found!;
    }

    /// <summary>A TCP port free on 127.0.0.1 right now.</summary>
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
