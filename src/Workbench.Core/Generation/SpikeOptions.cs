using Workbench.Core;

namespace Workbench.Generation;

/// <summary>
/// A spike: a single point or a short burst displaced by <c>±Magnitude · Sigma</c>.
/// Labels each of the <see cref="Length"/> points whose (clamped) value changes.
/// </summary>
public sealed record SpikeOptions : InjectionOptions
{
    /// <summary>The maximum burst length.</summary>
    public const int MaxLength = 1000;

    /// <inheritdoc />
    public override AnomalyKind Kind => AnomalyKind.Spike;

    /// <summary>The displacement in units of <see cref="Sigma"/>; in (0, 1e6]. Default 5.</summary>
    public double Magnitude { get; init; } = 5;

    /// <summary>
    /// The noise σ that is the unit of <see cref="Magnitude"/>, in the metric's units; finite and &gt; 0. The
    /// generator sets it to the series' noise σ from the spec (not a local estimate). Default 1, which makes
    /// <see cref="Magnitude"/> an absolute displacement.
    /// </summary>
    public double Sigma { get; init; } = 1;

    /// <summary>The number of consecutive points displaced, in [1, <see cref="MaxLength"/>]. Default 1.</summary>
    public int Length { get; init; } = 1;

    /// <summary>The sign of the displacement; all points of a burst share it. Default <see cref="InjectionDirection.Up"/>.</summary>
    public InjectionDirection Direction { get; init; } = InjectionDirection.Up;

    /// <inheritdoc />
    public override long? Span => Length;

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        RequireMagnitude(Magnitude, nameof(Magnitude));
        RequireSigma(Sigma, nameof(Sigma));
        if (Length is < 1 or > MaxLength)
        {
            throw new ArgumentOutOfRangeException(nameof(Length), Length, $"Must be in [1, {MaxLength}].");
        }

        RequireDirection(Direction, nameof(Direction));
    }

    internal override bool NeedsDirection => Direction == InjectionDirection.Random;

    internal override InjectionOptions WithDrawnDirection(bool up) =>
        this with { Direction = up ? InjectionDirection.Up : InjectionDirection.Down };

    internal override double? Transform(long t, long k, double value) => value + (Sign(Direction) * (Magnitude * Sigma));
}
