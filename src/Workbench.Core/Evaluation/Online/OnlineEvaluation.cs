using Workbench.Operators.Detection;

namespace Workbench.Evaluation.Online;

/// <summary>Batch twin of <see cref="OnlineEvaluationObservable.EvaluateOnline"/>.</summary>
public static class OnlineEvaluation
{
    /// <summary>
    /// The snapshot sequence <see cref="OnlineEvaluationObservable.EvaluateOnline"/> emits for <paramref name="input"/>,
    /// final snapshot last (with <see cref="OnlineEvaluationOptions.EmitEvery"/> = 0 and no event-close emission, only
    /// the final one).
    /// </summary>
    /// <exception cref="ArgumentException">Invalid options, or bad input (naming series and row).</exception>
    public static IReadOnlyList<EvaluationSnapshot> Run(IReadOnlyList<FlaggedObservation> input, OnlineEvaluationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(input);
        var evaluator = new OnlineEvaluator(options);
        var every = (options ?? OnlineEvaluationOptions.Default).EmitEvery;
        var snapshots = new List<EvaluationSnapshot>(every == 0 ? 1 : (input.Count / every) + 1);
        for (var i = 0; i < input.Count; i++)
        {
            if (evaluator.Add(input[i]))
            {
                snapshots.Add(evaluator.Snapshot());
            }
        }

        snapshots.Add(evaluator.Complete());
        return snapshots;
    }
}
