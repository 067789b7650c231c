using Workbench.Evaluation.Metrics;
using Workbench.Evaluation.Thresholds;

namespace Workbench.Evaluation.Runs;

/// <summary>How <see cref="DetectorEvaluator"/> turns scores into flags and which metric options it uses.</summary>
public sealed record EvaluationOptions
{
    /// <summary>
    /// The threshold strategy applied to each detector's scores (pooled over the dataset's series). Null (the default)
    /// = each detector's own fixed threshold from its spec. <see cref="BestF1Threshold"/> makes every flag-based figure an
    /// oracle result, and the output says so.
    /// </summary>
    public ThresholdStrategy? Threshold { get; init; }

    /// <summary>Options of the range-based metrics (Tatbul et al.); default α = 0, flat bias, cardinality 1/x.</summary>
    public RangeMetricOptions Range { get; init; } = new();

    /// <summary>Options of VUS-ROC/VUS-PR; default: buffer up to the median event length, the reference's 250 sampled thresholds.</summary>
    public VusOptions Vus { get; init; } = new();

    /// <summary>Detectors evaluated at once; -1 (default) = as many as there are cores.</summary>
    public int MaxDegreeOfParallelism { get; init; } = -1;

    /// <summary>Checks the options.</summary>
    /// <exception cref="ArgumentOutOfRangeException">A value is out of range.</exception>
    public void Validate()
    {
        Range.Validate();
        Vus.Validate();
        if (MaxDegreeOfParallelism == 0 || MaxDegreeOfParallelism < -1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxDegreeOfParallelism), MaxDegreeOfParallelism, "Use -1 (all cores) or a positive count.");
        }
    }
}
