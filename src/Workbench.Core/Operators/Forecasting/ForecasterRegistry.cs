using Workbench.Operators.Specs;

namespace Workbench.Operators.Forecasting;

/// <summary>The forecasters of Workbench.Core, in the order <c>workbench list</c> shows them.</summary>
public static class ForecasterRegistry
{
    /// <summary>Every built-in forecaster's descriptor.</summary>
    public static IReadOnlyList<IOperatorDescriptor> BuiltIn { get; } =
    [
        NaiveForecaster.Descriptor,
        SeasonalNaiveForecaster.Descriptor,
        MovingAverageForecaster.Descriptor,
        SesForecaster.Descriptor,
        HoltForecaster.Descriptor,
        HoltWintersForecaster.Descriptor,
        ArForecaster.Descriptor,
        DailyProfileForecaster.Descriptor,
    ];
}
