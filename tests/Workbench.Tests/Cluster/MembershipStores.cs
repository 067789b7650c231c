using System.Net;
using System.Net.Sockets;
using Npgsql;
using Workbench.Tests.Kernel;

namespace Workbench.Tests.Cluster;

/// <summary>
/// Throwaway membership stores on 127.0.0.1 for the cluster process tests: Debian's redis-server, or a PostgreSQL
/// instance made by initdb in a temporary folder and run by <c>postgres</c> (as an unprivileged user when the tests
/// run as root, since postgres refuses root). Missing binaries skip the test, or fail it when
/// <c>WORKBENCH_REQUIRE_CLUSTER=1</c> (as <c>.ci/run</c> sets).
/// </summary>
internal static class MembershipStores
{
    public const string RequireVariable = "WORKBENCH_REQUIRE_CLUSTER";

    /// <summary>The PostgreSQL bin folder (initdb, postgres); default: the newest /usr/lib/postgresql/*/bin, else PATH.</summary>
    public const string PostgresBinVariable = "WORKBENCH_POSTGRES_BIN";

    /// <summary>Who runs postgres when the tests run as root (default nobody).</summary>
    public const string PostgresUserVariable = "WORKBENCH_POSTGRES_USER";

    private static readonly TimeSpan Startup = TimeSpan.FromSeconds(60);

    /// <summary>Starts the store named <paramref name="kind"/> (redis or postgres) in <paramref name="dir"/>; the result owns the process.</summary>
    public static Task<RunningStore> StartAsync(string kind, string dir) => kind switch
    {
        "redis" => StartRedisAsync(dir),
        "postgres" => StartPostgresAsync(dir),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "redis or postgres"),
    };

    /// <summary>redis-server's path; skips (or, when required, fails) without it.</summary>
    public static string RequireRedis()
    {
        var found = FindOnPath("redis-server");
        Require(found is not null, "redis-server is not installed (apt-get install -y redis-server)");
        return found!;
    }

    /// <summary>The folder holding initdb and postgres; skips (or, when required, fails) without them.</summary>
    public static string RequirePostgres()
    {
        var bin = Environment.GetEnvironmentVariable(PostgresBinVariable);
        if (string.IsNullOrEmpty(bin) && Directory.Exists("/usr/lib/postgresql"))
        {
            bin = Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .FirstOrDefault();
        }

        if (string.IsNullOrEmpty(bin))
        {
            bin = Path.GetDirectoryName(FindOnPath("initdb") ?? "");
        }

        var ok = !string.IsNullOrEmpty(bin) && File.Exists(Path.Combine(bin, "initdb")) && File.Exists(Path.Combine(bin, "postgres"));
        Require(ok, $"PostgreSQL's initdb and postgres were not found (apt-get install -y postgresql, or set {PostgresBinVariable})");
        return bin!;
    }

    /// <summary>A TCP port free on 127.0.0.1 right now.</summary>
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void Require(bool found, string what)
    {
        if (!found && Environment.GetEnvironmentVariable(RequireVariable) == "1")
        {
            Assert.Fail($"{what}, but {RequireVariable}=1");
        }

        Skip.If(!found, $"{what}; set {RequireVariable}=1 to fail instead");
    }

    private static string? FindOnPath(string name) => (Environment.GetEnvironmentVariable("PATH") ?? "")
        .Split(':', StringSplitOptions.RemoveEmptyEntries).Select(d => Path.Combine(d, name)).FirstOrDefault(File.Exists);

    private static async Task<RunningStore> StartRedisAsync(string dir)
    {
        var redis = RequireRedis();
        var port = FreePort();
        var process = ChildProcess.Start(redis, ["--port", $"{port}", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], dir);
        await process.WaitForLineAsync(l => l.Contains("Ready to accept connections", StringComparison.Ordinal), Startup);
        return new RunningStore(process, $"redis://127.0.0.1:{port}");
    }

    private static async Task<RunningStore> StartPostgresAsync(string dir)
    {
        var bin = RequirePostgres();
        // postgres will not run as root: then initdb and postgres run as an unprivileged user through runuser.
        var asRoot = Environment.UserName == "root";
        var user = Environment.GetEnvironmentVariable(PostgresUserVariable) is { Length: > 0 } u ? u : "nobody";
        var runuser = FindOnPath("runuser") ?? "/usr/sbin/runuser";
        Require(!asRoot || File.Exists(runuser), "the tests run as root and runuser (util-linux) is missing to start postgres as another user");
        var parent = Path.Combine(dir, "pg");
        Directory.CreateDirectory(parent);
        if (asRoot && !OperatingSystem.IsWindows())
        {
            // The unprivileged user creates its data folder here (initdb makes it 0700, owned by that user).
            File.SetUnixFileMode(parent, (UnixFileMode)0x1FF);
        }

        var data = Path.Combine(parent, "data");
        (string File, string[] Args) As(string program, params string[] args) =>
            asRoot ? (runuser, ["-u", user, "--", Path.Combine(bin, program), .. args]) : (Path.Combine(bin, program), args);

        var init = As("initdb", "-D", data, "-U", "workbench", "--auth=trust", "-E", "UTF8", "--no-sync", "--no-instructions");
        var made = await ChildProcess.RunAsync(init.File, init.Args, Startup, parent);
        Assert.True(made.ExitCode == 0, "initdb failed: " + made.Describe());
        var port = FreePort();
        var run = As("postgres", "-D", data, "-p", $"{port}", "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories=", "-c", "fsync=off");
        var process = ChildProcess.Start(run.File, run.Args, parent);
        try
        {
            await process.WaitForLineAsync(l => l.Contains("ready to accept connections", StringComparison.Ordinal), Startup, stderr: true);
            await using (var admin = new NpgsqlConnection($"Host=127.0.0.1;Port={port};Username=workbench;Database=postgres"))
            {
                await admin.OpenAsync();
                await using var create = new NpgsqlCommand("CREATE DATABASE grid", admin);
                await create.ExecuteNonQueryAsync();
            }

            return new RunningStore(process, $"postgres://workbench@127.0.0.1:{port}/grid");
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }
}

/// <summary>A membership store the test started: its <c>--cluster</c> connection; disposing stops it.</summary>
internal sealed class RunningStore(ChildProcess process, string connection) : IAsyncDisposable
{
    public string Connection { get; } = connection;

    public ChildProcess Process { get; } = process;

    public ValueTask DisposeAsync() => Process.DisposeAsync();
}
