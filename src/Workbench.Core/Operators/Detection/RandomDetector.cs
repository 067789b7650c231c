using Workbench.Operators.Specs;

namespace Workbench.Operators.Detection;

/// <summary>
/// NAB's <c>random</c> baseline, exactly as the NAB scoring spec (section 10) defines it: a Mersenne-Twister stream
/// seeded like Python's <c>random.seed(42)</c>, re-seeded at the start of every series; the series' i-th row gets the
/// i-th <c>random.random()</c> draw (the first is 0.6394267984578837 for seed 42). Score range [0, 1); it carries no
/// information about the data. The value is never read: a missing value still gets its draw, so row i always gets
/// draw i. Spec name <c>random</c> = NAB's <c>random</c>.
/// </summary>
/// <param name="Seed">The seed as Python's <c>random.seed</c> takes it (≥ 0; NAB: 42).</param>
/// <param name="Threshold">Flag when the draw is ≥ this, in (0, 1) (default 0.99: about 1 % of rows).</param>
public sealed record RandomDetector(int Seed = 42, double Threshold = 0.99) : IDetector
{
    /// <summary>Spec binding: <c>random(seed=42,threshold=0.99)</c>.</summary>
    public static OperatorDescriptor<RandomDetector> Descriptor { get; } =
        new OperatorDescriptor<RandomDetector>("random", OperatorKind.Detector,
                "NAB's random baseline: Python's Mersenne-Twister random() stream per series, seed 42; score in [0, 1), ignores the data.",
                new RandomDetector(), o => o.Validate())
            .Int("seed", "Python random.seed value (>= 0; NAB 42)", o => o.Seed, (o, v) => o with { Seed = v })
            .Double("threshold", "flag when the draw >= threshold, in (0, 1)", o => o.Threshold, (o, v) => o with { Threshold = v });

    public string Name => Descriptor.Name;

    public string Spec => Descriptor.Format(this);

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for out-of-range options.</summary>
    public void Validate()
    {
        if (Seed < 0)
        {
            throw new ArgumentOutOfRangeException(nameof(Seed), Seed, "seed must be >= 0");
        }

        if (!(Threshold > 0 && Threshold < 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Threshold), Threshold, "threshold must be in (0, 1)");
        }
    }

    public IDetectorKernel CreateKernel()
    {
        Validate();
        return new Kernel(new MersenneTwister(Seed));
    }

    private sealed class Kernel(MersenneTwister twister) : IDetectorKernel
    {
        public double? Update(DateTime timestamp, double? value) => twister.NextDouble();
    }
}
