namespace Workbench.Testing;

/// <summary>How much of a run a transcript prints line by line.</summary>
public enum TranscriptDetail
{
    /// <summary>
    /// Per key: the first <see cref="RecordingOptions.HeadLines"/> events, then the notable ones (flags, alerts,
    /// unknown types, label boundaries), at most <see cref="RecordingOptions.MaxLinesPerKey"/> lines. Every event
    /// still counts in the marble line, the mark counts and the key's digest.
    /// </summary>
    Summary,

    /// <summary>Every event on its own line (for short runs).</summary>
    Full,
}

/// <summary>
/// Options of <see cref="PipelineRecording"/>, captured when recording starts and validated there.
/// </summary>
public sealed record RecordingOptions
{
    /// <summary>The pipeline's name, printed in the header (one line; default <c>pipeline</c>).</summary>
    public string Name { get; init; } = "pipeline";

    /// <summary>Extra header lines (the source's spec and seed, the operators' specs…); scrubbed. Default none.</summary>
    public IReadOnlyList<string> Header { get; init; } = [];

    /// <summary>Formatters by event type. Default <see cref="TranscriptFormatters.Default"/>.</summary>
    public TranscriptFormatters Formatters { get; init; } = TranscriptFormatters.Default;

    /// <summary>Scrubbers applied at rendering, in order. Default <see cref="Scrubbers.Default"/>.</summary>
    public IReadOnlyList<TranscriptScrubber> Scrubbers { get; init; } = Testing.Scrubbers.Default;

    /// <summary>Significant digits of every number (1–17; default 6).</summary>
    public int SignificantDigits { get; init; } = 6;

    /// <summary>Line-by-line detail. Default <see cref="TranscriptDetail.Summary"/>.</summary>
    public TranscriptDetail Detail { get; init; } = TranscriptDetail.Summary;

    /// <summary>Summary: the first events printed per key regardless of notability (≥ 0; default 5).</summary>
    public int HeadLines { get; init; } = 5;

    /// <summary>Summary: at most this many event lines per key (≥ 1; default 80); the rest are counted in the key's stats line.</summary>
    public int MaxLinesPerKey { get; init; } = 80;

    /// <summary>Columns of a marble line (10–1000; default 100); each covers an equal slice of the run's virtual time.</summary>
    public int MarbleWidth { get; init; } = 100;

    /// <summary>
    /// The replay scheduler's initial clock (UTC); null (default) = the first observation's timestamp, so periodic
    /// timers downstream count from the data's start.
    /// </summary>
    public DateTime? StartClock { get; init; }

    /// <summary>Throws <see cref="ArgumentException"/> (or <see cref="ArgumentOutOfRangeException"/>) naming the invalid option.</summary>
    public void Validate()
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(Name, nameof(Name));
        if (Name.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            throw new ArgumentException("The name must be one line.", nameof(Name));
        }

        ArgumentNullException.ThrowIfNull(Header, nameof(Header));
        if (Header.Any(h => h is null))
        {
            throw new ArgumentException("Header lines must not be null.", nameof(Header));
        }

        ArgumentNullException.ThrowIfNull(Formatters, nameof(Formatters));
        ArgumentNullException.ThrowIfNull(Scrubbers, nameof(Scrubbers));
        if (Scrubbers.Any(s => s is null))
        {
            throw new ArgumentException("Scrubbers must not be null.", nameof(Scrubbers));
        }

        if (SignificantDigits is < 1 or > 17)
        {
            throw new ArgumentOutOfRangeException(nameof(SignificantDigits), SignificantDigits, "significant digits must be in 1..17");
        }

        if (!Enum.IsDefined(Detail))
        {
            throw new ArgumentOutOfRangeException(nameof(Detail), Detail, "unknown detail");
        }

        if (HeadLines < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(HeadLines), HeadLines, "head lines must be >= 0");
        }

        if (MaxLinesPerKey < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxLinesPerKey), MaxLinesPerKey, "max lines per key must be >= 1");
        }

        if (MarbleWidth is < 10 or > 1000)
        {
            throw new ArgumentOutOfRangeException(nameof(MarbleWidth), MarbleWidth, "marble width must be in 10..1000");
        }

        if (StartClock is { } start && start.Kind != DateTimeKind.Utc)
        {
            throw new ArgumentException("The start clock must be UTC (DateTimeKind.Utc).", nameof(StartClock));
        }
    }
}
