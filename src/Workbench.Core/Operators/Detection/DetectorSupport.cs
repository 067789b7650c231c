using System.Globalization;
using Workbench.Operators.Forecasting;
using Workbench.Operators.Specs;

namespace Workbench.Operators.Detection;

/// <summary>Numeric helpers shared by the detectors.</summary>
internal static class DetectorMath
{
    /// <summary>
    /// A scale (σ, MAD, IQR …) floored at 1e-12·max(1, |level|), so a flat baseline gives a huge but finite score for
    /// any change and 0 for no change, never NaN or ∞.
    /// </summary>
    public static double Floor(double scale, double level) => Math.Max(scale, 1e-12 * Math.Max(1, Math.Abs(level)));

    /// <summary>
    /// <see cref="Floor(double, double)"/> for a scale and level given in units of <paramref name="unit"/> (a power of
    /// two, e.g. 2^−544 for statistics kept scaled): the floor 1e-12·max(1, |level|) expressed in the same units.
    /// </summary>
    public static double Floor(double scale, double level, double unit) => Math.Max(scale, 1e-12 * Math.Max(unit, Math.Abs(level)));

    /// <summary>
    /// Clamps to the finite range: +∞ becomes <see cref="double.MaxValue"/>, −∞ becomes −<see cref="double.MaxValue"/>
    /// (a score or sum whose true value exceeds the double range saturates; documented in docs/DETECTORS.md). Finite
    /// values pass unchanged; NaN stays NaN (the kernels never produce one).
    /// </summary>
    public static double Saturate(double value) =>
        value > double.MaxValue ? double.MaxValue : value < -double.MaxValue ? -double.MaxValue : value;

    /// <summary>
    /// <paramref name="numerator"/> / <paramref name="denominator"/>, saturated (see <see cref="Saturate"/>); a zero
    /// denominator gives 0 for a zero numerator and ±<see cref="double.MaxValue"/> otherwise, never NaN or ∞. Equal to the
    /// plain quotient whenever that is finite.
    /// </summary>
    public static double Ratio(double numerator, double denominator)
    {
        if (denominator == 0)
        {
            return numerator == 0 ? 0 : numerator > 0 ? double.MaxValue : -double.MaxValue;
        }

        return Saturate(numerator / denominator);
    }

    /// <summary>
    /// The factor (1 or ½) by which the quantile-based detectors scale a window before taking differences: ½ when the
    /// window's extremes or <paramref name="x"/> exceed a quarter of the double range, so that no difference of two
    /// values can overflow. Halving is exact for normal doubles, so the score (a ratio) is unchanged.
    /// </summary>
    public static double QuantileScale(ReadOnlySpan<double> sorted, double x)
    {
        const double quarter = double.MaxValue / 4;
        return Math.Abs(x) > quarter || (sorted.Length > 0 && (Math.Abs(sorted[0]) > quarter || Math.Abs(sorted[^1]) > quarter)) ? 0.5 : 1;
    }

    /// <summary>
    /// The complementary error function erfc(x) = 1 − erf(x). For |x| &lt; 3 it sums the series
    /// erf(x) = (2/√π)·e^(−x²)·Σ 2ⁿx^(2n+1)/(1·3·…·(2n+1)), whose terms are all positive (no cancellation; absolute
    /// error ≈ 1e-16); for |x| ≥ 3 it evaluates the continued fraction
    /// erfc(x) = e^(−x²)/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))) by the modified Lentz method (relative error
    /// ≈ 1e-15). erfc(−x) = 2 − erfc(x).
    /// </summary>
    public static double Erfc(double x)
    {
        if (double.IsNaN(x))
        {
            return double.NaN;
        }

        if (x < 0)
        {
            return 2 - Erfc(-x);
        }

        if (x < 3)
        {
            var x2 = x * x;
            var term = x;
            var sum = x;
            for (var n = 1; n < 200; n++)
            {
                term *= 2 * x2 / ((2 * n) + 1);
                sum += term;
                if (term < 1e-17 * sum)
                {
                    break;
                }
            }

            return 1 - (2 / Math.Sqrt(Math.PI) * Math.Exp(-x2) * sum);
        }

        if (x > 27)
        {
            return 0; // erfc(27) ≈ 5e-319: below the smallest double's useful range.
        }

        // Lentz: f = b0 + a1/(b1 + a2/(b2 + …)) with b = x, a_k = k/2.
        const double tiny = 1e-300;
        var f = x;
        var c = x;
        var d = 0.0;
        for (var k = 1; k < 500; k++)
        {
            var a = k * 0.5;
            d = x + (a * d);
            d = Math.Abs(d) < tiny ? tiny : d;
            c = x + (a / c);
            c = Math.Abs(c) < tiny ? tiny : c;
            d = 1 / d;
            var delta = c * d;
            f *= delta;
            if (Math.Abs(delta - 1) < 1e-16)
            {
                break;
            }
        }

        return Math.Exp(-x * x) / Math.Sqrt(Math.PI) / f;
    }
}

