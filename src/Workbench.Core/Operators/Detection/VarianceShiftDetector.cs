using Workbench.Operators.Specs;

namespace Workbench.Operators.Detection;

/// <summary>
/// Variance shift between two adjacent windows (the newest <see cref="Window"/> present values, the current one
/// included, against the <see cref="Window"/> values before them). Score = |ln(s²_right / s²_left)|, the absolute
/// log ratio of the sample variances; range [0, ∞), symmetric for increases and decreases (ln 4 ≈ 1.39 = variance
/// ×4 or ÷4, i.e. σ doubled or halved). No score until both windows are full. A missing value gets no score and
/// leaves both windows unchanged. Each standard deviation is floored at 1e-12·max(1, |its window's mean|), so a
/// flat window against a flat window scores 0 and a flat window against a noisy one scores large but finite. Any finite
/// values give a finite score (each σ in its window's scaled units, see <see cref="Rolling.RollingMoments"/>).
/// </summary>
/// <param name="Window">Length of each window in present observations (≥ 3; default 30).</param>
/// <param name="Threshold">Flag when the score is ≥ this (&gt; 0; default 1.5, a variance ratio of about 4.5).</param>
public sealed record VarianceShiftDetector(int Window = 30, double Threshold = 1.5) : IDetector
{
    /// <summary>Spec binding: <c>variance-shift(window=30,threshold=1.5)</c>.</summary>
    public static OperatorDescriptor<VarianceShiftDetector> Descriptor { get; } =
        new OperatorDescriptor<VarianceShiftDetector>("variance-shift", OperatorKind.Detector,
                "|ln| of the variance ratio of two adjacent windows; score in [0, inf).",
                new VarianceShiftDetector(), o => o.Validate())
            .Int("window", "length of each of the two windows in observations (>= 3)", o => o.Window, (o, v) => o with { Window = v })
            .Double("threshold", "flag when |ln(var ratio)| >= threshold (> 0)", o => o.Threshold, (o, v) => o with { Threshold = v });

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

            var left = _windows.Left;
            var right = _windows.Right;
            // Each σ in its window's scaled units (2^-k; k = 0 for values up to 2^480), compared through logarithms.
            var kLeft = left.ScaleExponent;
            var kRight = right.ScaleExponent;
            var sdLeft = DetectorMath.Floor(Math.Sqrt(left.ScaledVariance), left.ScaledMean, Math.ScaleB(1.0, -kLeft));
            var sdRight = DetectorMath.Floor(Math.Sqrt(right.ScaledVariance), right.ScaledMean, Math.ScaleB(1.0, -kRight));
            if (kLeft == kRight)
            {
                return Math.Abs(2 * Math.Log(sdRight / sdLeft));
            }

            return Math.Abs(2 * (Math.Log(sdRight) - Math.Log(sdLeft) + ((kRight - kLeft) * Math.Log(2))));
        }
    }
}
