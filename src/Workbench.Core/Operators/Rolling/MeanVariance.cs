using Workbench.Operators.Specs;

namespace Workbench.Operators.Rolling;

/// <summary>Rolling mean and variance of a window of present values.</summary>
/// <param name="Count">Present values in the window (≤ the window length).</param>
/// <param name="Mean">Arithmetic mean of the window.</param>
/// <param name="Variance">Sample variance (n − 1 denominator); 0 with one value.</param>
/// <param name="PopulationVariance">Population variance (n denominator).</param>
public readonly record struct Moments(int Count, double Mean, double Variance, double PopulationVariance)
{
    /// <summary>Sample standard deviation, √<see cref="Variance"/>.</summary>
    public double StandardDeviation => Math.Sqrt(Variance);
}

/// <summary>
/// Rolling mean and variance over the last <see cref="Window"/> present values, numerically stable (sliding Welford
/// update, see <see cref="RollingMoments"/>), O(1) per value. A missing value returns null and leaves the window
/// unchanged. The statistic is null until <see cref="MinCount"/> present values have been seen.
/// </summary>
/// <param name="Window">Window length in present values (≥ 1).</param>
/// <param name="MinCount">Present values needed before a statistic is emitted (1 … <paramref name="Window"/>;
/// null, the default, means <paramref name="Window"/>: only full windows).</param>
public sealed record RollingMomentsOptions(int Window, int? MinCount = null) : IRollingStatistic<Moments>
{
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

        if (MinCount is { } m && (m < 1 || m > Window))
        {
            throw new ArgumentOutOfRangeException(nameof(MinCount), m, $"minCount must be in [1, window = {Window}]");
        }
    }

    public IRollingKernel<Moments> CreateKernel()
    {
        Validate();
        return new Kernel(Window, MinCount ?? Window);
    }

    private sealed class Kernel(int window, int minCount) : IRollingKernel<Moments>
    {
        private readonly RollingMoments _moments = new(window);

        public Moments? Update(double? value)
        {
            if (value is not { } x)
            {
                return null;
            }

            _moments.Add(x);
            return _moments.Count >= minCount
                ? new Moments(_moments.Count, _moments.Mean, _moments.Variance, _moments.PopulationVariance)
                : null;
        }
    }
}
