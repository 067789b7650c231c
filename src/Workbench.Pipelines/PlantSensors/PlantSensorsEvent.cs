namespace Workbench.Pipelines.PlantSensors;

/// <summary>One anomaly the <see cref="PlantSensorsDataset"/> injects (its plan, before generation).</summary>
/// <param name="EventId">The label's event id (1, 2, … in time order; an upset carries one id on every channel it touches).</param>
/// <param name="Kind">The anomaly kind: <c>spike</c>, <c>stuck</c>, <c>drift</c> or <c>upset</c> (<see cref="PlantSensorsDataset.Kinds"/>).</param>
/// <param name="Start">The first affected second.</param>
/// <param name="Seconds">Affected seconds (rows per channel).</param>
/// <param name="Channels">Indices of the affected channels into <see cref="PlantSensorsDataset.Channels"/>.</param>
/// <param name="Magnitudes">Per affected channel: the spike height, the drift's final offset or the upset's step, in
/// units of that channel's short-term variability (signed); 0 for a stuck sensor (it holds its last value).</param>
public sealed record PlantSensorsEvent(int EventId, string Kind, DateTime Start, int Seconds, IReadOnlyList<int> Channels, IReadOnlyList<double> Magnitudes)
{
    /// <summary>The last affected second.</summary>
    public DateTime End => Start.AddSeconds(Seconds - 1);
}
