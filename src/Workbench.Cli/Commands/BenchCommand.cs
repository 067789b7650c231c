using System.CommandLine;
using System.Diagnostics;
using System.Reactive.Concurrency;
using System.Text.Json;
using Parquet;
using Parquet.Schema;
using Workbench.Cli.Infrastructure;
using Workbench.Core;
using Workbench.Data;
using Workbench.Generation;
using Workbench.Replay;
using Workbench.Evaluation.Online;
using Workbench.Operators.Detection;
using System.Reactive.Linq;

namespace Workbench.Cli.Commands;

/// <summary>
/// <c>workbench bench</c>: the foundation's benchmarks. Each prints a result (or JSON with <c>--json</c>);
/// figures are recorded in docs/BENCHMARKS.md. Never a unit test: run on a quiet machine.
/// </summary>
public static class BenchCommand
{
    /// <summary>One measured figure.</summary>
    public sealed record Figure(string Name, double Value, string Unit, string? Note = null);

    /// <summary>A benchmark's result: what ran, on which machine, and its figures.</summary>
    public sealed record Result(string Benchmark, int Cores, string Runtime, DateTime DateUtc, IReadOnlyList<Figure> Figures);

    public static Command Build(CliContext context)
    {
        var bench = new Command("bench", "Benchmarks: generation, in-memory and Parquet replay, large-file memory, replay timing, operators, ONNX, evaluation, online evaluation, notebook language service, Jupyter kernel.");
        var json = new Option<bool>("--json") { Description = "Print the result as one JSON object.", Recursive = true };
        bench.Options.Add(json);

        var preset = new Option<string>("--preset") { Description = "Dataset preset to generate.", DefaultValueFactory = _ => Presets.OpsMetrics };
        var generate = new Command("generate", "Generate and write a preset (default ops-metrics, 4.32 M points): points/s end to end, and generation alone.") { preset };
        generate.SetAction((parse, ct) => Run(context, parse.GetValue(json), () => GenerateAsync(context, parse.GetValue(preset)!, ct)));

        var events = new Option<int>("--events") { Description = "Observations to replay.", DefaultValueFactory = _ => 10_000_000 };
        var memory = new Command("replay-memory", "In-memory source → virtual-time replay → counting subscriber, against a plain loop over the same array.") { events };
        memory.SetAction((parse, ct) => Run(context, parse.GetValue(json), () => Task.FromResult(ReplayMemory(parse.GetValue(events)))));

        var parquet = new Command("replay-parquet", "Parquet file (ops-metrics) → virtual-time replay → counting subscriber, against Parquet.Net decoding the same columns.");
        parquet.SetAction((parse, ct) => Run(context, parse.GetValue(json), () => ReplayParquetAsync(context, ct)));

        var rows = new Option<long>("--rows") { Description = "Rows of the large file (sources × 3 metrics × 1440 points, rounded up).", DefaultValueFactory = _ => 100_000_000 };
        var file = new Option<FileInfo?>("--file") { Description = "Where to keep the large file (default: a temporary file, deleted after)." };
        var large = new Command("replay-large", "Generate a large file (default 100 M rows), replay it in a fresh process, report its peak memory.") { rows, file };
        large.SetAction((parse, ct) => Run(context, parse.GetValue(json), () => ReplayLargeAsync(context, parse.GetValue(rows), parse.GetValue(file)?.FullName, ct)));

        var speeds = new Option<string>("--speeds") { Description = "Comma-separated speed factors (1-second spacing, so 100 plays every 10 ms).", DefaultValueFactory = _ => "1,100,1000" };
        var count = new Option<int>("--count") { Description = "Observations per run at speeds above 1 (1-second spacing).", DefaultValueFactory = _ => 2_000 };
        var countAt1 = new Option<int>("--count-at-1") { Description = "Observations per run at speeds of 1 or less (kept small: 1 s apart).", DefaultValueFactory = _ => 15 };
        var clocks = new Option<string>("--clocks") { Description = "Comma-separated clocks: high-resolution, timer.", DefaultValueFactory = _ => "high-resolution,timer" };
        var timing = new Command("replay-timing", "Scaled replay on the wall clock, per speed and clock (high-resolution thread vs timers): lateness of each delivery against its schedule (mean, p50, p99, max; µs and % of the interval) and process CPU.")
        {
            speeds, count, countAt1, clocks,
        };
        timing.SetAction((parse, ct) => Run(context, parse.GetValue(json), () => TimingAsync(
            ParseSpeeds(parse.GetValue(speeds)!), ParseClocks(parse.GetValue(clocks)!), parse.GetValue(count), parse.GetValue(countAt1), ct)));

        var opEvents = new Option<int>("--events") { Description = "Observations per operator run.", DefaultValueFactory = _ => 1_000_000 };
        var opSeries = new Option<int>("--series") { Description = "Series the observations are spread over.", DefaultValueFactory = _ => 30 };
        var only = new Option<string[]>("--only") { Description = "Measure only operators whose spec starts with one of these names." };
        var operators = new Command("operators", "Every detector, forecaster and rolling statistic: events/s in virtual-time replay (Rx) and in its batch twin, single-threaded.")
        {
            opEvents, opSeries, only,
        };
        operators.SetAction((parse, ct) => Run(context, parse.GetValue(json), () => Task.FromResult(Operators(context, parse.GetValue(opEvents), parse.GetValue(opSeries), parse.GetValue(only)))));

        var onnxSpec = new Option<string>("--forecaster") { Description = "The ONNX forecaster spec.", DefaultValueFactory = _ => "onnx" };
        var onnxSeries = new Option<int>("--sources") { Description = "Sources of the default-small preset (one latency series each).", DefaultValueFactory = _ => 60 };
        var onnx = new Command("onnx", "ONNX forecaster: batched windows/s on both cores and per-event latency p50/p99.") { onnxSpec, onnxSeries };
        onnx.SetAction((parse, ct) => Run(context, parse.GetValue(json), () => Task.FromResult(Onnx(parse.GetValue(onnxSpec)!, parse.GetValue(onnxSeries)))));

        var nabRoot = new Option<DirectoryInfo>("--root") { Description = "The NAB folder.", DefaultValueFactory = _ => new DirectoryInfo(Path.Combine("..", "shared", "datasets", "nab")) };
        var evaluate = new Command("evaluate", "Evaluate every default built-in detector with every metric on the NAB corpus (NAB sweep included), both cores: wall seconds per stage.") { nabRoot };
        evaluate.SetAction((parse, ct) => Run(context, parse.GetValue(json), () => Task.FromResult(EvaluateNab(parse.GetValue(nabRoot)!.FullName, ct))));

        var onlineEvents = new Option<int>("--events") { Description = "Observations (default-small preset, all series).", DefaultValueFactory = _ => 1_000_000 };
        var online = new Command("online", "Online evaluation (EvaluateOnline) over a virtual-time replay with zscore: events/s with a snapshot per event, every 1,000 events, and final only.") { onlineEvents };
        online.SetAction((parse, ct) => Run(context, parse.GetValue(json), () => Task.FromResult(Online(parse.GetValue(onlineEvents)))));

        var language = new Command("notebook-language", "Notebook language service: completion latency per keystroke (first and warm p50/p95/p99), inspection, completeness.");
        language.SetAction((parse, ct) => Run(context, parse.GetValue(json), () => NotebookLanguageAsync(ct)));

        var kernel = new Command("kernel", "The Jupyter kernel in its own process: start to ready, first and later cells, completion over the protocol, interrupting a tight loop, shutdown to exit.");
        kernel.SetAction((parse, ct) => Run(context, parse.GetValue(json), () => Task.FromResult(KernelFigures())));

        var exe = new Option<FileInfo?>("--exe") { Description = "The workbench executable to start (default: this one)." };
        var baseline = new Option<FileInfo?>("--baseline") { Description = "A second executable measured in the same run (interleaved), e.g. a plain build against a ReadyToRun publish; figures compared as a ratio." };
        var startupData = new Option<FileInfo>("--data") { Description = "The file 'inspect' reads.", DefaultValueFactory = _ => new FileInfo(Path.Combine("data", "default.parquet")) };
        var startupRuns = new Option<int>("--runs") { Description = "Measured starts per command and executable (after one warm-up).", DefaultValueFactory = _ => 10 };
        var startup = new Command("startup", "Whole-process wall time of 'workbench --help' and 'workbench inspect <data>': min and median over --runs starts, optionally against a baseline executable.")
        {
            exe, baseline, startupData, startupRuns,
        };
        startup.SetAction((parse, ct) => Run(context, parse.GetValue(json), () => Task.FromResult(Startup(parse.GetValue(exe), parse.GetValue(baseline), parse.GetValue(startupData)!, parse.GetValue(startupRuns), ct))));

        foreach (var c in new[] { generate, memory, parquet, large, timing, operators, onnx, evaluate, online, language, kernel, startup })
        {
            bench.Subcommands.Add(c);
        }
        bench.Subcommands.Add(GridBench.Build((parse, work) => Run(context, parse.GetValue(json), work)));

        bench.Subcommands.Add(WriteBench.Build(context, json, Run));
        bench.Subcommands.Add(ReplayParquetStages.Build(context, json, Run));
        bench.Subcommands.Add(ChunkedOperatorBench.Create(context, json));
        return bench;
    }

