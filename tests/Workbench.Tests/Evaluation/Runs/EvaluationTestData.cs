using Workbench.Core;
using Workbench.Data;
using Workbench.Operators.Detection;

namespace Workbench.Tests.Evaluation.Runs;

/// <summary>Hand-built datasets and test-only detectors whose metrics are known exactly.</summary>
internal static class EvaluationTestData
{
    public static readonly DateTime Start = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>
    /// Three series of 100 rows, one per minute. Anomalous rows have value 1000 (events: a: rows 0–2 spike and 50–59
    /// level shift; b: rows 97–99 drift, at the end; c: none); normal rows have values in [0, 9].
    /// </summary>
    public static LabeledSeriesSet ThreeSeries(bool reverse = false)
    {
        var events = new Dictionary<string, (int Start, int End, AnomalyKind Kind)[]>
        {
            ["a"] = [(0, 2, AnomalyKind.Spike), (50, 59, AnomalyKind.LevelShift)],
            ["b"] = [(97, 99, AnomalyKind.Drift)],
            ["c"] = [],
        };
        var series = new List<LabeledSeries>();
        foreach (var (name, spans) in events)
        {
            var ts = new DateTime[100];
            var values = new double?[100];
            var labels = new AnomalyLabel[100];
            for (var i = 0; i < 100; i++)
            {
                ts[i] = Start.AddMinutes(i);
                values[i] = (i * 7 % 10) + name[0] - 'a';
                labels[i] = AnomalyLabel.Normal;
            }

            for (var e = 0; e < spans.Length; e++)
            {
                for (var i = spans[e].Start; i <= spans[e].End; i++)
                {
                    values[i] = 1000;
                    labels[i] = AnomalyLabel.Anomaly(spans[e].Kind, e);
                }
            }

            series.Add(new LabeledSeries(name, ts, values, labels));
        }

        if (reverse) { series.Reverse(); }
        return new LabeledSeriesSet("three", series);
    }

    /// <summary>Score = the value itself; flags at <paramref name="threshold"/>.</summary>
    public sealed record ValueDetector(double threshold) : IDetector
    {
        public string Name => "value";

        public string Spec => FormattableString.Invariant($"value(threshold={threshold})");

        public double Threshold => threshold;

        public IDetectorKernel CreateKernel() => new Kernel();

        private sealed class Kernel : IDetectorKernel
        {
            public double? Update(DateTime timestamp, double? value) => value;
        }
    }

    /// <summary>Always scores 0 and flags at 1: never flags.</summary>
    public sealed record NullDetector : IDetector
    {
        public string Name => "null";

        public string Spec => "null";

        public double Threshold => 1;

        public IDetectorKernel CreateKernel() => new Kernel();

        private sealed class Kernel : IDetectorKernel
        {
            public double? Update(DateTime timestamp, double? value) => 0;
        }
    }

    /// <summary>Counts its own calls per kernel and flags the kernel's 5th row only: shows state is per series.</summary>
    public sealed record FifthRowDetector : IDetector
    {
        public string Name => "fifth";

        public string Spec => "fifth";

        public double Threshold => 1;

        public IDetectorKernel CreateKernel() => new Kernel();

        private sealed class Kernel : IDetectorKernel
        {
            private int _n;

            public double? Update(DateTime timestamp, double? value) => ++_n == 5 ? 1 : 0;
        }
    }
}
