#!/usr/bin/python3
"""Reference numbers for the Workbench forecasters, computed with statsmodels (an independent implementation).

Run from the repository root with Debian's Python (not a pyenv one):

    apt-get install -y python3-statsmodels
    /usr/bin/python3 tools/reference/make_forecasting_fixtures.py

It writes JSON fixtures to tests/Workbench.Tests/Fixtures/forecasting/ (overwriting them); the C# tests in
tests/Workbench.Tests/Operators/Forecasting/StatsmodelsReferenceTests.cs compare the forecasters against them.
Input series are generated here from fixed seeds (numpy's legacy RandomState, whose stream is fixed by numpy's
compatibility policy) and written into the fixtures, so the C# tests read exactly the inputs used here.

Versions used for the committed fixtures: statsmodels 0.13.5 (Debian 0.13.5+dfsg), numpy 1.24.2, scipy 1.10.1,
pandas 1.5.3, mpmath 1.2.1 (Debian 12 packages). The script records the versions it ran with in every fixture ("generator").

Exact calls
-----------
Exponential smoothing (SES, Holt, Holt damped, Holt-Winters additive/multiplicative, damped or not):

    l0, b0, s0 = statsmodels.tsa.exponential_smoothing.initialization._initialization_simple(
        y, trend, seasonal, m)        # the classic heuristic from the first two seasons
                                      # (Hyndman & Athanasopoulos, section 7.6); private statsmodels API
    res = ExponentialSmoothing(y, trend='add'|None, damped_trend=bool, seasonal='add'|'mul'|None,
                               seasonal_periods=m, initialization_method='known',
                               initial_level=l0, initial_trend=b0, initial_seasonal=s0
          ).fit(smoothing_level=alpha, smoothing_trend=beta, smoothing_seasonal=gamma,
                damping_trend=phi, optimized=False)
    one-step forecasts = res.fittedvalues
    h-step forecasts from the end = (l_T + phi_h * b_T) (+ or *) s_{T+h-m(k+1)}, k = (h-1) // m, phi_h = phi+..+phi^h,
        from statsmodels' final states res.level[-1], res.trend[-1], res.season[-m:].
        statsmodels 0.13.5's res.forecast(H) uses a stale seasonal factor at every h that is a multiple of m
        (statsmodels issue #9538, fixed upstream by PR #10230), so the script asserts agreement with
        res.forecast(H) at every other h, and for the additive cases with ETSModel's forecast at every h.

  For the additive-error models statsmodels has an analytic forecast variance (ETSModel, Hyndman et al. 2008,
  table 6.1); the relative h-step variances var_h / sigma^2 come from

    ETSModel(y, error='add', trend=..., damped_trend=..., seasonal='add'|None, seasonal_periods=m,
             initialization_method='known', initial_level=l0, initial_trend=b0, initial_seasonal=s0)
    with model.fix_params({'smoothing_level': alpha, 'smoothing_trend': alpha*beta,
                           'smoothing_seasonal': gamma, 'damping_trend': phi}): r = model.fit(disp=False)
    r._relative_forecast_variance(np.arange(1, H + 1))

  (ETSModel's trend smoothing is alpha*beta in Holt-Winters' terms; the script asserts that both models give the
  same fitted values, so the parameter mapping is checked too.)

AR(p) with intercept, least squares:

    periodic refit: every `every` rows once `window` rows are in, fit on the last `window` rows
        r = AutoReg(y[n-window:n], lags=p, trend='c').fit()    # OLS; params = [const, phi_1..phi_p]
        sigma^2 = sum(r.resid**2) / (r.nobs - p - 1)           # OLS residual variance (df-corrected)
    recursive (forget = 1): after each row n >= window, AutoReg(y[:n], lags=p, trend='c').fit()
    recursive (forget < 1): WLS(y_j, [1, y_{j-1}..y_{j-p}], weights=w_j).fit() with
        w_j = forget**(n - window) for targets j < window (the initial batch), forget**(n - 1 - j) after,
        sigma^2 = sum(w_j * resid_j**2) / (sum(w_j) - p - 1)
    h-step forecasts and relative variances from the end of the series:
        AutoReg(y[-window:], lags=p, trend='c').fit().get_prediction(start=window, end=window + H - 1)
        -> predicted_mean and var_pred_mean / sigma2 (= cumulative sum of squared MA(inf) weights)

Student-t quantiles (quantiles.json): mpmath at 30 significant digits, solving
    0.5 * betainc(df/2, 1/2, 0, df/(df + t^2), regularized=True) = (1 - level) / 2   (mpmath.findroot)
  because scipy 1.10's t.isf is accurate to only ~2e-9 relative here (e.g. df=3, level=0.8), measured against
  mpmath; the script records scipy's value too ("t_scipy") for comparison. mpmath is Debian's python3-mpmath.
Normal quantiles: scipy.stats.norm.isf((1 - level) / 2), i.e. the quantile at (1 + level) / 2 computed from the upper
tail, which keeps full precision for levels near 1 (norm.ppf((1 + level) / 2) loses ~1e-11 at level 0.999999).
"""

