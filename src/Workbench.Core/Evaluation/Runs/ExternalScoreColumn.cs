using Workbench.Operators.Detection;

namespace Workbench.Evaluation.Runs;

/// <summary>
/// One column of scores computed elsewhere (another tool, or an earlier <c>workbench detect --out</c>), aligned to a
/// dataset: it stands in for a detector in <see cref="DetectorEvaluator.Measure(Data.LabeledSeriesSet, IDetector, IReadOnlyList{double?[]}, EvaluationOptions?)"/>,
/// so it is measured and ranked exactly as a detector run here would be. It cannot score anything itself.
/// </summary>
/// <param name="Name">The leaderboard name: the detector name of <paramref name="Spec"/> (text before its parameters).</param>
/// <param name="Spec">What produced the column: the spec recorded in a results file, else the column name.</param>
/// <param name="Threshold">The fixed threshold recorded with the column (a results file's flag column), else NaN (unknown).</param>
/// <param name="Scores"><c>Scores[s][i]</c> per series and row of the dataset; null where the source had no score.</param>
/// <param name="Missing">Rows of the dataset the source gave no row for (scored as null, counted here).</param>
public sealed record ExternalScoreColumn(string Name, string Spec, double Threshold, IReadOnlyList<double?[]> Scores, long Missing) : IDetector
{
    /// <summary>True when the source recorded a threshold (so the fixed-threshold strategy can be used).</summary>
    public bool HasThreshold => !double.IsNaN(Threshold);

    /// <summary>Always throws: these scores were computed elsewhere.</summary>
    /// <exception cref="InvalidOperationException">Always.</exception>
    public IDetectorKernel CreateKernel() =>
        throw new InvalidOperationException($"'{Spec}' holds scores computed elsewhere; it cannot score new data");
}
