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
/// the chart or the baseline. σ is floored at 1e-12·max(1, |μ₀|).
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

        if (Warmup < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(Warmup), Warmup, "warmup must be >= 2");
        }

        if (!Enum.IsDefined(Baseline))
        {
            throw new ArgumentOutOfRangeException(nameof(Baseline), Baseline, "baseline must be rolling or warmup");
        }

        if (Window < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(Window), Window, "window must be >= 2");
        }
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
        private int _seen;
        private double _mean;
        private double _m2;
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
            double centre;
            double sigma;
            if (_rolling is { } window)
            {
                if (!window.IsFull)
                {
                    window.Add(x);
                    return null;
                }

                centre = window.Mean;
                sigma = DetectorMath.Floor(Math.Sqrt(window.Variance), centre);
                window.Add(x);
            }
            else
            {
                if (_seen < _warmup)
                {
                    // Welford over the warm-up values.
                    _seen++;
                    var delta = x - _mean;
                    _mean += delta / _seen;
                    _m2 += delta * (x - _mean);
                    if (_seen == _warmup)
                    {
                        _sigma = DetectorMath.Floor(Math.Sqrt(Math.Max(0, _m2 / (_warmup - 1))), _mean);
                    }

                    return null;
                }

                centre = _mean;
                sigma = _sigma;
            }

            if (_restart)
            {
                _z = centre;
                _decayPow = 1;
                _restart = false;
            }

            _z = (_lambda * x) + ((1 - _lambda) * _z);
            _decayPow *= _decay2;
            var score = Math.Abs(_z - centre) / (sigma * Math.Sqrt(_asymptotic * (1 - _decayPow)));
            _restart = _reset && score >= _limit;
            return score;
        }
    }
}
