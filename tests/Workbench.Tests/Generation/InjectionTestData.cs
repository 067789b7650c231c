using Workbench.Core;

namespace Workbench.Tests.Generation;

/// <summary>Small hand-made series for the injector tests.</summary>
internal static class InjectionTestData
{
    public static readonly DateTime T0 = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static DateTime[] Timestamps(int n) => Enumerable.Range(0, n).Select(i => T0.AddMinutes(i)).ToArray();

    public static double?[] Constant(int n, double value) => Enumerable.Repeat<double?>(value, n).ToArray();

    public static AnomalyLabel[] Normal(int n) => new AnomalyLabel[n];

    /// <summary>A reproducible noisy series (not the generator's PRNG, so the tests do not depend on it).</summary>
    public static double?[] Noisy(int n, int seed, double level = 100)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, n).Select(_ => (double?)(level + (random.NextDouble() * 10))).ToArray();
    }

    public static int[] LabelledIndices(AnomalyLabel[] labels) =>
        Enumerable.Range(0, labels.Length).Where(i => labels[i].IsAnomaly).ToArray();

    /// <summary>Interleaves several series' observations by timestamp, ties in the given series order.</summary>
    public static List<LabeledObservation> Interleave(IReadOnlyList<string> names, IReadOnlyList<double?[]> values, IReadOnlyList<AnomalyLabel[]>? labels = null)
    {
        var list = new List<LabeledObservation>();
        var n = values[0].Length;
        for (var i = 0; i < n; i++)
        {
            for (var s = 0; s < names.Count; s++)
            {
                list.Add(new LabeledObservation(names[s], T0.AddMinutes(i), values[s][i], labels?[s][i] ?? AnomalyLabel.Normal));
            }
        }

        return list;
    }
}
