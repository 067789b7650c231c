using System.Runtime.InteropServices;

namespace Workbench.Data;

/// <summary>What kind of file system object a path names.</summary>
public enum FileKind
{
    /// <summary>Nothing is there.</summary>
    Missing,

    /// <summary>A regular file.</summary>
    Regular,

    /// <summary>A directory.</summary>
    Directory,

    /// <summary>A named pipe (FIFO).</summary>
    Fifo,

    /// <summary>A character device (e.g. <c>/dev/null</c>, a terminal).</summary>
    CharacterDevice,

    /// <summary>A block device.</summary>
    BlockDevice,

    /// <summary>A Unix domain socket.</summary>
    Socket,

    /// <summary>Something else, or a kind this platform cannot tell (it exists and is not a directory).</summary>
    Other,
}

/// <summary>The kind and identity (device, inode) of a path, following symbolic links (stat(2)).</summary>
/// <param name="Kind">The kind of object.</param>
/// <param name="Device">st_dev, or 0 where unknown.</param>
/// <param name="Inode">st_ino, or 0 where unknown.</param>
public readonly record struct FileStatus(FileKind Kind, ulong Device, ulong Inode)
{
    /// <summary>Whether both name the same existing object (same device and inode; on platforms without inodes, never).</summary>
    public bool IsSameObjectAs(FileStatus other) =>
        Kind != FileKind.Missing && other.Kind != FileKind.Missing && Inode != 0 && Device == other.Device && Inode == other.Inode;
}

/// <summary>stat(2) through glibc on Linux (x64 and arm64 layouts); elsewhere what .NET can tell.</summary>
internal static class UnixFileStatus
{
    private const int BufferSize = 256;

    public static FileStatus Get(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (OperatingSystem.IsLinux() && (RuntimeInformation.ProcessArchitecture is Architecture.X64 or Architecture.Arm64)
            && TryStat(path, out var status))
        {
            return status;
        }

        if (Directory.Exists(path))
        {
            return new FileStatus(FileKind.Directory, 0, 0);
        }

        return File.Exists(path) ? new FileStatus(OperatingSystem.IsWindows() ? FileKind.Regular : FileKind.Other, 0, 0) : new FileStatus(FileKind.Missing, 0, 0);
    }

    private static bool TryStat(string path, out FileStatus status)
    {
        var buffer = new byte[BufferSize];
        int result;
        try
        {
            result = Stat(path, buffer);
        }
        catch (EntryPointNotFoundException)
        {
            // glibc before 2.33 exports stat only as __xstat(version, path, buf).
            try
            {
                result = XStat(RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 1 : 0, path, buffer);
            }
            catch (EntryPointNotFoundException)
            {
                status = default;
                return false;
            }
        }
        catch (DllNotFoundException)
        {
            status = default;
            return false;
        }

        if (result != 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            status = new FileStatus(FileKind.Missing, 0, 0);
            return errno is 2 or 20; // ENOENT, ENOTDIR: nothing there. Anything else (EACCES…): let .NET report it.
        }

        // x86_64: st_dev @0, st_ino @8, st_nlink @16 (8 bytes), st_mode @24. arm64 (generic): st_dev @0, st_ino @8, st_mode @16.
        var modeOffset = RuntimeInformation.ProcessArchitecture == Architecture.X64 ? 24 : 16;
        var mode = BitConverter.ToUInt32(buffer, modeOffset);
        var kind = (mode & 0xF000) switch
        {
            0x8000 => FileKind.Regular,
            0x4000 => FileKind.Directory,
            0x1000 => FileKind.Fifo,
            0x2000 => FileKind.CharacterDevice,
            0x6000 => FileKind.BlockDevice,
            0xC000 => FileKind.Socket,
            _ => FileKind.Other,
        };
        status = new FileStatus(kind, BitConverter.ToUInt64(buffer, 0), BitConverter.ToUInt64(buffer, 8));
        return true;
    }

    // DllImport rather than LibraryImport: this assembly compiles without unsafe code, which LibraryImport's generated code needs.
    [DllImport("libc", EntryPoint = "stat", SetLastError = true, ExactSpelling = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int Stat([MarshalAs(UnmanagedType.LPUTF8Str)] string path, [Out] byte[] buffer);

    [DllImport("libc", EntryPoint = "__xstat", SetLastError = true, ExactSpelling = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int XStat(int version, [MarshalAs(UnmanagedType.LPUTF8Str)] string path, [Out] byte[] buffer);
}
