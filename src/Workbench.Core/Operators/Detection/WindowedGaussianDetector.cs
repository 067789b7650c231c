using Workbench.Operators.Specs;

namespace Workbench.Operators.Detection;

/// <summary>
/// NAB's <c>windowedGaussian</c> baseline, exactly as the NAB scoring spec (section 10) defines it. The first value
/// scores 0. Afterwards score = 1 − Q(|z|) with z = (x − μ)/s and Q the standard-normal upper tail
/// (Q(z) = ½·erfc(z/√2)): a two-sided tail measure, range [0.5, 1), approaching 1 far from the mean. μ and s (population
/// standard deviation, ddof 0; replaced by 1e-6 when 0) come from a window of past values: each value is appended
/// after it is scored until the window holds <see cref="Window"/> values; after that values are buffered and every
/// <see cref="Step"/> values the oldest <see cref="Step"/> are dropped, the buffered ones appended and μ, s
/// recomputed. μ and s are recomputed whenever the window changes, with NAB's own floating-point operations
/// (<see cref="NabArithmetic"/>: numpy's pairwise-summed <c>mean</c>/<c>std</c>, CPython's <c>math.erfc</c>, NAB's
/// mirroring x' = 2μ − x for values below the mean), so the scores are NAB's doubles, not merely close to them.
/// NAB's data has no missing values; here a missing value gets no score and leaves the state unchanged. When the sums
/// overflow (values near ±double.MaxValue) μ and s are computed in units of 2^544 instead, so any finite values give
/// a score in [0, 1] (a z beyond the double range gives 0.5 … 1 through erfc(±∞)).
/// Spec name <c>windowed-gaussian</c> = NAB's <c>windowedGaussian</c>; the defaults are NAB's (6400, 100).
/// </summary>
/// <param name="Window">Window length (≥ 2; NAB: 6400).</param>
/// <param name="Step">Values buffered before the window slides (1 … window; NAB: 100).</param>
/// <param name="Threshold">Flag when the score is ≥ this, in (0.5, 1) (default 0.9999 ≈ |z| ≥ 3.9).</param>
public sealed record WindowedGaussianDetector(int Window = 6400, int Step = 100, double Threshold = 0.9999) : IDetector
{
    /// <summary>Spec binding: <c>windowed-gaussian(window=6400,step=100,threshold=0.9999)</c>.</summary>
    public static OperatorDescriptor<WindowedGaussianDetector> Descriptor { get; } =
        new OperatorDescriptor<WindowedGaussianDetector>("windowed-gaussian", OperatorKind.Detector,
                "NAB's windowedGaussian baseline: 1 - Q(|z|) against a stepped window of past values; score in [0.5, 1) (first row 0).",
                new WindowedGaussianDetector(), o => o.Validate())
            .Int("window", "window length (>= 2; NAB 6400)", o => o.Window, (o, v) => o with { Window = v })
            .Int("step", "values buffered before the window slides (1..window; NAB 100)", o => o.Step, (o, v) => o with { Step = v })
            .Double("threshold", "flag when 1 - Q(|z|) >= threshold, in (0.5, 1)", o => o.Threshold, (o, v) => o with { Threshold = v });

    public string Name => Descriptor.Name;

    public string Spec => Descriptor.Format(this);

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for out-of-range options.</summary>
    public void Validate()
    {
        OperatorLimits.CheckWindow(Window, 2, "window");

        if (Step < 1 || Step > Window)
        {
            throw new ArgumentOutOfRangeException(nameof(Step), Step, "step must be in [1, window]");
        }

        if (!(Threshold > 0.5 && Threshold < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Threshold), Threshold, "threshold must be in (0.5, 1)");
        }
    }

    public IDetectorKernel CreateKernel()
    {
        Validate();
        return new Kernel(Window, Step);
    }

    private sealed class Kernel(int window, int step) : IDetectorKernel
    {
        private static readonly double Sqrt2 = Math.Sqrt(2);
        private readonly double[] _window = new double[window];
        private readonly double[] _buffer = new double[step];
        private readonly double[] _scratch = new double[window];
        private int _count;
        private int _buffered;
        private double _mean;
        private double _std = 1;
        private int _scale;

        public double? Update(DateTime timestamp, double? value)
        {
            if (value is not { } x)
            {
                return null;
            }

            var score = 0.0;
            if (_count > 0)
            {
                // NAB mirrors values below the mean (x' = 2μ − x) and takes the upper tail of x'.
                // In units of 2^-_scale when the window's sums overflowed (see ScaledRecompute); _scale is 0 otherwise.
                var xs = _scale == 0 ? x : Math.ScaleB(x, -_scale);
                var z = xs < _mean ? ((2 * _mean) - xs - _mean) / _std : (xs - _mean) / _std;
                score = 1 - (0.5 * NabArithmetic.Erfc(z / Sqrt2));
            }

            if (_count < _window.Length)
            {
                _window[_count++] = x;
                Recompute();
            }
            else
            {
                _buffer[_buffered++] = x;
                if (_buffered == _buffer.Length)
                {
                    Array.Copy(_window, step, _window, 0, _window.Length - step);
                    Array.Copy(_buffer, 0, _window, _window.Length - step, step);
                    _buffered = 0;
                    Recompute();
                }
            }

            return score;
        }

        private void Recompute()
        {
            (_mean, _std) = NabArithmetic.MeanStd(_window.AsSpan(0, _count), _scratch);
            if (_std == 0)
            {
                _std = 0.000001;
            }

            _scale = 0;
            if (!double.IsFinite(_std))
            {
                ScaledRecompute();
            }
        }

        /// <summary>
        /// The sums overflowed (values near ±double.MaxValue): μ and s in units of 2^544 instead (exact power-of-two
        /// scaling; the score, a function of z, is unchanged). The 1e-6 replacement of s = 0 keeps its plain meaning.
        /// </summary>
        private void ScaledRecompute()
        {
            _scale = Rolling.RollingMoments.ScaledExponent;
            var values = _window.AsSpan(0, _count);
            var sum = 0.0;
            foreach (var v in values)
            {
                sum += Math.ScaleB(v, -_scale);
            }

            _mean = sum / values.Length;
            var ss = 0.0;
            foreach (var v in values)
            {
                var d = Math.ScaleB(v, -_scale) - _mean;
                ss += d * d;
            }

            _std = Math.Sqrt(ss / values.Length);
            if (_std == 0)
            {
                _std = Math.ScaleB(0.000001, -_scale);
            }
        }
    }
}
