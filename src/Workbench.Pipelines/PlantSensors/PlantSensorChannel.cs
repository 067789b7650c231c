namespace Workbench.Pipelines.PlantSensors;

/// <summary>
/// One sensor channel of the <see cref="PlantSensorsDataset"/>: value = <see cref="Base"/> + <see cref="Gain"/> ·
/// load(t − <see cref="LagSeconds"/>) + AR(1) noise of stationary σ <see cref="Noise"/> (φ = 0.7), rounded to
/// <see cref="Resolution"/>.
/// </summary>
/// <param name="Name">The channel, e.g. <c>temp-03</c> (the series is <c>plant-1/temp-03</c>).</param>
/// <param name="Type">Its sensor type: <c>temp</c> (°C), <c>pressure</c> (bar), <c>flow</c> (m³/h) or <c>vibration</c> (mm/s).</param>
/// <param name="Base">Reading at zero load.</param>
/// <param name="Gain">Reading per unit of load.</param>
/// <param name="LagSeconds">How many seconds the channel lags the load (thermal and transport delays).</param>
/// <param name="Noise">Stationary standard deviation of the channel's own AR(1) noise.</param>
/// <param name="Resolution">The sensor's reading resolution.</param>
public sealed record PlantSensorChannel(string Name, string Type, double Base, double Gain, int LagSeconds, double Noise, double Resolution)
{
    /// <summary>
    /// The channel's short-term variability, the unit of the injected magnitudes: √((gain · σ_load)² + noise²) with
    /// σ_load = <see cref="PlantSensorsDataset.SlowLoadSigma"/>, the standard deviation of the load's slow fluctuation.
    /// </summary>
    public double Unit => Math.Sqrt((Gain * PlantSensorsDataset.SlowLoadSigma * Gain * PlantSensorsDataset.SlowLoadSigma) + (Noise * Noise));
}
