using System.Globalization;

namespace Workbench.Replay;

/// <summary>
/// A replay source broke the replay contract (an observation that is not UTC, has no series, names a series id
/// outside its batch's series table, …). The replay ends with this exception as its <c>OnError</c>.
/// </summary>
public class ReplaySourceException : Exception
{
    /// <summary>Creates the exception for observation <paramref name="index"/> (of source <paramref name="sourceIndex"/> in a merge).</summary>
    public ReplaySourceException(string message, string? series, long index, int? sourceIndex)
        : base(message)
    {
        Series = series;
        Index = index;
        SourceIndex = sourceIndex;
    }

    /// <summary>Creates the exception with a default message (standard exception constructor).</summary>
    public ReplaySourceException()
    {
    }

    /// <summary>Creates the exception with a message (standard exception constructor).</summary>
    public ReplaySourceException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and a cause (standard exception constructor).</summary>
    public ReplaySourceException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The series of the offending observation, when known.</summary>
    public string? Series { get; }

    /// <summary>The 0-based index of the offending observation in its source (rows counted across batches).</summary>
    public long Index { get; }

    /// <summary>For a merge, the index of the offending source in the merge's list; otherwise null.</summary>
    public int? SourceIndex { get; }

    /// <summary>Formats " of source 2" or an empty string.</summary>
    private protected static string SourceText(int? sourceIndex) =>
        sourceIndex is { } s ? string.Create(CultureInfo.InvariantCulture, $" of source {s}") : string.Empty;

    private protected static string Format(DateTime t) => t.ToString("yyyy-MM-ddTHH:mm:ss.fffffffZ", CultureInfo.InvariantCulture);
}

/// <summary>
/// An observation's timestamp is earlier than the one before it (the source must be in timestamp order; equal
/// timestamps are allowed), or earlier than the <see cref="ReplayScheduler"/>'s clock when it is due.
/// </summary>
public sealed class ObservationOrderException : ReplaySourceException
{
    /// <summary>Creates the exception for observation <paramref name="index"/> going back in time.</summary>
    /// <param name="series">The series of the out-of-order observation.</param>
    /// <param name="index">Its 0-based index in the source.</param>
    /// <param name="timestamp">Its timestamp.</param>
    /// <param name="previousSeries">The series of the observation before it; null when the bound is the scheduler clock.</param>
    /// <param name="previousTimestamp">The timestamp it must not precede.</param>
    /// <param name="sourceIndex">For a merge, the index of the source; otherwise null.</param>
    public ObservationOrderException(string series, long index, DateTime timestamp, string? previousSeries, DateTime previousTimestamp, int? sourceIndex = null)
        : base(BuildMessage(series, index, timestamp, previousSeries, previousTimestamp, sourceIndex), series, index, sourceIndex)
    {
        Timestamp = timestamp;
        PreviousSeries = previousSeries;
        PreviousTimestamp = previousTimestamp;
    }

    /// <summary>The timestamp of the out-of-order observation.</summary>
    public DateTime Timestamp { get; }

    /// <summary>The series of the previous observation; null when the bound was the scheduler clock.</summary>
    public string? PreviousSeries { get; }

    /// <summary>The previous observation's timestamp (or the scheduler clock) that <see cref="Timestamp"/> precedes.</summary>
    public DateTime PreviousTimestamp { get; }

    private static string BuildMessage(string series, long index, DateTime timestamp, string? previousSeries, DateTime previousTimestamp, int? sourceIndex) =>
        previousSeries is null
            ? string.Create(CultureInfo.InvariantCulture,
                $"Observation {index}{SourceText(sourceIndex)} (series '{series}') has timestamp {Format(timestamp)}, earlier than the replay scheduler's clock {Format(previousTimestamp)}; a replay scheduler's clock only moves forward.")
            : string.Create(CultureInfo.InvariantCulture,
                $"Observation {index}{SourceText(sourceIndex)} (series '{series}') has timestamp {Format(timestamp)}, earlier than the previous observation (series '{previousSeries}', {Format(previousTimestamp)}); a replay source must be in timestamp order.");
}
