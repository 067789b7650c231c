using Workbench.Operators.Specs;

namespace Workbench.Operators.Detection;

/// <summary>
/// EWMA control chart (Roberts 1959) with the exact time-varying control limits. The first <see cref="Warmup"/>
/// present values estimate the in-control mean μ₀ and σ (sample standard deviation) and get no score; then the chart
/// runs with z₀ = μ₀, zₜ = λ·xₜ + (1 − λ)·zₜ₋₁ for t = 1, 2, … and the standard error of zₜ is
/// σ_z(t) = σ·√(λ/(2 − λ)·(1 − (1 − λ)^(2t))). Score = |zₜ − μ₀| / σ_z(t): the chart statistic's distance from the
/// centre line in its own standard errors; range [0, ∞). The control limits μ₀ ± L·σ_z(t) are at score L, the flag
/// threshold. μ₀ and σ stay fixed after the warm-up (a Phase II chart): a persistent shift keeps scoring high. A
/// missing value gets no score and does not advance the chart. σ is floored at 1e-12·max(1, |μ₀|).
/// </summary>
/// <param name="Lambda">Smoothing weight of the newest value, in (0, 1] (default 0.2; 1 = Shewhart chart).</param>
/// <param name="L">Control-limit width in standard errors and flag threshold (&gt; 0; default 3).</param>
/// <param name="Warmup">Present values used to estimate μ₀ and σ (≥ 2; default 30).</param>
public sealed record EwmaDetector(double Lambda = 0.2, double L = 3, int Warmup = 30) : IDetector
{
    /// <summary>Spec binding: <c>ewma(lambda=0.2,l=3,warmup=30)</c> (keys are case-insensitive: <c>L=3</c> works).</summary>
    public static OperatorDescriptor<EwmaDetector> Descriptor { get; } =
        new OperatorDescriptor<EwmaDetector>("ewma", OperatorKind.Detector,
                "EWMA control chart |z_t - mu0| / sigma_z(t) with exact time-varying limits; score in [0, inf), in standard errors; flag at L.",
                new EwmaDetector(), o => o.Validate())
            .Double("lambda", "weight of the newest value, in (0, 1]", o => o.Lambda, (o, v) => o with { Lambda = v })
            .Double("l", "control-limit width in standard errors = flag threshold (> 0)", o => o.L, (o, v) => o with { L = v })
            .Int("warmup", "present values estimating the in-control mean and sigma (>= 2)", o => o.Warmup, (o, v) => o with { Warmup = v });

    public string Name => Descriptor.Name;

    public string Spec => Descriptor.Format(this);

    /// <summary>The control-limit width <see cref="L"/>.</summary>
    public double Threshold => L;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for out-of-range options.</summary>
    public void Validate()
    {
        if (!(Lambda > 0 && Lambda <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Lambda), Lambda, "lambda must be in (0, 1]");
        }

        if (!(L > 0) || !double.IsFinite(L))
        {
            throw new ArgumentOutOfRangeException(nameof(L), L, "l must be a finite number > 0");
        }

        if (Warmup < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(Warmup), Warmup, "warmup must be >= 2");
        }
    }

    public IDetectorKernel CreateKernel()
    {
        Validate();
        return new Kernel(Lambda, Warmup);
    }

    private sealed class Kernel(double lambda, int warmup) : IDetectorKernel
    {
        private readonly double _decay2 = (1 - lambda) * (1 - lambda);
        private readonly double _asymptotic = lambda / (2 - lambda);
        private int _seen;
        private double _mean;
        private double _m2;
        private double _sigma;
        private double _z;
        private double _decayPow = 1;

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
                // Welford over the warm-up values.
                _seen++;
                var delta = x - _mean;
                _mean += delta / _seen;
                _m2 += delta * (x - _mean);
                if (_seen == warmup)
                {
                    _sigma = DetectorMath.Floor(Math.Sqrt(Math.Max(0, _m2 / (warmup - 1))), _mean);
                    _z = _mean;
                }

                return null;
            }

            _z = (lambda * x) + ((1 - lambda) * _z);
            _decayPow *= _decay2;
            var se = _sigma * Math.Sqrt(_asymptotic * (1 - _decayPow));
            return Math.Abs(_z - _mean) / se;
        }
    }
}
