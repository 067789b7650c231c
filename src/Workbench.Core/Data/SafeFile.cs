using System.Collections.Concurrent;
using System.Text;

namespace Workbench.Data;

/// <summary>
/// Safe writes and path checks for every file Workbench writes or reads (docs/DATASET_FORMAT.md, "Safe writes"):
/// <list type="bullet">
/// <item>Outputs are written to a temporary file beside the target (<c>.&lt;name&gt;.&lt;id&gt;.tmp</c>) and renamed over it
/// only when complete, so a kill, a full disk or an exception leaves the old file (or none) — never a partial one.</item>
/// <item>Temporary files are deleted on any failure, and every temporary file still pending is deleted when the process
/// exits (including on SIGTERM and on SIGINT once the command has been cancelled); only SIGKILL can leave one.</item>
/// <item>An output that is a directory, FIFO, socket or device is refused (it would be replaced by a file, or block);
/// an output that names an input (same path, a symbolic link to it, or a hard link: same device and inode) is refused.</item>
/// <item>An input that is not a regular file (a FIFO, a device, a directory where a file is expected) is refused before it
/// is opened, so it cannot hang the command.</item>
/// </list>
/// </summary>
public static partial class SafeFile
{
    private static readonly ConcurrentDictionary<string, byte> Pending = new(StringComparer.Ordinal);
    private static readonly ConcurrentDictionary<string, byte> PendingDirectories = new(StringComparer.Ordinal);
    private static int _exitHookInstalled;
    private static volatile bool _stopping;

    /// <summary>The temporary files created and not yet committed or discarded (full paths).</summary>
    public static IReadOnlyCollection<string> PendingTemporaryFiles => [.. Pending.Keys];

    /// <summary>The temporary folders created by <see cref="CreateTemporaryDirectory"/> and not yet deleted (full paths).</summary>
    public static IReadOnlyCollection<string> PendingTemporaryDirectories => [.. PendingDirectories.Keys];

    /// <summary>
    /// Creates a new folder under the system temporary folder (<c>&lt;prefix&gt;-&lt;id&gt;</c>), deleted with everything in it by
    /// <see cref="DeleteTemporaryDirectory"/>, at process exit, and on SIGINT/SIGTERM (<see cref="Stop"/>), like the
    /// temporary files of writes. The CLI's on-the-fly imports live in one.
    /// </summary>
    public static string CreateTemporaryDirectory(string prefix)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(prefix);
        ThrowIfStopping();
        InstallExitHook();
        var dir = Path.Combine(Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}");
        PendingDirectories[dir] = 0;
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>
    /// Registers a temporary folder made elsewhere (e.g. a part folder's staging folder beside its target) for deletion at
    /// process exit and on SIGINT/SIGTERM, like <see cref="CreateTemporaryDirectory"/>; <see cref="DeleteTemporaryDirectory"/>
    /// deletes it, <see cref="ForgetTemporaryDirectory"/> keeps it (it was moved into place).
    /// </summary>
    public static void RegisterTemporaryDirectory(string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        ThrowIfStopping();
        InstallExitHook();
        PendingDirectories[Path.GetFullPath(directory)] = 0;
    }

    /// <summary>Stops tracking a folder registered with <see cref="RegisterTemporaryDirectory"/> (it is no longer temporary).</summary>
    public static void ForgetTemporaryDirectory(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        PendingDirectories.TryRemove(Path.GetFullPath(directory), out _);
    }

    /// <summary>Deletes a folder made by <see cref="CreateTemporaryDirectory"/> and everything in it (no error if it is gone).</summary>
    public static void DeleteTemporaryDirectory(string directory)
    {
        ArgumentNullException.ThrowIfNull(directory);
        try
        {
            if (Directory.Exists(directory))
            {
                Directory.Delete(directory, recursive: true);
            }
        }
        catch (IOException)
        {
            return; // still pending: the exit hook tries again
        }
        catch (UnauthorizedAccessException)
        {
            return;
        }

        PendingDirectories.TryRemove(Path.GetFullPath(directory), out _);
    }

