using Workbench.Core;

namespace Workbench.Generation;

/// <summary>
/// A gap: <see cref="Length"/> consecutive observations whose value becomes null. Labels each covered point that had
/// a value (an already-null point is unchanged, hence unlabelled).
/// </summary>
public sealed record MissingOptions : InjectionOptions
{
    /// <inheritdoc />
    public override AnomalyKind Kind => AnomalyKind.Missing;

    /// <summary>The number of consecutive missing observations, ≥ 1. Default 10.</summary>
    public int Length { get; init; } = 10;

    /// <inheritdoc />
    public override long? Span => Length;

    /// <inheritdoc />
    public override void Validate()
    {
        base.Validate();
        if (Length < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Length), Length, "Must be ≥ 1.");
        }
    }

    internal override double? Transform(long t, long k, double value) => null;
}
