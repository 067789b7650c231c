using Workbench.Operators.Specs;

using Workbench.Core;

namespace Workbench.Operators.Rolling;

/// <summary>Which order statistic a rolling-quantile operator emits.</summary>
public enum RollingQuantileStatistic
{
    /// <summary>The type-7 quantile at <see cref="RollingQuantileOptions.Probability"/> (0.5 = median).</summary>
    Quantile,

    /// <summary>The unscaled median absolute deviation from the window's median.</summary>
    Mad,
}

/// <summary>
/// Configuration of a rolling quantile/median/MAD over the last <see cref="Window"/> present values of each series
/// (the current value included). See <see cref="RollingQuantile"/> for the exact definitions.
/// </summary>
/// <param name="Window">Window length in present values (≥ 1).</param>
/// <param name="Probability">Quantile probability in [0, 1] (default 0.5, the median); ignored for <see cref="RollingQuantileStatistic.Mad"/>.</param>
/// <param name="Statistic">The statistic to emit (default <see cref="RollingQuantileStatistic.Quantile"/>).</param>
/// <param name="MinCount">Emit a value once the window holds at least this many values (1 … <paramref name="Window"/>);
/// null (default) = only when the window is full.</param>
public sealed record RollingQuantileOptions(
    int Window,
    double Probability = 0.5,
    RollingQuantileStatistic Statistic = RollingQuantileStatistic.Quantile,
    int? MinCount = null)
{
    /// <summary>The effective minimum count (<see cref="MinCount"/> or <see cref="Window"/>).</summary>
    public int EffectiveMinCount => MinCount ?? Window;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for out-of-range options.</summary>
    public void Validate()
    {
        if (Window < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Window), Window, "window must be >= 1");
        }

        if (Window > OperatorLimits.MaxWindow)
        {
            throw new ArgumentOutOfRangeException(nameof(Window), Window, $"window must be <= {OperatorLimits.MaxWindow}");
        }

        if (!(Probability >= 0 && Probability <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Probability), Probability, "probability must be in [0, 1]");
        }

        if (!Enum.IsDefined(Statistic))
        {
            throw new ArgumentOutOfRangeException(nameof(Statistic), Statistic, "unknown statistic");
        }

        if (MinCount is { } m && (m < 1 || m > Window))
        {
            throw new ArgumentOutOfRangeException(nameof(MinCount), m, "min count must be in [1, window]");
        }
    }
}

/// <summary>An observation with the rolling statistic of its series after it was added.</summary>
/// <param name="Observation">The input, carried through unchanged.</param>
/// <param name="Value">The statistic; null for a missing value or while fewer than the minimum count are present.</param>
public readonly record struct RollingQuantileObservation(LabeledObservation Observation, double? Value);

/// <summary>
/// The per-series state behind the rolling-quantile operator and its batch twin. A missing value (null) yields
/// null and leaves the window unchanged (skip).
/// </summary>
internal sealed class RollingQuantileSeries
{
    private readonly RollingQuantile _window;
    private readonly double _p;
    private readonly bool _mad;
    private readonly int _minCount;

    public RollingQuantileSeries(RollingQuantileOptions options)
    {
        _window = new RollingQuantile(options.Window);
        _p = options.Probability;
        _mad = options.Statistic == RollingQuantileStatistic.Mad;
        _minCount = options.EffectiveMinCount;
    }

    public double? Next(double? value)
    {
        if (value is not { } x)
        {
            return null;
        }

        _window.Add(x);
        if (_window.Count < _minCount)
        {
            return null;
        }

        return _mad ? _window.MedianAbsoluteDeviation() : _window.Quantile(_p);
    }
}
