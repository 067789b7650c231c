using Workbench.Operators.Rolling;

namespace Workbench.Operators.Indicators;

/// <summary>
/// Simple moving average: the arithmetic mean of the last <see cref="Period"/> present values (computed with the
/// stable sliding update of <see cref="RollingMoments"/>). Null until <see cref="Period"/> present values have been
/// seen. A missing value returns null and leaves the window unchanged.
/// </summary>
/// <param name="Period">Window length in present values (≥ 1; default 20).</param>
public sealed record SmaOptions(int Period = 20) : IRollingStatistic<double>
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
        private readonly RollingMoments _window = new(period);

        public double? Update(double? value)
        {
            if (value is not { } x)
            {
                return null;
            }

            _window.Add(x);
            return _window.IsFull ? _window.Mean : null;
        }
    }
}
