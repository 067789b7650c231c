using Workbench.Operators.Specs;

namespace Workbench.Operators.Detection;

/// <summary>How <see cref="EnsembleDetector"/> combines its members' normalised scores.</summary>
public enum EnsembleCombine
{
    /// <summary>Mean of the members' normalised scores that are present.</summary>
    Mean,

    /// <summary>Largest normalised score present.</summary>
    Max,

    /// <summary>Fraction of all members whose normalised score is ≥ 1 (i.e. that flag).</summary>
    Vote,
}

/// <summary>
/// Ensemble of any detectors. Each member scores the observation with its own state; its score is normalised by
/// dividing by the member's own threshold, so 1.0 = exactly at that member's threshold (every member's threshold must
/// be &gt; 0). <c>combine=mean</c>: the mean of the normalised scores present; <c>max</c>: their maximum; both in
/// the members' normalised units, range [0, ∞) for non-negative member scores. <c>vote</c>: the fraction of all
/// members that flag (a member without a score does not vote for a flag), range [0, 1]. Default flag threshold 1:
/// the mean/max at a member threshold, or a unanimous vote (use e.g. 0.5 for a majority). A member without a score
/// (warm-up, its missing-value rule) is left out; the ensemble has no score when no member has one. Members are
/// given as specs joined by <c>+</c>: <c>ensemble(members=zscore(window=50)+mad(window=100),combine=max)</c>.
/// Normalised scores and their sum saturate at ±double.MaxValue, so finite member scores give a finite score.
/// </summary>
/// <param name="Members">The member detectors (at least one).</param>
/// <param name="Combine">How normalised scores combine (default max).</param>
/// <param name="Threshold">Flag when the combined score is ≥ this (&gt; 0; default 1).</param>
public sealed record EnsembleDetector(IReadOnlyList<IDetector> Members, EnsembleCombine Combine = EnsembleCombine.Max, double Threshold = 1) : IDetector
{
    private readonly IDetector[] _members = Copy(Members);

    /// <summary>The member detectors, copied when set (later changes to the given list do not affect the ensemble).</summary>
    public IReadOnlyList<IDetector> Members
    {
        get => _members;
        init => _members = Copy(value);
    }

    /// <summary>An ensemble without members (invalid until members are set; the descriptor's default).</summary>
    public EnsembleDetector()
        : this([])
    {
    }

    /// <summary>Spec binding: <c>ensemble(members=&lt;spec&gt;+&lt;spec&gt;…,combine=max,threshold=1)</c>.</summary>
    public static OperatorDescriptor<EnsembleDetector> Descriptor { get; } =
        new OperatorDescriptor<EnsembleDetector>("ensemble", OperatorKind.Detector,
                "Mean, max or vote over member detectors' scores divided by their own thresholds (1 = at threshold).",
                new EnsembleDetector(), o => o.Validate())
            .Detectors("members", "member detector specs joined by '+' (required)", o => o.Members, (o, v) => o with { Members = v })
            .Choice("combine", "mean | max of normalised scores, or vote = fraction of members flagging", o => o.Combine, (o, v) => o with { Combine = v })
            .Double("threshold", "flag when the combined score >= threshold (> 0)", o => o.Threshold, (o, v) => o with { Threshold = v });

    public string Name => Descriptor.Name;

    public string Spec => Descriptor.Format(this);

    /// <summary>Throws <see cref="ArgumentException"/> for missing or out-of-range options.</summary>
    public void Validate()
    {
        if (Members is null || Members.Count == 0)
        {
            throw new ArgumentException("ensemble needs at least one member", nameof(Members));
        }

        foreach (var m in Members)
        {
            if (m is null)
            {
                throw new ArgumentException("ensemble members must not be null", nameof(Members));
            }

            if (!(m.Threshold > 0) || !double.IsFinite(m.Threshold))
            {
                throw new ArgumentException($"member '{m.Spec}' has threshold {m.Threshold}; normalising needs a finite threshold > 0", nameof(Members));
            }
        }

        if (!Enum.IsDefined(Combine))
        {
            throw new ArgumentOutOfRangeException(nameof(Combine), Combine, "unknown combine rule");
        }

        if (!(Threshold > 0) || !double.IsFinite(Threshold))
        {
            throw new ArgumentOutOfRangeException(nameof(Threshold), Threshold, "threshold must be a finite number > 0");
        }
    }

    private static IDetector[] Copy(IReadOnlyList<IDetector>? members) => members is null ? null! : [.. members];

    /// <summary>Equal when the members are equal in order (record equality would compare the list by reference).</summary>
    public bool Equals(EnsembleDetector? other) =>
        other is not null && Combine == other.Combine && Threshold.Equals(other.Threshold) && Members.SequenceEqual(other.Members);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.Add(Combine);
        hash.Add(Threshold);
        foreach (var m in Members)
        {
            hash.Add(m);
        }

        return hash.ToHashCode();
    }

    public IDetectorKernel CreateKernel()
    {
        Validate();
        var kernels = new IDetectorKernel[Members.Count];
        var thresholds = new double[Members.Count];
        for (var i = 0; i < kernels.Length; i++)
        {
            kernels[i] = Members[i].CreateKernel();
            thresholds[i] = Members[i].Threshold;
        }

        return new Kernel(kernels, thresholds, Combine);
    }

    private sealed class Kernel(IDetectorKernel[] members, double[] thresholds, EnsembleCombine combine) : IDetectorKernel
    {
        public double? Update(DateTime timestamp, double? value)
        {
            var present = 0;
            var sum = 0.0;
            var max = double.NegativeInfinity;
            var votes = 0;
            for (var i = 0; i < members.Length; i++)
            {
                if (members[i].Update(timestamp, value) is not { } s)
                {
                    continue;
                }

                var normalised = DetectorMath.Saturate(s / thresholds[i]);
                present++;
                sum = DetectorMath.Saturate(sum + normalised);
                max = Math.Max(max, normalised);
                if (s >= thresholds[i])
                {
                    votes++;
                }
            }

            if (present == 0)
            {
                return null;
            }

            return combine switch
            {
                EnsembleCombine.Mean => sum / present,
                EnsembleCombine.Max => max,
                _ => (double)votes / members.Length,
            };
        }
    }
}
