namespace Workbench.Generation;

/// <summary>
/// The valid range of a metric's values, [<see cref="Min"/>, <see cref="Max"/>] inclusive. The generator clamps the
/// base signal into it, and every injector clamps the values it changes into it (an error-rate spike never exceeds
/// 1, a throughput drop never goes below 0). Infinite bounds mean "unbounded on that side".
/// </summary>
/// <param name="Min">The lower bound; <see cref="double.NegativeInfinity"/> when unbounded.</param>
/// <param name="Max">The upper bound; <see cref="double.PositiveInfinity"/> when unbounded. Must be greater than
/// <paramref name="Min"/> (a valid range is never a single point, which also makes <c>default</c> invalid).</param>
public readonly record struct ValueRange(double Min, double Max)
{
    /// <summary>(−∞, +∞): no clamping.</summary>
    public static ValueRange Unbounded => new(double.NegativeInfinity, double.PositiveInfinity);

    /// <summary>[0, +∞), e.g. a throughput or a latency.</summary>
    public static ValueRange NonNegative => new(0, double.PositiveInfinity);

    /// <summary>[0, 1], e.g. an error rate.</summary>
    public static ValueRange UnitInterval => new(0, 1);

    /// <summary>Whether both bounds are infinite.</summary>
    public bool IsUnbounded => double.IsNegativeInfinity(Min) && double.IsPositiveInfinity(Max);

    /// <summary><paramref name="value"/> moved into the range.</summary>
    public double Clamp(double value) => value < Min ? Min : value > Max ? Max : value;

    /// <summary>Whether <paramref name="value"/> lies in the range.</summary>
    public bool Contains(double value) => value >= Min && value <= Max;

    /// <summary>The reason the range is invalid, or null when it is valid.</summary>
    internal string? Problem()
    {
        if (double.IsNaN(Min) || double.IsNaN(Max))
        {
            return "bounds must not be NaN";
        }

        if (double.IsPositiveInfinity(Min) || double.IsNegativeInfinity(Max))
        {
            return "min cannot be +∞ and max cannot be −∞";
        }

        return Min < Max ? null : $"min ({Min}) must be less than max ({Max})";
    }

    /// <summary>Throws <see cref="ArgumentException"/> naming <paramref name="paramName"/> when the range is invalid.</summary>
    internal void Validate(string paramName)
    {
        if (Problem() is { } problem)
        {
            throw new ArgumentException($"Invalid value range [{Min}, {Max}]: {problem}.", paramName);
        }
    }

    public override string ToString() => $"[{Min}, {Max}]";
}
