using Workbench.Core;

namespace Workbench.Generation;

/// <summary>
/// The parameters of one injected anomaly event; one sealed record per kind (<see cref="SpikeOptions"/>,
/// <see cref="LevelShiftOptions"/>, <see cref="DriftOptions"/>, <see cref="MissingOptions"/>,
/// <see cref="SeasonalOptions"/>). The same record drives the array injector (<see cref="AnomalyInjector"/>), the
/// Rx operators (<see cref="InjectionObservableExtensions"/>) and the dataset generator, so the three give identical
/// values.
/// <para>
/// An event covers <see cref="Span"/> consecutive observations from its start (event offset <c>k = 0, 1, …</c>).
/// For each covered point the injector computes the new value from the incoming one, clamps it into
/// <see cref="Range"/>, and labels the point with the event's kind and id <b>only if the value actually changed</b>
/// (compared exactly). A missing (null) incoming value is never changed by any kind.
/// </para>
/// </summary>
public abstract record InjectionOptions
{
    private protected InjectionOptions()
    {
    }

    /// <summary>The anomaly kind this record injects.</summary>
    public abstract AnomalyKind Kind { get; }

    /// <summary>
    /// The metric's valid range; changed values are clamped into it. Default <see cref="ValueRange.Unbounded"/>.
    /// A point whose clamped value equals its incoming value is unchanged and therefore not labelled.
    /// </summary>
    public ValueRange Range { get; init; } = ValueRange.Unbounded;

    /// <summary>
    /// The number of observations the event covers from its start, or null when it lasts to the end of the series
    /// (a permanent level shift, a drift held to the end).
    /// </summary>
    public abstract long? Span { get; }

    /// <summary>
    /// Throws <see cref="ArgumentException"/> (or <see cref="ArgumentOutOfRangeException"/>) naming the offending
    /// property when a parameter is outside its documented range.
    /// </summary>
    public virtual void Validate() => Range.Validate(nameof(Range));

    /// <summary>Whether the record has a direction still to be drawn (<see cref="InjectionDirection.Random"/>).</summary>
    internal virtual bool NeedsDirection => false;

    /// <summary>The record with a drawn direction; only called when <see cref="NeedsDirection"/>.</summary>
    internal virtual InjectionOptions WithDrawnDirection(bool up) => this;

    /// <summary>
    /// The unclamped new value of a present point at series index <paramref name="t"/> and event offset
    /// <paramref name="k"/>, or null to make it missing. Returning <paramref name="value"/> itself means "unchanged".
    /// </summary>
    internal abstract double? Transform(long t, long k, double value);

    /// <summary>
    /// The value the event gives a point: null stays null; otherwise the transformed value clamped into
    /// <see cref="Range"/> (an exactly unchanged value is returned as it is, unclamped).
    /// </summary>
    internal double? Apply(long t, long k, double? value)
    {
        if (value is not double v)
        {
            return null;
        }

        var transformed = Transform(t, k, v);
        if (transformed is not double x)
        {
            return null;
        }

        return x == v ? v : Range.Clamp(x);
    }

    /// <summary>Whether <paramref name="after"/> differs from <paramref name="before"/> (nulls equal each other).</summary>
    internal static bool IsChange(double? before, double? after) =>
        before.HasValue != after.HasValue || (before.HasValue && before.GetValueOrDefault() != after.GetValueOrDefault());

    /// <summary>+1 for <see cref="InjectionDirection.Up"/>, −1 for <see cref="InjectionDirection.Down"/>.</summary>
    private protected static double Sign(InjectionDirection direction) => direction switch
    {
        InjectionDirection.Up => 1.0,
        InjectionDirection.Down => -1.0,
        _ => throw new InvalidOperationException("A random direction must be drawn before the event is applied."),
    };

    private protected static void RequireDirection(InjectionDirection direction, string paramName)
    {
        if (!Enum.IsDefined(direction))
        {
            throw new ArgumentOutOfRangeException(paramName, direction, "Not a defined InjectionDirection.");
        }
    }

    private protected static void RequireMagnitude(double magnitude, string paramName)
    {
        if (!double.IsFinite(magnitude) || magnitude <= 0 || magnitude > 1e6)
        {
            throw new ArgumentOutOfRangeException(paramName, magnitude, "Must be in (0, 1e6] noise σ units.");
        }
    }

    private protected static void RequireSigma(double sigma, string paramName)
    {
        if (!double.IsFinite(sigma) || sigma <= 0)
        {
            throw new ArgumentOutOfRangeException(paramName, sigma, "Must be a finite scale > 0.");
        }
    }
}
