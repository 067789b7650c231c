using Workbench.Generation;

namespace Workbench.Pipelines.Examples;

/// <summary>Notebook 02 (generating datasets): the spec and seed whose events the notebook shows per kind.</summary>
public static class GeneratingExample
{
    /// <summary>Four latency series of 2,400 ten-minute points with six events each (seed 33).</summary>
    public static DatasetSpec Spec() => ExampleDatasets.Latency(sources: 4, points: 2400, eventsPerSource: 6, seed: 33);
}
