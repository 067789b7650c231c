namespace Workbench.Operators.Detection;

/// <summary>Where a control chart (<see cref="EwmaDetector"/>, <see cref="CusumDetector"/>) gets its in-control mean and σ.</summary>
public enum ChartBaseline
{
    /// <summary>
    /// Mean and sample σ of the previous <c>window</c> present values, excluding the value being scored, updated at
    /// every value (a streaming baseline that follows seasonality and level changes). No score until the window is full.
    /// </summary>
    Rolling,

    /// <summary>
    /// Mean and sample σ of the first <c>warmup</c> present values, then fixed for the rest of the series (a textbook
    /// Phase I / Phase II chart). No score during the warm-up.
    /// </summary>
    Warmup,
}
