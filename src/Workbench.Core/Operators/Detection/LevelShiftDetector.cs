using Workbench.Operators.Specs;

namespace Workbench.Operators.Detection;

/// <summary>
/// Level shift between two adjacent windows. The right window holds the newest <see cref="Window"/> present values
/// (the current one included), the left window the <see cref="Window"/> values before them. Score =
/// |mean_right − mean_left| / pooled σ with pooled σ = √((s²_left + s²_right)/2) (sample variances, equal sizes):
/// the mean difference in pooled standard deviations (Cohen's d); range [0, ∞). For a step change the score peaks
/// when the step is exactly at the boundary of the two windows, i.e. <see cref="Window"/> − 1 observations after it.
/// No score until both windows are full. A missing value gets no score and leaves both windows unchanged. The pooled
/// σ is floored at 1e-12·max(1, |mean_left|). Any finite values give a finite score (statistics in the windows'
/// scaled units, see <see cref="Rolling.RollingMoments"/>; saturating at double.MaxValue).
/// </summary>
/// <param name="Window">Length of each window in present observations (≥ 2; default 30).</param>
/// <param name="Threshold">Flag when the score is ≥ this (&gt; 0; default 3).</param>
public sealed record LevelShiftDetector(int Window = 30, double Threshold = 3) : IDetector
{
    /// <summary>Spec binding: <c>level-shift(window=30,threshold=3)</c>.</summary>
    public static OperatorDescriptor<LevelShiftDetector> Descriptor { get; } =
        new OperatorDescriptor<LevelShiftDetector>("level-shift", OperatorKind.Detector,
                "Mean difference of two adjacent windows in pooled standard deviations; score in [0, inf).",
                new LevelShiftDetector(), o => o.Validate())
            .Int("window", "length of each of the two windows in observations (>= 2)", o => o.Window, (o, v) => o with { Window = v })
            .Double("threshold", "flag when the score >= threshold (> 0)", o => o.Threshold, (o, v) => o with { Threshold = v });

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
        private readonly AdjacentWindows _windows = new(window);

        public double? Update(DateTime timestamp, double? value)
        {
            if (value is not { } x)
            {
                return null;
            }

            _windows.Add(x);
            if (!_windows.IsFull)
            {
                return null;
            }

            // Both windows' statistics in the coarser of their scaled units (2^-k; k = 0 for values up to 2^480).
            var left = _windows.Left;
            var right = _windows.Right;
            var k = Math.Max(left.ScaleExponent, right.ScaleExponent);
            var meanLeft = Math.ScaleB(left.ScaledMean, left.ScaleExponent - k);
            var meanRight = Math.ScaleB(right.ScaledMean, right.ScaleExponent - k);
            var varLeft = Math.ScaleB(left.ScaledVariance, 2 * (left.ScaleExponent - k));
            var varRight = Math.ScaleB(right.ScaledVariance, 2 * (right.ScaleExponent - k));
            var pooled = DetectorMath.Floor(Math.Sqrt((varLeft + varRight) / 2), meanLeft, Math.ScaleB(1.0, -k));
            return DetectorMath.Ratio(Math.Abs(meanRight - meanLeft), pooled);
        }
    }
}
