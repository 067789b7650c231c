using System.Globalization;
using System.Text.RegularExpressions;

namespace Workbench.Testing;

/// <summary>
/// Replaces a non-deterministic part of transcript text (wall-clock time, GUID, machine path) with a stable token.
/// Scrubbers run when a transcript is rendered, on every text the run produced (keys, event text, error messages)
/// and on the header — never on the virtual-time column — in list order.
/// </summary>
/// <param name="text">One piece of text.</param>
/// <param name="context">The transcript's scrubbing state (numbered tokens, the run's virtual time span).</param>
public delegate string TranscriptScrubber(string text, ScrubContext context);

/// <summary>State shared by the scrubbers of one rendering: stable numbered tokens and the run's data span.</summary>
public sealed class ScrubContext
{
    private readonly Dictionary<(string Category, string Original), string> _tokens = [];
    private readonly Dictionary<string, int> _counts = new(StringComparer.Ordinal);

    /// <summary>Creates a context for a run whose virtual time spans [<paramref name="dataStart"/>, <paramref name="dataEnd"/>].</summary>
    public ScrubContext(DateTime dataStart, DateTime dataEnd)
    {
        DataStart = dataStart;
        DataEnd = dataEnd;
    }

    /// <summary>The earliest virtual time of the run (UTC).</summary>
    public DateTime DataStart { get; }

    /// <summary>The latest virtual time of the run (UTC).</summary>
    public DateTime DataEnd { get; }

    /// <summary>
    /// The token for <paramref name="original"/> in <paramref name="category"/>: <c>{Category_1}</c>, <c>{Category_2}</c>, …
    /// numbered in order of first appearance, the same token for the same original within one rendering.
    /// </summary>
    public string Token(string category, string original)
    {
        ArgumentException.ThrowIfNullOrEmpty(category);
        ArgumentNullException.ThrowIfNull(original);
        if (!_tokens.TryGetValue((category, original), out var token))
        {
            var n = _counts.GetValueOrDefault(category) + 1;
            _counts[category] = n;
            token = string.Create(CultureInfo.InvariantCulture, $"{{{category}_{n}}}");
            _tokens[(category, original)] = token;
        }

        return token;
    }
}

/// <summary>Built-in scrubbers. <see cref="Default"/> = machine paths, GUIDs, wall-clock times.</summary>
public static partial class Scrubbers
{
    /// <summary>GUIDs (<c>8-4-4-4-12</c> hex, any case, optional braces) → <c>{Guid_n}</c>.</summary>
    public static TranscriptScrubber Guids { get; } = (text, context) =>
        GuidPattern().Replace(text, m => context.Token("Guid", m.Value.ToLowerInvariant()));

    /// <summary>
    /// ISO-8601 date-times (<c>2026-11-23T04:14:51</c>, optional fraction and zone, <c>T</c> or a space) that fall
    /// outside the run's virtual time span [DataStart, DataEnd] → <c>{WallClock_n}</c>. Times inside the span are
    /// data and are kept, so a wall-clock time that happens to fall inside the data's span is not scrubbed.
    /// </summary>
    public static TranscriptScrubber WallClockTimes { get; } = (text, context) =>
        DateTimePattern().Replace(text, m =>
            DateTime.TryParse(m.Value, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var t)
            && t >= context.DataStart && t <= context.DataEnd
                ? m.Value
                : context.Token("WallClock", m.Value));

    /// <summary>
    /// This machine's directories (read once, when the class is first used): the current directory → <c>{CurrentDirectory}</c>, the application base
    /// directory → <c>{BaseDirectory}</c>, the temp directory → <c>{TempPath}</c>, the user's home →
    /// <c>{UserProfile}</c> (longest first, so the most specific wins; when two are the same folder, the earlier in
    /// this list names it; ordinal comparison).
    /// </summary>
    public static TranscriptScrubber MachinePaths { get; } = CreateMachinePaths();

    /// <summary>The default list: <see cref="MachinePaths"/>, <see cref="Guids"/>, <see cref="WallClockTimes"/>.</summary>
    public static IReadOnlyList<TranscriptScrubber> Default { get; } = [MachinePaths, Guids, WallClockTimes];

    /// <summary>Replaces every occurrence of the literal <paramref name="path"/> (ordinal; a trailing separator ignored) with <paramref name="token"/>.</summary>
    public static TranscriptScrubber Path(string path, string token)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(token);
        var trimmed = path.TrimEnd('/', '\\');
        if (trimmed.Length == 0)
        {
            throw new ArgumentException("The path must not be a root directory alone.", nameof(path));
        }

        return (text, _) => text.Replace(trimmed, token, StringComparison.Ordinal);
    }

    /// <summary>Replaces matches of <paramref name="pattern"/> (culture-invariant regex) with <paramref name="replacement"/> (regex substitution syntax).</summary>
    public static TranscriptScrubber Regex(string pattern, string replacement)
    {
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        ArgumentNullException.ThrowIfNull(replacement);
        var regex = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        return (text, _) => regex.Replace(text, replacement);
    }

    /// <summary>Replaces matches of <paramref name="pattern"/> with numbered tokens <c>{category_n}</c> (the same match, the same token).</summary>
    public static TranscriptScrubber Tokens(string pattern, string category)
    {
        ArgumentException.ThrowIfNullOrEmpty(pattern);
        ArgumentException.ThrowIfNullOrEmpty(category);
        var regex = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        return (text, context) => regex.Replace(text, m => context.Token(category, m.Value));
    }

    /// <summary>Applies <paramref name="scrubbers"/> in order.</summary>
    internal static string Apply(IReadOnlyList<TranscriptScrubber> scrubbers, string text, ScrubContext context)
    {
        foreach (var scrubber in scrubbers)
        {
            text = scrubber(text, context) ?? throw new InvalidOperationException("A scrubber returned null.");
        }

        return text;
    }

    private static TranscriptScrubber CreateMachinePaths()
    {
        var candidates = new (string Path, string Token)[]
        {
            (Environment.CurrentDirectory, "{CurrentDirectory}"),
            (AppContext.BaseDirectory, "{BaseDirectory}"),
            (System.IO.Path.GetTempPath(), "{TempPath}"),
            (Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), "{UserProfile}"),
        };
        var pairs = candidates
            .Select(c => (Path: c.Path.TrimEnd('/', '\\'), c.Token))
            .Where(c => c.Path.Length > 1)
            .DistinctBy(c => c.Path, StringComparer.Ordinal) // the same folder twice: the first token in the list wins
            .OrderByDescending(c => c.Path.Length)
            .ToArray();
        return (text, _) =>
        {
            foreach (var (path, token) in pairs)
            {
                text = text.Replace(path, token, StringComparison.Ordinal);
            }

            return text;
        };
    }

    [GeneratedRegex(@"\{?\b[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}\b\}?", RegexOptions.CultureInvariant)]
    private static partial Regex GuidPattern();

    [GeneratedRegex(@"\b\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2})?", RegexOptions.CultureInvariant)]
    private static partial Regex DateTimePattern();
}
