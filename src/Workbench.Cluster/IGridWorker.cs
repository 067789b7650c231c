namespace Workbench.Cluster;

/// <summary>
/// A worker that evaluates chunks of grid items (<see cref="GridChunk"/>). Implemented by a stateless worker, so every
/// silo runs several at once and a call is served on the silo (gateway) that received it; the client spreads chunks
/// over the silos by giving each call its own key.
/// </summary>
[Alias("Workbench.Cluster.IGridWorker")]
public interface IGridWorker : IGrainWithIntegerKey
{
    /// <summary>Evaluates every item of <paramref name="chunk"/> on the silo's copy of the dataset.</summary>
    [Alias("Evaluate")]
    Task<GridChunkResult> EvaluateAsync(GridChunk chunk);
}
