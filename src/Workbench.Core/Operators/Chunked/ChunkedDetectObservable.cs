using Workbench.Core;
using Workbench.Operators.Detection;
using Workbench.Replay;

namespace Workbench.Operators.Chunked;

/// <summary>The detection operator on chunked streams (<see cref="Workbench.Replay.ObservationReplay.VirtualChunks(IEnumerable{LabeledObservation}, Workbench.Replay.ReplayScheduler, Workbench.Replay.ChunkOptions?)"/>).</summary>
public static class ChunkedDetectObservable
{
    /// <summary>
    /// Scores every row of every chunk with <paramref name="detector"/> — the kernel <see cref="DetectObservable.Detect"/>
    /// and <see cref="DetectorBatch"/> run, state per series created for each subscription — and emits one result chunk
    /// per input chunk. Flattened (<see cref="ChunkFlatten.ToScored"/>), the output equals the per-event operator's.
    /// </summary>
    public static IObservable<ResultChunk<double?>> Detect(this IObservable<ObservationBatch> source, IDetector detector)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(detector);
        return ChunkOperator.Create<DetectorChunkKernel, IDetectorKernel, double?>(source, new DetectorChunkKernel(detector));
    }

    /// <summary>Replay → <see cref="DetectObservable.Detect"/> fused (see <see cref="FusedReplay{TKernel, TState, TResult, TOut}"/>).</summary>
    internal static IObservable<ScoredObservation> Fused(IFusableReplay replay, IDetector detector) =>
        replay.Fuse<DetectorChunkKernel, IDetectorKernel, double?, ScoredObservation>(new DetectorChunkKernel(detector));

    private readonly struct DetectorChunkKernel(IDetector detector) : IFusedKernel<IDetectorKernel, double?, ScoredObservation>
    {
        public ScoredObservation Output(in LabeledObservation observation, double? result) => new(observation, result);

        public IDetectorKernel Create(string series) => detector.CreateKernel();

        public double? Next(IDetectorKernel state, DateTime timestamp, double? value) => state.Update(timestamp, value);
    }
}
