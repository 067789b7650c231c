using System.Diagnostics;
using Workbench.Core;
using Workbench.Data;
using Workbench.Tests.Support;

namespace Workbench.Tests.Data;

/// <summary>Safe writes: path kinds, outputs that name inputs, temporary files on failure (SafeFile).</summary>
public sealed class SafeFileTests
{
    private static readonly DatasetRecipe Recipe = DatasetRecipe.Create("test", "{}", 1);

    [Fact]
    public void Status_TellsRegularFilesDirectoriesDevicesAndFifos()
    {
        using var temp = new TempDirectory();
        var file = Path.Combine(temp.Path, "a.txt");
        File.WriteAllText(file, "x");
        Assert.Equal(FileKind.Regular, SafeFile.Status(file).Kind);
        Assert.Equal(FileKind.Directory, SafeFile.Status(temp.Path).Kind);
        Assert.Equal(FileKind.Missing, SafeFile.Status(Path.Combine(temp.Path, "none")).Kind);
        if (OperatingSystem.IsLinux())
        {
            Assert.Equal(FileKind.CharacterDevice, SafeFile.Status("/dev/null").Kind);
            Assert.Equal(FileKind.Fifo, SafeFile.Status(MakeFifo(temp.Path)).Kind);
        }
    }

    [Fact]
    public void CheckOutput_RefusesDevicesFifosAndDirectories_AcceptsFilesAndNewPaths()
    {
        using var temp = new TempDirectory();
        var file = Path.Combine(temp.Path, "a.parquet");
        File.WriteAllText(file, "old");
        SafeFile.CheckOutput(file);
        SafeFile.CheckOutput(Path.Combine(temp.Path, "new", "b.parquet"));
        var dir = Assert.Throws<UnsafePathException>(() => SafeFile.CheckOutput(temp.Path, "--out"));
        Assert.Contains("is a directory", dir.Message, StringComparison.Ordinal);
        if (OperatingSystem.IsLinux())
        {
            var device = Assert.Throws<UnsafePathException>(() => SafeFile.CheckOutput("/dev/null", "--out"));
            Assert.Equal("--out '/dev/null' is not a regular file (a character device); refusing to replace it — give a file path", device.Message);
            var fifo = MakeFifo(temp.Path);
            Assert.Contains("(a FIFO)", Assert.Throws<UnsafePathException>(() => SafeFile.CheckOutput(fifo)).Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void CheckInput_RefusesAFifoWithoutOpeningIt_AndADirectory()
    {
        using var temp = new TempDirectory();
        Assert.Throws<FileNotFoundException>(() => SafeFile.CheckInput(Path.Combine(temp.Path, "none.parquet")));
        Assert.Contains("is a directory", Assert.Throws<UnsafePathException>(() => SafeFile.CheckInput(temp.Path)).Message, StringComparison.Ordinal);
        SafeFile.CheckInput(temp.Path, allowDirectory: true);
        if (OperatingSystem.IsLinux())
        {
            var fifo = MakeFifo(temp.Path);
            var e = Assert.Throws<UnsafePathException>(() => SafeFile.CheckInput(fifo, what: "dataset"));
            Assert.Contains("is not a regular file (a FIFO)", e.Message, StringComparison.Ordinal);
        }
    }

    [SkippableFact]
    public async Task OpeningAFifoAsADataset_FailsAtOnce_InsteadOfBlocking()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "FIFOs are made with mkfifo on Linux");
        using var temp = new TempDirectory();
        var fifo = MakeFifo(temp.Path);
        // Without the check, the open blocks until a writer opens the FIFO: the timeout turns that hang into a failure.
        var open = Task.Run(async () => await LabeledDatasetReader.OpenAsync(fifo));
        var e = await Assert.ThrowsAsync<UnsafePathException>(() => open.WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Contains(fifo, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CheckDistinct_RefusesAnOutputThatIsAnInput_ByPathSymlinkOrHardLink()
    {
        using var temp = new TempDirectory();
        var input = Path.Combine(temp.Path, "data.parquet");
        File.WriteAllText(input, "data");
        var other = Path.Combine(temp.Path, "out.csv");
        SafeFile.CheckDistinct([input], [("--csv", other)]);

        var same = Assert.Throws<UnsafePathException>(() => SafeFile.CheckDistinct([input], [("--csv", Path.Combine(temp.Path, ".", "data.parquet"))]));
        Assert.Contains("is the same file as the input", same.Message, StringComparison.Ordinal);
        var link = Path.Combine(temp.Path, "link.parquet");
        File.CreateSymbolicLink(link, input);
        Assert.Throws<UnsafePathException>(() => SafeFile.CheckDistinct([input], [("--out", link)]));
        if (OperatingSystem.IsLinux())
        {
            var hard = Path.Combine(temp.Path, "hard.parquet");
            Run("ln", input, hard);
            Assert.Throws<UnsafePathException>(() => SafeFile.CheckDistinct([input], [("--out", hard)]));
        }

        var twice = Assert.Throws<UnsafePathException>(() => SafeFile.CheckDistinct([input], [("--csv", other), ("--markdown", other)]));
        Assert.Contains("give each output its own path", twice.Message, StringComparison.Ordinal);
        // A folder input protects the files already in it.
        Assert.Throws<UnsafePathException>(() => SafeFile.CheckDistinct([temp.Path], [("--out", input)]));
        SafeFile.CheckDistinct([temp.Path], [("--out", Path.Combine(temp.Path, "fresh.parquet"))]);
    }

    [Fact]
    public async Task AWriteThatFails_LeavesTheOldFileAndNoTemporaryFile()
    {
        using var temp = new TempDirectory();
        var target = Path.Combine(temp.Path, "data.parquet");
        await LabeledDatasetWriter.WriteAsync(target, Rows(10), Recipe);
        var before = await File.ReadAllBytesAsync(target);

        await Assert.ThrowsAsync<InvalidOperationException>(() => LabeledDatasetWriter.WriteAsync(target, Failing(50_000), Recipe));

        Assert.Equal(before, await File.ReadAllBytesAsync(target));
        Assert.Equal(["data.parquet"], Directory.GetFiles(temp.Path).Select(Path.GetFileName));
        Assert.DoesNotContain(SafeFile.PendingTemporaryFiles, p => p.StartsWith(temp.Path, StringComparison.Ordinal));
    }

    [Fact]
    public void TextWrites_GoThroughATemporaryFile_AndLeaveNothingOnFailure()
    {
        using var temp = new TempDirectory();
        var target = Path.Combine(temp.Path, "report.html");
        SafeFile.WriteAllText(target, "one");
        Assert.Throws<InvalidOperationException>(() => SafeFile.Write(target, s =>
        {
            s.Write("partial"u8);
            throw new InvalidOperationException("disk full");
        }));
        Assert.Equal("one", File.ReadAllText(target));
        Assert.Single(Directory.GetFiles(temp.Path));
        SafeFile.WriteAllText(target, "two");
        Assert.Equal("two", File.ReadAllText(target));
    }

    [SkippableFact]
    public async Task AFullFileSystem_FailsTheWrite_KeepsTheOldFile_AndLeavesNoTemporaryFile()
    {
        Skip.IfNot(OperatingSystem.IsLinux(), "needs a tmpfs mount");
        using var temp = new TempDirectory();
        var mount = Path.Combine(temp.Path, "tiny");
        Directory.CreateDirectory(mount);
        var mounted = RunStatus("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", mount);
        Skip.If(mounted != 0, "cannot mount a tmpfs here (needs root / CAP_SYS_ADMIN)");
        try
        {
            var target = Path.Combine(mount, "data.parquet");
            await LabeledDatasetWriter.WriteAsync(target, Rows(10), Recipe);
            var before = await File.ReadAllBytesAsync(target);
            var e = await Assert.ThrowsAnyAsync<IOException>(() => LabeledDatasetWriter.WriteAsync(target, Rows(400_000), Recipe));
            Assert.Contains("space", e.Message, StringComparison.OrdinalIgnoreCase);
            Assert.Equal(before, await File.ReadAllBytesAsync(target));
            Assert.Equal(["data.parquet"], Directory.GetFiles(mount).Select(Path.GetFileName));
        }
        finally
        {
            RunStatus("umount", mount);
        }
    }

    private static IEnumerable<LabeledObservation> Rows(int n)
    {
        var t0 = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        for (var i = 0; i < n; i++)
        {
            yield return LabeledObservation.Normal("s", t0.AddSeconds(i), (i * 7919 % 1000) / 7.0);
        }
    }

    private static IEnumerable<LabeledObservation> Failing(int after)
    {
        foreach (var o in Rows(after))
        {
            yield return o;
        }

        throw new InvalidOperationException("the source failed");
    }

    private static string MakeFifo(string folder)
    {
        var path = Path.Combine(folder, "pipe-" + Guid.NewGuid().ToString("N")[..8]);
        Run("mkfifo", path);
        return path;
    }

    private static void Run(string file, params string[] args) => Assert.Equal(0, RunStatus(file, args));

    private static int RunStatus(string file, params string[] args)
    {
        using var p = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true, RedirectStandardOutput = true })!;
        p.WaitForExit();
        return p.ExitCode;
    }
}
