using Workbench.Operators.Rolling;

namespace Workbench.Operators.Indicators;

/// <summary>Bollinger bands after one observation.</summary>
/// <param name="Middle">The simple moving average of the period.</param>
/// <param name="Upper">Middle + k·σ.</param>
/// <param name="Lower">Middle − k·σ.</param>
/// <param name="StandardDeviation">σ: the population standard deviation (n denominator) of the period.</param>
public readonly record struct BollingerBand(double Middle, double Upper, double Lower, double StandardDeviation);

/// <summary>
/// Bollinger bands: middle = SMA of the last <see cref="Period"/> present values, upper/lower = middle ± K·σ where σ
/// is the <b>population</b> standard deviation (n denominator) of the same values — Bollinger's own definition and
/// the common charting convention. Null until <see cref="Period"/> present values. A missing value returns null and
/// leaves the window unchanged.
/// </summary>
/// <param name="Period">Window length in present values (≥ 2; default 20).</param>
/// <param name="K">Band width in standard deviations (finite, ≥ 0; default 2).</param>
public sealed record BollingerOptions(int Period = 20, double K = 2) : IRollingStatistic<BollingerBand>
{
    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for out-of-range options.</summary>
    public void Validate()
    {
        if (Period < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(Period), Period, "period must be >= 2");
        }

        if (!(K >= 0) || double.IsInfinity(K))
        {
            throw new ArgumentOutOfRangeException(nameof(K), K, "k must be a finite number >= 0");
        }
    }

    public IRollingKernel<BollingerBand> CreateKernel()
    {
        Validate();
        return new Kernel(Period, K);
    }

    private sealed class Kernel(int period, double k) : IRollingKernel<BollingerBand>
    {
        private readonly RollingMoments _window = new(period);

        public BollingerBand? Update(double? value)
        {
            if (value is not { } x)
            {
                return null;
            }

            _window.Add(x);
            if (!_window.IsFull)
            {
                return null;
            }

            var mean = _window.Mean;
            var sd = Math.Sqrt(_window.PopulationVariance);
            return new BollingerBand(mean, mean + (k * sd), mean - (k * sd), sd);
        }
    }
}