    private static async Task<int> Run(CliContext context, bool json, Func<Task<Result>> benchmark)
    {
        var result = await benchmark().ConfigureAwait(false);
        if (json)
        {
            JsonOutput.Write(context.Out, result);
        }
        else
        {
            await context.Out.WriteLineAsync($"{result.Benchmark} ({result.Cores} cores, {result.Runtime}, {result.DateUtc:yyyy-MM-dd})").ConfigureAwait(false);
            foreach (var f in result.Figures)
            {
                await context.Out.WriteLineAsync($"  {f.Name,-36} {Format(f.Value),14} {f.Unit}{(f.Note is null ? "" : $"  ({f.Note})")}").ConfigureAwait(false);
            }
        }

        return ExitCodes.Success;
    }

    private static string Format(double v) => Math.Abs(v) >= 1000 ? v.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) : v.ToString("G4", System.Globalization.CultureInfo.InvariantCulture);

    private static Result Make(string name, params Figure[] figures) =>
        new(name, Environment.ProcessorCount, System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
            TimeProvider.System.GetUtcNow().UtcDateTime, figures);

    private static Result Online(int events)
    {
        var spec = Presets.Get(Presets.DefaultSmall);
        var perSeries = Math.Max(100, events / (spec.Sources * 3));
        var observations = new DatasetGenerator(spec.WithOverrides(points: perSeries)).GenerateObservations().Take(events).ToArray();
        var flagged = DetectorBatch.Flag(DetectorBatch.Score(new ZScoreDetector(Window: 288, Threshold: 4), observations), 4);

        // Best of 3 per setting; the subscriber counts snapshots and keeps the last one.
        double Measure(int emitEvery, out long snapshots)
        {
            var options = new OnlineEvaluationOptions { EmitEvery = emitEvery };
            var best = double.MaxValue;
            snapshots = 0;
            for (var run = 0; run < 3; run++)
            {
                var scheduler = new ReplayScheduler();
                long count = 0;
                var clock = Stopwatch.StartNew();
                using (ObservationReplay.Virtual(observations, scheduler).Select((o, i) => flagged[i]).EvaluateOnline(options).Subscribe(_ => count++))
                {
                    scheduler.Start();
                }

                best = Math.Min(best, clock.Elapsed.TotalSeconds);
                snapshots = count;
            }

            return observations.Length / best;
        }

        var every = Measure(1, out var n1);
        var thousand = Measure(1000, out var n1000);
        var final = Measure(0, out var n0);
        return Make(
            "online evaluation (virtual-time replay → EvaluateOnline, zscore flags, default-small)",
            new Figure("events", observations.Length, "events"),
            new Figure("snapshot per event", every, "events/s", $"{n1:N0} snapshots"),
            new Figure("snapshot every 1,000 events", thousand, "events/s", $"{n1000:N0} snapshots"),
            new Figure("final snapshot only", final, "events/s", $"{n0:N0} snapshot"));
    }

    private static Result EvaluateNab(string root, CancellationToken ct)
    {
        if (!Directory.Exists(root))
        {
            throw new CommandFailedException($"NAB folder '{root}' does not exist (give --root)");
        }

        var (detectors, _) = EvaluateDatasetCommand.DefaultDetectors(OperatorCatalogs.Cli);
        var clock = Stopwatch.StartNew();
        var corpus = Import.NabCorpus.Load(root);
        var load = clock.Elapsed.TotalSeconds;
        var results = Evaluation.Runs.NabCorpusEvaluator.Evaluate(corpus, detectors, ct: ct);
        var total = clock.Elapsed.TotalSeconds;
        var points = corpus.RowCount * (double)detectors.Count;
        return Make(
            "evaluate (NAB corpus, every default detector, every metric, NAB sweep)",
            new Figure("files", corpus.Files.Count, "files"),
            new Figure("rows", corpus.RowCount, "rows"),
            new Figure("detectors", results.Count, "detectors"),
            new Figure("load", load, "s"),
            new Figure("score + all metrics + NAB sweep", total - load, "s"),
            new Figure("total (in process)", total, "s", "goal < 5 s wall"),
            new Figure("throughput", points / (total - load), "detector-rows/s"));
    }

    private static async Task<Result> GenerateAsync(CliContext context, string presetName, CancellationToken ct)
    {
        var spec = Presets.Get(presetName);
        using var dir = new TempFolder();
        // Warm-up on a small slice so JIT and tiering do not count.
        await GenerateCommand.RunAsync(Quiet(context), spec.WithOverrides(sources: 10), dir.File("warm.parquet"), ct).ConfigureAwait(false);
        var full = await GenerateCommand.RunAsync(context, spec, dir.File("bench.parquet"), ct).ConfigureAwait(false);

        var clock = Stopwatch.StartNew();
        long rows = 0;
        foreach (var batch in new DatasetGenerator(spec).Generate(1 << 20, reuseBatch: true))
        {
            rows += batch.Count;
        }

        clock.Stop();
        return Make($"generate {presetName}",
            new Figure("generate + write, end to end", full.PointsPerSecond, "points/s", $"{full.Rows:N0} points in {full.Seconds:F2} s; goal ≥ 10 M/s"),
            new Figure("generation alone", rows / clock.Elapsed.TotalSeconds, "points/s", $"{clock.Elapsed.TotalSeconds:F2} s"),
            new Figure("file size", full.Bytes / 1e6, "MB"));
    }

    private static Result ReplayMemory(int events)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(events, 1);
        var spec = Presets.Get(Presets.OpsMetrics);
        var observations = new DatasetGenerator(spec.WithOverrides(points: (int)Math.Min(int.MaxValue, (events / spec.SeriesCount) + 1)))
            .GenerateObservations().Take(events).ToArray();

        // Baseline: the limit of this path, a plain loop reading the same structs.
        long loopCount = 0;
        double loopSeconds = double.MaxValue;
        double replaySeconds = double.MaxValue;
        long replayCount = 0;
        for (var rep = 0; rep < 3; rep++)
        {
            var clock = Stopwatch.StartNew();
            long n = 0;
            long ticks = 0;
            foreach (ref readonly var o in observations.AsSpan())
            {
                n++;
                ticks ^= o.Timestamp.Ticks;
            }

            clock.Stop();
            GC.KeepAlive(ticks);
            loopCount = n;
            loopSeconds = Math.Min(loopSeconds, clock.Elapsed.TotalSeconds);

            var scheduler = new ReplayScheduler();
            long count = 0;
            clock.Restart();
            using (ObservationReplay.Virtual(ObservationSource.FromArray(observations), scheduler).Subscribe(o => { count++; ticks ^= o.Timestamp.Ticks; }))
            {
                scheduler.RunToCompletion();
            }

            clock.Stop();
            replayCount = count;
            replaySeconds = Math.Min(replaySeconds, clock.Elapsed.TotalSeconds);
        }

        return Make($"replay-memory ({events:N0} observations, best of 3)",
            new Figure("virtual-time replay", replayCount / replaySeconds, "events/s", "goal ≥ 20 M/s"),
            new Figure("plain loop over the same array", loopCount / loopSeconds, "events/s"),
            new Figure("replay time / loop time", replaySeconds / loopSeconds, "×"));
    }

    private static async Task<Result> ReplayParquetAsync(CliContext context, CancellationToken ct)
    {
        using var dir = new TempFolder();
        var path = dir.File("ops-metrics.parquet");
        await GenerateCommand.RunAsync(Quiet(context), Presets.Get(Presets.OpsMetrics), path, ct).ConfigureAwait(false);

        double decodeSeconds = double.MaxValue, replaySeconds = double.MaxValue, verifiedSeconds = double.MaxValue, unverifiedSeconds = double.MaxValue;
        long decoded = 0, replayed = 0;
        for (var rep = 0; rep < 3; rep++)
        {
            var clock = Stopwatch.StartNew();
            decoded = await DecodeColumnsAsync(path, ct).ConfigureAwait(false);
            decodeSeconds = Math.Min(decodeSeconds, clock.Elapsed.TotalSeconds);

            clock.Restart();
            var r = await ReplayCommand.RunVirtualAsync(Quiet(context), path, null, ct).ConfigureAwait(false);
            replaySeconds = Math.Min(replaySeconds, clock.Elapsed.TotalSeconds);
            replayed = r.Events;

            // The reader alone (what inspect does), with and without the column-chunk digests checked.
            verifiedSeconds = Math.Min(verifiedSeconds, await ReadPassAsync(path, verify: true, ct).ConfigureAwait(false));
            unverifiedSeconds = Math.Min(unverifiedSeconds, await ReadPassAsync(path, verify: false, ct).ConfigureAwait(false));
        }

        return Make("replay-parquet (ops-metrics, 4.32 M rows, best of 3)",
            new Figure("file → virtual replay → count", replayed / replaySeconds, "events/s", $"{replaySeconds:F3} s"),
            new Figure("Parquet.Net decoding the same columns", decoded / decodeSeconds, "rows/s", $"{decodeSeconds:F3} s"),
            new Figure("replay time / decode time", replaySeconds / decodeSeconds, "×", "goal ≤ 1.25"),
            new Figure("reader pass, digests verified", replayed / verifiedSeconds, "rows/s", $"{verifiedSeconds:F3} s"),
            new Figure("reader pass, VerifyIntegrity off", replayed / unverifiedSeconds, "rows/s", $"{unverifiedSeconds:F3} s"),
            new Figure("verification cost (verified / off)", verifiedSeconds / unverifiedSeconds, "×"));
    }

    private static async Task<double> ReadPassAsync(string path, bool verify, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        await using var reader = await LabeledDatasetReader.OpenAsync(path, new DatasetReaderOptions { VerifyIntegrity = verify, ReuseBatches = true }, ct).ConfigureAwait(false);
        await foreach (var _ in reader.ReadBatchesAsync(ct).ConfigureAwait(false))
        {
        }

        return clock.Elapsed.TotalSeconds;
    }

    /// <summary>Parquet.Net alone: decode series_id, timestamp, value, is_anomaly, anomaly_kind, anomaly_id of every row group.</summary>
    private static async Task<long> DecodeColumnsAsync(string path, CancellationToken ct)
    {
        await using var reader = await ParquetReader.CreateAsync(path, null, ct).ConfigureAwait(false);
        DataField Field(string name) => reader.Schema.DataFields.Single(f => f.Name == name);
        var seriesId = Field(LabeledDatasetFormat.SeriesIdColumn);
        var timestamp = Field(LabeledDatasetFormat.TimestampColumn);
        var value = Field(LabeledDatasetFormat.ValueColumn);
        var isAnomaly = Field(LabeledDatasetFormat.IsAnomalyColumn);
        var kind = Field(LabeledDatasetFormat.AnomalyKindColumn);
        var anomalyId = Field(LabeledDatasetFormat.AnomalyIdColumn);
        long rows = 0;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var rg = reader.OpenRowGroupReader(g);
            var n = (int)rg.RowCount;
            var levels = new int[n];
            await rg.ReadAsync<int>(seriesId, new int[n], null, ct).ConfigureAwait(false);
            await rg.ReadAsync<DateTime>(timestamp, new DateTime[n], null, ct).ConfigureAwait(false);
            await rg.ReadRawAsync<double>(value, new double[n], levels, null, ct).ConfigureAwait(false);
            await rg.ReadAsync<bool>(isAnomaly, new bool[n], null, ct).ConfigureAwait(false);
            await rg.ReadAsync(kind, new string[n], null, ct).ConfigureAwait(false);
            await rg.ReadRawAsync<int>(anomalyId, new int[n], levels, null, ct).ConfigureAwait(false);
            rows += n;
        }

        return rows;
    }

    private static async Task<Result> ReplayLargeAsync(CliContext context, long rows, string? keep, CancellationToken ct)
    {
        var spec = Presets.Get(Presets.OpsMetrics);
        var sources = (int)Math.Ceiling(rows / (double)(spec.Metrics.Count * spec.Points));
        using var dir = new TempFolder();
        var path = keep ?? dir.File("large.parquet");
        var generated = File.Exists(path) ? null : await GenerateCommand.RunAsync(context, spec.WithOverrides(sources: sources), path, ct).ConfigureAwait(false);

        var exe = Environment.ProcessPath ?? throw new CommandFailedException("cannot find the workbench executable to start the replay process");
        var args = exe.EndsWith("dotnet", StringComparison.Ordinal) || exe.EndsWith("dotnet.exe", StringComparison.Ordinal)
            ? [typeof(BenchCommand).Assembly.Location, "replay", path, "--virtual", "--json"]
            : new[] { "replay", path, "--virtual", "--json" };
        var start = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args)
        {
            start.ArgumentList.Add(a);
        }

        start.Environment["CI"] = "true"; // no progress display in the child
        using var child = Process.Start(start) ?? throw new CommandFailedException("could not start the replay process");
        var stdout = child.StandardOutput.ReadToEndAsync(ct);
        var stderr = child.StandardError.ReadToEndAsync(ct);
        await child.WaitForExitAsync(ct).ConfigureAwait(false);
        if (child.ExitCode != 0)
        {
            throw new CommandFailedException($"replay process failed: {(await stderr.ConfigureAwait(false)).Trim()}");
        }

        var replay = JsonSerializer.Deserialize<ReplayCommand.Result>(await stdout.ConfigureAwait(false), JsonOutput.Options)
            ?? throw new CommandFailedException("replay process printed no result");
        var figures = new List<Figure>
        {
            new("rows replayed", replay.Events, "rows"),
            new("peak working set of the replay process", replay.PeakWorkingSetBytes / 1e6, "MB", "goal < 300 MB, flat"),
            new("virtual replay rate", replay.EventsPerSecond, "events/s"),
            new("file size", new FileInfo(path).Length / 1e6, "MB"),
        };
        if (generated is not null)
        {
            figures.Add(new("generate + write", generated.PointsPerSecond, "points/s", $"{generated.Seconds:F1} s"));
        }

        return Make($"replay-large ({replay.Events:N0} rows)", [.. figures]);
    }

    private static Result Operators(CliContext context, int events, int series, string[]? only)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(events, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(series, 1);
        bool Include(string spec) => only is not { Length: > 0 } || only.Any(o => spec.StartsWith(o, StringComparison.Ordinal));
        var rows = OperatorBench.Run(events, series, Include, name => context.Error.WriteLine($"bench operators: {name}"));
        var figures = rows.SelectMany(r => new[]
        {
            new Figure($"{r.Operator} streaming", r.StreamingEventsPerSecond, "events/s"),
            new Figure($"{r.Operator} batch", r.BatchEventsPerSecond, "events/s", $"batch/streaming {r.Ratio:F2}x"),
        }).ToArray();
        return Make($"operators ({events:N0} events over {series} series, best of 3, single-threaded)", figures);
    }

    private static Result Onnx(string spec, int sources)
    {
        if (OperatorCatalogs.Cli.ParseForecaster(spec) is not Workbench.Onnx.OnnxForecaster forecaster)
        {
            throw new CommandFailedException($"'{spec}' is not an ONNX forecaster spec");
        }

        var r = OnnxBench.Run(forecaster, sources, 2880);
        return Make($"onnx ({forecaster.Spec}; {sources} latency series x 2,880 points)",
            new Figure("batched forecasts (windows) per second", r.WindowsPerSecond, "windows/s", $"{r.Windows:N0} windows; goal ≥ 150 k/s"),
            new Figure("per-event latency p50", r.P50Microseconds, "µs", $"{r.Events:N0} events"),
            new Figure("per-event latency p99", r.P99Microseconds, "µs", "goal < 100 µs"),
            new Figure("per-event latency max", r.MaxMicroseconds, "µs"));
    }

    private static async Task<Result> NotebookLanguageAsync(CancellationToken ct)
    {
        var r = await NotebookLanguageBench.RunAsync(ct).ConfigureAwait(false);
        return Make("notebook-language (4 executed cells, typing 5 lines with a completion per keystroke)",
            new Figure("first completion (cold)", r.FirstCompletionMs, "ms", "MEF composition, submission compilations"),
            new Figure("completion p50 (warm)", r.CompletionP50Ms, "ms", $"{r.Keystrokes:N0} keystrokes"),
            new Figure("completion p95 (warm)", r.CompletionP95Ms, "ms", "goal < 100 ms"),
            new Figure("completion p99 (warm)", r.CompletionP99Ms, "ms"),
            new Figure("completion max (warm)", r.CompletionMaxMs, "ms"),
            new Figure("completion CPU time mean (warm)", r.CompletionCpuMeanMs, "ms", "process CPU, all threads"),
            new Figure("inspect p50", r.InspectP50Ms, "ms"),
            new Figure("inspect p95", r.InspectP95Ms, "ms"),
            new Figure("is_complete p95", r.IsCompleteP95Ms, "ms"));
    }

    private static Result Startup(FileInfo? exe, FileInfo? baseline, FileInfo data, int runs, CancellationToken ct)
    {
        if (!data.Exists)
        {
            throw new CommandFailedException($"bench startup: {data.FullName} does not exist (pass --data <file.parquet>)");
        }

        var main = exe?.FullName ?? StartupBench.CurrentExecutable();
        var executables = baseline is null ? new[] { main } : [main, baseline.FullName];
        string[][] commands = [["--help"], ["inspect", data.FullName]];
        var timings = StartupBench.Run(executables, commands, runs, ct);
        var figures = new List<Figure>();
        foreach (var t in timings)
        {
            var who = baseline is null ? string.Empty : t.Executable == main ? " [exe]" : " [baseline]";
            var note = $"median {t.MedianMs:F0} ms over {t.Runs} runs";
            if (baseline is not null && t.Executable == main)
            {
                var b = timings.First(x => x.Executable != main && x.Command == t.Command);
                note += $"; baseline/exe {b.MinMs / t.MinMs:F2}x (min), {b.MedianMs / t.MedianMs:F2}x (median)";
            }

            var goal = t.Command.StartsWith("inspect", StringComparison.Ordinal) ? "; goal < 250 ms" : string.Empty;
            figures.Add(new Figure($"workbench {(t.Command.StartsWith("inspect", StringComparison.Ordinal) ? "inspect <data>" : t.Command)}{who} min", t.MinMs, "ms", note + goal));
        }

        return Make($"startup ({main}{(baseline is null ? string.Empty : " vs " + baseline.FullName)})", [.. figures]);
    }

    private static Result KernelFigures()
    {
        var r = KernelBench.Run();
        return Make("kernel (workbench kernel process over ZeroMQ on loopback)",
            new Figure("process start to kernel_info reply", r.StartToReadyMs, "ms"),
            new Figure("first cell (execute to reply)", r.FirstCellMs, "ms", "Roslyn's first compilation"),
            new Figure("later cells p50", r.LaterCellP50Ms, "ms", $"{r.LaterCells} cells with stdout and a result"),
            new Figure("later cells p95", r.LaterCellP95Ms, "ms"),
            new Figure("completion p50 (warm)", r.CompletionP50Ms, "ms", $"{r.Completions} complete_requests"),
            new Figure("completion p95 (warm)", r.CompletionP95Ms, "ms", "goal < 100 ms"),
            new Figure("interrupt of while (true) {} to reply", r.InterruptMs, "ms", "goal < 1 s"),
            new Figure("shutdown_request to process exit", r.ShutdownToExitMs, "ms"));
    }

    /// <summary>Runs every speed with every clock (clocks alternate within a speed, so both see the same load) and
    /// reports each run's lateness figures, its process CPU, and the timer/high-resolution ratios.</summary>
    internal static async Task<Result> TimingAsync(IReadOnlyList<double> speeds, IReadOnlyList<ReplayClock> clocks, int count, int countAt1, CancellationToken ct)
    {
        if (count < 1 || countAt1 < 1)
        {
            throw new CommandFailedException("--count and --count-at-1 must be at least 1.");
        }

        var figures = new List<Figure>();
        foreach (var speed in speeds)
        {
            var n = speed <= 1 ? countAt1 : count;
            var reports = new Dictionary<ReplayClock, ReplayTimingReport>();
            foreach (var clock in clocks)
            {
                var report = await ReplayTiming.MeasureAsync(Scheduler.Default, new ReplayTimingOptions { Speed = speed, Count = n, Clock = clock }, ct).ConfigureAwait(false);
                reports[clock] = report;
                var at = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{speed:0.###}x {ClockName(clock)}");
                figures.Add(new Figure($"{at} interval", report.Interval.TotalMilliseconds, "ms", $"{n} events"));
                figures.Add(new Figure($"{at} mean |lateness|", report.MeanAbsolute.TotalMicroseconds, "µs", Pct(report.MeanPercentOfInterval, "goal ≤ 1 %")));
                figures.Add(new Figure($"{at} p50 |lateness|", report.P50Absolute.TotalMicroseconds, "µs", Pct(100.0 * report.P50Absolute.Ticks / report.Interval.Ticks, null)));
                figures.Add(new Figure($"{at} p99 |lateness|", report.P99Absolute.TotalMicroseconds, "µs", Pct(report.P99PercentOfInterval, "goal ≤ 5 %")));
                figures.Add(new Figure($"{at} max |lateness|", report.MaxAbsolute.TotalMicroseconds, "µs", Pct(report.MaxPercentOfInterval, null)));
                figures.Add(new Figure($"{at} most early", report.MostEarly.TotalMicroseconds, "µs", "negative = delivered early"));
                figures.Add(new Figure($"{at} process CPU", report.CpuPercentOfOneCore, "% of one core", string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{report.ProcessCpuTime.TotalSeconds:0.###} s CPU over {report.Elapsed.TotalSeconds:0.###} s")));
            }

            if (reports.TryGetValue(ReplayClock.HighResolution, out var hr) && reports.TryGetValue(ReplayClock.Timer, out var timer))
            {
                var at = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{speed:0.###}x timer / high-resolution");
                figures.Add(new Figure($"{at} mean", Ratio(timer.MeanAbsolute, hr.MeanAbsolute), "×"));
                figures.Add(new Figure($"{at} p99", Ratio(timer.P99Absolute, hr.P99Absolute), "×"));
                figures.Add(new Figure($"{at} CPU", hr.CpuPercentOfOneCore > 0 ? timer.CpuPercentOfOneCore / hr.CpuPercentOfOneCore : 0, "×"));
            }
        }

        return Make($"replay-timing (speeds {string.Join(", ", speeds.Select(v => v.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture)))}; clocks {string.Join(", ", clocks.Select(ClockName))})", [.. figures]);

        static string Pct(double pct, string? goal) =>
            string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{pct:0.###} % of the interval{(goal is null ? "" : "; " + goal)}");

        static double Ratio(TimeSpan a, TimeSpan b) => b.Ticks > 0 ? (double)a.Ticks / b.Ticks : double.PositiveInfinity;
    }

    internal static IReadOnlyList<double> ParseSpeeds(string text)
    {
        var speeds = new List<double>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!double.TryParse(part, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var v) || !double.IsFinite(v) || v <= 0)
            {
                throw new CommandFailedException($"--speeds: '{part}' is not a finite speed greater than 0 (e.g. --speeds 1,100,1000).");
            }

            speeds.Add(v);
        }

        return speeds.Count > 0 ? speeds : throw new CommandFailedException("--speeds: give at least one speed (e.g. --speeds 1,100,1000).");
    }

    internal static IReadOnlyList<ReplayClock> ParseClocks(string text)
    {
        var clocks = new List<ReplayClock>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var clock = part.ToLowerInvariant() switch
            {
                "high-resolution" => ReplayClock.HighResolution,
                "timer" => ReplayClock.Timer,
                _ => throw new CommandFailedException($"--clocks: '{part}' is not a clock (high-resolution, timer)."),
            };
            if (!clocks.Contains(clock))
            {
                clocks.Add(clock);
            }
        }

        return clocks.Count > 0 ? clocks : throw new CommandFailedException("--clocks: give at least one clock (high-resolution, timer).");
    }

    private static string ClockName(ReplayClock clock) => clock == ReplayClock.Timer ? "timer" : "high-resolution";

    private static CliContext Quiet(CliContext context) => new(TextWriter.Null, context.Error, interactive: false);

    private sealed class TempFolder : IDisposable
    {
        public TempFolder()
        {
            Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "workbench-bench-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(Path);
        }

        public string Path { get; }

        public string File(string name) => System.IO.Path.Combine(Path, name);

        public void Dispose()
        {
            try
            {
                Directory.Delete(Path, recursive: true);
            }
            catch (IOException)
            {
                // A benchmark must not fail on clean-up.
            }
        }
    }
}
