using System.Diagnostics;
using System.Security.Cryptography;
using Workbench.Data;
using Workbench.Tests.Kernel;
using Workbench.Tests.Support;

namespace Workbench.Tests.Cli;

/// <summary>
/// The CLI never destroys what it reads and never leaves half-written files: an output naming an input is refused before
/// any work (exit 1, input untouched), devices and FIFOs are refused, and a process interrupted by SIGINT or SIGTERM
/// in the middle of a write leaves neither the target nor a temporary file behind.
/// </summary>
public sealed class SafeWriteCommandTests
{
    private static readonly string Cli = Path.Combine(AppContext.BaseDirectory, "workbench.dll");

    private static async Task<string> SmallDatasetAsync(TempDirectory dir)
    {
        var path = dir.File("data.parquet");
        var r = await CliRunner.RunAsync("generate", "--preset", "default-small", "--series", "1", "--points", "1000", "--out", path);
        Assert.True(r.ExitCode == 0, r.Error);
        return path;
    }

    [Theory]
    [InlineData("--csv")]
    [InlineData("--markdown")]
    [InlineData("--json")]
    [InlineData("--parquet")]
    [InlineData("--report")]
    public async Task Evaluate_WithAnOutputNamingTheInput_IsRefused_AndTheInputIsUntouched(string option)
    {
        using var dir = new TempDirectory();
        var data = await SmallDatasetAsync(dir);
        var before = SHA256.HashData(await File.ReadAllBytesAsync(data));

        var r = await CliRunner.RunAsync("evaluate", data, "--detector", "zscore", option, data);

        Assert.Equal(1, r.ExitCode);
        Assert.Contains($"{option} '{data}' is the same file as the input '{data}'", r.Error, StringComparison.Ordinal);
        Assert.Equal(before, SHA256.HashData(await File.ReadAllBytesAsync(data)));
    }

    [Fact]
    public async Task Evaluate_WithTwoOutputsOnOneFile_IsRefused()
    {
        using var dir = new TempDirectory();
        var data = await SmallDatasetAsync(dir);
        var r = await CliRunner.RunAsync("evaluate", data, "--detector", "zscore", "--csv", dir.File("a.txt"), "--markdown", dir.File("a.txt"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("give each output its own path", r.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("a.txt")));
    }

    [Fact]
    public async Task Generate_DetectAndExport_RefuseToOverwriteTheirInput()
    {
        using var dir = new TempDirectory();
        var data = await SmallDatasetAsync(dir);
        var spec = dir.File("spec.json");
        await File.WriteAllTextAsync(spec, """{ "seed": 1, "points": 10, "metrics": [ { "name": "m", "level": 1 } ] }""");
        var specBefore = await File.ReadAllTextAsync(spec);

        var generate = await CliRunner.RunAsync("generate", "--spec", spec, "--out", spec);
        var detect = await CliRunner.RunAsync("detect", data, "--detector", "zscore", "--out", data);
        var export = await CliRunner.RunAsync("export", data, "--csv", data);

        Assert.Equal((1, 1, 1), (generate.ExitCode, detect.ExitCode, export.ExitCode));
        Assert.Contains("is the same file as the input", generate.Error, StringComparison.Ordinal);
        Assert.Contains("is the same file as the input", detect.Error, StringComparison.Ordinal);
        Assert.Contains("is the same file as the input", export.Error, StringComparison.Ordinal);
        Assert.Equal(specBefore, await File.ReadAllTextAsync(spec));
        Assert.Equal(FileKind.Regular, SafeFile.Status(data).Kind);
        var inspect = await CliRunner.RunAsync("inspect", data);
        Assert.True(inspect.ExitCode == 0, inspect.Error);
    }

    [SkippableFact]
    public async Task ADeviceAsOutput_IsRefused_AndStaysADevice()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "needs /dev/null");
        using var dir = new TempDirectory();
        var data = await SmallDatasetAsync(dir);

