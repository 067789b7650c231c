using Workbench.Core;

namespace Workbench.Operators.Detection;

/// <summary>One detector output per input observation: the observation (label untouched) and its score.</summary>
/// <param name="Observation">The input, carried through unchanged.</param>
/// <param name="Score">The detector's score; null when it has none (warm-up, skipped missing value).</param>
public readonly record struct ScoredObservation(LabeledObservation Observation, double? Score);

/// <summary>A scored observation after thresholding.</summary>
/// <param name="Observation">The input, carried through unchanged.</param>
/// <param name="Score">The detector's score; null when it has none.</param>
/// <param name="Flag">Whether the score reached the threshold (never for a null score).</param>
public readonly record struct FlaggedObservation(LabeledObservation Observation, double? Score, bool Flag);