import json
import os
import sys

import mpmath
import numpy as np
import pandas
import scipy
import scipy.stats
import statsmodels
from statsmodels.regression.linear_model import WLS
from statsmodels.tsa.ar_model import AutoReg
from statsmodels.tsa.exponential_smoothing.ets import ETSModel
from statsmodels.tsa.exponential_smoothing.initialization import _initialization_simple
from statsmodels.tsa.holtwinters import ExponentialSmoothing

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "Workbench.Tests", "Fixtures",
                   "forecasting")
GENERATOR = (f"tools/reference/make_forecasting_fixtures.py with statsmodels {statsmodels.__version__}, "
             f"numpy {np.__version__}, scipy {scipy.__version__}, pandas {pandas.__version__}, mpmath {mpmath.__version__}")
HORIZON = 30
LEVEL = 0.95


def nums(a):
    """A list of floats for JSON; NaN becomes null (no forecast)."""
    return [None if (x is None or not np.isfinite(x)) else float(x) for x in np.asarray(a, dtype=float)]


def fmt(x):
    """A number as the C# spec printer writes it (shortest round trip)."""
    return repr(float(x)) if not float(x).is_integer() else str(int(x))


def write(name, payload):
    payload = {"generator": GENERATOR, **payload}
    path = os.path.join(OUT, name)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        json.dump(payload, f, indent=1, allow_nan=False)
        f.write("\n")
    print(f"wrote {os.path.relpath(path)}")


# ---------------------------------------------------------------------------------------------- exponential smoothing
def seasonal_series(n, m, seed):
    """Positive series with a linear trend, a multiplicative seasonal shape and Gaussian noise."""
    rs = np.random.RandomState(seed)
    t = np.arange(n)
    shape = 1 + 0.15 * np.sin(2 * np.pi * t / m) + 0.05 * np.cos(4 * np.pi * t / m)
    return (50 + 0.3 * t) * shape + 1.5 * rs.standard_normal(n)


def final_state_forecast(res, damped, phi, m, seasonal):
    """Textbook h-step forecasts from statsmodels' final level, trend and seasonal states."""
    level = float(np.asarray(res.level)[-1])
    trend = float(np.asarray(res.trend)[-1]) if res.model.has_trend else 0.0
    season = np.asarray(res.season)[-m:] if seasonal else None
    out = []
    phi_h = 0.0
    for h in range(1, HORIZON + 1):
        phi_h += (phi if damped else 1.0) ** h
        base = level + phi_h * trend
        if not seasonal:
            out.append(base)
            continue
        s = season[(h - 1) % m]  # s_{T+h-m(k+1)}: the last m states hold s_{T-m+1} .. s_T
        out.append(base * s if seasonal == "mul" else base + s)
    return np.array(out)


