using Workbench.Operators.Specs;

namespace Workbench.Operators.Detection;

/// <summary>
/// Page-Hinkley test for a drift of the mean, both directions. With mₜ the mean of the present values since the
/// last (re)start, the current one included, and sums starting at 0:
/// Uₜ = α·Uₜ₋₁ + (xₜ − mₜ − δ) and PH⁺ = Uₜ − min(0, U₁ … Uₜ) (upward drift);
/// Dₜ = α·Dₜ₋₁ + (xₜ − mₜ + δ) and PH⁻ = max(0, D₁ … Dₜ) − Dₜ (downward drift).
/// Score = max(PH⁺, PH⁻): the cumulative deviation from the running mean beyond the tolerated magnitude δ, in value
/// units; range [0, ∞). The detection threshold λ is the flag threshold. After a score ≥ λ the test restarts (mean,
/// sums and extremes reset, as a drift detector does once it has signalled), so the next value starts a new test. A
/// missing value gets no score and leaves the test unchanged. Any finite values give a finite score: the running mean
/// is updated overflow-safely and deviations, sums and the score saturate at ±double.MaxValue.
/// </summary>
/// <param name="Delta">Tolerated magnitude of change δ, value units (≥ 0; default 0.005).</param>
/// <param name="Lambda">Detection threshold λ, value units, = flag threshold (&gt; 0; default 50).</param>
/// <param name="Alpha">Fading factor of the cumulative sums, in (0, 1] (default 0.9999; 1 = no fading).</param>
public sealed record PageHinkleyDetector(double Delta = 0.005, double Lambda = 50, double Alpha = 0.9999) : IDetector
{
    /// <summary>Spec binding: <c>page-hinkley(delta=0.005,lambda=50,alpha=0.9999)</c>.</summary>
    public static OperatorDescriptor<PageHinkleyDetector> Descriptor { get; } =
        new OperatorDescriptor<PageHinkleyDetector>("page-hinkley", OperatorKind.Detector,
                "Two-sided Page-Hinkley drift test: cumulative deviation from the running mean beyond delta; score in [0, inf), value units; flag (and restart) at lambda.",
                new PageHinkleyDetector(), o => o.Validate())
            .Double("delta", "tolerated change magnitude, value units (>= 0)", o => o.Delta, (o, v) => o with { Delta = v })
            .Double("lambda", "detection threshold, value units = flag threshold (> 0)", o => o.Lambda, (o, v) => o with { Lambda = v })
            .Double("alpha", "fading factor of the cumulative sums, in (0, 1]", o => o.Alpha, (o, v) => o with { Alpha = v });

    public string Name => Descriptor.Name;

    public string Spec => Descriptor.Format(this);

    /// <summary>The detection threshold <see cref="Lambda"/>.</summary>
    public double Threshold => Lambda;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for out-of-range options.</summary>
    public void Validate()
    {
        if (!(Delta >= 0) || !double.IsFinite(Delta))
        {
            throw new ArgumentOutOfRangeException(nameof(Delta), Delta, "delta must be a finite number >= 0");
        }

        if (!(Lambda > 0) || !double.IsFinite(Lambda))
        {
            throw new ArgumentOutOfRangeException(nameof(Lambda), Lambda, "lambda must be a finite number > 0");
        }

        if (!(Alpha > 0 && Alpha <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Alpha), Alpha, "alpha must be in (0, 1]");
        }
    }

    public IDetectorKernel CreateKernel()
    {
        Validate();
        return new Kernel(Delta, Lambda, Alpha);
    }

    private sealed class Kernel(double delta, double lambda, double alpha) : IDetectorKernel
    {
        private long _n;
        private double _mean;
        private double _up;
        private double _upMin;
        private double _down;
        private double _downMax;

        public double? Update(DateTime timestamp, double? value)
        {
            if (value is not { } x)
            {
                return null;
            }

            _n++;
            var step = x - _mean;
            _mean += double.IsFinite(step) ? step / _n : (x / _n) - (_mean / _n);
            var deviation = DetectorMath.Saturate(x - _mean);
            _up = DetectorMath.Saturate((alpha * _up) + (deviation - delta));
            _upMin = Math.Min(_upMin, _up);
            _down = DetectorMath.Saturate((alpha * _down) + (deviation + delta));
            _downMax = Math.Max(_downMax, _down);
            var score = DetectorMath.Saturate(Math.Max(_up - _upMin, _downMax - _down));
            if (score >= lambda)
            {
                _n = 0;
                _mean = 0;
                _up = 0;
                _upMin = 0;
                _down = 0;
                _downMax = 0;
            }

            return score;
        }
    }
}
