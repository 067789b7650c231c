using Workbench.Core;
using Workbench.Generation;

namespace Workbench.Tests.Generation;

public class PresetsTests
{
    [Fact]
    public void Names_ListsTheTwoPresets_AndGetReturnsValidSpecs()
    {
        Assert.Equal(["default-small", "ops-metrics"], Presets.Names);
        foreach (var name in Presets.Names)
        {
            var spec = Presets.Get(name);
            spec.Validate();
            Assert.Equal(spec, DatasetSpec.Parse(spec.ToJson()));
        }
    }

    [Fact]
    public void Get_Unknown_ThrowsListingNames()
    {
        var error = Assert.Throws<ArgumentException>(() => Presets.Get("nope"));
        Assert.Contains("ops-metrics", error.Message, StringComparison.Ordinal);
        Assert.Contains("default-small", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OpsMetrics_HasTheBenchmarkShape()
    {
        var spec = Presets.Get(Presets.OpsMetrics);
        Assert.Equal((1000, 1440, TimeSpan.FromMinutes(1)), (spec.Sources, spec.Points, spec.Frequency));
        Assert.Equal(["latency", "error_rate", "throughput"], spec.Metrics.Select(m => m.Name));
        Assert.Equal([100.0, 0.02, 1000], spec.Metrics.Select(m => m.Level));
        Assert.Equal([ValueRange.NonNegative, ValueRange.UnitInterval, ValueRange.NonNegative], spec.Metrics.Select(m => m.Range));
        Assert.All(spec.Metrics, m => Assert.Equal(1440, Assert.Single(m.Seasonalities).Period));
        Assert.All(spec.Metrics, m => Assert.True(m.Noise.Scale > 0));
        Assert.Equal(0.3, spec.Anomalies.SourceRatio);
        Assert.All(spec.Anomalies.Kinds.Weights, w => Assert.Equal(1, w));

        var generator = new DatasetGenerator(spec);
        Assert.Equal(3000, generator.SeriesNames.Count);
        Assert.Equal(4_320_000, generator.TotalRows);
        Assert.Equal("host-0017/latency", generator.SeriesNames[17 * 3]);
        Assert.Equal("host-0999/throughput", generator.SeriesNames[^1]);

        var anomalousSources = generator.Events.Select(e => e.Series.Split('/')[0]).Distinct().Count();
        Assert.Equal(300, anomalousSources);

        var perKind = AnomalyKind.Injected.Select(k => generator.Events.Count(e => e.Kind == k)).ToArray();
        Assert.All(perKind, n => Assert.True(n > 0));
        Assert.True(perKind.Max() - perKind.Min() <= 1, $"kind counts {string.Join(", ", perKind)}");
        Assert.Equal(generator.Events.Count, perKind.Sum());
        Assert.InRange(generator.Events.Count, 300, 900);
    }

    [Fact]
    public void DefaultSmall_IsSmallAndHasEveryKind()
    {
        var spec = Presets.Get(Presets.DefaultSmall);
        Assert.Equal((20, 2880), (spec.Sources, spec.Points));
        Assert.Equal(3, spec.Metrics.Count);

        var generator = new DatasetGenerator(spec);
        Assert.Equal(172_800, generator.TotalRows);
        var bySource = generator.Events.GroupBy(e => e.Series.Split('/')[0]).ToList();
        Assert.Equal(8, bySource.Count); // 40 % of 20
        Assert.All(bySource, g => Assert.InRange(g.Count(), 3, 6));
        Assert.Equal(AnomalyKind.Injected.ToHashSet(), generator.Events.Select(e => e.Kind).ToHashSet());

        var rows = generator.GenerateObservations().ToList();
        Assert.Equal(172_800, rows.Count);
        var labelled = rows.Where(o => o.Label.IsAnomaly).ToList();
        Assert.Equal(AnomalyKind.Injected.ToHashSet(), labelled.Select(o => o.Label.Kind!).ToHashSet());
        Assert.InRange(labelled.Count / (double)rows.Count, 0.01, 0.15);
        Assert.Equal(rows.Count(o => o.Value is null), labelled.Count(o => o.Label.Kind == AnomalyKind.Missing));
    }

    [Fact]
    public void Apportion_SplitsEventsExactlyByWeight()
    {
        Assert.Equal([0, 0, 1, 1, 2, 2, 3, 3, 4, 4], AnomalyPlanner.Apportion(10, [1, 1, 1, 1, 1]));
        Assert.Equal([0, 1, 2], AnomalyPlanner.Apportion(3, [1, 1, 1, 1, 1]));
        Assert.Equal([0, 0, 0, 3], AnomalyPlanner.Apportion(4, [3, 0, 0, 1, 0]));
        Assert.Equal([4, 4, 4], AnomalyPlanner.Apportion(3, [0, 0, 0, 0, 2]));
    }
}
