using Workbench.Import;

namespace Workbench.Evaluation.Nab;

/// <summary>
/// One file's detector output and labelled windows, the input of <see cref="NabScorer"/>.
/// </summary>
/// <param name="Name">The file's name or key (e.g. <c>realKnownCause/nyc_taxi.csv</c>); used in error messages and results.</param>
/// <param name="Timestamps">Row timestamps in file order (UTC). Only used to locate the windows' rows.</param>
/// <param name="Scores">The detector's anomaly score per row, same length as <paramref name="Timestamps"/>; finite (NAB's are in [0, 1]).</param>
/// <param name="Windows">
/// The labelled windows, both ends inclusive, in file order and not overlapping (as in <c>combined_windows.json</c>).
/// A window covers the rows whose timestamp lies in [Start, End]; it must cover at least one row.
/// An empty list means the file has no anomaly.
/// </param>
public sealed record NabFileInput(string Name, DateTime[] Timestamps, double[] Scores, IReadOnlyList<NabWindow> Windows);

/// <summary>The NAB result for one file at one threshold and profile (<c>nab-scoring.md</c> section 7).</summary>
/// <param name="Name">The file's name, from <see cref="NabFileInput.Name"/>.</param>
/// <param name="Threshold">The threshold θ: a row ≥ P is a detection iff its score ≥ θ.</param>
/// <param name="RawScore">S_file(θ): earliest-detection value or −A_FN per counted window, plus c_i per detection outside all windows.</param>
/// <param name="TruePositives">Detections inside windows (rows ≥ P), every one of them (informational).</param>
/// <param name="TrueNegatives">Non-detections outside windows (rows ≥ P).</param>
/// <param name="FalsePositives">Detections outside windows (rows ≥ P).</param>
/// <param name="FalseNegatives">Non-detections inside windows (rows ≥ P).</param>
/// <param name="TotalCount">The file's row count n, probationary rows included.</param>
/// <param name="WindowCount">The counted windows: those with at least one row ≥ P.</param>
/// <param name="ProbationaryRows">P = min(floor(0.15 n), 750).</param>
public sealed record NabFileScore(
    string Name,
    double Threshold,
    double RawScore,
    int TruePositives,
    int TrueNegatives,
    int FalsePositives,
    int FalseNegatives,
    int TotalCount,
    int WindowCount,
    int ProbationaryRows);

/// <summary>The NAB result for a corpus under one profile (<c>nab-scoring.md</c> sections 7.3, 8, 9).</summary>
/// <param name="Profile">The profile scored.</param>
/// <param name="Threshold">The corpus-wide threshold θ used (given, or found by the sweep or the hill-climb).</param>
/// <param name="Optimized">True when <see cref="Threshold"/> was found by the sweep of section 8.1 or the hill-climb of section 8.2 (it is tuned on the labels).</param>
/// <param name="RawScore">S(θ) = Σ S_file(θ), summed in file order.</param>
/// <param name="NullScore">S_null = −A_FN × counted windows.</param>
/// <param name="PerfectScore">S_perfect = A_TP × counted windows.</param>
/// <param name="NormalizedScore">100 (S − S_null) / (S_perfect − S_null): 0 = null detector, 100 = perfect; never clipped (can be &lt; 0).</param>
/// <param name="Files">Per-file results at <see cref="Threshold"/>, in input order.</param>
public sealed record NabCorpusScore(
    NabProfile Profile,
    double Threshold,
    bool Optimized,
    double RawScore,
    double NullScore,
    double PerfectScore,
    double NormalizedScore,
    IReadOnlyList<NabFileScore> Files);
