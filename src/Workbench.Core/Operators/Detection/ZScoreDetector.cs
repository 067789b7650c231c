using Workbench.Operators.Rolling;
using Workbench.Operators.Specs;

namespace Workbench.Operators.Detection;

/// <summary>
/// Rolling z-score. Score = |x − mean| / σ over the previous <see cref="Window"/> present values (the current value
/// is not part of its own baseline); range [0, ∞), 0 = at the mean, 4 = four standard deviations away. No score
/// until the window is full. A missing value gets no score and leaves the baseline unchanged. σ is floored at
/// 1e-12·max(1, |mean|) so a flat baseline gives a huge but finite score for any change. Any finite values give a
/// finite score (computed in the baseline's scaled units, saturating at double.MaxValue; see <see cref="RollingMoments"/>).
/// </summary>
/// <param name="Window">Baseline length in observations (≥ 2; default 288 = one day of 5-minute data).</param>
/// <param name="Threshold">Flag when the score is ≥ this (&gt; 0; default 4).</param>
public sealed record ZScoreDetector(int Window = 288, double Threshold = 4) : IDetector
{
    /// <summary>Spec binding: <c>zscore(window=288,threshold=4)</c>.</summary>
    public static OperatorDescriptor<ZScoreDetector> Descriptor { get; } =
        new OperatorDescriptor<ZScoreDetector>("zscore", OperatorKind.Detector,
                "Rolling z-score |x - mean| / sd over the previous window; score in [0, inf), in standard deviations.",
                new ZScoreDetector(), o => o.Validate())
            .Int("window", "baseline length in observations (>= 2)", o => o.Window, (o, v) => o with { Window = v })
            .Double("threshold", "flag when |z| >= threshold (> 0)", o => o.Threshold, (o, v) => o with { Threshold = v });

    public string Name => Descriptor.Name;

    public string Spec => Descriptor.Format(this);

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for out-of-range options.</summary>
    public void Validate()
    {
        OperatorLimits.CheckWindow(Window, 2, "window");

        if (!(Threshold > 0) || !double.IsFinite(Threshold))
        {
            throw new ArgumentOutOfRangeException(nameof(Threshold), Threshold, "threshold must be a finite number > 0");
        }
    }

    public IDetectorKernel CreateKernel()
    {
        Validate();
        return new Kernel(Window);
    }

    private sealed class Kernel(int window) : IDetectorKernel
    {
        private readonly RollingMoments _baseline = new(window);

        public double? Update(DateTime timestamp, double? value)
        {
            if (value is not { } x)
            {
                return null;
            }

            double? score = null;
            if (_baseline.IsFull)
            {
                score = Math.Abs(_baseline.StandardScore(x));
            }

            _baseline.Add(x);
            return score;
        }
    }
}
