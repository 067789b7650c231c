using System.Reactive.Linq;
using Workbench.Core;

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
        return Observable.Defer(() =>
        {
            var kernels = new SeriesState<IDetectorKernel>(detector.CreateKernel);
            return source.Select(o => new ScoredObservation(o, kernels.For(o.Series).Update(o.Timestamp, o.Value)));
        });
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
