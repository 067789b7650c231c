using Workbench.Operators.Specs;

namespace Workbench.Operators.Detection;

/// <summary>
/// Outage: values below a level (the smart-meter rule: load &lt; 0.1 kW means no supply). Score = the number of
/// consecutive outage observations ending at this one (0 when this one is not an outage); range {0, 1, 2, …}; flag
/// threshold <see cref="Run"/>. With <c>missing=true</c> a missing value counts as an outage observation; with
/// <c>missing=false</c> (default) a missing value gets no score and leaves the run unchanged.
/// </summary>
/// <param name="Below">Values strictly below this are outages (finite; default 0.1).</param>
/// <param name="Run">Consecutive outage observations needed to flag (≥ 1; default 1).</param>
/// <param name="Missing">Whether a missing value counts as an outage (default false).</param>
public sealed record OutageDetector(double Below = 0.1, int Run = 1, bool Missing = false) : IDetector
{
    /// <summary>Spec binding: <c>outage(below=0.1,run=1,missing=false)</c>.</summary>
    public static OperatorDescriptor<OutageDetector> Descriptor { get; } =
        new OperatorDescriptor<OutageDetector>("outage", OperatorKind.Detector,
                "Length of the current run of values below a level (0 otherwise); flag at run.",
                new OutageDetector(), o => o.Validate())
            .Double("below", "values < below are outages", o => o.Below, (o, v) => o with { Below = v })
            .Int("run", "consecutive outage observations needed to flag = flag threshold (>= 1)", o => o.Run, (o, v) => o with { Run = v })
            .Bool("missing", "whether a missing value counts as an outage", o => o.Missing, (o, v) => o with { Missing = v });

    public string Name => Descriptor.Name;

    public string Spec => Descriptor.Format(this);

    /// <summary>The run length <see cref="Run"/>.</summary>
    public double Threshold => Run;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for out-of-range options.</summary>
    public void Validate()
    {
        if (!double.IsFinite(Below))
        {
            throw new ArgumentOutOfRangeException(nameof(Below), Below, "below must be finite");
        }

        if (Run < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(Run), Run, "run must be >= 1");
        }
    }

    public IDetectorKernel CreateKernel()
    {
        Validate();
        return new Kernel(Below, Missing);
    }

    private sealed class Kernel(double below, bool missing) : IDetectorKernel
    {
        private long _run;

        public double? Update(DateTime timestamp, double? value)
        {
            if (value is not { } x)
            {
                if (!missing)
                {
                    return null;
                }

                return ++_run;
            }

            _run = x < below ? _run + 1 : 0;
            return _run;
        }
    }
}