    /// <summary>The kind and identity of <paramref name="path"/> (symbolic links followed).</summary>
    public static FileStatus Status(string path) => UnixFileStatus.Get(Path.GetFullPath(path));

    /// <summary>
    /// Checks that <paramref name="path"/> can be written as a file: its folder exists (or can be created), and it is
    /// missing or a regular file.
    /// </summary>
    /// <param name="path">The output path.</param>
    /// <param name="what">What the output is, for the message (e.g. <c>--out</c>, <c>the report</c>).</param>
    /// <exception cref="UnsafePathException">It is a directory, FIFO, socket or device, or has no file name.</exception>
    public static void CheckOutput(string path, string what = "output")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var full = Path.GetFullPath(path);
        if (string.IsNullOrEmpty(Path.GetFileName(full)))
        {
            throw new UnsafePathException(path, $"{what} '{path}' names a folder, not a file");
        }

        var kind = UnixFileStatus.Get(full).Kind;
        switch (kind)
        {
            case FileKind.Missing or FileKind.Regular:
                return;
            case FileKind.Directory:
                throw new UnsafePathException(path, $"{what} '{path}' is a directory; give a file path");
            default:
                throw new UnsafePathException(path, $"{what} '{path}' is not a regular file ({Describe(kind)}); refusing to replace it — give a file path");
        }
    }

    /// <summary>Checks that <paramref name="path"/> is an existing regular file (or, with <paramref name="allowDirectory"/>, a directory).</summary>
    /// <exception cref="FileNotFoundException">Nothing is there.</exception>
    /// <exception cref="UnsafePathException">It is a FIFO, socket, device, or a directory where a file is expected.</exception>
    public static void CheckInput(string path, bool allowDirectory = false, string what = "input")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        var kind = UnixFileStatus.Get(Path.GetFullPath(path)).Kind;
        switch (kind)
        {
            case FileKind.Missing:
                throw new FileNotFoundException($"{what} '{path}' does not exist", path);
            case FileKind.Regular:
                return;
            case FileKind.Other when !OperatingSystem.IsLinux():
                return; // a platform where the kind cannot be told: let the open report any problem
            case FileKind.Directory when allowDirectory:
                return;
            case FileKind.Directory:
                throw new UnsafePathException(path, $"{what} '{path}' is a directory; give a file");
            default:
                throw new UnsafePathException(path, $"{what} '{path}' is not a regular file ({Describe(kind)}); give a file (reading it could block or never end)");
        }
    }

    /// <summary>
    /// Refuses outputs that name an input or each other: the same full path, a symbolic link to it, or the same file
    /// by device and inode (a hard link).
    /// </summary>
    /// <param name="inputs">Paths the command reads (files or folders; folders protect every file beneath them).</param>
    /// <param name="outputs">(option, path) of every file the command writes.</param>
    /// <exception cref="UnsafePathException">Two of them are the same file.</exception>
    public static void CheckDistinct(IEnumerable<string> inputs, IEnumerable<(string What, string Path)> outputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(outputs);
        var ins = inputs.Where(p => !string.IsNullOrWhiteSpace(p)).Select(p => (Path: p, Full: Resolve(p), Status: Status(p))).ToArray();
        var outs = outputs.Where(o => !string.IsNullOrWhiteSpace(o.Path)).Select(o => (o.What, o.Path, Full: Resolve(o.Path), Status: Status(o.Path))).ToArray();
        var comparison = OperatingSystem.IsLinux() ? StringComparison.Ordinal : StringComparison.OrdinalIgnoreCase;
        foreach (var o in outs)
        {
            foreach (var i in ins)
            {
                var inside = i.Status.Kind == FileKind.Directory
                    && o.Full.StartsWith(i.Full.TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar, comparison)
                    && o.Status.Kind != FileKind.Missing;
                if (string.Equals(o.Full, i.Full, comparison) || o.Status.IsSameObjectAs(i.Status) || inside)
                {
                    throw new UnsafePathException(o.Path,
                        $"{o.What} '{o.Path}' is {(inside ? "a file inside" : "the same file as")} the input '{i.Path}'; writing it would destroy the input — give another path");
                }
            }
        }

        for (var a = 0; a < outs.Length; a++)
        {
            for (var b = a + 1; b < outs.Length; b++)
            {
                if (string.Equals(outs[a].Full, outs[b].Full, comparison) || outs[a].Status.IsSameObjectAs(outs[b].Status))
                {
                    throw new UnsafePathException(outs[b].Path, $"{outs[b].What} '{outs[b].Path}' is the same file as {outs[a].What} '{outs[a].Path}'; give each output its own path");
                }
            }
        }
    }

    /// <summary>
    /// Creates the temporary file for <paramref name="path"/> beside it (after <see cref="CheckOutput"/>), registered
    /// for deletion at process exit until <see cref="Commit"/> or <see cref="Discard"/>.
    /// </summary>
    /// <returns>The temporary file's path and a read/write stream on it.</returns>
    public static (string TempPath, FileStream Stream) CreateTemporary(string path, int bufferSize = 1 << 16, bool useAsync = false)
    {
        ThrowIfStopping();
        CheckOutput(path);
        var full = Path.GetFullPath(path);
        var directory = Path.GetDirectoryName(full) ?? throw new UnsafePathException(path, $"'{path}' has no folder");
        Directory.CreateDirectory(directory);
        InstallExitHook();
        var temp = Path.Combine(directory, $".{Path.GetFileName(full)}.{Guid.NewGuid():N}.tmp");
        Pending[temp] = 0;
        try
        {
            var stream = new FileStream(temp, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, bufferSize, useAsync);
            return (temp, stream);
        }
        catch
        {
            Pending.TryRemove(temp, out _);
            throw;
        }
    }

    /// <summary>Moves a finished temporary file over <paramref name="path"/> (atomic on one file system).</summary>
    public static void Commit(string tempPath, string path)
    {
        ArgumentNullException.ThrowIfNull(tempPath);
        try
        {
            ThrowIfStopping();
            CheckOutput(path);
            File.Move(tempPath, Path.GetFullPath(path), overwrite: true);
        }
        catch
        {
            Discard(tempPath);
            throw;
        }

        Pending.TryRemove(tempPath, out _);
    }

    /// <summary>Deletes a temporary file (no error if it is gone).</summary>
    public static void Discard(string tempPath)
    {
        ArgumentNullException.ThrowIfNull(tempPath);
        try
        {
            File.Delete(tempPath);
        }
        catch (IOException)
        {
            // Still pending: the exit hook tries again.
            return;
        }
        catch (UnauthorizedAccessException)
        {
            return;
        }

        Pending.TryRemove(tempPath, out _);
    }

    /// <summary>Writes <paramref name="path"/> through a temporary file: <paramref name="write"/> fills the stream.</summary>
    public static async Task WriteAsync(string path, Func<Stream, CancellationToken, Task> write, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(write);
        var (temp, stream) = CreateTemporary(path, 1 << 16, useAsync: true);
        try
        {
            await using (stream.ConfigureAwait(false))
            {
                await write(stream, ct).ConfigureAwait(false);
                await stream.FlushAsync(ct).ConfigureAwait(false);
            }

            Commit(temp, path);
        }
        catch (IOException e) when (e is not UnsafePathException)
        {
            Discard(temp);
            throw WriteFailed(e);
        }
        catch
        {
            Discard(temp);
            throw;
        }
    }

    /// <summary>Writes <paramref name="path"/> through a temporary file (synchronous).</summary>
    public static void Write(string path, Action<Stream> write)
    {
        ArgumentNullException.ThrowIfNull(write);
        var (temp, stream) = CreateTemporary(path);
        try
        {
            using (stream)
            {
                write(stream);
                stream.Flush(flushToDisk: false);
            }

            Commit(temp, path);
        }
        catch (IOException e) when (e is not UnsafePathException)
        {
            Discard(temp);
            throw WriteFailed(e);
        }
        catch
        {
            Discard(temp);
            throw;
        }
    }

    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/> through a temporary file.</summary>
    public static void WriteAllText(string path, string text, Encoding? encoding = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bytes = (encoding ?? new UTF8Encoding(false)).GetPreamble().Concat((encoding ?? new UTF8Encoding(false)).GetBytes(text)).ToArray();
        Write(path, s => s.Write(bytes));
    }

    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/> through a temporary file.</summary>
    public static Task WriteAllTextAsync(string path, string text, Encoding? encoding = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(text);
        var enc = encoding ?? new UTF8Encoding(false);
        var bytes = enc.GetPreamble().Concat(enc.GetBytes(text)).ToArray();
        return WriteAsync(path, (s, token) => s.WriteAsync(bytes, token).AsTask(), ct);
    }

    /// <summary>
    /// The process is being stopped (SIGINT, SIGTERM): deletes every pending temporary file, and from now on refuses to
    /// create or commit any, so no output appears after the signal. The CLI calls this from its signal handlers, because
    /// a process that ends on a signal may not run its exit handlers.
    /// </summary>
    public static void Stop()
    {
        _stopping = true;
        DeletePending();
    }

    /// <summary>Deletes every pending temporary file (the process-exit hook calls this).</summary>
    public static void DeletePending()
    {
        foreach (var temp in Pending.Keys)
        {
            Discard(temp);
        }

        foreach (var dir in PendingDirectories.Keys)
        {
            DeleteTemporaryDirectory(dir);
        }
    }

    /// <summary>
    /// Says an I/O failure of a write about the target the user named rather than the temporary file beside it: for an
    /// error whose message names a temporary file of <see cref="CreateTemporary"/> (<c>No space left on device :
    /// '/d/.out.csv.&lt;id&gt;.tmp'</c>) returns <c>'/d/out.csv' was not written (No space left on device); the file there before
    /// is unchanged</c> (or <c>no file was left</c>); null when the message names no temporary file.
    /// </summary>
    public static string? DescribeWriteFailure(Exception e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var match = TemporaryName().Match(e.Message);
        if (!match.Success)
        {
            return null;
        }

        var target = match.Groups["dir"].Value + match.Groups["name"].Value;
        var reason = e.Message.Remove(match.Index, match.Length).Replace("''", string.Empty, StringComparison.Ordinal)
            .ReplaceLineEndings(" ").Trim().TrimEnd(':', '.', ' ');
        var before = File.Exists(target) ? "the file there before is unchanged" : "no file was left";
        return $"'{target}' was not written ({reason}); {before}";
    }

    private static IOException WriteFailed(IOException e) =>
        DescribeWriteFailure(e) is { } message ? new IOException(message, e) { HResult = e.HResult } : e;

    [System.Text.RegularExpressions.GeneratedRegex(@"(?<dir>/(?:[^'\n]*/)?)\.(?<name>[^/'\n]+)\.[0-9a-f]{32}\.tmp")]
    private static partial System.Text.RegularExpressions.Regex TemporaryName();

    private static void ThrowIfStopping()
    {
        if (_stopping)
        {
            throw new OperationCanceledException("the process is being stopped: no file is written");
        }
    }

    private static void InstallExitHook()
    {
        if (Interlocked.Exchange(ref _exitHookInstalled, 1) == 0)
        {
            AppDomain.CurrentDomain.ProcessExit += (_, _) => DeletePending();
        }
    }

    private static string Resolve(string path)
    {
        var full = Path.GetFullPath(path);
        try
        {
            var info = new FileInfo(full);
            var target = info.LinkTarget is null ? null : info.ResolveLinkTarget(returnFinalTarget: true);
            return target?.FullName ?? full;
        }
        catch (IOException)
        {
            return full;
        }
    }

    private static string Describe(FileKind kind) => kind switch
    {
        FileKind.Fifo => "a FIFO",
        FileKind.CharacterDevice => "a character device",
        FileKind.BlockDevice => "a block device",
        FileKind.Socket => "a socket",
        FileKind.Directory => "a directory",
        _ => "not a regular file",
    };
}
