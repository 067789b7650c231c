using System.Globalization;

namespace Workbench.Operators.Specs;

/// <summary>One point of an expanded grid: the operator spec and the values of the parameters the grid varies.</summary>
/// <param name="Spec">The spec text of this point, e.g. <c>zscore(window=288,threshold=4)</c>.</param>
/// <param name="Index">The point's position in the expansion (0-based).</param>
/// <param name="Parameters">The varied parameters and their values at this point, in the grid's order; nested
/// parameters are named by their path (<c>forecaster.alpha</c>).</param>
public sealed record GridPoint(string Spec, int Index, IReadOnlyList<KeyValuePair<string, string>> Parameters);

/// <summary>
/// Parameter grids over operator specs: a value may be a <b>list</b> <c>[a,b,c]</c> or an inclusive <b>range</b>
/// <c>start..end:step</c> (numbers; <c>step</c> &gt; 0; the end is included when it falls on a step, to 1e-9 of a step),
/// also inside nested specs (<c>scaling-ratio(forecaster=holt-winters(alpha=[0.3,0.5]),benchmark=naive)</c>).
/// <see cref="Expand"/> gives every combination, the first varied parameter slowest and the last fastest (nested ones in
/// their place), so the order — and a leaderboard built from it — is a pure function of the grid text. A spec without a
/// list or range expands to itself. Each point's spec is ordinary spec text; the catalog validates it.
/// </summary>
public static class SpecGrid
{
    /// <summary>The default limit on the points of one grid (<c>--max-points</c>).</summary>
    public const int DefaultMaxPoints = 10_000;

    /// <summary>The most elements one list or range may have.</summary>
    public const int MaxValuesPerParameter = 1_000_000;

    /// <summary>Whether <paramref name="text"/> holds a list or a range anywhere (so it is a grid, not a single spec).</summary>
    public static bool IsGrid(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Contains('[', StringComparison.Ordinal) || text.Contains("..", StringComparison.Ordinal);
    }

    /// <summary>Every point of <paramref name="grid"/>, in order.</summary>
    /// <param name="grid">The grid text.</param>
    /// <param name="maxPoints">The most points allowed (≥ 1).</param>
    /// <exception cref="OperatorSpecException">Malformed text, an empty list, a bad range, or more than <paramref name="maxPoints"/> points; the message says which and how to fix it.</exception>
    public static IReadOnlyList<GridPoint> Expand(string grid, int maxPoints = DefaultMaxPoints)
    {
        ArgumentNullException.ThrowIfNull(grid);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxPoints, 1);
        var node = ParseNode(grid, grid.Trim(), string.Empty, 0);
        var count = node.Count(grid);
        if (count > maxPoints)
        {
            throw new OperatorSpecException(grid, string.Create(CultureInfo.InvariantCulture,
                $"the grid has {count:N0} points, more than the limit of {maxPoints:N0}; narrow a list or range, or raise --max-points"));
        }

        var points = new List<GridPoint>((int)count);
        foreach (var (text, parameters) in node.Enumerate())
        {
            points.Add(new GridPoint(node.Render(text), points.Count, parameters));
        }

