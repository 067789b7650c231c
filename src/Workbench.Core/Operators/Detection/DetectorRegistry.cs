using Workbench.Operators.Specs;

namespace Workbench.Operators.Detection;

/// <summary>The detectors of Workbench.Core, in the order <c>workbench list</c> shows them.</summary>
public static class DetectorRegistry
{
    /// <summary>Every built-in detector's descriptor.</summary>
    public static IReadOnlyList<IOperatorDescriptor> BuiltIn { get; } =
    [
        ZScoreDetector.Descriptor,
    ];
}
