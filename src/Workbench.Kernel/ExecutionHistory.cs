using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Workbench.Kernel;

/// <summary>
/// The inputs (and text/plain results) of this kernel's history-stored cells, for <c>history_request</c>: one session
/// (number <see cref="Session"/>; requests for session 0 or a negative relative session mean this one), lines numbered
/// by execution count. <c>tail</c> gives the last n; <c>range</c> the lines [start, stop); <c>search</c> the inputs a
/// glob pattern (<c>*</c>, <c>?</c>, anchored at both ends, as IPython matches) matches, optionally unique, the last n.
/// </summary>
public sealed class ExecutionHistory
{
    /// <summary>The history session number this kernel reports.</summary>
    public const int Session = 1;

    private readonly Lock _gate = new();
    private readonly List<Entry> _entries = [];

    private sealed record Entry(int Line, string Input)
    {
        public string? Output { get; set; }
    }

    /// <summary>Records the input of execution <paramref name="line"/>.</summary>
    public void Add(int line, string input)
    {
        lock (_gate)
        {
            _entries.Add(new Entry(line, input));
        }
    }

    /// <summary>Records the text/plain result of execution <paramref name="line"/>.</summary>
    public void SetOutput(int line, string output)
    {
        lock (_gate)
        {
            if (_entries.LastOrDefault(e => e.Line == line) is { } entry)
            {
                entry.Output = output;
            }
        }
    }

    /// <summary>The <c>history</c> array of a history_reply for the request's content.</summary>
    public JsonArray Query(JsonObject request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var output = request["output"] is JsonValue o && o.TryGetValue<bool>(out var b) && b;
        var type = request["hist_access_type"] is JsonValue t && t.TryGetValue<string>(out var s) ? s : "tail";
        List<Entry> selected;
        lock (_gate)
        {
            selected = type switch
            {
                "tail" => Tail(_entries, Int(request, "n", 10)),
                "range" => IsThisSession(Int(request, "session", 0))
                    ? _entries.Where(e => e.Line >= Int(request, "start", 1) && (Int(request, "stop", int.MaxValue) is var stop && (stop <= 0 ? true : e.Line < stop))).ToList()
                    : [],
                "search" => Search(request),
                _ => [],
            };
        }

        var history = new JsonArray();
        foreach (var e in selected)
        {
            JsonNode item = output ? new JsonArray(e.Input, e.Output) : JsonValue.Create(e.Input);
            history.Add(new JsonArray(Session, e.Line, item));
        }

        return history;
    }

    private List<Entry> Search(JsonObject request)
    {
        var pattern = request["pattern"] is JsonValue p && p.TryGetValue<string>(out var s) ? s : "*";
        var unique = request["unique"] is JsonValue u && u.TryGetValue<bool>(out var b) && b;
        var regex = new Regex("^" + Regex.Escape(pattern).Replace("\\*", ".*", StringComparison.Ordinal).Replace("\\?", ".", StringComparison.Ordinal) + "$", RegexOptions.Singleline | RegexOptions.CultureInvariant);
        var matches = _entries.Where(e => regex.IsMatch(e.Input)).ToList();
        if (unique)
        {
            // The latest occurrence of each distinct input, in order.
            var seen = new HashSet<string>(StringComparer.Ordinal);
            matches = matches.AsEnumerable().Reverse().Where(e => seen.Add(e.Input)).Reverse().ToList();
        }

        return request.ContainsKey("n") && Int(request, "n", 0) > 0 ? Tail(matches, Int(request, "n", 0)) : matches;
    }

    private static bool IsThisSession(int session) => session is Session or <= 0;

    private static List<Entry> Tail(List<Entry> entries, int n) => n <= 0 ? [] : entries.Skip(Math.Max(0, entries.Count - n)).ToList();

    private static int Int(JsonObject request, string name, int fallback) =>
        request[name] is JsonValue v && v.TryGetValue<int>(out var i) ? i
        : request[name] is JsonValue l && l.TryGetValue<long>(out var n) ? (int)Math.Clamp(n, int.MinValue, int.MaxValue)
        : fallback;
}
