namespace Workbench.Evaluation.Nab;

/// <summary>How the corpus-wide NAB threshold is optimised when none is given (<c>nab-scoring.md</c> section 8).</summary>
public enum NabThresholdSearch
{
    /// <summary>Section 8.1, the default: exhaustive sweep over every distinct score; the global optimum (ties keep the higher θ).</summary>
    Sweep,

    /// <summary>
    /// Section 8.2: NAB's 2015–2018 "twiddle" hill-climb (<see cref="NabHillClimb"/>), which produced the published
    /// tables. A local optimum: its corpus score is never above the sweep's.
    /// </summary>
    HillClimb,
}

/// <summary>One point evaluated by the hill-climb: the threshold and the objective there (−∞ outside [0, 1]).</summary>
/// <param name="Threshold">The threshold θ tried.</param>
/// <param name="Score">The objective f(θ): the corpus raw score S(θ) for 0 ≤ θ ≤ 1, else −∞ (not scored).</param>
public readonly record struct NabHillClimbEvaluation(double Threshold, double Score);

/// <summary>Outcome of <see cref="NabHillClimb.Maximize"/>.</summary>
/// <param name="Threshold">The remembered point with the highest objective (the first evaluated among equals).</param>
/// <param name="Score">The objective at <see cref="Threshold"/>.</param>
/// <param name="Evaluations">Every distinct point evaluated, in order (a point met again is looked up, not re-evaluated or repeated).</param>
public sealed record NabHillClimbResult(double Threshold, double Score, IReadOnlyList<NabHillClimbEvaluation> Evaluations);

/// <summary>
/// NAB's twiddle hill-climb (<c>nab-scoring.md</c> section 8.2): objective f(x) = S(x) for 0 ≤ x ≤ 1 and −∞ otherwise;
/// start at x = 0.5 with step δ = 0.1; while δ &gt; 1e−7: try x + δ, and if f is strictly better than the best so far move
/// there and double δ; otherwise try x − δ, and if better move there and double δ; otherwise stay and halve δ. Every
/// evaluated point is remembered (and looked up when met again); the answer is the remembered point with the highest f.
/// </summary>
/// <remarks>
/// The arithmetic is NAB's own (<c>nab/optimizer.py</c>): x += δ; on failure x −= 2δ; on failure again x += δ. Restoring
/// x this way can differ from the original x in the last bit, and those bits are part of NAB's threshold fingerprints
/// (e.g. 0.5421876907348634 = 0.5 + 0.1·221185/2¹⁹ up to rounding), so they are kept.
/// </remarks>
public static class NabHillClimb
{
    /// <summary>The starting threshold, 0.5.</summary>
    public const double Start = 0.5;

    /// <summary>The first step δ, 0.1.</summary>
    public const double InitialStep = 0.1;

    /// <summary>The search stops once δ ≤ 1e−7.</summary>
    public const double Tolerance = 1e-7;

    /// <summary>
    /// Maximises <paramref name="objective"/> (the corpus raw score as a function of θ; called only for 0 ≤ θ ≤ 1, once per
    /// distinct θ) by the twiddle of section 8.2.
    /// </summary>
    public static NabHillClimbResult Maximize(Func<double, double> objective)
    {
        ArgumentNullException.ThrowIfNull(objective);
        var evaluations = new List<NabHillClimbEvaluation>();
        var remembered = new Dictionary<double, double>();
        double F(double x)
        {
            if (remembered.TryGetValue(x, out var known)) { return known; }
            var score = x >= 0 && x <= 1 ? objective(x) : double.NegativeInfinity;
            if (double.IsNaN(score))
            {
                throw new InvalidOperationException($"NAB hill-climb: the objective is NaN at threshold {x:R}");
            }

            remembered.Add(x, score);
            evaluations.Add(new NabHillClimbEvaluation(x, score));
            return score;
        }

        var x = Start;
        var delta = InitialStep;
        var best = F(x);
        while (delta > Tolerance)
        {
            x += delta;
            var score = F(x);
            if (score > best)
            {
                best = score;
                delta *= 2;
                continue;
            }

            x -= 2 * delta;
            score = F(x);
            if (score > best)
            {
                best = score;
                delta *= 2;
                continue;
            }

            x += delta;
            delta *= 0.5;
        }

        var answer = evaluations[0];
        foreach (var e in evaluations)
        {
            if (e.Score > answer.Score) { answer = e; }
        }

        return new NabHillClimbResult(answer.Threshold, answer.Score, evaluations);
    }
}
