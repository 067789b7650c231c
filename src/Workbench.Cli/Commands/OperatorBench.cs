using System.Diagnostics;
using System.Reactive.Linq;
using Workbench.Core;
using Workbench.Generation;
using Workbench.Operators.Detection;
using Workbench.Operators.Forecasting;
using Workbench.Operators.Rolling;
using Workbench.Operators.Windows;
using Workbench.Replay;

namespace Workbench.Cli.Commands;

/// <summary>
/// <c>workbench bench operators</c>: events/s of every operator in virtual-time replay (Rx) and through its batch twin,
/// single-threaded, on the same observations; reports the ratio.
/// </summary>
public static class OperatorBench
{
    /// <summary>One operator's figures.</summary>
    public sealed record Row(string Operator, double StreamingEventsPerSecond, double BatchEventsPerSecond, double Ratio);

    /// <summary>Detector specs measured besides every registered detector's defaults.</summary>
    public static IReadOnlyList<string> ExtraDetectorSpecs { get; } =
    [
        "threshold(upper=1000)",
        "scaling-ratio(forecaster=naive,benchmark=moving-average)",
        "ensemble(members=zscore+mad+cusum,combine=max)",
        "mad(window=1000,threshold=3.5)",
    ];

    /// <summary>Runs every measurement on <paramref name="events"/> observations of <paramref name="seriesCount"/> series.</summary>
    public static IReadOnlyList<Row> Run(int events, int seriesCount, Func<string, bool> include, Action<string> progress)
    {
        ArgumentNullException.ThrowIfNull(include);
        ArgumentNullException.ThrowIfNull(progress);
        var input = Input(events, seriesCount);
        var bySeries = input.GroupBy(o => o.Series).Select(g => (Timestamps: g.Select(o => o.Timestamp).ToArray(), Values: g.Select(o => o.Value).ToArray())).ToArray();
        var rows = new List<Row>();
        var catalog = OperatorCatalogs.Cli;
        var specs = catalog.Descriptors.Where(d => d.Kind == Operators.Specs.OperatorKind.Detector && d.Name is not ("threshold" or "scaling-ratio" or "ensemble"))
            .Select(d => d.Name).Concat(ExtraDetectorSpecs);
        foreach (var spec in specs.Where(include))
        {
            progress(spec);
            var detector = catalog.ParseDetector(spec);
            var streaming = Streaming(input, o => o.Detect(detector));
            var batch = Best(() =>
            {
                foreach (var (ts, values) in bySeries)
                {
                    var scores = new double?[values.Length];
                    detector.CreateKernel().UpdateBatch(ts, values, scores);
                }
            }, input.Length);
            rows.Add(new Row(detector.Spec, streaming, batch, batch / streaming));
        }

        foreach (var d in catalog.Descriptors.Where(d => d.Kind == Operators.Specs.OperatorKind.Forecaster && include(d.Name)))
        {
            progress(d.Name);
            var forecaster = catalog.ParseForecaster(d.Name);
            var streaming = Streaming(input, o => o.Forecast(forecaster));
            // The ONNX forecaster's batch twin assembles many windows per inference call.
            var batch = forecaster is Onnx.OnnxForecaster onnx ? Best(() => onnx.ForecastBatch(input), input.Length) : Best(() =>
            {
                foreach (var (ts, values) in bySeries)
                {
                    var rolling = new RollingForecast(forecaster.CreateKernel(), 1);
                    for (var i = 0; i < values.Length; i++)
                    {
                        rolling.Next(ts[i], values[i]);
                    }
                }
            }, input.Length);
            rows.Add(new Row(forecaster.Spec, streaming, batch, batch / streaming));
        }

        AddRolling(rows, input, bySeries, include, progress, "rolling-median(window=1000)",
            o => o.RollingMedian(1000), values => RollingQuantileBatch.Compute(new RollingQuantileOptions(1000), values, new double?[values.Length]));
        AddRolling(rows, input, bySeries, include, progress, "rolling-mean-variance(window=288)",
            o => o.MeanVariance(288), values => RollingBatch.Compute(new RollingMomentsOptions(288), values));
        AddRolling(rows, input, bySeries, include, progress, "ewma(alpha=0.1)",
            o => o.Ewma(new EwmaOptions(0.1)), values => RollingBatch.Compute(new EwmaOptions(0.1), values));
        AddRolling(rows, input, bySeries, include, progress, "rolling-min-max(window=1000)",
            o => o.MinMax(1000), values => RollingBatch.Compute(new RollingMinMaxOptions(1000), values));
        if (include("tumble(1m)"))
        {
            progress("tumble(1m)");
            var streaming = Streaming(input, o => o.Tumble(new TumblingOptions(TimeSpan.FromMinutes(1))));
            var batch = Best(() => WindowBatch.Tumble(input, new TumblingOptions(TimeSpan.FromMinutes(1))), input.Length);
            rows.Add(new Row("tumble(1m)", streaming, batch, batch / streaming));
        }

        return rows;
    }

    private static void AddRolling<T>(
        List<Row> rows, LabeledObservation[] input, (DateTime[] Timestamps, double?[] Values)[] bySeries, Func<string, bool> include,
        Action<string> progress, string name, Func<IObservable<LabeledObservation>, IObservable<T>> op, Action<double?[]> batchOne)
    {
        if (!include(name))
        {
            return;
        }

        progress(name);
        var streaming = Streaming(input, op);
        var batch = Best(() =>
        {
            foreach (var (_, values) in bySeries)
            {
                batchOne(values);
            }
        }, input.Length);
        rows.Add(new Row(name, streaming, batch, batch / streaming));
    }

    /// <summary>Observations of the ops-metrics preset (all kinds of anomalies), the first <paramref name="seriesCount"/> series.</summary>
    private static LabeledObservation[] Input(int events, int seriesCount)
    {
        var spec = Presets.Get(Presets.OpsMetrics);
        var sources = Math.Max(1, (int)Math.Ceiling(seriesCount / (double)spec.Metrics.Count));
        var points = (int)Math.Ceiling(events / (double)(sources * spec.Metrics.Count));
        return new DatasetGenerator(spec.WithOverrides(sources: sources, points: points)).GenerateObservations().Take(events).ToArray();
    }

    /// <summary>Virtual-time replay of the array through <paramref name="op"/> into a counting subscriber; best of 3.</summary>
    private static double Streaming<T>(LabeledObservation[] input, Func<IObservable<LabeledObservation>, IObservable<T>> op) =>
        Best(() =>
        {
            var scheduler = new ReplayScheduler();
            long count = 0;
            using (op(ObservationReplay.Virtual(ObservationSource.FromArray(input), scheduler)).Subscribe(_ => count++))
            {
                scheduler.RunToCompletion();
            }

            GC.KeepAlive(count);
        }, input.Length);

    private static double Best(Action run, long events)
    {
        run(); // warm-up: JIT and tiering
        var best = double.MaxValue;
        for (var i = 0; i < 3; i++)
        {
            var clock = Stopwatch.StartNew();
            run();
            best = Math.Min(best, clock.Elapsed.TotalSeconds);
        }

        return events / best;
    }
}
