using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Workbench.Core;

namespace Workbench.Testing;

/// <summary>Lays a recorded run out as transcript lines (format: docs/SNAPSHOTS.md).</summary>
internal static class TranscriptRenderer
{
    private const string EndKey = "(end)";

    public static PipelineTranscript Render(RecordingOptions options, List<RecordedEvent> events, RecordingEnd end, Exception? error, DateTime endTime)
    {
        var start = events.Count > 0 ? events[0].VirtualTime : endTime;
        var last = endTime >= start ? endTime : start;
        var scrub = new ScrubContext(start, last);
        string S(string text) => TranscriptFormatters.OneLine(Scrubbers.Apply(options.Scrubbers, text, scrub));

        // Keys in order of first appearance, with their event indices.
        var keyOrder = new List<string>();
        var byKey = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (var i = 0; i < events.Count; i++)
        {
            var key = events[i].Event.Key;
            if (!byKey.TryGetValue(key, out var list))
            {
                byKey[key] = list = [];
                keyOrder.Add(key);
            }

            list.Add(i);
        }

        var shownKey = keyOrder.ToDictionary(k => k, k => k.Length == 0 ? "*" : S(k), StringComparer.Ordinal);
        var keyWidth = Math.Max(EndKey.Length, shownKey.Values.Select(k => k.Length).DefaultIfEmpty(0).Max());
        var texts = new string[events.Count];
        for (var i = 0; i < events.Count; i++)
        {
            texts[i] = S(events[i].Event.Text);
        }

        var endText = end switch
        {
            RecordingEnd.Completed => "completed",
            RecordingEnd.Faulted => S($"error {error!.GetType().FullName}: {error.Message}"),
            _ => "not terminated (the virtual clock ran out of work)",
        };
        var endMark = end switch
        {
            RecordingEnd.Completed => TranscriptMarks.Completed,
            RecordingEnd.Faulted => TranscriptMarks.Error,
            _ => TranscriptMarks.NotTerminated,
        };

        // Which events get a line.
        var shown = new bool[events.Count];
        var keyStats = new List<string>();
        var span = last - start;
        var width = options.MarbleWidth;
        var marbles = new List<string>();
        foreach (var key in keyOrder)
        {
            var indices = byKey[key];
            var shownCount = 0;
            var notableCount = 0;
            var notableShown = 0;
            for (var j = 0; j < indices.Count; j++)
            {
                var e = events[indices[j]].Event;
                var boundary = (j > 0 && events[indices[j - 1]].Event.Label != e.Label)
                    || (j + 1 < indices.Count && events[indices[j + 1]].Event.Label != e.Label);
                var notable = e.Notable || boundary;
                if (notable)
                {
                    notableCount++;
                }

                var want = options.Detail == TranscriptDetail.Full || j < options.HeadLines || notable;
                if (want && (options.Detail == TranscriptDetail.Full || shownCount < options.MaxLinesPerKey))
                {
                    shown[indices[j]] = true;
                    shownCount++;
                    if (notable)
                    {
                        notableShown++;
                    }
                }
            }

            // Marble line: one column per equal slice of virtual time; the highest-priority mark wins.
            var cells = new char[width];
            Array.Fill(cells, ' ');
            var counts = new SortedDictionary<int, (char Mark, int Count)>();
            using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
            foreach (var i in indices)
            {
                var r = events[i];
                var col = span.Ticks == 0 ? 0 : (int)((r.VirtualTime - start).Ticks * (Int128)width / (span.Ticks + 1));
                var mark = r.Event.Mark;
                if (cells[col] == ' ' || TranscriptMarks.Rank(mark) < TranscriptMarks.Rank(cells[col]))
                {
                    cells[col] = mark;
                }

                var rank = (TranscriptMarks.Rank(mark) * 65536) + mark;
                counts[rank] = (mark, counts.TryGetValue(rank, out var c) ? c.Count + 1 : 1);
                hash.AppendData(Encoding.UTF8.GetBytes(EventLine(r, shownKey[key], texts[i], keyWidth) + "\n"));
            }

            marbles.Add($"{shownKey[key].PadRight(keyWidth)}  {new string(cells)}{endMark}");
            var marks = string.Join(' ', counts.Values.Select(c => string.Create(CultureInfo.InvariantCulture, $"{c.Mark}={c.Count}")));
            var digest = Convert.ToHexStringLower(hash.GetHashAndReset())[..16];
            var omitted = notableCount - notableShown;
            keyStats.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"{shownKey[key].PadRight(keyWidth)}  events={indices.Count} lines={shownCount}{(omitted > 0 ? $" notable-not-shown={omitted}" : string.Empty)}  {marks}  digest={digest}"));
        }

        var lines = new List<string>
        {
            "# Workbench pipeline transcript",
            "name:    " + S(options.Name),
        };
        foreach (var h in options.Header)
        {
            lines.Add("source:  " + S(h));
        }

        lines.Add(string.Create(CultureInfo.InvariantCulture, $"run:     {events.Count} events, {keyOrder.Count} keys, {endText}"));
        lines.Add(string.Create(
            CultureInfo.InvariantCulture,
            $"time:    {TranscriptFormat.Time(start)} .. {TranscriptFormat.Time(last)}, marble column = {TranscriptFormat.Duration(TimeSpan.FromTicks((span.Ticks + width) / width))}"));
        lines.Add(options.Detail == TranscriptDetail.Full
            ? "detail:  full (every event)"
            : string.Create(CultureInfo.InvariantCulture, $"detail:  summary (per key: first {options.HeadLines}, then flags, alerts and label boundaries; at most {options.MaxLinesPerKey} lines)"));
        lines.Add("marks:   ! hit  x false alarm  o labelled  ? missing  . no score  - normal  ^ + a v alert raised/escalated/acked/resolved  * other  | completed  # error  ~ not terminated");
        lines.Add(string.Empty);
        lines.Add("== marbles ==");
        lines.AddRange(marbles);
        lines.Add(string.Empty);
        lines.Add("== stats ==");
        lines.AddRange(keyStats);
        lines.Add(string.Empty);
        lines.Add("== events ==");
        lines.Add($"{"seq",8}  {"virtual time",-24}  {"key".PadRight(keyWidth)}  event");
        for (var i = 0; i < events.Count; i++)
        {
            if (shown[i])
            {
                lines.Add(EventLine(events[i], shownKey[events[i].Event.Key], texts[i], keyWidth));
            }
        }

        lines.Add(string.Create(CultureInfo.InvariantCulture, $"{events.Count + 1,8}  {TranscriptFormat.Time(endTime)}  {EndKey.PadRight(keyWidth)}  {endText}"));
        for (var i = 0; i < lines.Count; i++)
        {
            lines[i] = lines[i].TrimEnd();
        }

        return new PipelineTranscript(options.Name, lines, events, end, error);
    }

    private static string EventLine(in RecordedEvent r, string key, string text, int keyWidth) =>
        string.Create(CultureInfo.InvariantCulture, $"{r.Sequence,8}  {TranscriptFormat.Time(r.VirtualTime)}  {key.PadRight(keyWidth)}  {text}").TrimEnd();
}
