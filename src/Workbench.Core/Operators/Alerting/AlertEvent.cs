namespace Workbench.Operators.Alerting;

/// <summary>Severity of an alert.</summary>
public enum AlertLevel
{
    /// <summary>The score reached <see cref="AlertOptions.Warning"/>.</summary>
    Warning,

    /// <summary>The score reached <see cref="AlertOptions.Critical"/>.</summary>
    Critical,
}

/// <summary>A step of an alert's lifecycle: raised → (escalated) → (acknowledged) → resolved.</summary>
public enum AlertState
{
    /// <summary>A new alert was opened (at warning, or directly at critical).</summary>
    Raised,

    /// <summary>An open warning alert became critical. Escalation clears an earlier acknowledgement.</summary>
    Escalated,

    /// <summary>Someone acknowledged the open alert.</summary>
    Acknowledged,

    /// <summary>The score fell below the clear level; the alert is closed.</summary>
    Resolved,
}

/// <summary>One lifecycle event of one alert.</summary>
/// <param name="Series">The series the alert is about.</param>
/// <param name="AlertId">The alert's id: 1, 2, 3 … in the order alerts are raised within one subscription (all series).</param>
/// <param name="Level">The alert's level after this event.</param>
/// <param name="State">What happened.</param>
/// <param name="Timestamp">Event time: the observation's timestamp, or the acknowledgement's for <see cref="AlertState.Acknowledged"/>.</param>
/// <param name="PeakScore">The highest score since the run that raised the alert began, up to this event.</param>
public readonly record struct AlertEvent(string Series, long AlertId, AlertLevel Level, AlertState State, DateTime Timestamp, double PeakScore);

/// <summary>An acknowledgement of an open alert, e.g. from an operator's console.</summary>
/// <param name="Series">The alert's series.</param>
/// <param name="AlertId">The alert's id (from its <see cref="AlertState.Raised"/> event).</param>
/// <param name="Timestamp">When it was acknowledged, in event time (e.g. the replay scheduler's clock).</param>
public readonly record struct Acknowledgement(string Series, long AlertId, DateTime Timestamp);
