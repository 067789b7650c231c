using System.Reactive.Linq;
using Workbench.Core;
using Workbench.Generation;
using Workbench.Operators.Detection;
using Workbench.Operators.Specs;

namespace Workbench.Pipelines.Examples;

/// <summary>
/// Notebooks 04 (detectors side by side) and 06 (snapshot testing): detectors scoring and flagging the same replay.
/// Notebook 04 writes its detector specs in a cell (the parameters a reader edits); its snapshot test uses
/// <see cref="DefaultSpecs"/>, and the notebook suite checks the cell still lists exactly these.
/// </summary>
public static class DetectorsExample
{
    /// <summary>Notebook 04's five detectors.</summary>
    public static IReadOnlyList<string> DefaultSpecs { get; } =
        ["zscore(window=36)", "mad(window=36)", "cusum", "seasonal-profile(cycle=day,slot=10,history=5)", "windowed-gaussian"];

    /// <summary>Notebook 06's two detectors.</summary>
    public static IReadOnlyList<string> SnapshotSpecs { get; } = ["zscore(window=36)", "mad(window=36)"];

    /// <summary>One latency series of 2,400 ten-minute points with all five kinds (seed 33).</summary>
    public static DatasetSpec Spec() => ExampleDatasets.Latency();

    /// <summary>The detectors of <paramref name="specs"/> (built-in catalog).</summary>
    public static IDetector[] Detectors(IEnumerable<string> specs)
    {
        ArgumentNullException.ThrowIfNull(specs);
        return [.. specs.Select(OperatorCatalog.BuiltIn.ParseDetector)];
    }

    /// <summary>Every detector over the same replay (<c>DetectAndFlag</c>): (detector name, flagged row) per observation and detector.</summary>
    public static IObservable<(string Detector, FlaggedObservation Row)> DetectAll(IObservable<LabeledObservation> replay, IReadOnlyList<IDetector> detectors)
    {
        ArgumentNullException.ThrowIfNull(replay);
        ArgumentNullException.ThrowIfNull(detectors);
        return replay.Publish(shared => Observable.Merge(detectors.Select(d => shared.DetectAndFlag(d).Select(r => (d.Name, r)))));
    }
}
