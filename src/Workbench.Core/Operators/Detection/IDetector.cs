namespace Workbench.Operators.Detection;

/// <summary>
/// A configured anomaly detector: immutable options plus a factory for per-series state. It never sees labels.
/// Every detector documents its score's meaning and range where it is declared.
/// </summary>
public interface IDetector
{
    /// <summary>The spec name, e.g. <c>zscore</c>.</summary>
    string Name { get; }

    /// <summary>The full spec with every parameter, e.g. <c>zscore(window=288,threshold=4)</c>; parses back to this detector.</summary>
    string Spec { get; }

    /// <summary>The default flag threshold: an observation is flagged when its score is ≥ this.</summary>
    double Threshold { get; }

    /// <summary>Fresh state for one series.</summary>
    IDetectorKernel CreateKernel();
}

/// <summary>
/// The Rx-free state of a detector for one series, fed one observation at a time in timestamp order.
/// </summary>
public interface IDetectorKernel
{
    /// <summary>
    /// Takes the next observation and returns its score, or null when the detector has no score for it (warm-up, or
    /// a missing value the detector skips). A missing value is never turned into NaN.
    /// </summary>
    double? Update(DateTime timestamp, double? value);

    /// <summary>
    /// The batch twin of <see cref="Update"/>: scores a run of observations of one series. Must give exactly the
    /// results of calling <see cref="Update"/> for each element in order (kernels override it only to go faster).
    /// </summary>
    void UpdateBatch(ReadOnlySpan<DateTime> timestamps, ReadOnlySpan<double?> values, Span<double?> scores)
    {
        if (timestamps.Length != values.Length || scores.Length < values.Length)
        {
            throw new ArgumentException("timestamps, values and scores must have matching lengths");
        }

        for (var i = 0; i < values.Length; i++)
        {
            scores[i] = Update(timestamps[i], values[i]);
        }
    }
}
