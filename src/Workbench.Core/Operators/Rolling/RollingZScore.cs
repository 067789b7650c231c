using Workbench.Operators.Specs;

namespace Workbench.Operators.Rolling;

/// <summary>
/// Signed rolling z-score (x − mean) / σ, with mean and sample σ (n − 1) of a window of present values: by default
/// the <see cref="Window"/> values <em>before</em> x (so an outlier does not inflate its own baseline), or,
/// with <see cref="IncludeCurrent"/>, the window ending at x (the pandas <c>(x - rolling.mean()) / rolling.std()</c>
/// form). Null until the window is full. A missing value returns null and leaves the window unchanged. σ is floored
/// at 1e-12·max(1, |mean|) (as <see cref="Detection.ZScoreDetector"/>), so a flat window gives 0 for an unchanged
/// value and a huge but finite score for any change — never NaN or ∞, for any finite values (computed in the window's
/// scaled units, saturating at ±double.MaxValue; see <see cref="RollingMoments"/>).
/// </summary>
/// <param name="Window">Window length in present values (≥ 2).</param>
/// <param name="IncludeCurrent">Whether x is part of its own window (default false).</param>
public sealed record RollingZScoreOptions(int Window, bool IncludeCurrent = false) : IRollingStatistic<double>
{
    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for out-of-range options.</summary>
    public void Validate()
    {
        if (Window < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(Window), Window, "window must be >= 2");
        }

        if (Window > OperatorLimits.MaxWindow)
        {
            throw new ArgumentOutOfRangeException(nameof(Window), Window, $"window must be <= {OperatorLimits.MaxWindow}");
        }
    }

    public IRollingKernel<double> CreateKernel()
    {
        Validate();
        return new Kernel(Window, IncludeCurrent);
    }

    private sealed class Kernel(int window, bool includeCurrent) : IRollingKernel<double>
    {
        private readonly RollingMoments _window = new(window);

        public double? Update(double? value)
        {
            if (value is not { } x)
            {
                return null;
            }

            if (includeCurrent)
            {
                _window.Add(x);
                return _window.IsFull ? Score(x) : null;
            }

            double? z = _window.IsFull ? Score(x) : null;
            _window.Add(x);
            return z;
        }

        private double Score(double x) => _window.StandardScore(x);
    }
}