/// <summary>Spec bindings shared by the detectors: optional numbers and nested operator specs.</summary>
internal static class DetectorSpecs
{
    /// <summary>The text of an absent optional value.</summary>
    public const string None = "none";

    /// <summary>Declares an optional finite number, written <c>none</c> when absent.</summary>
    public static OperatorDescriptor<T> OptionalDouble<T>(this OperatorDescriptor<T> d, string name, string description, Func<T, double?> get, Func<T, double?, T> set)
        where T : notnull =>
        d.Custom(name, "double|none", description, o => get(o) is { } v ? OperatorSpec.Format(v) : None, (o, text) =>
        {
            if (text == None)
            {
                return set(o, null);
            }

            return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)
                ? set(o, v)
                : throw new FormatException($"parameter '{name}' = '{text}' is not a finite number or none");
        });

    /// <summary>Declares a nested forecaster spec, resolved through <see cref="OperatorCatalog.Current"/>.</summary>
    public static OperatorDescriptor<T> Forecaster<T>(this OperatorDescriptor<T> d, string name, string description, Func<T, IForecaster?> get, Func<T, IForecaster?, T> set)
        where T : notnull =>
        d.Custom(name, "forecaster-spec", description, o => get(o)?.Spec ?? None, (o, text) =>
        {
            if (text == None)
            {
                return set(o, null);
            }

            try
            {
                return set(o, OperatorCatalog.Current.ParseForecaster(text));
            }
            catch (OperatorSpecException e)
            {
                throw new FormatException($"parameter '{name}': {e.Message}", e);
            }
        });

    /// <summary>Declares a list of nested detector specs joined by <c>+</c> at the top level.</summary>
    public static OperatorDescriptor<T> Detectors<T>(this OperatorDescriptor<T> d, string name, string description, Func<T, IReadOnlyList<IDetector>> get, Func<T, IReadOnlyList<IDetector>, T> set)
        where T : notnull =>
        d.Custom(name, "detector-specs", description, o => get(o).Count == 0 ? None : string.Join('+', get(o).Select(m => m.Spec)), (o, text) =>
        {
            if (text == None)
            {
                return set(o, []);
            }

            var members = new List<IDetector>();
            foreach (var part in SplitTopLevel(text, '+'))
            {
                try
                {
                    members.Add(OperatorCatalog.Current.ParseDetector(part));
                }
                catch (OperatorSpecException e)
                {
                    throw new FormatException($"parameter '{name}': {e.Message}", e);
                }
            }

            return set(o, members);
        });

    /// <summary>Splits at <paramref name="separator"/> outside parentheses.</summary>
    public static List<string> SplitTopLevel(string text, char separator)
    {
        var parts = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c == '(')
            {
                depth++;
            }
            else if (c == ')')
            {
                depth--;
            }
            else if (c == separator && depth == 0)
            {
                parts.Add(text[start..i]);
                start = i + 1;
            }
        }

        parts.Add(text[start..]);
        return parts;
    }
}
