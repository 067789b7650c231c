using System.Reactive.Linq;
using Workbench.Core;
using Workbench.Operators.Chunked;
using Workbench.Replay;

namespace Workbench.Operators.Detection;

/// <summary>The detection operators on observation streams.</summary>
public static class DetectObservable
{
    /// <summary>
    /// Scores every observation with <paramref name="detector"/>, one output per input, with separate state per
    /// series (keyed by series id) created for each subscription.
    /// </summary>
    public static IObservable<ScoredObservation> Detect(this IObservable<LabeledObservation> source, IDetector detector)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(detector);
        if (source is IFusableReplay replay)
        {
            // Straight on a virtual replay: replay and kernel fused, same notifications (see FusedReplay).
            return ChunkedDetectObservable.Fused(replay, detector);
        }

        // A dedicated observer instead of Defer + Select: one layer less per event. State is created per subscription;
        // a kernel exception ends the stream with OnError (Create's observer then disposes the upstream subscription).
        return Observable.Create<ScoredObservation>(observer =>
            source.Subscribe(new DetectObserver(observer, new SeriesState<IDetectorKernel>(detector.CreateKernel))));
    }

    private sealed class DetectObserver(IObserver<ScoredObservation> downstream, SeriesState<IDetectorKernel> kernels) : IObserver<LabeledObservation>
    {
        private bool _stopped;

        public void OnNext(LabeledObservation value)
        {
            if (_stopped)
            {
                return;
            }

            double? score;
            try
            {
                score = kernels.For(value.Series).Update(value.Timestamp, value.Value);
            }
            catch (Exception e)
            {
                _stopped = true;
                downstream.OnError(e);
                return;
            }

            downstream.OnNext(new ScoredObservation(value, score));
        }

        public void OnError(Exception error)
        {
            if (!_stopped)
            {
                _stopped = true;
                downstream.OnError(error);
            }
        }

        public void OnCompleted()
        {
            if (!_stopped)
            {
                _stopped = true;
                downstream.OnCompleted();
            }
        }
    }

    /// <summary>Flags scored observations whose score is ≥ <paramref name="threshold"/>.</summary>
    public static IObservable<FlaggedObservation> Flag(this IObservable<ScoredObservation> source, double threshold)
    {
        ArgumentNullException.ThrowIfNull(source);
        if (double.IsNaN(threshold))
        {
            throw new ArgumentOutOfRangeException(nameof(threshold), "The threshold must be a number.");
        }

        return source.Select(s => new FlaggedObservation(s.Observation, s.Score, s.Score >= threshold));
    }

    /// <summary>Scores with <paramref name="detector"/> and flags at its own threshold.</summary>
    public static IObservable<FlaggedObservation> DetectAndFlag(this IObservable<LabeledObservation> source, IDetector detector)
    {
        ArgumentNullException.ThrowIfNull(detector);
        return source.Detect(detector).Flag(detector.Threshold);
    }
}
