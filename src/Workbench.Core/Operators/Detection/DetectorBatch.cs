using Workbench.Core;

namespace Workbench.Operators.Detection;

/// <summary>The array twin of <see cref="DetectObservable"/>: identical results without Rx.</summary>
public static class DetectorBatch
{
    /// <summary>Scores observations of any number of series (state per series, in input order).</summary>
    public static ScoredObservation[] Score(IDetector detector, IReadOnlyList<LabeledObservation> observations)
    {
        ArgumentNullException.ThrowIfNull(detector);
        ArgumentNullException.ThrowIfNull(observations);
        var kernels = new SeriesState<IDetectorKernel>(detector.CreateKernel);
        var result = new ScoredObservation[observations.Count];
        for (var i = 0; i < result.Length; i++)
        {
            var o = observations[i];
            result[i] = new ScoredObservation(o, kernels.For(o.Series).Update(o.Timestamp, o.Value));
        }

        return result;
    }

    /// <summary>Scores one series given as columns, through the kernel's batch path.</summary>
    public static double?[] Score(IDetector detector, ReadOnlySpan<DateTime> timestamps, ReadOnlySpan<double?> values)
    {
        ArgumentNullException.ThrowIfNull(detector);
        var scores = new double?[values.Length];
        detector.CreateKernel().UpdateBatch(timestamps, values, scores);
        return scores;
    }

    /// <summary>Applies a threshold: flagged when the score is ≥ <paramref name="threshold"/>.</summary>
    public static FlaggedObservation[] Flag(IReadOnlyList<ScoredObservation> scored, double threshold)
    {
        ArgumentNullException.ThrowIfNull(scored);
        var result = new FlaggedObservation[scored.Count];
        for (var i = 0; i < result.Length; i++)
        {
            var s = scored[i];
            result[i] = new FlaggedObservation(s.Observation, s.Score, s.Score >= threshold);
        }

        return result;
    }
}
