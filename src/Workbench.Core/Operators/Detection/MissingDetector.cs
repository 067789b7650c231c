using Workbench.Operators.Specs;

namespace Workbench.Operators.Detection;

/// <summary>
/// Missing data: missing values are the signal. Score = the number of consecutive missing observations ending at
/// this one (1 for an isolated missing value, 0 for a present value); range {0, 1, 2, …}. Flag threshold
/// <see cref="Run"/>: by default every missing value is flagged; <c>run=3</c> flags from the third consecutive one on.
/// Every observation gets a score (never null). Timestamps are not read: gaps without rows are the input-hygiene
/// gap detector's business.
/// </summary>
/// <param name="Run">Consecutive missing observations needed to flag (≥ 1; default 1).</param>
public sealed record MissingDetector(int Run = 1) : IDetector
{
    /// <summary>Spec binding: <c>missing(run=1)</c>.</summary>
    public static OperatorDescriptor<MissingDetector> Descriptor { get; } =
        new OperatorDescriptor<MissingDetector>("missing", OperatorKind.Detector,
                "Length of the current run of missing values (0 when present); flag at run.",
                new MissingDetector(), o => o.Validate())
            .Int("run", "consecutive missing observations needed to flag = flag threshold (>= 1)", o => o.Run, (o, v) => o with { Run = v });

    public string Name => Descriptor.Name;

    public string Spec => Descriptor.Format(this);

    /// <summary>The run length <see cref="Run"/>.</summary>
    public double Threshold => Run;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for out-of-range options.</summary>
    public void Validate()
    {
        if (Run < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Run), Run, "run must be >= 1");
        }
    }

    public IDetectorKernel CreateKernel()
    {
        Validate();
        return new Kernel();
    }

    private sealed class Kernel : IDetectorKernel
    {
        private long _run;

        public double? Update(DateTime timestamp, double? value)
        {
            _run = value.HasValue ? 0 : _run + 1;
            return _run;
        }
    }
}