        var r = await CliRunner.RunAsync("export", data, "--csv", "/dev/null");
        var g = await CliRunner.RunAsync("generate", "--preset", "default-small", "--series", "1", "--points", "10", "--out", "/dev/null");

        Assert.Equal((1, 1), (r.ExitCode, g.ExitCode));
        Assert.Contains("--csv '/dev/null' is not a regular file (a character device)", r.Error, StringComparison.Ordinal);
        Assert.Contains("'/dev/null' is not a regular file (a character device)", g.Error, StringComparison.Ordinal);
        Assert.Equal(FileKind.CharacterDevice, SafeFile.Status("/dev/null").Kind);
    }

    [SkippableFact]
    public async Task AFifoOrAFolderAsInput_GetsAClearError_NotAHang()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "needs mkfifo");
        using var dir = new TempDirectory();
        var fifo = dir.File("pipe.parquet");
        using (var p = Process.Start("mkfifo", fifo))
        {
            await p.WaitForExitAsync();
        }

        // A hang would fail the WaitAsync instead of blocking the test run.
        var inspect = await CliRunner.RunAsync("inspect", fifo).WaitAsync(TimeSpan.FromSeconds(60));
        var replay = await CliRunner.RunAsync("replay", fifo, "--virtual").WaitAsync(TimeSpan.FromSeconds(60));
        var folder = await CliRunner.RunAsync("inspect", dir.Path).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal((1, 1, 1), (inspect.ExitCode, replay.ExitCode, folder.ExitCode));
        Assert.Contains("is not a regular file (a FIFO)", inspect.Error, StringComparison.Ordinal);
        Assert.Contains("is not a regular file (a FIFO)", replay.Error, StringComparison.Ordinal);
        // A folder is a part-folder dataset (issue 12.1): its one "part" is the FIFO, refused the same way.
        Assert.Contains("pipe.parquet' is not a regular file (a FIFO)", folder.Error, StringComparison.Ordinal);
        Assert.Single(inspect.Error.Trim().Split('\n'));
    }

    [SkippableFact]
    public async Task AFifoAsScoresOrSpec_GetsAClearError_NotAHang()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "needs mkfifo");
        using var dir = new TempDirectory();
        var data = Path.Combine(TestPaths.RepoRoot, "data", "default.parquet");
        var fifo = dir.File("pipe.csv");
        using (var p = Process.Start("mkfifo", fifo))
        {
            await p.WaitForExitAsync();
        }

        var scores = await CliRunner.RunAsync("evaluate", data, "--scores", fifo).WaitAsync(TimeSpan.FromSeconds(60));
        var spec = await CliRunner.RunAsync("generate", "--spec", fifo, "--out", dir.File("g.parquet")).WaitAsync(TimeSpan.FromSeconds(60));
        Directory.CreateDirectory(dir.File("scores"));
        using (var p = Process.Start("mkfifo", dir.File("scores/s1.csv")))
        {
            await p.WaitForExitAsync();
        }

        var inFolder = await CliRunner.RunAsync("evaluate", data, "--scores", dir.File("scores")).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal((1, 1, 1), (scores.ExitCode, spec.ExitCode, inFolder.ExitCode));
        Assert.Contains($"the scores '{fifo}' is not a regular file (a FIFO)", scores.Error, StringComparison.Ordinal);
        Assert.Contains($"the spec '{fifo}' is not a regular file (a FIFO)", spec.Error, StringComparison.Ordinal);
        Assert.Contains("the score file '", inFolder.Error, StringComparison.Ordinal);
        Assert.Contains("is not a regular file (a FIFO)", inFolder.Error, StringComparison.Ordinal);
        Assert.All(new[] { scores, spec, inFolder }, r => Assert.Single(r.Error.Trim().Split('\n')));
        Assert.False(File.Exists(dir.File("g.parquet")));
    }

    [SkippableFact]
    public async Task AFullFileSystem_ExportFails_NamingTheTarget_KeepsTheOldFile_AndLeavesNoTemporaryFile()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "needs a tmpfs mount");
        using var dir = new TempDirectory();
        var data = await SmallDatasetAsync(dir);
        var mount = dir.File("tiny");
        Directory.CreateDirectory(mount);
        Skip.If(await RunAsync("mount", "-t", "tmpfs", "-o", "size=32k", "tmpfs", mount) != 0, "cannot mount a tmpfs here (needs root / CAP_SYS_ADMIN)");
        try
        {
            var target = Path.Combine(mount, "e.csv");
            await File.WriteAllTextAsync(target, "the old file");

            var r = await CliRunner.RunAsync("export", data, "--csv", target);

            Assert.Equal(1, r.ExitCode);
            Assert.Contains($"'{target}' was not written (No space left on device", r.Error, StringComparison.Ordinal);
            Assert.Contains("the file there before is unchanged", r.Error, StringComparison.Ordinal);
            Assert.DoesNotContain(".tmp", r.Error, StringComparison.Ordinal);
            Assert.Single(r.Error.Trim().Split('\n'));
            Assert.Equal("the old file", await File.ReadAllTextAsync(target));
            Assert.Equal(["e.csv"], Directory.GetFiles(mount).Select(Path.GetFileName));
        }
        finally
        {
            await RunAsync("umount", mount);
        }
    }

    [SkippableTheory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task ASignalDuringAnOnTheFlyImport_LeavesNoTemporaryCopy(string signal)
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "POSIX signals");
        SkipIfIgnoredHere(signal);
        using var dir = new TempDirectory();
        var tmp = dir.File("tmp");
        Directory.CreateDirectory(tmp);
        var csv = dir.File("big.csv");
        await using (var w = new StreamWriter(csv))
        {
            // 3 M rows of a plain long CSV: the import takes seconds, so the signal lands while its copy is written.
            await w.WriteLineAsync("series,timestamp,value");
            var t0 = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
            for (var i = 0; i < 3_000_000; i++)
            {
                await w.WriteLineAsync(string.Create(System.Globalization.CultureInfo.InvariantCulture, $"s{i % 30},{t0.AddSeconds(i / 30):yyyy-MM-ddTHH:mm:ssZ},{i % 977 / 7.0}"));
            }
        }

        // TMPDIR: the on-the-fly import's folder goes there; no diagnostics socket (the runtime would leave it on SIGTERM).
        await using var process = ChildProcess.Start(
            "dotnet", [Cli, "detect", csv, "--detector", "zscore", "--out", dir.File("s.parquet")],
            environment: new Dictionary<string, string?> { ["TMPDIR"] = tmp, ["DOTNET_EnableDiagnostics"] = "0" });
        var started = Stopwatch.StartNew();
        while (!Directory.GetDirectories(tmp, "workbench-import-*").Any(d => Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories).Any()))
        {
            Assert.False(process.HasExited, "detect ended before its temporary import appeared: " + process.Stderr);
            Assert.True(started.Elapsed < TimeSpan.FromSeconds(90), "no temporary import appeared within 90 s");
            await Task.Yield();
            await Task.Delay(5);
        }

        Assert.Equal(0, await RunAsync("kill", "-s", signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var result = await process.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.False(result.TimedOut, result.Describe());
        Assert.NotEqual(0, result.ExitCode);
        Assert.True(Directory.GetFileSystemEntries(tmp).Length == 0, "left in TMPDIR: " + string.Join(", ", Directory.GetFileSystemEntries(tmp, "*", SearchOption.AllDirectories)));
        Assert.False(File.Exists(dir.File("s.parquet")));
    }

    [SkippableTheory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task ASignalDuringAPartFolderWrite_LeavesNoStagingFolder(string signal)
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "POSIX signals");
        SkipIfIgnoredHere(signal);
        using var dir = new TempDirectory();
        var target = dir.File("parts");

        await using var process = ChildProcess.Start(
            "dotnet", [Cli, "generate", "--preset", "ops-metrics", "--series", "3000", "--parts", "--out", target],
            environment: new Dictionary<string, string?> { ["DOTNET_EnableDiagnostics"] = "0" });
        var started = Stopwatch.StartNew();
        while (!Directory.GetDirectories(dir.Path, ".parts.*.tmp").Any(d => Directory.EnumerateFiles(d).Any()))
        {
            Assert.False(process.HasExited, "generate ended before its staging folder filled: " + process.Stderr);
            Assert.True(started.Elapsed < TimeSpan.FromSeconds(90), "no staging folder appeared within 90 s");
            await Task.Yield();
            await Task.Delay(5);
        }

        Assert.Equal(0, await RunAsync("kill", "-s", signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var result = await process.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.False(result.TimedOut, result.Describe());
        Assert.NotEqual(0, result.ExitCode);
        Assert.True(Directory.GetFileSystemEntries(dir.Path).Length == 0, "left behind: " + string.Join(", ", Directory.GetFileSystemEntries(dir.Path)));
    }

    /// <summary>
    /// A signal this test process ignores is ignored by the CLI it starts too (an ignored disposition survives exec: a
    /// shell's background job, for one, ignores SIGINT), so the child would run to the end and the test would test
    /// nothing; it reports itself skipped with that reason instead, or fails under WORKBENCH_REQUIRE_SIGNALS=1 (set by .ci/run).
    /// </summary>
    private static void SkipIfIgnoredHere(string signal)
    {
        var number = signal switch { "INT" => 2, "TERM" => 15, "HUP" => 1, _ => throw new ArgumentOutOfRangeException(nameof(signal), signal, null) };
        var line = File.ReadLines("/proc/self/status").FirstOrDefault(l => l.StartsWith("SigIgn:", StringComparison.Ordinal));
        if (line is not null && (ulong.Parse(line["SigIgn:".Length..].Trim(), System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture) & (1UL << (number - 1))) != 0)
        {
            var why = $"SIG{signal} is ignored by this test process (inherited, e.g. from a shell's background job), so the CLI it starts would ignore it too; run the tests in the foreground";
            Assert.False(Environment.GetEnvironmentVariable("WORKBENCH_REQUIRE_SIGNALS") == "1", why);
            throw new SkipException(why);
        }
    }

    private static async Task<int> RunAsync(string file, params string[] args)
    {
        using var p = Process.Start(file, args);
        await p.WaitForExitAsync();
        return p.ExitCode;
    }

    [SkippableTheory]
    [InlineData("INT")]
    [InlineData("TERM")]
    public async Task ASignalDuringAWrite_LeavesNoTemporaryFile_AndTheOldTargetIntact(string signal)
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "POSIX signals");
        SkipIfIgnoredHere(signal);
        using var dir = new TempDirectory();
        var target = dir.File("big.parquet");
        await File.WriteAllTextAsync(target, "the old file");

        // ~13 M rows: several seconds of writing, so the signal lands while the temporary file grows.
        await using var process = ChildProcess.Start("dotnet", [Cli, "generate", "--preset", "ops-metrics", "--series", "3000", "--out", target]);
        var started = Stopwatch.StartNew();
        while (TempFiles(dir.Path).Length == 0 || new FileInfo(TempFiles(dir.Path)[0]).Length < 1)
        {
            Assert.False(process.HasExited, "the generator ended before its temporary file appeared: " + process.Stderr);
            Assert.True(started.Elapsed < TimeSpan.FromSeconds(60), "no temporary file appeared within 60 s");
            await Task.Yield();
            await Task.Delay(5);
        }

        using (var kill = Process.Start("kill", ["-s", signal, process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        var result = await process.WaitAsync(TimeSpan.FromSeconds(60));
        Assert.False(result.TimedOut, result.Describe());
        Assert.NotEqual(0, result.ExitCode);
        Assert.Empty(TempFiles(dir.Path));
        Assert.Equal("the old file", await File.ReadAllTextAsync(target));
    }

    private static string[] TempFiles(string folder) => Directory.GetFiles(folder, ".*.tmp");
}
