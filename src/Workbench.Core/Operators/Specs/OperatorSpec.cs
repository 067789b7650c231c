using System.Globalization;
using System.Text;

namespace Workbench.Operators.Specs;

/// <summary>
/// A compact operator spec as typed on the command line or in a notebook: <c>name</c> or
/// <c>name(key=value,key=value)</c>, e.g. <c>zscore(window=288,threshold=4)</c>. Names and keys are
/// lower-case letters, digits, <c>-</c> and <c>_</c>; values are any text without <c>,</c> <c>(</c> <c>)</c> <c>=</c>,
/// except that a value may contain nested specs: text in balanced parentheses may hold <c>,</c> and <c>=</c>, e.g.
/// <c>forecast-residual(forecaster=holt-winters(alpha=0.3,period=24),window=100)</c>. Arguments are split only at
/// top-level commas. This is only the syntax: <see cref="OperatorDescriptor{TOptions}"/> binds it to typed options.
/// </summary>
public sealed record OperatorSpec(string Name, IReadOnlyList<KeyValuePair<string, string>> Arguments)
{
    /// <summary>Parses <paramref name="text"/>; white space around tokens is ignored.</summary>
    /// <exception cref="OperatorSpecException">The text is not a well-formed spec; the message shows where.</exception>
    public static OperatorSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var nesting = NestingDepth(text);
        if (nesting > OperatorLimits.MaxNestingDepth)
        {
            throw new OperatorSpecException(text, $"nested {nesting} levels deep; at most {OperatorLimits.MaxNestingDepth} levels of parentheses are allowed");
        }

        var s = text.Trim();
        var open = s.IndexOf('(', StringComparison.Ordinal);
        var name = (open < 0 ? s : s[..open]).Trim();
        if (!IsIdentifier(name))
        {
            throw new OperatorSpecException(text, $"'{name}' is not an operator name (letters, digits, '-', '_')");
        }

        if (open < 0)
        {
            return new OperatorSpec(name.ToLowerInvariant(), []);
        }

        if (!s.EndsWith(')'))
        {
            throw new OperatorSpecException(text, "missing ')' at the end");
        }

        var body = s[(open + 1)..^1];
        var args = new List<KeyValuePair<string, string>>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        if (body.Trim().Length == 0)
        {
            return new OperatorSpec(name.ToLowerInvariant(), args);
        }

        foreach (var part in SplitTopLevel(text, body))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                throw new OperatorSpecException(text, $"'{part.Trim()}' is not key=value");
            }

            var key = part[..eq].Trim().ToLowerInvariant();
            var value = part[(eq + 1)..].Trim();
            if (!IsIdentifier(key))
            {
                throw new OperatorSpecException(text, $"'{key}' is not a parameter name");
            }

            if (value.Length == 0 || !IsValue(value))
            {
                throw new OperatorSpecException(text, $"parameter '{key}' has no valid value");
            }

            if (!seen.Add(key))
            {
                throw new OperatorSpecException(text, $"parameter '{key}' is given twice");
            }

            args.Add(new(key, value));
        }

        return new OperatorSpec(name.ToLowerInvariant(), args);
    }

    /// <summary>The canonical text: <c>name(k=v,…)</c>, or just <c>name</c> without arguments.</summary>
    public override string ToString()
    {
        if (Arguments.Count == 0)
        {
            return Name;
        }

        var sb = new StringBuilder(Name).Append('(');
        for (var i = 0; i < Arguments.Count; i++)
        {
            if (i > 0)
            {
                sb.Append(',');
            }

            sb.Append(Arguments[i].Key).Append('=').Append(Arguments[i].Value);
        }

        return sb.Append(')').ToString();
    }

    /// <summary>Formats a number the way specs print it: invariant, shortest round-trip form.</summary>
    public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>Formats an integer the way specs print it.</summary>
    public static string Format(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>
    /// Splits <paramref name="body"/> at commas outside parentheses; throws when the parentheses do not balance.
    /// </summary>
    private static List<string> SplitTopLevel(string text, string body)
    {
        var parts = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < body.Length; i++)
        {
            switch (body[i])
            {
                case '(':
                    depth++;
                    break;
                case ')' when depth == 0:
                    throw new OperatorSpecException(text, $"unbalanced ')' at position {i + 1} of the arguments");
                case ')':
                    depth--;
                    break;
                case ',' when depth == 0:
                    parts.Add(body[start..i]);
                    start = i + 1;
                    break;
            }
        }

        if (depth != 0)
        {
            throw new OperatorSpecException(text, "unbalanced '(' in the arguments");
        }

        parts.Add(body[start..]);
        return parts;
    }

    /// <summary>
    /// A value is plain text without ( ) = , or text whose ( ) = , all sit inside balanced parentheses that each
    /// follow a name (a nested spec such as <c>naive</c> or <c>holt-winters(alpha=0.3)</c>).
    /// </summary>
    private static bool IsValue(string value)
    {
        var depth = 0;
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            if (c == '(')
            {
                if (i == 0 || !(char.IsAsciiLetterOrDigit(value[i - 1]) || value[i - 1] is '-' or '_'))
                {
                    return false;
                }

                depth++;
            }
            else if (c == ')')
            {
                depth--;
            }
            else if (c is '=' or ',' && depth == 0)
            {
                return false;
            }
        }

        return depth == 0;
    }

    /// <summary>The deepest nesting of '(' in <paramref name="text"/> (unbalanced text is reported later).</summary>
    private static int NestingDepth(string text)
    {
        var depth = 0;
        var max = 0;
        foreach (var c in text)
        {
            if (c == '(')
            {
                max = Math.Max(max, ++depth);
            }
            else if (c == ')')
            {
                depth--;
            }
        }

        return max;
    }

    private static bool IsIdentifier(string s) =>
        s.Length > 0 && s.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') && char.IsAsciiLetter(s[0]);
}

/// <summary>
/// A malformed or invalid operator spec; the message names the spec and the problem on one line. A spec longer than
/// <see cref="MaxQuotedLength"/> characters is quoted by its start and its length (<see cref="Spec"/> keeps it whole).
/// </summary>
public sealed class OperatorSpecException(string spec, string problem)
    : Exception($"invalid spec '{Quote(spec)}': {problem}")
{
    /// <summary>The longest spec quoted whole in the message.</summary>
    public const int MaxQuotedLength = 400;

    /// <summary>The spec text as given.</summary>
    public string Spec { get; } = spec;

    /// <summary>What is wrong.</summary>
    public string Problem { get; } = problem;

    private static string Quote(string spec) =>
        spec is null || spec.Length <= MaxQuotedLength
            ? spec ?? string.Empty
            : $"{spec[..80]}… ({spec.Length.ToString(CultureInfo.InvariantCulture)} characters)";
}
