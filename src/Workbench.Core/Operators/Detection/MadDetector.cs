using Workbench.Operators.Rolling;
using Workbench.Operators.Specs;

namespace Workbench.Operators.Detection;

/// <summary>
/// Robust z-score from the rolling median and MAD. Score = |x − median| / (1.4826·MAD) over the previous
/// <see cref="Window"/> present values (the current value is not part of its own baseline); range [0, ∞), in robust
/// standard deviations (1.4826·MAD estimates σ for normal data). Default threshold 3.5 (Iglewicz and Hoaglin's
/// modified z-score cut-off). No score until the window is full. A missing value gets no score and leaves the
/// baseline unchanged. The scale is floored at 1e-12·max(1, |median|): when more than half of the window is one value
/// (MAD = 0) any other value scores huge but finite, that value scores 0.
/// </summary>
/// <param name="Window">Baseline length in present observations (≥ 3; default 288).</param>
/// <param name="Threshold">Flag when the score is ≥ this (&gt; 0; default 3.5).</param>
public sealed record MadDetector(int Window = 288, double Threshold = 3.5) : IDetector
{
    /// <summary>The factor turning a MAD into a consistent estimate of σ for normal data (1/Φ⁻¹(3/4)).</summary>
    public const double NormalConsistency = 1.4826;

    /// <summary>Spec binding: <c>mad(window=288,threshold=3.5)</c>.</summary>
    public static OperatorDescriptor<MadDetector> Descriptor { get; } =
        new OperatorDescriptor<MadDetector>("mad", OperatorKind.Detector,
                "Robust z-score |x - median| / (1.4826 MAD) over the previous window; score in [0, inf), in robust sigmas.",
                new MadDetector(), o => o.Validate())
            .Int("window", "baseline length in observations (>= 3)", o => o.Window, (o, v) => o with { Window = v })
            .Double("threshold", "flag when the robust z-score >= threshold (> 0)", o => o.Threshold, (o, v) => o with { Threshold = v });

    public string Name => Descriptor.Name;

    public string Spec => Descriptor.Format(this);

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for out-of-range options.</summary>
    public void Validate()
    {
        OperatorLimits.CheckWindow(Window, 3, "window");

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
        private readonly RollingQuantile _baseline = new(window);

        public double? Update(DateTime timestamp, double? value)
        {
            if (value is not { } x)
            {
                return null;
            }

            double? score = null;
            if (_baseline.IsFull)
            {
                // Halved values when a difference could overflow (exact; the ratio is unchanged).
                var sorted = _baseline.Sorted;
                var s = DetectorMath.QuantileScale(sorted, x);
                var median = RollingQuantile.QuantileOfSorted(sorted, 0.5, s);
                var scale = DetectorMath.Floor(DetectorMath.Saturate(NormalConsistency * RollingQuantile.MadOfSorted(sorted, s)), median, s);
                score = DetectorMath.Ratio(Math.Abs((x * s) - median), scale);
            }

            _baseline.Add(x);
            return score;
        }
    }
}
