using System.Globalization;
using System.Text;
using System.Text.Json;
using Snapshooter.Core.Serialization;

namespace Workbench.Testing;

/// <summary>The result of comparing a transcript with a snapshot file.</summary>
/// <param name="Path">The snapshot file compared with.</param>
/// <param name="SnapshotExists">Whether the file exists (false: nothing was compared, <paramref name="Matches"/> is false).</param>
/// <param name="Matches">Whether the snapshot's lines equal the transcript's, byte for byte.</param>
/// <param name="FirstDifferentLine">The 1-based transcript line where they first differ; null when they match or the file is missing.</param>
/// <param name="Diff">The line diff (<see cref="LineDiff.Unified"/>, snapshot = <c>-</c>, transcript = <c>+</c>); empty when they match.</param>
/// <param name="Expected">The snapshot's lines (empty when the file is missing).</param>
/// <param name="Actual">The transcript's lines.</param>
public sealed record SnapshotComparison(
    string Path,
    bool SnapshotExists,
    bool Matches,
    int? FirstDifferentLine,
    string Diff,
    IReadOnlyList<string> Expected,
    IReadOnlyList<string> Actual)
{
    /// <summary>A readable report: "matches", "missing", or the first differing line and the diff.</summary>
    public string Message =>
        !SnapshotExists ? $"Snapshot file not found: {Path}"
        : Matches ? $"Transcript matches {Path}"
        : string.Create(
            CultureInfo.InvariantCulture,
            $"Transcript differs from {Path} (snapshot {Expected.Count} lines, transcript {Actual.Count} lines); first difference at transcript line {FirstDifferentLine}:\n{Diff}");

    /// <inheritdoc/>
    public override string ToString() => Message;
}

/// <summary>
/// Snapshot files outside xunit (notebooks, scripts): read, write and compare transcripts with a <c>.snap</c> file by
/// path. The file format is Snapshooter's for a string array (a JSON array, one transcript line per element,
/// indented, UTF-8 with a byte-order mark, LF line ends), so files written by <see cref="TranscriptSnapshot"/> and by <see cref="Write(string, PipelineTranscript)"/> are interchangeable.
/// Nothing here depends on a running test or on the environment.
/// </summary>
public static class SnapshotFile
{
    private static readonly SnapshotSerializer Serializer = new(new GlobalSnapshotSettingsResolver());

    /// <summary>Compares <paramref name="transcript"/> with the snapshot at <paramref name="path"/>; never writes.</summary>
    /// <exception cref="InvalidDataException">The file exists but is not a JSON array of strings (the message names the file).</exception>
    public static SnapshotComparison Verify(string path, PipelineTranscript transcript)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        return Verify(path, transcript.Lines);
    }

    /// <summary>Compares <paramref name="lines"/> with the snapshot at <paramref name="path"/>; never writes.</summary>
    /// <exception cref="InvalidDataException">The file exists but is not a JSON array of strings (the message names the file).</exception>
    public static SnapshotComparison Verify(string path, IReadOnlyList<string> lines)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(lines);
        if (!File.Exists(path))
        {
            return new SnapshotComparison(path, false, false, null, string.Empty, [], lines);
        }

        var expected = Read(path);
        var first = LineDiff.FirstDifference(expected, lines);
        return first is null
            ? new SnapshotComparison(path, true, true, null, string.Empty, expected, lines)
            : new SnapshotComparison(path, true, false, first, LineDiff.Unified(expected, lines), expected, lines);
    }

    /// <summary>The transcript lines stored in the snapshot at <paramref name="path"/>.</summary>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    /// <exception cref="InvalidDataException">The file is not a JSON array of strings (the message names the file and the element).</exception>
    public static IReadOnlyList<string> Read(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var text = File.ReadAllText(path, Encoding.UTF8);
        try
        {
            using var doc = JsonDocument.Parse(text);
            if (doc.RootElement.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidDataException($"Snapshot {path}: expected a JSON array of transcript lines, found {doc.RootElement.ValueKind}.");
            }

            var lines = new List<string>(doc.RootElement.GetArrayLength());
            var index = 0;
            foreach (var element in doc.RootElement.EnumerateArray())
            {
                if (element.ValueKind != JsonValueKind.String)
                {
                    throw new InvalidDataException($"Snapshot {path}: element {index} is {element.ValueKind}, expected a string.");
                }

                lines.Add(element.GetString()!);
                index++;
            }

            return lines;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"Snapshot {path}: not valid JSON ({e.Message}).", e);
        }
    }

    /// <summary>Writes <paramref name="transcript"/> to <paramref name="path"/> in the snapshot format (creating the folder), replacing any file.</summary>
    public static void Write(string path, PipelineTranscript transcript)
    {
        ArgumentNullException.ThrowIfNull(transcript);
        Write(path, transcript.Lines);
    }

    /// <summary>Writes <paramref name="lines"/> to <paramref name="path"/> in the snapshot format (creating the folder), replacing any file.</summary>
    public static void Write(string path, IReadOnlyList<string> lines)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(lines);
        var folder = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        // Snapshooter writes UTF-8 with a byte-order mark; do the same so both writers give identical bytes.
        File.WriteAllText(path, Serialize(lines), new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
    }

    /// <summary>The snapshot text of <paramref name="lines"/> (Snapshooter's serialisation of a string array).</summary>
    public static string Serialize(IReadOnlyList<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        return Serializer.SerializeObject(lines.ToArray());
    }
}