        return points;
    }

    private const int MaxDepth = 32;

    /// <summary>A spec node: its name and, per argument, the alternatives (plain values or nested nodes).</summary>
    private sealed record Node(string Name, IReadOnlyList<(string Key, string Path, IReadOnlyList<Alternative> Values, bool Varied)> Arguments)
    {
        public double Count(string grid)
        {
            var n = 1.0;
            foreach (var a in Arguments)
            {
                n *= a.Values.Sum(v => v.Nested?.Count(grid) ?? 1);
                if (n > int.MaxValue)
                {
                    throw new OperatorSpecException(grid, "the grid has more than 2,147,483,647 points; narrow a list or range");
                }
            }

            return n;
        }

        public IEnumerable<(string Text, List<KeyValuePair<string, string>> Parameters)> Enumerate() => Enumerate(0);

        private IEnumerable<(string Text, List<KeyValuePair<string, string>> Parameters)> Enumerate(int from)
        {
            if (from == Arguments.Count)
            {
                yield return (string.Empty, []);
                yield break;
            }

            var (key, path, values, varied) = Arguments[from];
            foreach (var v in values)
            {
                foreach (var (text, parameters) in Heads(v, path, varied, values.Count > 1))
                {
                    foreach (var (rest, restParameters) in Enumerate(from + 1))
                    {
                        var list = new List<KeyValuePair<string, string>>(parameters.Count + restParameters.Count);
                        list.AddRange(parameters);
                        list.AddRange(restParameters);
                        yield return ((from == 0 ? string.Empty : ",") + key + "=" + text + rest, list);
                    }
                }
            }
        }

        /// <summary>The texts one alternative gives, with the parameters they set (a nested spec: each of its points).</summary>
        private static IEnumerable<(string Text, List<KeyValuePair<string, string>> Parameters)> Heads(Alternative v, string path, bool varied, bool several)
        {
            if (v.Nested is null)
            {
                yield return (v.Text, varied ? [new(path, v.Text)] : []);
                yield break;
            }

            foreach (var (inner, parameters) in v.Nested.Enumerate())
            {
                var text = v.Nested.Render(inner);
                var list = new List<KeyValuePair<string, string>>();
                if (several)
                {
                    list.Add(new(path, v.Nested.Name));
                }

                list.AddRange(parameters);
                yield return (text, list);
            }
        }

        /// <summary>The spec text from the rendered argument list (which starts without a comma).</summary>
        public string Render(string arguments) => Arguments.Count == 0 ? Name : Name + "(" + arguments + ")";
    }

    private sealed record Alternative(string Text, Node? Nested);

    private static Node ParseNode(string grid, string text, string prefix, int depth)
    {
        if (depth > MaxDepth)
        {
            throw new OperatorSpecException(grid, $"specs nest more than {MaxDepth} deep");
        }

        var open = text.IndexOf('(', StringComparison.Ordinal);
        var name = (open < 0 ? text : text[..open]).Trim();
        if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') || !char.IsAsciiLetter(name[0]))
        {
            throw new OperatorSpecException(grid, $"'{name}' is not an operator name (letters, digits, '-', '_')");
        }

        name = name.ToLowerInvariant();
        if (open < 0)
        {
            return new Node(name, []);
        }

        if (!text.EndsWith(')'))
        {
            throw new OperatorSpecException(grid, $"missing ')' at the end of '{text}'");
        }

        var body = text[(open + 1)..^1];
        var arguments = new List<(string, string, IReadOnlyList<Alternative>, bool)>();
        if (body.Trim().Length == 0)
        {
            return new Node(name, arguments);
        }

        foreach (var part in Split(grid, body, ','))
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq < 0)
            {
                throw new OperatorSpecException(grid, $"'{part.Trim()}' is not key=value");
            }

            var key = part[..eq].Trim().ToLowerInvariant();
            var value = part[(eq + 1)..].Trim();
            var path = prefix.Length == 0 ? key : prefix + "." + key;
            if (value.Length == 0)
            {
                throw new OperatorSpecException(grid, $"parameter '{path}' has no value");
            }

            IReadOnlyList<string> texts;
            var varied = false;
            if (value.StartsWith('['))
            {
                if (!value.EndsWith(']'))
                {
                    throw new OperatorSpecException(grid, $"parameter '{path}': the list '{value}' has no closing ']'");
                }

                texts = [.. Split(grid, value[1..^1], ',').Select(v => v.Trim())];
                if (texts.Count == 0 || texts.All(t => t.Length == 0))
                {
                    throw new OperatorSpecException(grid, $"parameter '{path}' has an empty list; give at least one value, e.g. {key}=[1,2]");
                }

                if (texts.Any(t => t.Length == 0))
                {
                    throw new OperatorSpecException(grid, $"parameter '{path}': the list '{value}' has an empty element");
                }

                varied = texts.Count > 1;
            }
            else if (!value.Contains('(', StringComparison.Ordinal) && value.Contains("..", StringComparison.Ordinal))
            {
                texts = Range(grid, path, value);
                varied = texts.Count > 1;
            }
            else
            {
                texts = [value];
            }

            if (texts.Count > MaxValuesPerParameter)
            {
                throw new OperatorSpecException(grid, string.Create(CultureInfo.InvariantCulture, $"parameter '{path}' has {texts.Count:N0} values, more than {MaxValuesPerParameter:N0}"));
            }

            var alternatives = texts.Select(t => t.Contains('(', StringComparison.Ordinal)
                    ? new Alternative(t, ParseNode(grid, t, path, depth + 1))
                    : new Alternative(t, null))
                .ToArray();
            if (alternatives.Length > 1 && alternatives.Any(a => a.Nested is not null))
            {
                varied = true; // a list of nested specs: the path names which one
            }

            arguments.Add((key, path, alternatives, varied || alternatives.Any(a => a.Nested is not null && a.Nested.Arguments.Any(x => x.Item4))));
        }

        return new Node(name, arguments);
    }

    /// <summary><c>start..end:step</c>, inclusive; integers stay integers.</summary>
    private static List<string> Range(string grid, string path, string value)
    {
        var dots = value.IndexOf("..", StringComparison.Ordinal);
        var colon = value.IndexOf(':', dots + 2);
        if (colon < 0)
        {
            throw new OperatorSpecException(grid, $"parameter '{path}': the range '{value}' needs a step, e.g. 60..300:60");
        }

        var inv = CultureInfo.InvariantCulture;
        if (!double.TryParse(value[..dots], NumberStyles.Float, inv, out var start)
            || !double.TryParse(value[(dots + 2)..colon], NumberStyles.Float, inv, out var end)
            || !double.TryParse(value[(colon + 1)..], NumberStyles.Float, inv, out var step)
            || !double.IsFinite(start) || !double.IsFinite(end) || !double.IsFinite(step))
        {
            throw new OperatorSpecException(grid, $"parameter '{path}': the range '{value}' is not start..end:step with finite numbers");
        }

        if (!(step > 0) || end < start)
        {
            throw new OperatorSpecException(grid, $"parameter '{path}': the range '{value}' needs end >= start and step > 0");
        }

        var n = Math.Floor(((end - start) / step) + 1e-9) + 1;
        if (n > MaxValuesPerParameter)
        {
            throw new OperatorSpecException(grid, string.Create(inv, $"parameter '{path}': the range '{value}' has {n:N0} values, more than {MaxValuesPerParameter:N0}"));
        }

        var integral = IsInteger(value[..dots]) && IsInteger(value[(dots + 2)..colon]) && IsInteger(value[(colon + 1)..]);
        var values = new List<string>((int)n);
        for (var i = 0; i < (int)n; i++)
        {
            var x = start + (i * step);
            values.Add(integral ? OperatorSpec.Format((long)Math.Round(x)) : OperatorSpec.Format(Math.Round(x, 12)));
        }

        return values;
    }

    private static bool IsInteger(string s) => long.TryParse(s.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _);

    /// <summary>Splits at <paramref name="separator"/> outside ( ) and [ ].</summary>
    private static List<string> Split(string grid, string body, char separator)
    {
        var parts = new List<string>();
        var depth = 0;
        var start = 0;
        for (var i = 0; i < body.Length; i++)
        {
            var c = body[i];
            if (c is '(' or '[')
            {
                depth++;
            }
            else if (c is ')' or ']')
            {
                if (--depth < 0)
                {
                    throw new OperatorSpecException(grid, $"unbalanced '{c}' in '{body}'");
                }
            }
            else if (c == separator && depth == 0)
            {
                parts.Add(body[start..i]);
                start = i + 1;
            }
        }

        if (depth != 0)
        {
            throw new OperatorSpecException(grid, $"unbalanced brackets in '{body}'");
        }

        parts.Add(body[start..]);
        return parts;
    }
}
