namespace Workbench.Operators.Indicators;

/// <summary>
/// The technical-analysis EMA recursion with SMA seeding, shared by <see cref="EmaOptions"/> and
/// <see cref="MacdOptions"/>: α = 2 / (period + 1); the first value is the simple mean of the first
/// <c>period</c> inputs, then e_t = e_{t−1} + α·(x_t − e_{t−1}).
/// </summary>
internal sealed class SeededEma(int period)
{
    private readonly double _alpha = 2.0 / (period + 1);
    private double _sum;
    private int _seen;

    /// <summary>Whether the seed is complete (at least <c>period</c> inputs).</summary>
    public bool IsReady => _seen >= period;

    /// <summary>The current value (meaningful once <see cref="IsReady"/>).</summary>
    public double Value { get; private set; }

    /// <summary>Adds <paramref name="x"/>; returns whether a value is available.</summary>
    public bool Add(double x)
    {
        if (_seen >= period)
        {
            Value += _alpha * (x - Value);
            return true;
        }

        _sum += x;
        _seen++;
        if (_seen == period)
        {
            Value = _sum / period;
            return true;
        }

        return false;
    }
}
