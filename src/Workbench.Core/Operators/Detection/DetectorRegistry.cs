using Workbench.Operators.Specs;

namespace Workbench.Operators.Detection;

/// <summary>The detectors of Workbench.Core, in the order <c>workbench list</c> shows them.</summary>
public static class DetectorRegistry
{
    /// <summary>Every built-in detector's descriptor.</summary>
    public static IReadOnlyList<IOperatorDescriptor> BuiltIn { get; } =
    [
        ZScoreDetector.Descriptor,
        StaticThresholdDetector.Descriptor,
        MadDetector.Descriptor,
        IqrDetector.Descriptor,
        EwmaDetector.Descriptor,
        CusumDetector.Descriptor,
        PageHinkleyDetector.Descriptor,
        LevelShiftDetector.Descriptor,
        VarianceShiftDetector.Descriptor,
        ForecastResidualDetector.Descriptor,
        SeasonalProfileDetector.Descriptor,
        MissingDetector.Descriptor,
        FlatlineDetector.Descriptor,
        OutageDetector.Descriptor,
        EmaSpikeDetector.Descriptor,
        ScalingRatioDetector.Descriptor,
        WindowedGaussianDetector.Descriptor,
        RandomDetector.Descriptor,
        EnsembleDetector.Descriptor,
    ];
}
