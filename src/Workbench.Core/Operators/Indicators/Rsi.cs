using Workbench.Operators.Rolling;

namespace Workbench.Operators.Indicators;

/// <summary>
/// Relative Strength Index with Wilder's smoothing, in [0, 100]. Changes are taken between consecutive present
/// values; gains are the positive changes, losses the magnitudes of the negative ones. Seeding: the first average
/// gain and loss are the simple means of the first <see cref="Period"/> changes, so the first RSI appears at the
/// (<see cref="Period"/> + 1)-th present value (null before). Afterwards avg = (avg·(N − 1) + current) / N (Wilder's
/// smoothing, an EMA with α = 1/N). RSI = 100 − 100 / (1 + avgGain/avgLoss); 100 when avgLoss = 0 and avgGain &gt; 0,
/// 50 when both are 0 (a flat series: neither side dominates). A missing value returns null and is skipped (the
/// next change is measured from the last present value).
/// </summary>
/// <param name="Period">The period N (≥ 1; default 14, Wilder's choice).</param>
public sealed record RsiOptions(int Period = 14) : IRollingStatistic<double>
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
        private double _previous;
        private bool _hasPrevious;
        private int _changes;
        private double _avgGain;
        private double _avgLoss;

        public double? Update(double? value)
        {
            if (value is not { } x)
            {
                return null;
            }

            if (!_hasPrevious)
            {
                _previous = x;
                _hasPrevious = true;
                return null;
            }

            var change = x - _previous;
            _previous = x;
            var gain = change > 0 ? change : 0;
            var loss = change < 0 ? -change : 0;
            if (_changes < period)
            {
                // Seeding: accumulate sums, turned into simple means at the Period-th change.
                _avgGain += gain;
                _avgLoss += loss;
                if (++_changes < period)
                {
                    return null;
                }

                _avgGain /= period;
                _avgLoss /= period;
            }
            else
            {
                _avgGain = ((_avgGain * (period - 1)) + gain) / period;
                _avgLoss = ((_avgLoss * (period - 1)) + loss) / period;
            }

            if (_avgLoss == 0)
            {
                return _avgGain == 0 ? 50 : 100;
            }

            return 100 - (100 / (1 + (_avgGain / _avgLoss)));
        }
    }
}