def ets_case(y, name, spec, alpha, beta=None, gamma=None, phi=None, m=None, seasonal=None):
    trend = "add" if beta is not None else None
    damped = phi is not None
    l0, b0, s0 = _initialization_simple(y, trend, seasonal, m)
    model = ExponentialSmoothing(y, trend=trend, damped_trend=damped, seasonal=seasonal,
                                 seasonal_periods=m if seasonal else None, initialization_method="known",
                                 initial_level=l0, initial_trend=b0, initial_seasonal=s0)
    res = model.fit(smoothing_level=alpha, smoothing_trend=beta, smoothing_seasonal=gamma, damping_trend=phi,
                    optimized=False)
    h_step = final_state_forecast(res, damped, phi, m, seasonal)
    sm_forecast = np.asarray(res.forecast(HORIZON))
    for h in range(1, HORIZON + 1):
        if not seasonal or h % m != 0:
            assert abs(sm_forecast[h - 1] - h_step[h - 1]) <= 1e-9 * abs(h_step[h - 1]), f"{name}: h={h}"
    case = {
        "name": name,
        "spec": spec,
        "warmup": 2 * m if seasonal else (2 if trend else 1),
        "initial_level": float(l0),
        "initial_trend": None if b0 is None else float(b0),
        "initial_seasonal": None if s0 is None else nums(s0),
        "one_step": nums(res.fittedvalues),
        "forecast_from_end": nums(h_step),
        "relative_variance": None,
    }
    if seasonal != "mul":
        ets = ETSModel(y, error="add", trend=trend, damped_trend=damped, seasonal=seasonal,
                       seasonal_periods=m if seasonal else None, initialization_method="known",
                       initial_level=l0, initial_trend=b0, initial_seasonal=s0)
        fixed = {"smoothing_level": alpha}
        if trend:
            fixed["smoothing_trend"] = alpha * beta
        if seasonal:
            fixed["smoothing_seasonal"] = gamma
        if damped:
            fixed["damping_trend"] = phi
        with ets.fix_params(fixed):
            r = ets.fit(disp=False)
        gap = np.max(np.abs(np.asarray(r.fittedvalues) - np.asarray(res.fittedvalues)))
        assert gap < 1e-9 * np.max(np.abs(y)), f"{name}: ETSModel and ExponentialSmoothing disagree by {gap}"
        case["relative_variance"] = nums(r._relative_forecast_variance(np.arange(1, HORIZON + 1)))
        ets_forecast = np.asarray(r.forecast(HORIZON))
        assert np.max(np.abs(ets_forecast - h_step)) <= 1e-9 * np.max(np.abs(h_step)), f"{name}: ETSModel forecast"
    return case


def exponential_smoothing():
    m = 12
    y = seasonal_series(96, m, seed=20240601)
    a, b, g, phi = 0.3, 0.1, 0.2, 0.9
    hw = f"holt-winters(alpha={fmt(a)},beta={fmt(b)},gamma={fmt(g)},period={m},seasonality="
    cases = [
        ets_case(y, "ses", f"ses(alpha={fmt(0.4)})", 0.4),
        ets_case(y, "holt", f"holt(alpha={fmt(0.4)},beta={fmt(0.2)})", 0.4, beta=0.2),
        ets_case(y, "holt-damped", f"holt(alpha={fmt(0.4)},beta={fmt(0.2)},damped=true,phi={fmt(phi)})", 0.4,
                 beta=0.2, phi=phi),
        ets_case(y, "hw-additive", hw + "additive)", a, b, g, m=m, seasonal="add"),
        ets_case(y, "hw-multiplicative", hw + "multiplicative)", a, b, g, m=m, seasonal="mul"),
        ets_case(y, "hw-additive-damped", hw + f"additive,damped=true,phi={fmt(phi)})", a, b, g, phi, m, "add"),
        ets_case(y, "hw-multiplicative-damped", hw + f"multiplicative,damped=true,phi={fmt(phi)})", a, b, g, phi, m,
                 "mul"),
    ]
    write("exponential_smoothing.json", {"series": nums(y), "horizon": HORIZON, "cases": cases})


# ---------------------------------------------------------------------------------------------------------- AR(p)
def ar_series(n, seed):
    """AR(3) with intercept: y_t = 4 + 0.5 y_{t-1} - 0.25 y_{t-2} + 0.15 y_{t-3} + e_t, e ~ N(0, 1), burn-in 100."""
    rs = np.random.RandomState(seed)
    e = rs.standard_normal(n + 100)
    y = np.zeros(n + 100)
    for t in range(3, n + 100):
        y[t] = 4 + 0.5 * y[t - 1] - 0.25 * y[t - 2] + 0.15 * y[t - 3] + e[t]
    return y[100:]


def lagged(y, p):
    """Regression rows j = p..len(y)-1: X = [1, y_{j-1}, .., y_{j-p}], target y_j."""
    x = np.column_stack([np.ones(len(y) - p)] + [y[p - i:len(y) - i] for i in range(1, p + 1)])
    return x, y[p:]


def ar_periodic(y, p, window, every, z):
    n_rows = len(y)
    one_step = np.full(n_rows, np.nan)
    lower = np.full(n_rows, np.nan)
    upper = np.full(n_rows, np.nan)
    fits = []
    for n in range(window, n_rows + 1, every):
        r = AutoReg(y[n - window:n], lags=p, trend="c").fit()
        params = np.asarray(r.params)
        sigma2 = float(np.sum(np.asarray(r.resid) ** 2) / (r.nobs - p - 1))
        fits.append({"rows": n, "params": nums(params), "sigma2": sigma2})
        for t in range(n, min(n + every, n_rows)):
            f = params[0] + sum(params[i] * y[t - i] for i in range(1, p + 1))
            one_step[t], lower[t], upper[t] = f, f - z * np.sqrt(sigma2), f + z * np.sqrt(sigma2)
    return one_step, lower, upper, fits


