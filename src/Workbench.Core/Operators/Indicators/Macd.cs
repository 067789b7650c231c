using Workbench.Operators.Rolling;

namespace Workbench.Operators.Indicators;

/// <summary>MACD values after one observation.</summary>
/// <param name="Line">MACD line: EMA(fast) − EMA(slow).</param>
/// <param name="Signal">Signal line: EMA(signal period) of the MACD line; null while it warms up.</param>
/// <param name="Histogram">Line − Signal; null while the signal warms up.</param>
public readonly record struct MacdValue(double Line, double? Signal, double? Histogram);

/// <summary>
/// Moving Average Convergence/Divergence (Appel), standard 12/26/9. Both EMAs and the signal are the
/// technical-analysis EMA of <see cref="EmaOptions"/> (α = 2/(N+1), seeded with the simple mean of the first N
/// inputs). The line therefore appears at the <see cref="Slow"/>-th present value (statistic null before), and the
/// signal and histogram <see cref="Signal"/> − 1 line values later (null in between). A missing value returns null
/// and is skipped.
/// </summary>
/// <param name="Fast">Fast EMA period (≥ 1, &lt; <paramref name="Slow"/>; default 12).</param>
/// <param name="Slow">Slow EMA period (default 26).</param>
/// <param name="Signal">Signal EMA period over the MACD line (≥ 1; default 9).</param>
public sealed record MacdOptions(int Fast = 12, int Slow = 26, int Signal = 9) : IRollingStatistic<MacdValue>
{
    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for out-of-range options.</summary>
    public void Validate()
    {
        if (Fast < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Fast), Fast, "fast must be >= 1");
        }

        if (Slow <= Fast)
        {
            throw new ArgumentOutOfRangeException(nameof(Slow), Slow, $"slow must be > fast = {Fast}");
        }

        if (Signal < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Signal), Signal, "signal must be >= 1");
        }
    }

    public IRollingKernel<MacdValue> CreateKernel()
    {
        Validate();
        return new Kernel(Fast, Slow, Signal);
    }

    private sealed class Kernel(int fast, int slow, int signal) : IRollingKernel<MacdValue>
    {
        private readonly SeededEma _fast = new(fast);
        private readonly SeededEma _slow = new(slow);
        private readonly SeededEma _signal = new(signal);

        public MacdValue? Update(double? value)
        {
            if (value is not { } x)
            {
                return null;
            }

            _fast.Add(x);
            if (!_slow.Add(x))
            {
                return null;
            }

            var line = _fast.Value - _slow.Value;
            return _signal.Add(line)
                ? new MacdValue(line, _signal.Value, line - _signal.Value)
                : new MacdValue(line, null, null);
        }
    }
}
