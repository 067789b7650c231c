namespace Workbench.Core;

/// <summary>
/// The one model that flows through Workbench: one observation of one series at one instant, with its ground
/// truth. Generators and readers produce it, replay streams it, operators carry it through untouched.
/// </summary>
/// <param name="Series">The series id, e.g. <c>host-17/latency</c> or <c>realKnownCause/nyc_taxi</c>.</param>
/// <param name="Timestamp">The instant, always UTC (<see cref="DateTimeKind.Utc"/>).</param>
/// <param name="Value">The measured value; null when the observation is missing. Never NaN or infinite.</param>
/// <param name="Label">The ground-truth label.</param>
public readonly record struct LabeledObservation(string Series, DateTime Timestamp, double? Value, AnomalyLabel Label)
{
    /// <summary>A normal (unlabelled) observation.</summary>
    public static LabeledObservation Normal(string series, DateTime timestamp, double? value) =>
        new(series, timestamp, value, AnomalyLabel.Normal);

    /// <summary>Whether the value is missing.</summary>
    public bool IsMissing => !Value.HasValue;

    public override string ToString() =>
        $"{Series} {Timestamp:yyyy-MM-ddTHH:mm:ss.fffZ} {(Value.HasValue ? Value.Value.ToString("R", System.Globalization.CultureInfo.InvariantCulture) : "null")} {Label}";
}
