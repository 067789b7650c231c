using Workbench.Core;

namespace Workbench.Generation;

/// <summary>
/// A drift: a linear ramp over <see cref="RampLength"/> points to a displacement of <c>±Magnitude · Sigma</c>, which
/// is then held for <see cref="HoldLength"/> points (null: to the end of the series). The displacement at event
/// offset <c>k</c> of the ramp is <c>D · (k + 1) / RampLength</c>, so the first point is already displaced and the
/// last ramp point reaches the full <c>D</c>; the point after the event is back on the base signal.
/// Labels every ramp and hold point whose (clamped) value changes — the held span too, since it differs from the
/// base signal.
/// </summary>
public sealed record DriftOptions : InjectionOptions
{
    /// <inheritdoc />
    public override AnomalyKind Kind => AnomalyKind.Drift;

    /// <summary>The displacement reached at the end of the ramp, in units of <see cref="Sigma"/>; in (0, 1e6]. Default 5.</summary>
    public double Magnitude { get; init; } = 5;

    /// <summary>The unit of <see cref="Magnitude"/> in the metric's units (the series' noise σ); &gt; 0. Default 1 (absolute).</summary>
    public double Sigma { get; init; } = 1;

    /// <summary>The number of ramp points, ≥ 1. Default 60.</summary>
    public int RampLength { get; init; } = 60;

    /// <summary>The number of points the reached level is held after the ramp, ≥ 0; null holds it to the series end. Default 0.</summary>
    public int? HoldLength { get; init; } = 0;

    /// <summary>The sign of the drift. Default <see cref="InjectionDirection.Up"/>.</summary>
    public InjectionDirection Direction { get; init; } = InjectionDirection.Up;

    /// <inheritdoc />
    public override long? Span => HoldLength is int hold ? (long)RampLength + hold : null;

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        RequireMagnitude(Magnitude, nameof(Magnitude));
        RequireSigma(Sigma, nameof(Sigma));
        if (RampLength < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(RampLength), RampLength, "Must be ≥ 1.");
        }

        if (HoldLength is < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(HoldLength), HoldLength, "Must be ≥ 0, or null to hold to the series end.");
        }

        RequireDirection(Direction, nameof(Direction));
    }

    internal override bool NeedsDirection => Direction == InjectionDirection.Random;

    internal override InjectionOptions WithDrawnDirection(bool up) =>
        this with { Direction = up ? InjectionDirection.Up : InjectionDirection.Down };

    internal override double? Transform(long t, long k, double value)
    {
        var full = Sign(Direction) * (Magnitude * Sigma);
        return k + 1 < RampLength ? value + (full * ((k + 1) / (double)RampLength)) : value + full;
    }
}
