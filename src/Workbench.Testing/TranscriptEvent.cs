using Workbench.Core;

namespace Workbench.Testing;

/// <summary>
/// One pipeline output as a transcript shows it, produced by a formatter (<see cref="TranscriptFormatters"/>).
/// </summary>
/// <param name="Key">The marble/stats line the event belongs to: the series id, prefixed with a tag for tagged
/// streams (<c>zscore:host-0/latency</c>); empty for events that belong to no series (shown as <c>*</c>).</param>
/// <param name="Text">The event's columns (value, score, flag, label, …), fixed-width where the formatter can
/// make them so. Scrubbed when the transcript is rendered.</param>
/// <param name="Mark">The event's marble symbol (see <see cref="TranscriptMarks"/>).</param>
/// <param name="Notable">Whether a summarised transcript always prints this line (flags, alerts, unknown event
/// types), subject to <see cref="RecordingOptions.MaxLinesPerKey"/>.</param>
/// <param name="Label">The ground-truth label the event carries (normal when none); a change of label between
/// consecutive events of a key makes both lines notable (label boundaries).</param>
public readonly record struct TranscriptEvent(string Key, string Text, char Mark, bool Notable, AnomalyLabel Label = default);

/// <summary>One recorded notification with its place in the run.</summary>
/// <param name="Sequence">1-based position among all notifications of the run (OnNext, then the terminal one).</param>
/// <param name="VirtualTime">The virtual clock (UTC) when the notification was delivered.</param>
/// <param name="Event">The formatted event.</param>
public readonly record struct RecordedEvent(long Sequence, DateTime VirtualTime, TranscriptEvent Event);

/// <summary>How a recorded run ended.</summary>
public enum RecordingEnd
{
    /// <summary>The pipeline sent <c>OnCompleted</c>.</summary>
    Completed,

    /// <summary>The pipeline sent <c>OnError</c>.</summary>
    Faulted,

    /// <summary>The virtual clock ran out of work without a terminal notification (e.g. a pipeline built on <c>Never</c>).</summary>
    NotTerminated,
}

/// <summary>
/// The marble alphabet. In a marble line each column covers an equal slice of virtual time and shows the
/// highest-priority mark of the key's events in that slice (priority = order of <see cref="Priority"/>); a space
/// means no event in that slice. The line ends with <see cref="Completed"/>, <see cref="Error"/> or
/// <see cref="NotTerminated"/>.
/// </summary>
public static class TranscriptMarks
{
    /// <summary><c>!</c> flagged and labelled anomalous (a hit).</summary>
    public const char Hit = '!';

    /// <summary><c>x</c> flagged but labelled normal (a false alarm).</summary>
    public const char FalseAlarm = 'x';

    /// <summary><c>^</c> alert raised.</summary>
    public const char AlertRaised = '^';

    /// <summary><c>+</c> alert escalated.</summary>
    public const char AlertEscalated = '+';

    /// <summary><c>v</c> alert resolved.</summary>
    public const char AlertResolved = 'v';

    /// <summary><c>a</c> alert acknowledged.</summary>
    public const char AlertAcknowledged = 'a';

    /// <summary><c>o</c> labelled anomalous but not flagged (a miss; for unflagged streams: any labelled point).</summary>
    public const char Labelled = 'o';

    /// <summary><c>?</c> the observation's value is missing (null), not flagged, not labelled.</summary>
    public const char Missing = '?';

    /// <summary><c>.</c> present value without a score or forecast (warm-up, skipped).</summary>
    public const char NoScore = '.';

    /// <summary><c>*</c> an event of a type without a dedicated formatter.</summary>
    public const char Other = '*';

    /// <summary><c>-</c> a normal event: scored or forecast, not flagged, not labelled.</summary>
    public const char Normal = '-';

    /// <summary><c>|</c> the stream completed (end of every marble line).</summary>
    public const char Completed = '|';

    /// <summary><c>#</c> the stream failed (end of every marble line).</summary>
    public const char Error = '#';

    /// <summary><c>~</c> the run ended without a terminal notification.</summary>
    public const char NotTerminated = '~';

    /// <summary>The cell marks, highest priority first.</summary>
    public const string Priority = "!x^+vao?.*-";

    /// <summary>The rank of <paramref name="mark"/> in <see cref="Priority"/> (0 = highest); unknown marks rank just above <c>-</c>.</summary>
    internal static int Rank(char mark)
    {
        var i = Priority.IndexOf(mark, StringComparison.Ordinal);
        return i < 0 ? Priority.Length - 1 : i;
    }
}
