namespace Workbench.Testing;

/// <summary>
/// The recorded run of a pipeline: its events and the rendered transcript (header, marble lines, stats per key,
/// event lines). Produced by <see cref="PipelineRecording"/>; compared with <see cref="TranscriptSnapshot"/> (xunit)
/// or <see cref="SnapshotFile"/> (anywhere). See docs/SNAPSHOTS.md for the format.
/// </summary>
public sealed class PipelineTranscript
{
    internal PipelineTranscript(string name, IReadOnlyList<string> lines, IReadOnlyList<RecordedEvent> events, RecordingEnd end, Exception? error)
    {
        Name = name;
        Lines = lines;
        Events = events;
        End = end;
        Error = error;
        Text = string.Join('\n', lines) + "\n";
    }

    /// <summary>The pipeline's name (<see cref="RecordingOptions.Name"/>).</summary>
    public string Name { get; }

    /// <summary>The transcript, one entry per line (no line breaks inside, trailing spaces trimmed).</summary>
    public IReadOnlyList<string> Lines { get; }

    /// <summary>The transcript as text: <see cref="Lines"/> joined with <c>\n</c>, ending with <c>\n</c>.</summary>
    public string Text { get; }

    /// <summary>Every recorded notification except the terminal one, in order (unscrubbed text).</summary>
    public IReadOnlyList<RecordedEvent> Events { get; }

    /// <summary>How the run ended.</summary>
    public RecordingEnd End { get; }

    /// <summary>The pipeline's error when <see cref="End"/> is <see cref="RecordingEnd.Faulted"/>.</summary>
    public Exception? Error { get; }

    /// <summary>The transcript text.</summary>
    public override string ToString() => Text;
}
