using Workbench.Operators.Rolling;
using Workbench.Operators.Specs;

namespace Workbench.Operators.Detection;

/// <summary>
/// Two-sided tabular CUSUM on standardised values: uₜ = (xₜ − μ₀ₜ)/σₜ, C⁺ₜ = max(0, C⁺ₜ₋₁ + uₜ − k),
/// C⁻ₜ = max(0, C⁻ₜ₋₁ − uₜ − k), both starting at 0. Score = max(C⁺ₜ, C⁻ₜ): the accumulated excess deviation in σ
/// units; range [0, ∞). The decision interval h is the flag threshold.
/// <para>
/// Baseline (<see cref="Baseline"/>): <see cref="ChartBaseline.Rolling"/> (default) takes μ₀ₜ and σₜ (sample σ) from the
/// previous <see cref="Window"/> present values, excluding xₜ, and gives no score until that window is full;
/// <see cref="ChartBaseline.Warmup"/> estimates μ₀ and σ once from the first <see cref="Warmup"/> present values (no
/// score for them) and keeps them fixed (textbook Phase II chart). With <see cref="Reset"/> (default) both sums restart
/// at 0 after a signal (a score ≥ h), so the next value starts a fresh run; without it a lasting shift keeps the score
/// growing. A missing value gets no score and leaves the sums and the baseline unchanged. σ is floored at
/// 1e-12·max(1, |μ₀|). Any finite values give a finite score: uₜ is computed in the baseline's scaled units (see
/// <see cref="RollingMoments"/>) and uₜ, C⁺ and C⁻ saturate at double.MaxValue.
/// </para>
/// </summary>
/// <param name="K">Reference value (allowance) in σ, ≥ 0 (default 0.5: tuned to detect a 1σ shift).</param>
/// <param name="H">Decision interval in σ and flag threshold (&gt; 0; default 5).</param>
/// <param name="Warmup">Present values estimating the fixed μ₀ and σ with <see cref="ChartBaseline.Warmup"/> (≥ 2; default 30; unused with a rolling baseline).</param>
/// <param name="Baseline">Where μ₀ and σ come from (default <see cref="ChartBaseline.Rolling"/>).</param>
/// <param name="Window">Rolling baseline length in present values (≥ 2; default 60 = one hour of 1-minute data; unused with a warm-up baseline).</param>
/// <param name="Reset">Restart C⁺ and C⁻ at 0 after a score ≥ h (default true).</param>
public sealed record CusumDetector(
    double K = 0.5,
    double H = 5,
    int Warmup = 30,
    ChartBaseline Baseline = ChartBaseline.Rolling,
    int Window = 60,
    bool Reset = true) : IDetector
{
    /// <summary>Spec binding: <c>cusum(k=0.5,h=5,baseline=rolling,window=60,warmup=30,reset=true)</c>.</summary>
    public static OperatorDescriptor<CusumDetector> Descriptor { get; } =
        new OperatorDescriptor<CusumDetector>("cusum", OperatorKind.Detector,
                "Two-sided CUSUM max(C+, C-) on values standardised by a rolling (or warm-up) mean/sigma, reset after a signal; score in [0, inf), in sigma units; flag at h.",
                new CusumDetector(), o => o.Validate())
            .Double("k", "allowance per observation in sigma (>= 0)", o => o.K, (o, v) => o with { K = v })
            .Double("h", "decision interval in sigma = flag threshold (> 0)", o => o.H, (o, v) => o with { H = v })
            .Choice("baseline", "rolling: mean/sigma of the previous window values; warmup: of the first warmup values, then fixed", o => o.Baseline, (o, v) => o with { Baseline = v })
            .Int("window", "baseline=rolling: previous present values forming the baseline (>= 2)", o => o.Window, (o, v) => o with { Window = v })
            .Int("warmup", "baseline=warmup: present values estimating the fixed mean and sigma (>= 2)", o => o.Warmup, (o, v) => o with { Warmup = v })
            .Bool("reset", "restart both sums at 0 after a score >= h", o => o.Reset, (o, v) => o with { Reset = v });

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

        OperatorLimits.CheckWindow(Warmup, 2, "warmup");

        if (!Enum.IsDefined(Baseline))
        {
            throw new ArgumentOutOfRangeException(nameof(Baseline), Baseline, "baseline must be rolling or warmup");
        }

        OperatorLimits.CheckWindow(Window, 2, "window");
    }

    public IDetectorKernel CreateKernel()
    {
        Validate();
        return new Kernel(this);
    }

    private sealed class Kernel(CusumDetector o) : IDetectorKernel
    {
        private readonly double _k = o.K;
        private readonly double _h = o.H;
        private readonly bool _reset = o.Reset;
        private readonly int _warmup = o.Warmup;
        private readonly RollingMoments? _rolling = o.Baseline == ChartBaseline.Rolling ? new RollingMoments(o.Window) : null;
        private readonly WarmupMoments _warm = new();
        private double _mean;
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
            double u;
            if (_rolling is { } window)
            {
                if (!window.IsFull)
                {
                    window.Add(x);
                    return null;
                }

                u = window.StandardScore(x);
                window.Add(x);
            }
            else
            {
                if (_warm.Count < _warmup)
                {
                    _warm.Add(x);
                    if (_warm.Count == _warmup)
                    {
                        _mean = _warm.ScaledMean;
                        _inverseSigma = 1 / DetectorMath.Floor(Math.Sqrt(_warm.ScaledVariance), _mean, _warm.Unit);
                    }

                    return null;
                }

                u = DetectorMath.Saturate((_warm.Scale(x) - _mean) * _inverseSigma);
            }

            _high = Math.Max(0, DetectorMath.Saturate(_high + u - _k));
            _low = Math.Max(0, DetectorMath.Saturate(_low - u - _k));
            var score = Math.Max(_high, _low);
            if (_reset && score >= _h)
            {
                _high = 0;
                _low = 0;
            }

            return score;
        }
    }
}
