namespace Workbench.Operators.Specs;

/// <summary>The parameters of a spec as a flat list: nested specs' parameters under their path (<c>forecaster.alpha</c>).</summary>
public static class SpecParameters
{
    /// <summary>
    /// Every parameter of <paramref name="spec"/> in spec order; a nested spec value gives an entry with its operator name
    /// (<c>benchmark = daily-profile</c>) followed by its own parameters under the path (<c>benchmark.k = 3</c>).
    /// </summary>
    /// <exception cref="OperatorSpecException">The text is not a well-formed spec.</exception>
    public static IReadOnlyList<KeyValuePair<string, string>> Flatten(string spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var result = new List<KeyValuePair<string, string>>();
        Add(OperatorSpec.Parse(spec), string.Empty, result, 0);
        return result;
    }

    private static void Add(OperatorSpec spec, string prefix, List<KeyValuePair<string, string>> result, int depth)
    {
        if (depth > 32)
        {
            throw new OperatorSpecException(spec.ToString(), "specs nest more than 32 deep");
        }

        foreach (var (key, value) in spec.Arguments)
        {
            var path = prefix.Length == 0 ? key : prefix + "." + key;
            if (value.Contains('(', StringComparison.Ordinal))
            {
                var nested = OperatorSpec.Parse(value);
                result.Add(new(path, nested.Name));
                Add(nested, path, result, depth + 1);
            }
            else
            {
                result.Add(new(path, value));
            }
        }
    }
}
