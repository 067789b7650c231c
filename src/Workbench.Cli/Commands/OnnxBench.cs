using System.Diagnostics;
using Workbench.Core;
using Workbench.Generation;
using Workbench.Onnx;
using Workbench.Operators.Forecasting;

namespace Workbench.Cli.Commands;

/// <summary>
/// <c>workbench bench onnx</c>: the ONNX forecaster's batched throughput (windows per second through
/// <see cref="OnnxForecaster.ForecastBatch"/>, all windows of all series sharing inference calls) and its per-event
/// latency (one <c>Forecast</c> + <c>Update</c> of a kernel, after warm-up), on the latency series of the default preset.
/// </summary>
public static class OnnxBench
{
    /// <summary>The figures.</summary>
    public sealed record Result(long Windows, double WindowsPerSecond, long Events, double P50Microseconds, double P99Microseconds, double MaxMicroseconds);

    /// <summary>Runs both measurements with <paramref name="forecaster"/>.</summary>
    public static Result Run(OnnxForecaster forecaster, int series, int points)
    {
        ArgumentNullException.ThrowIfNull(forecaster);
        var spec = Presets.Get(Presets.DefaultSmall);
        var generator = new DatasetGenerator(spec.WithOverrides(sources: series, points: points));
        var observations = generator.GenerateObservations().Where(o => o.Series.EndsWith("/latency", StringComparison.Ordinal)).ToArray();

        // Batched: whole input per call, best of 3 after a warm-up.
        forecaster.ForecastBatch(observations);
        var best = double.MaxValue;
        long windows = 0;
        for (var rep = 0; rep < 3; rep++)
        {
            var clock = Stopwatch.StartNew();
            var result = forecaster.ForecastBatch(observations);
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
            windows = result.LongCount(r => r.Forecast.Value.HasValue);
        }

        // Per event: one series streamed through a kernel; latency of Forecast + Update per row once the window is full.
        var kernel = forecaster.CreateKernel();
        var one = observations.Where(o => o.Series == observations[0].Series).ToArray();
        var ahead = new ForecastPoint[1];
        var samples = new List<double>(one.Length);
        for (var pass = 0; pass < 2; pass++)
        {
            foreach (var o in one)
            {
                var start = Stopwatch.GetTimestamp();
                kernel.Forecast(ahead);
                kernel.Update(o.Timestamp, o.Value);
                var elapsed = Stopwatch.GetElapsedTime(start);
                if (pass == 1 && ahead[0].Value.HasValue)
                {
                    samples.Add(elapsed.TotalMicroseconds);
                }
            }
        }

        (kernel as IDisposable)?.Dispose();
        samples.Sort();
        double Percentile(double p) => samples.Count == 0 ? double.NaN : samples[Math.Min(samples.Count - 1, (int)Math.Ceiling(p * samples.Count) - 1)];
        return new Result(windows, windows / best, samples.Count, Percentile(0.50), Percentile(0.99), samples.Count == 0 ? double.NaN : samples[^1]);
    }
}
