using Workbench.Core;
using Workbench.Evaluation.Online;
using Workbench.Generation;
using Workbench.Operators.Detection;
using Workbench.Operators.Specs;

namespace Workbench.Pipelines.Examples;

/// <summary>Notebook 05 (evaluation): eight detectors on eight series, and the online evaluation of the first over a replay.</summary>
public static class EvaluationExample
{
    /// <summary>The eight detectors of the leaderboard.</summary>
    public static IReadOnlyList<string> DetectorSpecs { get; } =
    [
        "zscore(window=36)", "mad(window=36)", "ewma", "cusum", "level-shift",
        "seasonal-profile(cycle=day,slot=10,history=5)", "windowed-gaussian", "random",
    ];

    /// <summary>Eight latency series (seed 5).</summary>
    public static DatasetSpec Spec() => ExampleDatasets.Latency(sources: 8, seed: 5);

    /// <summary>The detectors of <see cref="DetectorSpecs"/>.</summary>
    public static IDetector[] Detectors() => [.. DetectorSpecs.Select(OperatorCatalog.BuiltIn.ParseDetector)];

    /// <summary>Running metrics of <paramref name="detector"/>'s flags over a replay, a snapshot every 24 observations.</summary>
    public static IObservable<EvaluationSnapshot> OnlineEvaluation(IObservable<LabeledObservation> replay, IDetector detector)
    {
        ArgumentNullException.ThrowIfNull(replay);
        ArgumentNullException.ThrowIfNull(detector);
        return replay.DetectAndFlag(detector).EvaluateOnline(new OnlineEvaluationOptions { EmitEvery = 24 });
    }
}
