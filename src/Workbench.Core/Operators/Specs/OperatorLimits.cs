namespace Workbench.Operators.Specs;

/// <summary>
/// Limits on operator specs and parameters, so that a hostile or mistyped spec gives one clear error instead of a
/// stack overflow or an out-of-memory abort (docs/DETECTORS.md, "Limits").
/// </summary>
public static class OperatorLimits
{
    /// <summary>
    /// The deepest nesting of parentheses a spec may have (e.g. <c>ensemble(members=ensemble(members=zscore))</c> has
    /// depth 2). Real specs nest 3 or 4 deep; a deeper one is rejected before anything is bound.
    /// </summary>
    public const int MaxNestingDepth = 32;

    /// <summary>
    /// The largest window, history or buffer length (in values) a parameter may ask for: 1,000,000 values, i.e. at
    /// most 8 MB per buffer and series (a week of 1-second data is 604,800 values).
    /// </summary>
    public const int MaxWindow = 1_000_000;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> unless <paramref name="value"/> is in [<paramref name="min"/>, <see cref="MaxWindow"/>].</summary>
    /// <param name="value">The parameter value.</param>
    /// <param name="min">The smallest valid value.</param>
    /// <param name="name">The parameter's spec name, for the message.</param>
    public static void CheckWindow(int value, int min, string name)
    {
        if (value < min)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be >= {min}");
        }

        if (value > MaxWindow)
        {
            throw new ArgumentOutOfRangeException(name, value, $"{name} must be <= {MaxWindow} (got {value}; the limit keeps buffers at most 8 MB per series)");
        }
    }
}
