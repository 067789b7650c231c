using Workbench.Operators.Rolling;

namespace Workbench.Operators.Indicators;

/// <summary>
/// Exponential moving average as technical analysis defines it: α = 2 / (<see cref="Period"/> + 1), seeded with the
/// simple mean of the first <see cref="Period"/> present values (so the first value appears at the
/// <see cref="Period"/>-th present value; null before), then e_t = e_{t−1} + α·(x_t − e_{t−1}). A missing value
/// returns null and is skipped (no decay). For the statistics-style EWMA with other seeding/bias handling, see
/// <see cref="EwmaOptions"/>.
/// </summary>
/// <param name="Period">The period N (≥ 1; default 20).</param>
public sealed record EmaOptions(int Period = 20) : IRollingStatistic<double>
{
    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for out-of-range options.</summary>
    public void Validate()
    {
        if (Period < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Period), Period, "period must be >= 1");
        }
    }

    public IRollingKernel<double> CreateKernel()
    {
        Validate();
        return new Kernel(Period);
    }

    private sealed class Kernel(int period) : IRollingKernel<double>
    {
        private readonly SeededEma _ema = new(period);

        public double? Update(double? value) => value is { } x && _ema.Add(x) ? _ema.Value : null;
    }
}
