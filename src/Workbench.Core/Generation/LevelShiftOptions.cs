using Workbench.Core;

namespace Workbench.Generation;

/// <summary>
/// A level shift: from its start every point is displaced by the same <c>±Magnitude · Sigma</c>, for
/// <see cref="Duration"/> points or, when that is null, to the end of the series (permanent).
/// Labels every covered point whose (clamped) value changes.
/// </summary>
public sealed record LevelShiftOptions : InjectionOptions
{
    /// <inheritdoc />
    public override AnomalyKind Kind => AnomalyKind.LevelShift;

    /// <summary>The step in units of <see cref="Sigma"/>; in (0, 1e6]. Default 4.</summary>
    public double Magnitude { get; init; } = 4;

    /// <summary>The unit of <see cref="Magnitude"/> in the metric's units (the series' noise σ); &gt; 0. Default 1 (absolute).</summary>
    public double Sigma { get; init; } = 1;

    /// <summary>The number of shifted points, ≥ 1; null (the default) for a permanent shift to the series end.</summary>
    public int? Duration { get; init; }

    /// <summary>The sign of the step. Default <see cref="InjectionDirection.Up"/>.</summary>
    public InjectionDirection Direction { get; init; } = InjectionDirection.Up;

    /// <inheritdoc />
    public override long? Span => Duration;

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        RequireMagnitude(Magnitude, nameof(Magnitude));
        RequireSigma(Sigma, nameof(Sigma));
        if (Duration is < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Duration), Duration, "Must be ≥ 1, or null for a permanent shift.");
        }

        RequireDirection(Direction, nameof(Direction));
    }

    internal override bool NeedsDirection => Direction == InjectionDirection.Random;

    internal override InjectionOptions WithDrawnDirection(bool up) =>
        this with { Direction = up ? InjectionDirection.Up : InjectionDirection.Down };

    internal override double? Transform(long t, long k, double value) => value + (Sign(Direction) * (Magnitude * Sigma));
}
