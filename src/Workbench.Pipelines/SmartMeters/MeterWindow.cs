using Workbench.Operators.Windows;

namespace Workbench.Pipelines.SmartMeters;

/// <summary>
/// One tumbling window of one meter, in the original system's terms: mean and max power, energy and reading count.
/// </summary>
/// <param name="Meter">The meter (series id).</param>
/// <param name="Start">Window start (inclusive, UTC).</param>
/// <param name="End">Window end (exclusive, UTC): the event time of anything decided on the window.</param>
/// <param name="MeanKw">Mean of the readings (kW); null for a window holding only missing readings.</param>
/// <param name="MaxKw">Largest reading (kW); null like <paramref name="MeanKw"/>.</param>
/// <param name="EnergyKwh">Energy = mean kW × window length in hours (the original system's rule: the readings are a
/// sample of the power, not metered energy; 0 for a window without a present reading).</param>
/// <param name="Count">Present readings in the window.</param>
public readonly record struct MeterWindow(string Meter, DateTime Start, DateTime End, double? MeanKw, double? MaxKw, double EnergyKwh, long Count)
{
    /// <summary>The meter window of a tumbling aggregate.</summary>
    public static MeterWindow From(WindowAggregate w) =>
        new(w.Series, w.Start, w.End, w.Stats.Mean, w.Stats.Max, (w.Stats.Mean ?? 0) * (w.End - w.Start).TotalHours, w.Stats.Count);
}
