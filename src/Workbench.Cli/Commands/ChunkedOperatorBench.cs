using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Workbench.Cli.Infrastructure;
using Workbench.Core;
using Workbench.Generation;
using Workbench.Operators.Chunked;
using Workbench.Operators.Detection;
using Workbench.Operators.Forecasting;
using Workbench.Operators.Rolling;
using Workbench.Operators.Windows;
using Workbench.Replay;

namespace Workbench.Cli.Commands;

/// <summary>
/// <c>workbench bench operators-chunked</c>: for every operator <c>bench operators</c> measures, in one run and
/// interleaved round by round (so every path sees the same machine load): the array twin, the per-event Rx path
/// (<see cref="ObservationReplay.Virtual(IEnumerable{LabeledObservation}, ReplayScheduler)"/> → operator; unfused, and fused
/// as the operators choose automatically on a replay), and the
/// chunked Rx path (<see cref="ObservationReplay.VirtualChunks(IEnumerable{LabeledObservation}, ReplayScheduler, ChunkOptions?)"/>
/// → chunk-aware operator) with both chunk boundaries; events/s and twin / streaming ratios.
/// </summary>
public static class ChunkedOperatorBench
{
    /// <summary>One operator's figures in events/s; <c>null</c> where the operator has no chunked path.</summary>
    /// <param name="Operator">The operator's spec.</param>
    /// <param name="Twin">The array twin.</param>
    /// <param name="PerEvent">Per-event Rx, unfused: replay → Rx hop → operator (the path before fusion; the replay hidden behind a pass-through observable).</param>
    /// <param name="Fused">Per-event Rx as written, <c>ObservationReplay.Virtual(…).Detect(…)</c>: fused automatically where the operator supports it.</param>
    /// <param name="ChunkedInstant">Chunked Rx, one timestamp per chunk.</param>
    /// <param name="ChunkedRun">Chunked Rx, chunks spanning timestamps.</param>
    public sealed record Row(string Operator, double Twin, double PerEvent, double Fused, double? ChunkedInstant, double? ChunkedRun)
    {
        /// <summary>Twin / per-event Rx (unfused).</summary>
        public double PerEventRatio => Twin / PerEvent;

        /// <summary>Twin / per-event Rx (fused where possible).</summary>
        public double FusedRatio => Twin / Fused;

        /// <summary>Twin / chunked Rx (one timestamp per chunk).</summary>
        public double? InstantRatio => Twin / ChunkedInstant;

        /// <summary>Twin / chunked Rx (chunks spanning timestamps).</summary>
        public double? RunRatio => Twin / ChunkedRun;
    }

    /// <summary>The <c>bench operators-chunked</c> command (registered by <see cref="BenchCommand"/>).</summary>
    public static Command Create(CliContext context, Option<bool> json)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(json);
        var events = new Option<int>("--events") { Description = "Observations per operator run.", DefaultValueFactory = _ => 1_000_000 };
        var series = new Option<int>("--series") { Description = "Series the observations are spread over.", DefaultValueFactory = _ => 30 };
        var maxRows = new Option<int>("--max-rows") { Description = "Largest chunk (ChunkOptions.MaxRows).", DefaultValueFactory = _ => 1024 };
        var only = new Option<string[]>("--only") { Description = "Measure only operators whose spec starts with one of these names (the ONNX forecaster only when named)." };
        var command = new Command(
            "operators-chunked",
            "Every operator of 'bench operators': array twin, per-event Rx and chunked Rx (instant and run chunks) events/s, interleaved in one run, with twin/streaming ratios.")
        {
            events, series, maxRows, only,
        };
        command.SetAction((parse, ct) =>
        {
            var n = parse.GetValue(events);
            var s = parse.GetValue(series);
            var rowsMax = parse.GetValue(maxRows);
            if (n < 1 || s < 1 || rowsMax < 1)
            {
                throw new CommandFailedException("bench operators-chunked: --events, --series and --max-rows must be at least 1");
            }

            var filter = parse.GetValue(only);
            bool Include(string spec) => filter is not { Length: > 0 } || filter.Any(o => spec.StartsWith(o, StringComparison.Ordinal));
            var rows = Run(n, s, rowsMax, Include, name => context.Error.WriteLine($"bench operators-chunked: {name}"),
                explicitOnnx: filter?.Any(o => o.StartsWith("onnx", StringComparison.Ordinal)) == true);
            var result = new BenchCommand.Result(
                $"operators-chunked ({n:N0} events over {s} series, chunks ≤ {rowsMax} rows, best of 3 interleaved, single-threaded)",
                Environment.ProcessorCount, System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
                TimeProvider.System.GetUtcNow().UtcDateTime, [.. rows.SelectMany(Figures)]);
            if (parse.GetValue(json))
            {
                JsonOutput.Write(context.Out, result);
            }
            else
            {
                context.Out.WriteLine($"{result.Benchmark} ({result.Cores} cores, {result.Runtime}, {result.DateUtc:yyyy-MM-dd})");
                context.Out.WriteLine("  operator | twin M/s | per-event M/s | fused M/s | chunked-instant M/s | chunked-run M/s | twin/per-event | twin/fused | twin/instant | twin/run");
                foreach (var r in rows)
                {
                    context.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"  {r.Operator} | {r.Twin / 1e6:F2} | {r.PerEvent / 1e6:F2} | {r.Fused / 1e6:F2} | {M(r.ChunkedInstant)} | {M(r.ChunkedRun)} | {r.PerEventRatio:F2}x | {r.FusedRatio:F2}x | {X(r.InstantRatio)} | {X(r.RunRatio)}"));
                }
            }

