using Workbench.Core;

namespace Workbench.Generation;

/// <summary>
/// A seasonal anomaly: over <see cref="Length"/> points the seasonal component <see cref="Component"/> of the base
/// signal is replaced by one with amplitude × <see cref="AmplitudeFactor"/>, period × <see cref="PeriodFactor"/> and
/// phase + <see cref="PhaseShift"/>. Each point gets <c>value + (new(t) − old(t))</c>, with <c>t</c> the series
/// index (see <see cref="SeasonalComponent.ValueAt"/>). Only points whose value actually changes are labelled — e.g.
/// with an amplitude change, a point where the sine is exactly 0 keeps its value and stays unlabelled.
/// </summary>
public sealed record SeasonalOptions : InjectionOptions
{
    /// <inheritdoc />
    public override AnomalyKind Kind => AnomalyKind.Seasonal;

    /// <summary>The seasonal component present in the base signal (as generated, with the same series index origin).</summary>
    public SeasonalComponent Component { get; init; } = new(1440, 1, 0);

    /// <summary>The amplitude multiplier, finite and ≥ 0. Default 1 (unchanged).</summary>
    public double AmplitudeFactor { get; init; } = 1;

    /// <summary>The period multiplier, finite and &gt; 0; the new period must stay ≥ 2. Default 1 (unchanged).</summary>
    public double PeriodFactor { get; init; } = 1;

    /// <summary>The phase shift in radians, in [−2π, 2π]. Default 0 (unchanged).</summary>
    public double PhaseShift { get; init; }

    /// <summary>The number of points the change lasts, ≥ 1. Default 240.</summary>
    public int Length { get; init; } = 240;

    /// <inheritdoc />
    public override long? Span => Length;

    /// <summary>The replacement component during the event.</summary>
    public SeasonalComponent ChangedComponent =>
        new(Component.Period * PeriodFactor, Component.Amplitude * AmplitudeFactor, Component.Phase + PhaseShift);

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        if (Component.Problem() is { } problem)
        {
            throw new ArgumentException($"Component.{char.ToUpperInvariant(problem.Key[0])}{problem.Key[1..]} {problem.Reason}.", nameof(Component));
        }

        if (!(Component.Amplitude > 0))
        {
            throw new ArgumentException("Component.Amplitude must be > 0: a zero component cannot be changed.", nameof(Component));
        }

        if (!double.IsFinite(AmplitudeFactor) || AmplitudeFactor < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(AmplitudeFactor), AmplitudeFactor, "Must be finite and ≥ 0.");
        }

        if (!double.IsFinite(PeriodFactor) || PeriodFactor <= 0 || Component.Period * PeriodFactor < 2)
        {
            throw new ArgumentOutOfRangeException(nameof(PeriodFactor), PeriodFactor, "Must be finite and > 0, and keep the period ≥ 2.");
        }

        if (!double.IsFinite(PhaseShift) || Math.Abs(PhaseShift) > Math.Tau)
        {
            throw new ArgumentOutOfRangeException(nameof(PhaseShift), PhaseShift, "Must be radians in [-2π, 2π].");
        }

        if (Length < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Length), Length, "Must be ≥ 1.");
        }

        if (AmplitudeFactor == 1 && PeriodFactor == 1 && PhaseShift == 0)
        {
            throw new ArgumentException("The event changes nothing: set AmplitudeFactor ≠ 1, PeriodFactor ≠ 1 or PhaseShift ≠ 0.", nameof(AmplitudeFactor));
        }
    }

    internal override double? Transform(long t, long k, double value)
    {
        var delta = ChangedComponent.ValueAt(t) - Component.ValueAt(t);
        return delta == 0 ? value : value + delta;
    }
}
