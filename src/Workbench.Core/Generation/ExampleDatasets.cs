namespace Workbench.Generation;

/// <summary>
/// Small labelled datasets for the example notebooks and their tests: the <c>default-small</c> preset's latency metric
/// (milliseconds, level ≈ 100 ± 20 %, noise σ 3 plus AR(1)) sampled every 10 minutes with a daily season of 144 points,
/// so a few thousand points span more than two weeks and seasonal detectors have several days of history. Every source
/// is anomalous and carries the same number of events; the kinds are drawn with the preset's equal weights.
/// </summary>
public static class ExampleDatasets
{
    /// <summary>Points per day at the 10-minute step (the period of the daily season).</summary>
    public const int PointsPerDay = 144;

    /// <summary>
    /// The spec. Defaults (1 source × 2,400 points = 16.7 days, 6 events, seed 33) give one series with all five kinds:
    /// seasonal, two spikes, missing, drift and level shift.
    /// </summary>
    /// <param name="sources">Sources (series), in [1, 1000]; default 1.</param>
    /// <param name="points">Points per series, in [1,440, 100,000] (10 to 694 days); default 2,400. The first and last 300
    /// points of each series are kept free of anomalies.</param>
    /// <param name="eventsPerSource">Anomalies injected into every series, in [1, 20]; default 6.</param>
    /// <param name="seed">The generator seed; default 33.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument outside its range.</exception>
    /// <remarks>The spec is checked when a <see cref="DatasetGenerator"/> is made from it: too many events for the points
    /// raise the generator's <see cref="AnomalyPlacementException"/>.</remarks>
    public static DatasetSpec Latency(int sources = 1, int points = 2400, int eventsPerSource = 6, long seed = 33)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(sources, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sources, 1000);
        ArgumentOutOfRangeException.ThrowIfLessThan(points, 10 * PointsPerDay);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(points, 100_000);
        ArgumentOutOfRangeException.ThrowIfLessThan(eventsPerSource, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(eventsPerSource, 20);
        var preset = Presets.Get(Presets.DefaultSmall);
        var latency = preset.Metrics[0] with { Seasonalities = [new SeasonalComponent(PointsPerDay, 20, -2 * Math.PI / 3)] };
        return preset with
        {
            Seed = seed,
            Sources = sources,
            Points = points,
            Frequency = TimeSpan.FromMinutes(10),
            Metrics = [latency],
            Anomalies = preset.Anomalies with { SourceRatio = 1, EventsPerSource = new(eventsPerSource, eventsPerSource), MinGap = 60, EdgeMargin = 300 },
        };
    }
}