            return Task.FromResult(ExitCodes.Success);
        });
        return command;

        static string M(double? v) => v is { } x ? (x / 1e6).ToString("F2", CultureInfo.InvariantCulture) : "n/a";
        static string X(double? v) => v is { } x ? x.ToString("F2", CultureInfo.InvariantCulture) + "x" : "n/a";
    }

    private static IEnumerable<BenchCommand.Figure> Figures(Row r)
    {
        yield return new($"{r.Operator} twin", r.Twin, "events/s");
        yield return new($"{r.Operator} per-event", r.PerEvent, "events/s", $"twin/per-event {r.PerEventRatio:F2}x");
        yield return new($"{r.Operator} fused", r.Fused, "events/s", $"twin/fused {r.FusedRatio:F2}x");
        if (r.ChunkedInstant is { } i)
        {
            yield return new($"{r.Operator} chunked-instant", i, "events/s", $"twin/chunked-instant {r.InstantRatio:F2}x");
        }

        if (r.ChunkedRun is { } run)
        {
            yield return new($"{r.Operator} chunked-run", run, "events/s", $"twin/chunked-run {r.RunRatio:F2}x");
        }
    }

    /// <summary>Runs every measurement on <paramref name="events"/> observations of <paramref name="seriesCount"/> series.</summary>
    public static IReadOnlyList<Row> Run(int events, int seriesCount, int maxRows, Func<string, bool> include, Action<string> progress, bool explicitOnnx = false)
    {
        ArgumentNullException.ThrowIfNull(include);
        ArgumentNullException.ThrowIfNull(progress);
        var input = Input(events, seriesCount);
        var bySeries = input.GroupBy(o => o.Series).Select(g => (Timestamps: g.Select(o => o.Timestamp).ToArray(), Values: g.Select(o => o.Value).ToArray())).ToArray();
        var instant = new ChunkOptions(maxRows, ChunkBoundary.Instant);
        var run = new ChunkOptions(maxRows, ChunkBoundary.Run);
        var rows = new List<Row>();
        var catalog = OperatorCatalogs.Cli;
        var specs = catalog.Descriptors.Where(d => d.Kind == Operators.Specs.OperatorKind.Detector && d.Name is not ("threshold" or "scaling-ratio" or "ensemble"))
            .Select(d => d.Name).Concat(OperatorBench.ExtraDetectorSpecs);
        foreach (var spec in specs.Where(include))
        {
            progress(spec);
            var detector = catalog.ParseDetector(spec);
            rows.Add(Measure(detector.Spec, input,
                () =>
                {
                    foreach (var (ts, values) in bySeries)
                    {
                        detector.CreateKernel().UpdateBatch(ts, values, new double?[values.Length]);
                    }
                },
                o => o.Detect(detector), c => c.Detect(detector), instant, run));
        }

        // The ONNX forecaster (~20 µs per inference, see bench onnx) only when asked for by name: Rx costs nothing beside it.
        foreach (var d in catalog.Descriptors.Where(d => d.Kind == Operators.Specs.OperatorKind.Forecaster && include(d.Name) && (d.Name != "onnx" || explicitOnnx)))
        {
            progress(d.Name);
            var forecaster = catalog.ParseForecaster(d.Name);
            Action twin = forecaster is Onnx.OnnxForecaster onnx ? () => onnx.ForecastBatch(input) : () =>
            {
                foreach (var (ts, values) in bySeries)
                {
                    var rolling = new RollingForecast(forecaster.CreateKernel(), 1);
                    for (var i = 0; i < values.Length; i++)
                    {
                        rolling.Next(ts[i], values[i]);
                    }
                }
            };
            rows.Add(Measure(forecaster.Spec, input, twin, o => o.Forecast(forecaster), c => c.Forecast(forecaster), instant, run));
        }

        AddRolling(rows, input, bySeries, include, progress, instant, run, "rolling-median(window=1000)",
            o => o.RollingMedian(1000), c => c.RollingMedian(1000),
            values => RollingQuantileBatch.Compute(new RollingQuantileOptions(1000), values, new double?[values.Length]));
        AddRolling(rows, input, bySeries, include, progress, instant, run, "rolling-mean-variance(window=288)",
            o => o.MeanVariance(288), c => c.MeanVariance(288), values => RollingBatch.Compute(new RollingMomentsOptions(288), values));
        AddRolling(rows, input, bySeries, include, progress, instant, run, "ewma(alpha=0.1)",
            o => o.Ewma(new EwmaOptions(0.1)), c => c.Ewma(new EwmaOptions(0.1)), values => RollingBatch.Compute(new EwmaOptions(0.1), values));
        AddRolling(rows, input, bySeries, include, progress, instant, run, "rolling-min-max(window=1000)",
            o => o.MinMax(1000), c => c.MinMax(1000), values => RollingBatch.Compute(new RollingMinMaxOptions(1000), values));
        if (include("tumble(1m)"))
        {
            // Windows emit per window, not per row, and may close on the scheduler's clock: no chunked path (the
            // per-event path is already as fast as the twin).
            progress("tumble(1m)");
            var options = new TumblingOptions(TimeSpan.FromMinutes(1));
            rows.Add(Measure<WindowAggregate, int>("tumble(1m)", input, () => WindowBatch.Tumble(input, options), o => o.Tumble(options), null, instant, run));
        }

        return rows;
    }

    private static void AddRolling<T, TChunk>(
        List<Row> rows, LabeledObservation[] input, (DateTime[] Timestamps, double?[] Values)[] bySeries, Func<string, bool> include,
        Action<string> progress, ChunkOptions instant, ChunkOptions run, string name,
        Func<IObservable<LabeledObservation>, IObservable<T>> perEvent, Func<IObservable<ObservationBatch>, IObservable<ResultChunk<TChunk>>> chunked,
        Action<double?[]> twinOne)
    {
        if (!include(name))
        {
            return;
        }

        progress(name);
        rows.Add(Measure(name, input, () =>
        {
            foreach (var (_, values) in bySeries)
            {
                twinOne(values);
            }
        }, perEvent, chunked, instant, run));
    }

    /// <summary>Warm-up of every path, then 3 rounds of (twin, per-event, fused, chunked instant, chunked run); best of the rounds.</summary>
    private static Row Measure<T, TChunk>(
        string name, LabeledObservation[] input, Action twin, Func<IObservable<LabeledObservation>, IObservable<T>> perEvent,
        Func<IObservable<ObservationBatch>, IObservable<ResultChunk<TChunk>>>? chunked, ChunkOptions instant, ChunkOptions run)
    {
        var source = ObservationSource.FromArray(input);
        var paths = new List<Action>
        {
            twin,
            () => PerEvent(source, perEvent, fuse: false),
            () => PerEvent(source, perEvent, fuse: true),
        };
        if (chunked is not null)
        {
            paths.Add(() => Chunked(source, chunked, instant));
            paths.Add(() => Chunked(source, chunked, run));
        }

        var best = paths.Select(_ => double.MaxValue).ToArray();
        foreach (var p in paths)
        {
            p(); // warm-up: JIT and tiering
        }

        for (var round = 0; round < 3; round++)
        {
            for (var p = 0; p < paths.Count; p++)
            {
                var clock = Stopwatch.StartNew();
                paths[p]();
                best[p] = Math.Min(best[p], clock.Elapsed.TotalSeconds);
            }
        }

        double Rate(int p) => input.Length / best[p];
        return new Row(name, Rate(0), Rate(1), Rate(2), chunked is null ? null : Rate(3), chunked is null ? null : Rate(4));
    }

    private static void PerEvent<T>(IReadOnlyList<LabeledObservation> source, Func<IObservable<LabeledObservation>, IObservable<T>> op, bool fuse)
    {
        var scheduler = new ReplayScheduler();
        long count = 0;
        var replay = ObservationReplay.Virtual(source, scheduler);
        using (op(fuse ? replay : new PassThrough<LabeledObservation>(replay)).Subscribe(_ => count++))
        {
            scheduler.RunToCompletion();
        }

        GC.KeepAlive(count);
    }

    private static void Chunked<TChunk>(
        IReadOnlyList<LabeledObservation> source, Func<IObservable<ObservationBatch>, IObservable<ResultChunk<TChunk>>> op, ChunkOptions options)
    {
        var scheduler = new ReplayScheduler();
        long count = 0;
        using (op(ObservationReplay.VirtualChunks(source, scheduler, options)).Subscribe(c => count += c.Count))
        {
            scheduler.RunToCompletion();
        }

        GC.KeepAlive(count);
    }

    /// <summary>Hides the replay's type from the operator (so it cannot fuse) at no cost per event: Subscribe is forwarded as is.</summary>
    private sealed class PassThrough<T>(IObservable<T> inner) : IObservable<T>
    {
        public IDisposable Subscribe(IObserver<T> observer) => inner.Subscribe(observer);
    }

    /// <summary>Observations of the ops-metrics preset (all kinds of anomalies), the first <paramref name="seriesCount"/> series (as <c>bench operators</c>).</summary>
    private static LabeledObservation[] Input(int events, int seriesCount)
    {
        var spec = Presets.Get(Presets.OpsMetrics);
        var sources = Math.Max(1, (int)Math.Ceiling(seriesCount / (double)spec.Metrics.Count));
        var points = (int)Math.Ceiling(events / (double)(sources * spec.Metrics.Count));
        return new DatasetGenerator(spec.WithOverrides(sources: sources, points: points)).GenerateObservations().Take(events).ToArray();
    }
}
