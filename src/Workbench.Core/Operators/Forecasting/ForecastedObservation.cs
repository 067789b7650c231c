using Workbench.Core;

namespace Workbench.Operators.Forecasting;

/// <summary>An observation with the forecast that was made for it before it arrived.</summary>
/// <param name="Observation">The input, carried through unchanged.</param>
/// <param name="Forecast">The <c>h</c>-step-ahead forecast for this row, made from the rows before row t−h+1
/// (for h = 1: from all rows before this one).</param>
public readonly record struct ForecastedObservation(LabeledObservation Observation, ForecastPoint Forecast);
