using Orleans.Concurrency;
using Workbench.Evaluation.Runs;
using Workbench.Operators.Detection;
using Workbench.Operators.Specs;

namespace Workbench.Cluster;

/// <summary>
/// Evaluates a chunk of grid items on this silo: the dataset from <see cref="SiloDatasets"/> (loaded once per file),
/// each spec parsed with the silo's <see cref="OperatorCatalog"/>, then the one evaluation path of the local run
/// (<see cref="DetectorEvaluator.Evaluate"/>), one item after another. Parallelism comes from the many activations of this
/// stateless worker (up to one per core by default), each serving one chunk at a time.
/// </summary>
[StatelessWorker]
internal sealed class GridWorkerGrain(SiloDatasets datasets, SiloWorkSlots slots, OperatorCatalog catalog, ILocalSiloDetails silo) : Grain, IGridWorker
{
    public async Task<GridChunkResult> EvaluateAsync(GridChunk chunk)
    {
        ArgumentNullException.ThrowIfNull(chunk);
        var where = silo.SiloAddress.ToParsableString();
        if (chunk.Indices.Length != chunk.Specs.Length)
        {
            return Failed(chunk, where, $"a chunk has {chunk.Indices.Length} indices but {chunk.Specs.Length} specs");
        }

        LoadedDataset data;
        IDetector[] detectors;
        try
        {
            data = await datasets.GetAsync(chunk.DatasetPath, chunk.Fingerprint, CancellationToken.None).ConfigureAwait(true);
            detectors = [.. chunk.Specs.Select(catalog.ParseDetector)];
        }
        catch (Exception e) when (e is DatasetUnavailableException or OperatorSpecException)
        {
            return Failed(chunk, where, $"silo {where}: {e.Message}");
        }

        var options = new EvaluationOptions { Threshold = chunk.Threshold.ToStrategy(), MaxDegreeOfParallelism = 1 };
        IReadOnlyList<DetectorEvaluation> results;
        await slots.Gate.WaitAsync().ConfigureAwait(true);
        try
        {
            results = DetectorEvaluator.Evaluate(data.Set, detectors, options);
        }
        finally
        {
            slots.Gate.Release();
        }

        return new GridChunkResult { Indices = chunk.Indices, Evaluations = [.. results], Silo = where };
    }

    private static GridChunkResult Failed(GridChunk chunk, string silo, string error) =>
        new() { Indices = chunk.Indices, Evaluations = [], Silo = silo, Error = error };
}

/// <summary>How many chunks one silo evaluates at once (<c>workbench silo --workers</c>); the rest wait their turn.</summary>
internal sealed class SiloWorkSlots(int count)
{
    public int Count { get; } = count;

    public SemaphoreSlim Gate { get; } = new(count, count);
}