def ar_recursive(y, p, window, forget, z):
    n_rows = len(y)
    one_step = np.full(n_rows, np.nan)
    lower = np.full(n_rows, np.nan)
    upper = np.full(n_rows, np.nan)
    fits = []
    for n in range(window, n_rows):
        if forget == 1.0:
            r = AutoReg(y[:n], lags=p, trend="c").fit()
            params = np.asarray(r.params)
            sigma2 = float(np.sum(np.asarray(r.resid) ** 2) / (r.nobs - p - 1))
        else:
            x, target = lagged(y[:n], p)
            j = np.arange(p, n)
            w = np.where(j < window, forget ** (n - window), forget ** (n - 1 - j))
            r = WLS(target, x, weights=w).fit()
            params = np.asarray(r.params)
            sigma2 = float(np.sum(w * (target - x @ params) ** 2) / (np.sum(w) - p - 1))
        if n in (window, n_rows - 1):
            fits.append({"rows": n, "params": nums(params), "sigma2": sigma2})
        f = params[0] + sum(params[i] * y[n - i] for i in range(1, p + 1))
        one_step[n], lower[n], upper[n] = f, f - z * np.sqrt(sigma2), f + z * np.sqrt(sigma2)
    return one_step, lower, upper, fits


def ar():
    z = float(scipy.stats.norm.isf((1 - LEVEL) / 2))
    cases = []
    # (name, p, refit, window, every, forget); rows chosen so the last periodic fit ends at the series end.
    y = ar_series(300, seed=77)
    for name, p, refit, window, every, forget in [
        ("periodic-p2", 2, "periodic", 100, 25, 1.0),
        ("periodic-p3-every-row", 3, "periodic", 60, 1, 1.0),
        ("recursive-p2", 2, "recursive", 50, 1, 1.0),
        ("recursive-p3-forget", 3, "recursive", 40, 1, 0.98),
    ]:
        spec = f"ar(p={p},refit={refit},every={every},window={window},forget={fmt(forget)})"
        if refit == "periodic":
            one, lo, up, fits = ar_periodic(y, p, window, every, z)
        else:
            one, lo, up, fits = ar_recursive(y, p, window, forget, z)
        case = {"name": name, "spec": spec, "one_step": nums(one), "lower": nums(lo), "upper": nums(up),
                "fits": fits, "forecast_from_end": None, "relative_variance": None}
        if refit == "periodic":
            assert (len(y) - window) % every == 0, "the last periodic fit must end with the series"
            r = AutoReg(y[-window:], lags=p, trend="c").fit()
            pred = r.get_prediction(start=window, end=window + HORIZON - 1)
            case["forecast_from_end"] = nums(pred.predicted_mean)
            case["relative_variance"] = nums(np.asarray(pred.var_pred_mean) / r.sigma2)
        cases.append(case)
    write("ar.json", {"series": nums(y), "level": LEVEL, "horizon": HORIZON, "cases": cases})


def t_quantile(level, df):
    """Student-t quantile at (1 + level) / 2 to 30 digits (the upper tail solved with mpmath's incomplete beta)."""
    with mpmath.workdps(30):
        nu = mpmath.mpf(df)
        tail = (1 - mpmath.mpf(level)) / 2

        def excess(x):
            return 0.5 * mpmath.betainc(nu / 2, mpmath.mpf(1) / 2, 0, nu / (nu + x * x), regularized=True) - tail

        start = mpmath.mpf(scipy.stats.t.isf((1 - level) / 2, df))
        return float(mpmath.findroot(excess, start))


def quantiles():
    levels = [0.5, 0.8, 0.9, 0.95, 0.99, 0.999, 0.999999, 0.1, 0.01]
    t_cases = [(level, df) for df in (1, 2, 3, 4, 5, 13, 30, 101, 1000, 1999, 2000, 2001, 5000, 100000)
               for level in (0.5, 0.8, 0.95, 0.99, 0.999999)]
    write("quantiles.json", {
        "levels": levels,
        "z": [float(scipy.stats.norm.isf((1 - v) / 2)) for v in levels],
        "t_levels": [c[0] for c in t_cases],
        "t_df": [c[1] for c in t_cases],
        "t": [t_quantile(level, df) for level, df in t_cases],
        "t_scipy": [float(scipy.stats.t.isf((1 - level) / 2, df)) for level, df in t_cases],
    })


if __name__ == "__main__":
    if not os.path.isdir(OUT):
        os.makedirs(OUT)
    exponential_smoothing()
    ar()
    quantiles()
    sys.exit(0)
