namespace Workbench.Operators.Forecasting;

/// <summary>The seasonal component of Holt-Winters.</summary>
public enum Seasonality
{
    /// <summary>ŷ = level + trend + season; the season is an offset in the series' unit.</summary>
    Additive,

    /// <summary>ŷ = (level + trend) · season; the season is a factor. Needs a positive series.</summary>
    Multiplicative,
}

/// <summary>
/// The one kernel behind <see cref="SesForecaster"/>, <see cref="HoltForecaster"/> and
/// <see cref="HoltWintersForecaster"/>: the Holt-Winters recursions in statsmodels' form with fixed smoothing
/// parameters (see docs/FORECASTERS.md for the equations, initialisation and interval formula).
/// </summary>
internal sealed class ExponentialSmoothingKernel : IForecasterKernel
{
    private readonly string _name;
    private readonly double _alpha;
    private readonly double _beta;
    private readonly double _gamma;
    private readonly double _phi;
    private readonly bool _trend;
    private readonly bool _multiplicative;
    private readonly int _period;
    private readonly double _z;
    private readonly double[] _season;
    private readonly double[] _warmup;
    private int _warmCount;
    private double _lastPresent;
    private bool _ready;
    private double _level;
    private double _slope;
    private int _next;
    private readonly RecentSquaredErrors _errors;

    /// <param name="name">Spec name, for error messages.</param>
    /// <param name="alpha">Level smoothing α.</param>
    /// <param name="beta">Trend smoothing β (Holt-Winters form); ignored without trend.</param>
    /// <param name="gamma">Seasonal smoothing γ; ignored without season.</param>
    /// <param name="phi">Damping φ (1 = undamped); ignored without trend.</param>
    /// <param name="trend">Whether there is an additive trend.</param>
    /// <param name="period">Season length m; 0 = no season.</param>
    /// <param name="multiplicative">Multiplicative (true) or additive season.</param>
    /// <param name="z">Interval half-width multiplier.</param>
    /// <param name="sigmaWindow">Recent one-step errors in σ².</param>
    public ExponentialSmoothingKernel(string name, double alpha, double beta, double gamma, double phi, bool trend, int period,
        bool multiplicative, double z, int sigmaWindow)
    {
        _name = name;
        _alpha = alpha;
        _trend = trend;
        _beta = trend ? beta : 0;
        _phi = trend ? phi : 1;
        _period = period;
        _gamma = period > 0 ? gamma : 0;
        _multiplicative = period > 0 && multiplicative;
        _z = z;
        _errors = new RecentSquaredErrors(sigmaWindow);
        _season = new double[period];
        _warmup = new double[period > 0 ? 2 * period : trend ? 2 : 1];
    }

    public void Forecast(Span<ForecastPoint> destination)
    {
        if (!_ready)
        {
            destination.Fill(ForecastPoint.None);
            return;
        }

        var withInterval = _errors.Count >= PredictionInterval.MinimumResiduals;
        var sigma2 = _errors.Variance;
        var phiPower = 1.0;
        var phiSum = 0.0; // φ_h = φ + φ² + … + φ^h
        var spread = 1.0; // 1 + Σ_{j<h} c_j²
        var slot = _next;
        for (var h = 1; h <= destination.Length; h++)
        {
            phiPower *= _phi;
            phiSum += phiPower;
            var trended = _level + (phiSum * _slope);
            double value;
            double scale = 1;
            if (_period == 0)
            {
                value = trended;
            }
            else if (_multiplicative)
            {
                scale = _season[slot];
                value = trended * scale;
            }
            else
            {
                value = trended + _season[slot];
            }

            destination[h - 1] = withInterval
                ? PredictionInterval.Gaussian(value, sigma2 * spread * scale * scale, _z)
                : ForecastPoint.Point(value);

            var c = (_alpha * (1 + (_beta * phiSum))) + (_period > 0 && h % _period == 0 ? _gamma : 0);
            spread += c * c;
            if (_period > 0 && ++slot == _period)
            {
                slot = 0;
            }
        }
    }

    public void Update(DateTime timestamp, double? value)
    {
        if (_multiplicative && value is <= 0)
        {
            throw new ForecastInputException(_name, timestamp, value, "multiplicative seasonality needs values > 0");
        }

        if (!_ready)
        {
            Warm(timestamp, value);
            return;
        }

        var season = _period > 0 ? _season[_next] : 0;
        var trended = _level + (_phi * _slope);
        var forecast = _period == 0 ? trended : _multiplicative ? trended * season : trended + season;
        if (value is { } y)
        {
            var error = y - forecast;
            _errors.Add(_multiplicative ? error / season : error);
            Step(y, timestamp);
        }
        else
        {
            Step(forecast, timestamp); // impute with the one-step forecast: the state moves on with zero error
        }
    }

    /// <summary>
    /// Collects the first rows; leading missing rows are skipped, later missing rows in the warm-up carry the last
    /// present value. When full: the statsmodels "simple" initialisation, then the recursion over those rows.
    /// </summary>
    private void Warm(DateTime timestamp, double? value)
    {
        if (value is { } y)
        {
            _lastPresent = y;
        }
        else if (_warmCount == 0)
        {
            return;
        }

        _warmup[_warmCount++] = _lastPresent;
        if (_warmCount < _warmup.Length)
        {
            return;
        }

        var w = _warmup;
        var m = _period;
        if (m > 0)
        {
            var sum = 0.0;
            for (var i = 0; i < m; i++)
            {
                sum += w[i];
            }

            _level = sum / m;
            var slopes = 0.0;
            for (var i = 0; i < m; i++)
            {
                slopes += (w[m + i] - w[i]) / m;
            }

            _slope = _trend ? slopes / m : 0;
            for (var i = 0; i < m; i++)
            {
                _season[i] = _multiplicative ? w[i] / _level : w[i] - _level;
            }
        }
        else
        {
            _level = w[0];
            _slope = _trend ? w[1] - w[0] : 0;
        }

        _next = 0;
        for (var i = 0; i < w.Length; i++)
        {
            Step(w[i], timestamp);
        }

        _ready = true;
    }

    private void Step(double y, DateTime timestamp)
    {
        var trended = _level + (_phi * _slope);
        double level;
        if (_period == 0)
        {
            level = (_alpha * y) + ((1 - _alpha) * trended);
        }
        else
        {
            var old = _season[_next];
            if (_multiplicative)
            {
                if (!(trended > 0))
                {
                    throw new ForecastInputException(_name, timestamp, y,
                        "multiplicative seasonality needs a positive level + trend; the trend has taken it to " +
                        trended.ToString("R", System.Globalization.CultureInfo.InvariantCulture));
                }

                level = (_alpha * y / old) + ((1 - _alpha) * trended);
                _season[_next] = (_gamma * y / trended) + ((1 - _gamma) * old);
            }
            else
            {
                level = (_alpha * y) - (_alpha * old) + ((1 - _alpha) * trended);
                _season[_next] = (_gamma * y) - (_gamma * trended) + ((1 - _gamma) * old);
            }

            if (++_next == _period)
            {
                _next = 0;
            }
        }

        if (_trend)
        {
            _slope = (_beta * (level - _level)) + ((1 - _beta) * _phi * _slope);
        }

        _level = level;
    }
}
