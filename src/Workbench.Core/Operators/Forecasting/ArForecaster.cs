using Workbench.Operators.Specs;

namespace Workbench.Operators.Forecasting;

/// <summary>How <see cref="ArForecaster"/> re-estimates its coefficients.</summary>
public enum ArRefit
{
    /// <summary>Ordinary least squares on the last <c>window</c> rows, repeated every <c>every</c> rows.</summary>
    Periodic,

    /// <summary>Recursive least squares: every row updates the (exponentially weighted) fit of all rows so far.</summary>
    Recursive,
}

/// <summary>
/// AR(p) with intercept, <c>y(t) = c + φ₁y(t−1) + … + φ_p·y(t−p) + ε(t)</c>, fitted by least squares; the h-step
/// forecast iterates the recursion on its own forecasts.
/// <para>Refit <see cref="ArRefit.Periodic"/>: once <see cref="Window"/> rows are in, and then every
/// <see cref="Every"/> rows, OLS on the regression rows of the last <see cref="Window"/> rows (targets whose p lags
/// lie in the window: <c>window − p</c> equations, as statsmodels' <c>AutoReg(y[-window:], lags=p, trend='c')</c>).
/// <see cref="ArRefit.Recursive"/>: the first fit is the same OLS on the first <see cref="Window"/> rows; after that
/// every row updates the fit, weighting older rows by <see cref="Forget"/> per row (1 = all rows equally, the exact
/// OLS of all rows so far). The recursion updates the normal equations and re-solves them (p ≤ 64, so the solve is
/// cheap), which equals the classic RLS gain recursion without its round-off drift; data are centred on a fixed
/// offset (the mean of the first window) for conditioning. A column collinear with earlier ones (e.g. lags of a flat
/// series) gets coefficient 0.</para>
/// <para>Interval: <c>ŷ ± z·σ·sqrt(Σ_{j&lt;h} ψ_j²)</c> with the MA(∞) weights ψ₀ = 1, ψ_j = Σ_i φ_i·ψ_{j−i}, and σ² the
/// least-squares residual variance <c>SSR/(n − k)</c> (n regression rows or, with forgetting, the sum of their
/// weights; k fitted coefficients). Parameter uncertainty is ignored.</para>
/// <para>Missing values: leading ones are skipped. Afterwards a missing row is imputed (with the current model's
/// one-step forecast, or before the first fit with the last present value) so the lags stay aligned in time, but a
/// regression row enters a fit only when its target and all p lags were observed. A fit with fewer than p + 2 such
/// rows is skipped (the previous coefficients stay). Rows count toward <see cref="Window"/> and <see cref="Every"/>
/// whether present or imputed.</para>
/// </summary>
/// <param name="P">Order p, the number of lags (1–64; default 2).</param>
/// <param name="Refit">Periodic (default) or recursive re-estimation.</param>
/// <param name="Every">Periodic: rows between refits (≥ 1; default 100). Ignored by recursive.</param>
/// <param name="Window">Periodic: rows in the fitting window; recursive: rows before the first fit (≥ 2p + 2;
/// default 500).</param>
/// <param name="Forget">Recursive: weight factor per row for older rows, in (0, 1] (default 1 = no forgetting);
/// must be 1 for periodic.</param>
/// <param name="IntervalLevel">Prediction-interval level in (0, 1); default 0.95. Spec key <c>level</c>.</param>
public sealed record ArForecaster(
    int P = 2,
    ArRefit Refit = ArRefit.Periodic,
    int Every = 100,
    int Window = 500,
    double Forget = 1,
    double IntervalLevel = PredictionInterval.DefaultLevel) : IForecaster
{
    /// <summary>The largest order accepted.</summary>
    public const int MaxOrder = 64;

    /// <summary>Spec binding: <c>ar(p=2,refit=periodic,every=100,window=500,forget=1,level=0.95)</c>.</summary>
    public static OperatorDescriptor<ArForecaster> Descriptor { get; } =
        new OperatorDescriptor<ArForecaster>("ar", OperatorKind.Forecaster,
                "AR(p) with intercept by least squares, refitted periodically on a rolling window or recursively; interval from residual sigma.",
                new ArForecaster(), o => o.Validate())
            .Int("p", "order: number of lags (1-64)", o => o.P, (o, v) => o with { P = v })
            .Choice("refit", "periodic OLS on a rolling window, or recursive least squares", o => o.Refit, (o, v) => o with { Refit = v })
            .Int("every", "periodic: rows between refits (>= 1); ignored by recursive", o => o.Every, (o, v) => o with { Every = v })
            .Int("window", "periodic: rows per fit; recursive: rows before the first fit (>= 2p + 2)", o => o.Window,
                (o, v) => o with { Window = v })
            .Double("forget", "recursive: weight factor per row for older rows in (0, 1]; 1 = none", o => o.Forget,
                (o, v) => o with { Forget = v })
            .Double("level", "prediction-interval level in (0, 1)", o => o.IntervalLevel, (o, v) => o with { IntervalLevel = v });

    public string Name => Descriptor.Name;

    public string Spec => Descriptor.Format(this);

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for out-of-range options.</summary>
    public void Validate()
    {
        if (P < 1 || P > MaxOrder)
        {
            throw new ArgumentOutOfRangeException(nameof(P), P, $"p must be in 1..{MaxOrder}");
        }

        if (!Enum.IsDefined(Refit))
        {
            throw new ArgumentOutOfRangeException(nameof(Refit), Refit, "refit must be periodic or recursive");
        }

        if (Every < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Every), Every, "every must be >= 1");
        }

        if (Window < (2 * P) + 2)
        {
            throw new ArgumentOutOfRangeException(nameof(Window), Window, $"window must be >= 2p + 2 = {(2 * P) + 2}");
        }

        OperatorLimits.CheckWindow(Window, (2 * P) + 2, "window");

        if (!(Forget > 0 && Forget <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Forget), Forget, "forget must be in (0, 1]");
        }

        if (Refit == ArRefit.Periodic && Forget != 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Forget), Forget, "forget applies to refit=recursive only; leave it at 1");
        }

        PredictionInterval.ValidateLevel(IntervalLevel, nameof(IntervalLevel));
    }

    public IForecasterKernel CreateKernel()
    {
        Validate();
        return new Kernel(this, PredictionInterval.ZScore(IntervalLevel));
    }

    private sealed class Kernel : IForecasterKernel
    {
        private readonly int _p;
        private readonly bool _recursive;
        private readonly int _every;
        private readonly double _forget;
        private readonly double _z;
        private readonly double[] _values; // ring of the last `window` rows (present or imputed)
        private readonly bool[] _observed;
        private readonly LeastSquares _ls;
        private readonly double[] _x;      // regression row [1, y(t-1) - a, …, y(t-p) - a]
        private readonly double[] _theta;  // centred solution [c', φ1..φp]
        private readonly double[] _phi;    // φ1..φp of the current model
        private double[] _path = [];       // scratch for h-step forecasts: p lags then h forecasts
        private double[] _psi = [];        // scratch for MA(∞) weights
        private int _next;                 // ring position of the next row
        private long _rows;                // rows since the first present value
        private double _lastPresent;
        private bool _hasModel;
        private double _intercept;         // c of the current model (uncentred)
        private double _sigma2;            // residual variance; NaN when undefined
        private double _offset;            // recursive: fixed centring offset
        private double _ssr;               // recursive: weighted SSR
        private double _weight;            // recursive: Σ weights of the regression rows

        public Kernel(ArForecaster o, double z)
        {
            _p = o.P;
            _recursive = o.Refit == ArRefit.Recursive;
            _every = o.Every;
            _forget = o.Forget;
            _z = z;
            _values = new double[o.Window];
            _observed = new bool[o.Window];
            _ls = new LeastSquares(o.P + 1);
            _x = new double[o.P + 1];
            _theta = new double[o.P + 1];
            _phi = new double[o.P];
        }

        private int Capacity => _values.Length;

        public void Forecast(Span<ForecastPoint> destination)
        {
            if (!_hasModel)
            {
                destination.Fill(ForecastPoint.None);
                return;
            }

            var p = _p;
            var horizon = destination.Length;
            if (horizon == 1)
            {
                var f = OneStep();
                destination[0] = double.IsNaN(_sigma2) ? ForecastPoint.Point(f) : PredictionInterval.Gaussian(f, _sigma2, _z);
                return;
            }

            if (_path.Length < p + horizon)
            {
                _path = new double[p + horizon];
                _psi = new double[horizon];
            }

            // path[0..p) = y(t-p+1) … y(t) oldest first; path[p + h - 1] = forecast h.
            for (var i = 0; i < p; i++)
            {
                _path[i] = Lag(p - i);
            }

            var spread = 0.0;
            for (var h = 0; h < horizon; h++)
            {
                var f = _intercept;
                var psi = h == 0 ? 1.0 : 0.0;
                for (var i = 1; i <= p; i++)
                {
                    f += _phi[i - 1] * _path[p + h - i];
                    if (i <= h)
                    {
                        psi += _phi[i - 1] * _psi[h - i];
                    }
                }

                _path[p + h] = f;
                _psi[h] = psi;
                spread += psi * psi;
                destination[h] = double.IsNaN(_sigma2) ? ForecastPoint.Point(f) : PredictionInterval.Gaussian(f, _sigma2 * spread, _z);
            }
        }

        public void Update(DateTime timestamp, double? value)
        {
            bool observed;
            double y;
            if (value is { } v)
            {
                observed = true;
                y = v;
                _lastPresent = v;
            }
            else if (_rows == 0)
            {
                return;
            }
            else
            {
                observed = false;
                y = _hasModel ? OneStep() : _lastPresent;
            }

            if (_recursive && _hasModel && observed && LagsObserved(1))
            {
                RecursiveUpdate(y);
            }

            _values[_next] = y;
            _observed[_next] = observed;
            if (++_next == Capacity)
            {
                _next = 0;
            }

            _rows++;
            if (_rows < Capacity)
            {
                return;
            }

            if (_recursive ? !_hasModel : (_rows - Capacity) % _every == 0)
            {
                BatchFit();
            }
        }

        /// <summary>y(t + 1 − lag) for lag ≥ 1: the row <paramref name="lag"/> − 1 rows before the last one.</summary>
        private double Lag(int lag) => _values[Index(lag)];

        private int Index(int lag)
        {
            var i = _next - lag;
            return i < 0 ? i + Capacity : i;
        }

        /// <summary>Whether the p rows before the row at <paramref name="lag"/>… are observed (lags of the next row for lag 1).</summary>
        private bool LagsObserved(int lag)
        {
            for (var i = 0; i < _p; i++)
            {
                if (!_observed[Index(lag + i)])
                {
                    return false;
                }
            }

            return true;
        }

        private double OneStep()
        {
            var f = _intercept;
            for (var i = 1; i <= _p; i++)
            {
                f += _phi[i - 1] * Lag(i);
            }

            return f;
        }

        /// <summary>OLS on the regression rows of the last `window` rows (oldest first), centred on their mean.</summary>
        private void BatchFit()
        {
            var p = _p;
            var n = Capacity;
            double sum = 0;
            var count = 0;
            for (var i = 0; i < n; i++)
            {
                if (_observed[i])
                {
                    sum += _values[i];
                    count++;
                }
            }

            var offset = count > 0 ? sum / count : 0;
            _ls.Clear();
            var rows = 0;
            // Oldest row in the window is at ring position _next (lag n); target at lag `lag` has lags lag+1 … lag+p.
            for (var lag = n - p; lag >= 1; lag--)
            {
                if (!_observed[Index(lag)] || !LagsObserved(lag + 1))
                {
                    continue;
                }

                FillRow(lag, offset);
                _ls.Add(_x, Lag(lag) - offset);
                rows++;
            }

            if (rows < p + 2 || !_ls.Solve(_theta))
            {
                return;
            }

            var ssr = 0.0;
            for (var lag = n - p; lag >= 1; lag--)
            {
                if (!_observed[Index(lag)] || !LagsObserved(lag + 1))
                {
                    continue;
                }

                FillRow(lag, offset);
                var e = Lag(lag) - offset - Dot(_x, _theta);
                ssr += e * e;
            }

            _offset = offset;
            _ssr = ssr;
            _weight = rows;
            Publish();
        }

        /// <summary>Adds the row y (target) with the current lags, re-solves, and updates the weighted SSR.</summary>
        private void RecursiveUpdate(double y)
        {
            FillRow(0, _offset);
            var target = y - _offset;
            var before = target - Dot(_x, _theta);
            if (_forget != 1)
            {
                _ls.Scale(_forget);
            }

            _ls.Add(_x, target);
            if (!_ls.Solve(_theta))
            {
                return;
            }

            var after = target - Dot(_x, _theta);
            _ssr = (_forget * _ssr) + (before * after);
            _weight = (_forget * _weight) + 1;
            Publish();
        }

        /// <summary>x = [1, y(t−1) − a, …, y(t−p) − a] for the target at <paramref name="lag"/> (0 = the next row).</summary>
        private void FillRow(int lag, double offset)
        {
            _x[0] = 1;
            for (var i = 1; i <= _p; i++)
            {
                _x[i] = Lag(lag + i) - offset;
            }
        }

        private static double Dot(double[] a, double[] b)
        {
            var s = 0.0;
            for (var i = 0; i < a.Length; i++)
            {
                s += a[i] * b[i];
            }

            return s;
        }

        /// <summary>Uncentres the solution: c = c' + a(1 − Σφ); σ² = SSR/(n − k).</summary>
        private void Publish()
        {
            var phiSum = 0.0;
            for (var i = 0; i < _p; i++)
            {
                _phi[i] = _theta[i + 1];
                phiSum += _phi[i];
            }

            _intercept = _theta[0] + (_offset * (1 - phiSum));
            var df = _weight - _ls.Rank;
            _sigma2 = df > 0 ? Math.Max(0, _ssr) / df : double.NaN;
            _hasModel = true;
        }
    }
}
