using Workbench.Core;

namespace Workbench.Generation;

/// <summary>Why an injection was refused.</summary>
public enum InjectionConflictReason
{
    /// <summary>The event would cover an observation that is already labelled anomalous.</summary>
    LabelledPoint,

    /// <summary>A trigger fired while another event of the same operator was still active in the series.</summary>
    EventActive,

    /// <summary>An upstream label carries an event id this injector already gave one of its own events in the series.</summary>
    EventIdClash,
}

/// <summary>
/// An injection would overwrite an existing label (or reuse an event id); thrown by <see cref="AnomalyInjector"/>
/// and sent through OnError by the Rx injection operators under <see cref="ConflictPolicy.Fail"/>.
/// </summary>
public sealed class InjectionConflictException : Exception
{
    /// <summary>Creates the exception.</summary>
    public InjectionConflictException(string series, long index, DateTime? timestamp, AnomalyKind kind, InjectionConflictReason reason, string detail)
        : base($"Cannot inject {kind.Name} into series '{series}' at observation {index}" +
               (timestamp is { } ts ? $" ({ts:yyyy-MM-ddTHH:mm:ss.fffZ})" : string.Empty) + $": {detail}")
    {
        Series = series;
        Index = index;
        Timestamp = timestamp;
        Kind = kind;
        Reason = reason;
    }

    /// <summary>The series name.</summary>
    public string Series { get; }

    /// <summary>The 0-based observation index within the series.</summary>
    public long Index { get; }

    /// <summary>The observation's timestamp, when known.</summary>
    public DateTime? Timestamp { get; }

    /// <summary>The kind of the refused injection.</summary>
    public AnomalyKind Kind { get; }

    /// <summary>Why it was refused.</summary>
    public InjectionConflictReason Reason { get; }
}
