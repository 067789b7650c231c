using Workbench.Operators.Specs;

namespace Workbench.Operators.Detection;

/// <summary>
/// Static threshold: flags values strictly above <see cref="Upper"/> or strictly below <see cref="Lower"/>.
/// Score = 0 inside the band (lower ≤ x ≤ upper), otherwise 1 + the distance beyond the violated bound in value
/// units; range {0} ∪ (1, ∞). The flag threshold is 1, so a flagged score is exactly a value outside the band and
/// the score still grows with the size of the violation (saturating at double.MaxValue when the distance exceeds the
/// double range). Stateless; a missing value gets no score.
/// </summary>
/// <param name="Upper">Upper bound (values above it are anomalous); null = none. At least one bound is required.</param>
/// <param name="Lower">Lower bound (values below it are anomalous); null = none; below <paramref name="Upper"/>.</param>
public sealed record StaticThresholdDetector(double? Upper = null, double? Lower = null) : IDetector
{
    /// <summary>Spec binding: <c>threshold(upper=…,lower=…)</c> (each may be <c>none</c>, not both).</summary>
    public static OperatorDescriptor<StaticThresholdDetector> Descriptor { get; } =
        new OperatorDescriptor<StaticThresholdDetector>("threshold", OperatorKind.Detector,
                "Static bounds; score 0 inside [lower, upper], else 1 + distance beyond the bound (value units); flag at 1 = outside.",
                new StaticThresholdDetector(), o => o.Validate())
            .OptionalDouble("upper", "values > upper are anomalous (none = no upper bound)", o => o.Upper, (o, v) => o with { Upper = v })
            .OptionalDouble("lower", "values < lower are anomalous (none = no lower bound; < upper)", o => o.Lower, (o, v) => o with { Lower = v });

    public string Name => Descriptor.Name;

    public string Spec => Descriptor.Format(this);

    /// <summary>Always 1: flagged exactly when the value is outside the band.</summary>
    public double Threshold => 1;

    /// <summary>Throws <see cref="ArgumentException"/> for out-of-range options.</summary>
    public void Validate()
    {
        if (Upper is null && Lower is null)
        {
            throw new ArgumentException("threshold needs an upper and/or a lower bound", nameof(Upper));
        }

        if (Upper is { } u && !double.IsFinite(u))
        {
            throw new ArgumentOutOfRangeException(nameof(Upper), u, "upper must be finite");
        }

        if (Lower is { } l && !double.IsFinite(l))
        {
            throw new ArgumentOutOfRangeException(nameof(Lower), l, "lower must be finite");
        }

        if (Upper is { } hi && Lower is { } lo && !(lo < hi))
        {
            throw new ArgumentOutOfRangeException(nameof(Lower), lo, "lower must be < upper");
        }
    }

    public IDetectorKernel CreateKernel()
    {
        Validate();
        return new Kernel(Upper ?? double.PositiveInfinity, Lower ?? double.NegativeInfinity);
    }

    private sealed class Kernel(double upper, double lower) : IDetectorKernel
    {
        public double? Update(DateTime timestamp, double? value)
        {
            if (value is not { } x)
            {
                return null;
            }

            return x > upper ? DetectorMath.Saturate(1 + (x - upper)) : x < lower ? DetectorMath.Saturate(1 + (lower - x)) : 0;
        }
    }
}
