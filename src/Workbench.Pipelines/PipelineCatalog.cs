namespace Workbench.Pipelines;

/// <summary>The reference pipelines, by name.</summary>
public static class PipelineCatalog
{
    /// <summary>Every reference pipeline, in the order they are documented.</summary>
    public static IReadOnlyList<ReferencePipeline> All { get; } =
    [
        new PowerGrid.PowerGridPipeline(),
        new MarketData.MarketDataPipeline(),
        new SmartMeters.SmartMetersPipeline(),
        new PlantSensors.PlantSensorsPipeline(),
        new DataFactory.DataFactoryPipeline(),
    ];

    /// <summary>The generator presets defined here (beside the spec presets of <see cref="Workbench.Generation.Presets"/>).</summary>
    public static IReadOnlyList<PipelineDataset> Datasets { get; } =
    [
        new PowerGrid.HourlyLoadDataset(),
        new MarketData.MarketTicksDataset(),
        new SmartMeters.SmartMetersDataset(),
        PlantSensors.PlantSensorsDataset.Full,
    ];

    /// <summary>The dataset preset named <paramref name="name"/>, or null.</summary>
    public static PipelineDataset? FindDataset(string name) => Datasets.FirstOrDefault(d => d.Name == name);

    /// <summary>The pipeline named <paramref name="name"/> (ordinal).</summary>
    /// <exception cref="ArgumentException">No pipeline has that name; the message lists the names.</exception>
    public static ReferencePipeline Get(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return All.FirstOrDefault(p => p.Name == name)
            ?? throw new ArgumentException($"Unknown pipeline '{name}'. Pipelines: {string.Join(", ", All.Select(p => p.Name))}.", nameof(name));
    }
}
