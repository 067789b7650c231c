using Workbench.Operators.Rolling;
using Workbench.Operators.Specs;

namespace Workbench.Operators.Detection;

/// <summary>
/// EWMA control chart (Roberts 1959) with the exact time-varying control limits. The chart statistic is
/// zₜ = λ·xₜ + (1 − λ)·zₜ₋₁ for t = 1, 2, … since the chart (re)started, with z₀ = μ₀ at the (re)start; the standard
/// error of zₜ is σ_z(t) = σₜ·√(λ/(2 − λ)·(1 − (1 − λ)^(2t))). Score = |zₜ − μ₀ₜ| / σ_z(t): the chart statistic's
/// distance from the centre line in its own standard errors; range [0, ∞). The control limits μ₀ₜ ± L·σ_z(t) are at
/// score L, the flag threshold.
/// <para>
/// Baseline (<see cref="Baseline"/>): <see cref="ChartBaseline.Rolling"/> (default) takes the centre μ₀ₜ and σₜ (sample
/// σ) from the previous <see cref="Window"/> present values, excluding xₜ, so the centre line and the limits move with
/// the series; no score until that window is full, and z₀ is the centre at the first scored value.
/// <see cref="ChartBaseline.Warmup"/> estimates μ₀ and σ once from the first <see cref="Warmup"/> present values (no
/// score for them) and keeps them fixed (textbook Phase II chart). With <see cref="Reset"/> (default) the chart
/// restarts after a signal (a score ≥ L): the next value is t = 1 again with z₀ = the centre μ₀ at that value, so one
/// excursion does not keep the chart alarmed while zₜ decays back. A missing value gets no score and does not advance
/// the chart or the baseline. σ is floored at 1e-12·max(1, |μ₀|). Any finite values give a finite score: the centre
/// and σ are taken in the baseline's scaled units (see <see cref="RollingMoments"/>), zₜ saturates at ±double.MaxValue,
/// and a zero standard error (λ so small that 1 − (1 − λ)^(2t) rounds to 0) gives 0 for zₜ at the centre and
/// double.MaxValue otherwise.
/// </para>
/// </summary>
/// <param name="Lambda">Smoothing weight of the newest value, in (0, 1] (default 0.2; 1 = Shewhart chart).</param>
/// <param name="L">Control-limit width in standard errors and flag threshold (&gt; 0; default 3).</param>
/// <param name="Warmup">Present values estimating the fixed μ₀ and σ with <see cref="ChartBaseline.Warmup"/> (≥ 2; default 30; unused with a rolling baseline).</param>
/// <param name="Baseline">Where μ₀ and σ come from (default <see cref="ChartBaseline.Rolling"/>).</param>
/// <param name="Window">Rolling baseline length in present values (≥ 2; default 60 = one hour of 1-minute data; unused with a warm-up baseline).</param>
/// <param name="Reset">Restart the chart (z and t) after a score ≥ L (default true).</param>
public sealed record EwmaDetector(
    double Lambda = 0.2,
    double L = 3,
    int Warmup = 30,
    ChartBaseline Baseline = ChartBaseline.Rolling,
    int Window = 60,
    bool Reset = true) : IDetector
{
    /// <summary>
    /// Spec binding: <c>ewma(lambda=0.2,l=3,baseline=rolling,window=60,warmup=30,reset=true)</c> (keys are
    /// case-insensitive: <c>L=3</c> works).
    /// </summary>
    public static OperatorDescriptor<EwmaDetector> Descriptor { get; } =
        new OperatorDescriptor<EwmaDetector>("ewma", OperatorKind.Detector,
                "EWMA control chart |z_t - mu0_t| / sigma_z(t) with exact time-varying limits around a rolling (or warm-up) centre, restarted after a signal; score in [0, inf), in standard errors; flag at L.",
                new EwmaDetector(), o => o.Validate())
            .Double("lambda", "weight of the newest value, in (0, 1]", o => o.Lambda, (o, v) => o with { Lambda = v })
            .Double("l", "control-limit width in standard errors = flag threshold (> 0)", o => o.L, (o, v) => o with { L = v })
            .Choice("baseline", "rolling: centre/sigma of the previous window values; warmup: of the first warmup values, then fixed", o => o.Baseline, (o, v) => o with { Baseline = v })
            .Int("window", "baseline=rolling: previous present values forming the baseline (>= 2)", o => o.Window, (o, v) => o with { Window = v })
            .Int("warmup", "baseline=warmup: present values estimating the fixed centre and sigma (>= 2)", o => o.Warmup, (o, v) => o with { Warmup = v })
            .Bool("reset", "restart the chart statistic after a score >= l", o => o.Reset, (o, v) => o with { Reset = v });

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

    private sealed class Kernel(EwmaDetector o) : IDetectorKernel
    {
        private readonly double _lambda = o.Lambda;
        private readonly double _limit = o.L;
        private readonly bool _reset = o.Reset;
        private readonly int _warmup = o.Warmup;
        private readonly double _decay2 = (1 - o.Lambda) * (1 - o.Lambda);
        private readonly double _asymptotic = o.Lambda / (2 - o.Lambda);
        private readonly RollingMoments? _rolling = o.Baseline == ChartBaseline.Rolling ? new RollingMoments(o.Window) : null;
        private readonly WarmupMoments _warm = new();
        private int _scale;
        private double _mean;
        private double _sigma;
        private double _z;
        private double _decayPow;
        private bool _restart = true;

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
            // Centre and sigma in the baseline's scaled units (2^-scale; scale = 0 unless a value beyond 2^480 is
            // involved), so that any finite values give a finite score; z is kept in plain units, saturated.
            double centre;
            double sigma;
            int scale;
            if (_rolling is { } window)
            {
                if (!window.IsFull)
                {
                    window.Add(x);
                    return null;
                }

                scale = window.ScaleExponent;
                centre = window.ScaledMean;
                sigma = DetectorMath.Floor(Math.Sqrt(window.ScaledVariance), centre, scale == 0 ? 1 : Math.ScaleB(1.0, -scale));
                window.Add(x);
            }
            else
            {
                if (_warm.Count < _warmup)
                {
                    // Welford over the warm-up values.
                    _warm.Add(x);
                    if (_warm.Count == _warmup)
                    {
                        _scale = _warm.ScaleExponent;
                        _mean = _warm.ScaledMean;
                        _sigma = DetectorMath.Floor(Math.Sqrt(_warm.ScaledVariance), _mean, _warm.Unit);
                    }

                    return null;
                }

                scale = _scale;
                centre = _mean;
                sigma = _sigma;
            }

            if (_restart)
            {
                _z = scale == 0 ? centre : Math.ScaleB(centre, scale);
                _decayPow = 1;
                _restart = false;
            }

            _z = DetectorMath.Saturate((_lambda * x) + ((1 - _lambda) * _z));
            _decayPow *= _decay2;
            var zs = scale == 0 ? _z : Math.ScaleB(_z, -scale);
            var score = DetectorMath.Ratio(Math.Abs(zs - centre), sigma * Math.Sqrt(_asymptotic * (1 - _decayPow)));
            _restart = _reset && score >= _limit;
            return score;
        }
    }
}
