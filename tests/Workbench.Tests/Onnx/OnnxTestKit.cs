using System.Text.Json;
using Workbench.Core;
using Workbench.Onnx;
using Workbench.Tests.Support;
using static Workbench.Tests.Operators.OperatorTestKit;

namespace Workbench.Tests.Onnx;

/// <summary>The committed model, its torch reference outputs, and test series for the ONNX forecaster.</summary>
internal static class OnnxTestKit
{
    public static string ModelDirectory => Path.Combine(TestPaths.RepoRoot, "models", "lstm-latency");

    public static string ModelPath => Path.Combine(ModelDirectory, "model.onnx");

    /// <summary>The forecaster on the committed model (absolute path, so tests do not depend on the current directory).</summary>
    public static OnnxForecaster Forecaster(int batch = 128, double z = 1.96, int maxGap = 12) => new(ModelPath, batch, 2, z, maxGap);

    public static OnnxModelSidecar Sidecar => OnnxModelSidecar.Load(Path.Combine(ModelDirectory, "model.json"));

    /// <summary>A latency-like series (level 100, daily sine, seeded noise), 1-minute steps, with nulls at <paramref name="missing"/>.</summary>
    public static List<LabeledObservation> Latency(string name, int count, int seed, params int[] missing)
    {
        var random = new Random(seed);
        var values = new double?[count];
        for (var t = 0; t < count; t++)
        {
            values[t] = 100 + (20 * Math.Sin(2 * Math.PI * ((t + (seed * 97)) % 1440) / 1440)) + (3 * Gaussian(random));
        }

        foreach (var m in missing)
        {
            values[m] = null;
        }

        return Series(name, values);
    }

    public static Reference LoadReference()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(ModelDirectory, "reference.json")));
        var root = doc.RootElement;
        var cases = root.GetProperty("cases").EnumerateArray().Select(c => new ReferenceCase(
            c.GetProperty("name").GetString()!,
            Doubles(c.GetProperty("raw")),
            Doubles(c.GetProperty("normalised")).Select(v => (float)v).ToArray(),
            (float)c.GetProperty("output").GetDouble(),
            c.GetProperty("forecast").GetDouble(),
            Doubles(c.GetProperty("stepForecasts")))).ToList();
        return new Reference(root.GetProperty("mean").GetDouble(), root.GetProperty("std").GetDouble(), cases);
    }

    private static double[] Doubles(JsonElement array) => array.EnumerateArray().Select(e => e.GetDouble()).ToArray();

    private static double Gaussian(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>torch's outputs on fixed windows, written by <c>models/lstm-latency/train.py</c>.</summary>
    public sealed record Reference(double Mean, double Std, IReadOnlyList<ReferenceCase> Cases);

    /// <param name="Name">Where the window comes from (series@row, or a synthetic shape).</param>
    /// <param name="Raw">The window in series units.</param>
    /// <param name="Normalised">What torch was fed (float32).</param>
    /// <param name="Output">torch's normalised one-step output.</param>
    /// <param name="Forecast">The one-step forecast in series units.</param>
    /// <param name="StepForecasts">Recursive forecasts 1..3 steps ahead, series units.</param>
    public sealed record ReferenceCase(string Name, double[] Raw, float[] Normalised, float Output, double Forecast, double[] StepForecasts);
}
