using Workbench.Operators.Specs;

namespace Workbench.Operators.Detection;

/// <summary>
/// Two-sided tabular CUSUM on standardised values. The first <see cref="Warmup"/> present values estimate the
/// in-control mean μ₀ and σ (sample standard deviation) and get no score; afterwards uₜ = (xₜ − μ₀)/σ and
/// C⁺ₜ = max(0, C⁺ₜ₋₁ + uₜ − k), C⁻ₜ = max(0, C⁻ₜ₋₁ − uₜ − k), both starting at 0. Score = max(C⁺, C⁻): the
/// accumulated excess deviation in σ units; range [0, ∞). The decision interval h is the flag threshold. The sums
/// are not reset after a signal and μ₀, σ stay fixed (a persistent shift keeps growing the score). A missing value
/// gets no score and leaves the sums unchanged. σ is floored at 1e-12·max(1, |μ₀|).
/// </summary>
/// <param name="K">Reference value (allowance) in σ, ≥ 0 (default 0.5: tuned to detect a 1σ shift).</param>
/// <param name="H">Decision interval in σ and flag threshold (&gt; 0; default 5).</param>
/// <param name="Warmup">Present values used to estimate μ₀ and σ (≥ 2; default 30).</param>
public sealed record CusumDetector(double K = 0.5, double H = 5, int Warmup = 30) : IDetector
{
    /// <summary>Spec binding: <c>cusum(k=0.5,h=5,warmup=30)</c>.</summary>
    public static OperatorDescriptor<CusumDetector> Descriptor { get; } =
        new OperatorDescriptor<CusumDetector>("cusum", OperatorKind.Detector,
                "Two-sided CUSUM max(C+, C-) on values standardised by a warm-up mean/sigma; score in [0, inf), in sigma units; flag at h.",
                new CusumDetector(), o => o.Validate())
            .Double("k", "allowance per observation in sigma (>= 0)", o => o.K, (o, v) => o with { K = v })
            .Double("h", "decision interval in sigma = flag threshold (> 0)", o => o.H, (o, v) => o with { H = v })
            .Int("warmup", "present values estimating the in-control mean and sigma (>= 2)", o => o.Warmup, (o, v) => o with { Warmup = v });

    public string Name => Descriptor.Name;

    public string Spec => Descriptor.Format(this);

    /// <summary>The decision interval <see cref="H"/>.</summary>
    public double Threshold => H;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for out-of-range options.</summary>
    public void Validate()
    {
        if (!(K >= 0) || !double.IsFinite(K))
        {
            throw new ArgumentOutOfRangeException(nameof(K), K, "k must be a finite number >= 0");
        }

        if (!(H > 0) || !double.IsFinite(H))
        {
            throw new ArgumentOutOfRangeException(nameof(H), H, "h must be a finite number > 0");
        }

        if (Warmup < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(Warmup), Warmup, "warmup must be >= 2");
        }
    }

    public IDetectorKernel CreateKernel()
    {
        Validate();
        return new Kernel(K, Warmup);
    }

    private sealed class Kernel(double k, int warmup) : IDetectorKernel
    {
        private int _seen;
        private double _mean;
        private double _m2;
        private double _inverseSigma;
        private double _high;
        private double _low;

        public double? Update(DateTime timestamp, double? value) => value is { } x ? Next(x) : null;

        public void UpdateBatch(ReadOnlySpan<DateTime> timestamps, ReadOnlySpan<double?> values, Span<double?> scores)
        {
            if (timestamps.Length != values.Length || scores.Length < values.Length)
            {
                throw new ArgumentException("timestamps, values and scores must have matching lengths");
            }

            for (var i = 0; i < values.Length; i++)
            {
                var v = values[i];
                scores[i] = v.HasValue ? Next(v.GetValueOrDefault()) : null;
            }
        }

        private double? Next(double x)
        {
            if (_seen < warmup)
            {
                _seen++;
                var delta = x - _mean;
                _mean += delta / _seen;
                _m2 += delta * (x - _mean);
                if (_seen == warmup)
                {
                    _inverseSigma = 1 / DetectorMath.Floor(Math.Sqrt(Math.Max(0, _m2 / (warmup - 1))), _mean);
                }

                return null;
            }

            var u = (x - _mean) * _inverseSigma;
            _high = Math.Max(0, _high + u - k);
            _low = Math.Max(0, _low - u - k);
            return Math.Max(_high, _low);
        }
    }
}
