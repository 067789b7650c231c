using Snapshooter;
using Snapshooter.Xunit;

namespace Workbench.Testing;

/// <summary>
/// Verifies transcripts inside xunit tests with Snapshooter: the snapshot is
/// <c>__snapshots__/{TestClass}.{TestMethod}[_{extension}].snap</c> beside the calling test's source file, holding the
/// transcript as a JSON array of lines (so a diff of the file reads line by line).
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Match: passes (Snapshooter also removes a stale <c>__mismatch__</c> file).</item>
/// <item>Mismatch: Snapshooter writes the received snapshot to <c>__snapshots__/__mismatch__/</c> (git-ignored) and
/// this throws <see cref="SnapshotMismatchException"/> whose message gives the first differing transcript line and a
/// line diff with context. No diff tool is ever launched.</item>
/// <item>Missing: in strict mode (<c>SNAPSHOOTER_STRICT_MODE=true</c>, which CI sets, or <c>strict: true</c>) this
/// throws <see cref="SnapshotMissingException"/> and writes nothing; otherwise Snapshooter creates the snapshot and the
/// test passes — review and commit the new file.</item>
/// </list>
/// Call it synchronously from the test method (Snapshooter finds the test by walking the call stack).
/// </remarks>
public static class TranscriptSnapshot
{
    /// <summary>The environment variable that makes a missing snapshot fail (value exactly <c>true</c>).</summary>
    public const string StrictModeVariable = "SNAPSHOOTER_STRICT_MODE";

    /// <summary>Whether <see cref="StrictModeVariable"/> is <c>true</c> in this process.</summary>
    public static bool StrictModeFromEnvironment =>
        string.Equals(Environment.GetEnvironmentVariable(StrictModeVariable), "true", StringComparison.Ordinal);

    /// <summary>Verifies <paramref name="transcript"/> against the calling test's snapshot (see the class remarks).</summary>
    /// <param name="transcript">The recorded run.</param>
    /// <param name="nameExtension">Suffix of the snapshot name for several snapshots per test (theory cases); null for none.</param>
    /// <param name="strict">Whether a missing snapshot fails; null (default) = <see cref="StrictModeFromEnvironment"/>.</param>
    /// <exception cref="SnapshotMismatchException">The transcript differs from the snapshot.</exception>
    /// <exception cref="SnapshotMissingException">No snapshot, in strict mode.</exception>
    public static void Match(PipelineTranscript transcript, string? nameExtension = null, bool? strict = null)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        Match(transcript, FullName(nameExtension), strict);
    }

    /// <summary>Verifies <paramref name="transcript"/> against the snapshot named <paramref name="fullName"/> (file name and folder; the file is in its <c>__snapshots__</c> subfolder).</summary>
    /// <exception cref="SnapshotMismatchException">The transcript differs from the snapshot.</exception>
    /// <exception cref="SnapshotMissingException">No snapshot, in strict mode.</exception>
    public static void Match(PipelineTranscript transcript, SnapshotFullName fullName, bool? strict = null)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        ArgumentNullException.ThrowIfNull(fullName);
        var path = SnapshotPath(fullName);
        var lines = transcript.Lines.ToArray();
        if (!File.Exists(path))
        {
            if (strict ?? StrictModeFromEnvironment)
            {
                throw new SnapshotMissingException(path);
            }

            Snapshot.Match(lines, fullName);
            return;
        }

        var comparison = SnapshotFile.Verify(path, lines);
        if (comparison.Matches)
        {
            Snapshot.Match(lines, fullName);
            return;
        }

        Exception? snapshooter = null;
        try
        {
            Snapshot.Match(lines, fullName);
        }
#pragma warning disable CA1031 // Snapshooter's assertion type depends on the test framework; any failure is kept as the inner exception.
        catch (Exception e)
#pragma warning restore CA1031
        {
            snapshooter = e;
        }

        throw new SnapshotMismatchException(comparison, MismatchPath(fullName), snapshooter);
    }

    /// <summary>Snapshooter's name for the calling test's snapshot (call from the test method, synchronously).</summary>
    /// <param name="nameExtension">Appended to the name as Snapshooter does (<c>{Class}.{Method}_{extension}.snap</c>); null for none.</param>
    public static SnapshotFullName FullName(string? nameExtension = null)
    {
        var name = Snapshot.FullName();
        if (nameExtension is null)
        {
            return name;
        }

        // Snapshooter 1.3.1's FullName(SnapshotNameExtension) returns the name without the extension (it applies the
        // extension only inside Match), so compose the name here.
        ArgumentException.ThrowIfNullOrWhiteSpace(nameExtension);
        var stem = name.Filename.EndsWith(".snap", StringComparison.OrdinalIgnoreCase) ? name.Filename[..^5] : name.Filename;
        return new SnapshotFullName(stem + SnapshotNameExtension.Create(nameExtension).ToParamsString() + ".snap", name.FolderPath);
    }

    /// <summary>The snapshot file of <paramref name="fullName"/>: <c>{folder}/__snapshots__/{file}</c>.</summary>
    public static string SnapshotPath(SnapshotFullName fullName)
    {
        ArgumentNullException.ThrowIfNull(fullName);
        return Path.Combine(fullName.FolderPath, "__snapshots__", FileName(fullName));
    }

    /// <summary>Where Snapshooter writes the received snapshot on a mismatch: <c>{folder}/__snapshots__/__mismatch__/{file}</c>.</summary>
    public static string MismatchPath(SnapshotFullName fullName)
    {
        ArgumentNullException.ThrowIfNull(fullName);
        return Path.Combine(fullName.FolderPath, "__snapshots__", "__mismatch__", FileName(fullName));
    }

    /// <summary>The file name with Snapshooter's <c>.snap</c> extension (which it adds when the name lacks it).</summary>
    private static string FileName(SnapshotFullName fullName) =>
        fullName.Filename.EndsWith(".snap", StringComparison.OrdinalIgnoreCase) ? fullName.Filename : fullName.Filename + ".snap";
}

/// <summary>A transcript differs from its committed snapshot. The message has the first differing line and a line diff.</summary>
public sealed class SnapshotMismatchException : Exception
{
    /// <summary>Creates the exception from a comparison.</summary>
    public SnapshotMismatchException(SnapshotComparison comparison, string receivedPath, Exception? inner)
        : base(BuildMessage(comparison, receivedPath), inner)
    {
        Comparison = comparison;
        ReceivedPath = receivedPath;
    }

    /// <summary>The comparison (expected and actual lines, first difference, diff).</summary>
    public SnapshotComparison Comparison { get; }

    /// <summary>Where the received snapshot was written.</summary>
    public string ReceivedPath { get; }

    private static string BuildMessage(SnapshotComparison comparison, string receivedPath)
    {
        ArgumentNullException.ThrowIfNull(comparison);
        return comparison.Message
            + $"\nReceived snapshot written to {receivedPath}. If the change is intended, copy it over the snapshot (or delete the snapshot and re-run without {TranscriptSnapshot.StrictModeVariable}=true), review the diff and commit.";
    }
}

/// <summary>A snapshot file does not exist and strict mode forbids creating it.</summary>
public sealed class SnapshotMissingException : Exception
{
    /// <summary>Creates the exception for <paramref name="path"/>.</summary>
    public SnapshotMissingException(string path)
        : base($"Snapshot file not found: {path}. Strict mode ({TranscriptSnapshot.StrictModeVariable}=true, as in CI) does not create snapshots: run the test locally without it, review the new file and commit it.")
    {
        Path = path;
    }

    /// <summary>The missing snapshot file.</summary>
    public string Path { get; }
}
