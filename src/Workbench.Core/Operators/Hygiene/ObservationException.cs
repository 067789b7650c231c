namespace Workbench.Operators.Hygiene;

/// <summary>Bad input found by an operator, naming the series and timestamp of the offending event.</summary>
public abstract class ObservationException : Exception
{
    protected ObservationException(string series, DateTime timestamp, string message)
        : base(message)
    {
        Series = series;
        Timestamp = timestamp;
    }

    /// <summary>The series of the offending event.</summary>
    public string Series { get; }

    /// <summary>The timestamp of the offending event.</summary>
    public DateTime Timestamp { get; }
}

/// <summary>A value that a validation policy of <see cref="InvalidValuePolicy.Throw"/> / <see cref="OutOfRangePolicy.Throw"/> rejects.</summary>
public sealed class InvalidObservationException : ObservationException
{
    public InvalidObservationException(string series, DateTime timestamp, double value, string reason)
        : base(series, timestamp, $"Series '{series}' at {timestamp:O}: value {value.ToString("R", System.Globalization.CultureInfo.InvariantCulture)} {reason}.")
    {
        Value = value;
        Reason = reason;
    }

    /// <summary>The rejected value.</summary>
    public double Value { get; }

    /// <summary>Why it was rejected.</summary>
    public string Reason { get; }
}

/// <summary>An event older than an operator's ordering contract allows (the operator says which order it needs).</summary>
public sealed class ObservationOrderException : ObservationException
{
    public ObservationOrderException(string series, DateTime timestamp, DateTime previous, string requirement)
        : base(series, timestamp, $"Series '{series}': timestamp {timestamp:O} arrived after {previous:O}; {requirement}.")
    {
        Previous = previous;
    }

    /// <summary>The later timestamp already seen.</summary>
    public DateTime Previous { get; }
}
