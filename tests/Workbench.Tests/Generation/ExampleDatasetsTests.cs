using Workbench.Core;
using Workbench.Generation;

namespace Workbench.Tests.Generation;

public class ExampleDatasetsTests
{
    [Fact]
    public void Latency_Defaults_OneSeriesWithAllFiveKinds()
    {
        var spec = ExampleDatasets.Latency();
        var generator = new DatasetGenerator(spec);

        Assert.Equal((1, 2400, TimeSpan.FromMinutes(10), 33L), (spec.Sources, spec.Points, spec.Frequency, spec.Seed));
        Assert.Equal("latency", Assert.Single(spec.Metrics).Name);
        Assert.Equal(ExampleDatasets.PointsPerDay, Assert.Single(spec.Metrics[0].Seasonalities).Period);
        Assert.Equal(6, generator.Events.Count);
        Assert.Equal(
            [AnomalyKind.Drift, AnomalyKind.LevelShift, AnomalyKind.Missing, AnomalyKind.Seasonal, AnomalyKind.Spike],
            generator.Events.Select(e => e.Kind).Distinct().OrderBy(k => k.Name, StringComparer.Ordinal));
    }

    [Fact]
    public void Latency_EverySourceGetsItsEvents()
    {
        var generator = new DatasetGenerator(ExampleDatasets.Latency(sources: 8, points: 1440, eventsPerSource: 2, seed: 5));

        Assert.Equal(8, generator.SeriesNames.Count);
        Assert.All(Enumerable.Range(0, 8), s => Assert.Equal(2, generator.EventsOf(s).Count));
        Assert.Equal(8 * 1440, generator.GenerateObservations().Count());
    }

    [Fact]
    public void Latency_SameArguments_SameData()
    {
        var a = new DatasetGenerator(ExampleDatasets.Latency(sources: 2, seed: 9)).GenerateObservations().ToArray();
        var b = new DatasetGenerator(ExampleDatasets.Latency(sources: 2, seed: 9)).GenerateObservations().ToArray();
        var c = new DatasetGenerator(ExampleDatasets.Latency(sources: 2, seed: 10)).GenerateObservations().ToArray();

        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }

    [Theory]
    [InlineData(0, 2400, 6)]
    [InlineData(1001, 2400, 6)]
    [InlineData(1, 1439, 6)]
    [InlineData(1, 100_001, 6)]
    [InlineData(1, 2400, 0)]
    [InlineData(1, 2400, 21)]
    public void Latency_OutOfRange_Throws(int sources, int points, int events)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => ExampleDatasets.Latency(sources, points, events));
    }
}
