using Workbench.Operators.Rolling;
using Workbench.Operators.Specs;

namespace Workbench.Operators.Detection;

/// <summary>
/// Tukey's fences on a rolling window. Over the previous <see cref="Window"/> present values (the current value is
/// not part of its own baseline) Q1 and Q3 are the type-7 quartiles and IQR = Q3 − Q1. Score = the distance of x
/// beyond the nearer quartile in IQR units: (x − Q3)/IQR above Q3, (Q1 − x)/IQR below Q1, 0 between them; range
/// [0, ∞). The fences Q1 − k·IQR and Q3 + k·IQR sit at score k, which is the flag threshold: a flagged value is
/// exactly a value on or beyond a fence, and score − k is the distance beyond the fence in IQRs. No score until the
/// window is full. A missing value gets no score and leaves the baseline unchanged. The IQR is floored at
/// 1e-12·max(1, |median|) so a flat baseline gives a huge but finite score.
/// </summary>
/// <param name="Window">Baseline length in present observations (≥ 4; default 288).</param>
/// <param name="K">Fence multiplier and flag threshold (&gt; 0; default 1.5, Tukey's inner fence; 3 = outer fence).</param>
public sealed record IqrDetector(int Window = 288, double K = 1.5) : IDetector
{
    /// <summary>Spec binding: <c>iqr(window=288,k=1.5)</c>.</summary>
    public static OperatorDescriptor<IqrDetector> Descriptor { get; } =
        new OperatorDescriptor<IqrDetector>("iqr", OperatorKind.Detector,
                "Distance beyond the nearer quartile of the previous window in IQR units; score in [0, inf); flagged at k = on/beyond Tukey's fence.",
                new IqrDetector(), o => o.Validate())
            .Int("window", "baseline length in observations (>= 4)", o => o.Window, (o, v) => o with { Window = v })
            .Double("k", "fence multiplier and flag threshold, in IQRs beyond Q1/Q3 (> 0)", o => o.K, (o, v) => o with { K = v });

    public string Name => Descriptor.Name;

    public string Spec => Descriptor.Format(this);

    /// <summary>The fence multiplier <see cref="K"/>: flagged on or beyond a fence.</summary>
    public double Threshold => K;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for out-of-range options.</summary>
    public void Validate()
    {
        OperatorLimits.CheckWindow(Window, 4, "window");

        if (!(K > 0) || !double.IsFinite(K))
        {
            throw new ArgumentOutOfRangeException(nameof(K), K, "k must be a finite number > 0");
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
                // Halved values when a difference could overflow (exact; the ratios are unchanged).
                var sorted = _baseline.Sorted;
                var s = DetectorMath.QuantileScale(sorted, x);
                var xs = x * s;
                var q1 = RollingQuantile.QuantileOfSorted(sorted, 0.25, s);
                var q3 = RollingQuantile.QuantileOfSorted(sorted, 0.75, s);
                var iqr = DetectorMath.Floor(q3 - q1, RollingQuantile.QuantileOfSorted(sorted, 0.5, s), s);
                score = xs > q3 ? DetectorMath.Ratio(xs - q3, iqr) : xs < q1 ? DetectorMath.Ratio(q1 - xs, iqr) : 0;
            }

            _baseline.Add(x);
            return score;
        }
    }
}
