using System.Globalization;
using System.Text;

namespace Workbench.Operators.Specs;

/// <summary>
/// A compact operator spec as typed on the command line or in a notebook: <c>name</c> or
/// <c>name(key=value,key=value)</c>, e.g. <c>zscore(window=288,threshold=4)</c>. Names and keys are
/// lower-case letters, digits, <c>-</c> and <c>_</c>; values are any text without <c>,</c> <c>(</c> <c>)</c> <c>=</c>.
/// This is only the syntax: <see cref="OperatorDescriptor{TOptions}"/> binds it to typed options.
/// </summary>
public sealed record OperatorSpec(string Name, IReadOnlyList<KeyValuePair<string, string>> Arguments)
{
    /// <summary>Parses <paramref name="text"/>; white space around tokens is ignored.</summary>
    /// <exception cref="OperatorSpecException">The text is not a well-formed spec; the message shows where.</exception>
    public static OperatorSpec Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
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

        foreach (var part in body.Split(','))
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

            if (value.Length == 0 || value.IndexOfAny(['(', ')', '=']) >= 0)
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

    private static bool IsIdentifier(string s) =>
        s.Length > 0 && s.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') && char.IsAsciiLetter(s[0]);
}

/// <summary>A malformed or invalid operator spec; the message names the spec and the problem.</summary>
public sealed class OperatorSpecException(string spec, string problem)
    : Exception($"invalid spec '{spec}': {problem}")
{
    /// <summary>The spec text as given.</summary>
    public string Spec { get; } = spec;

    /// <summary>What is wrong.</summary>
    public string Problem { get; } = problem;
}
