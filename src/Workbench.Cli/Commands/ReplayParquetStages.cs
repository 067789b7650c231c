using System.CommandLine;
using System.Diagnostics;
using System.Reactive;
using Parquet;
using Parquet.Schema;
using Workbench.Cli.Infrastructure;
using Workbench.Core;
using Workbench.Data;
using Workbench.Generation;
using Workbench.Replay;

namespace Workbench.Cli.Commands;

/// <summary>
/// <c>workbench bench replay-parquet-stages</c>: where the time of a Parquet replay goes (issue 12 part 2). Each stage adds
/// one piece to the one before — Parquet.Net's decode alone, the reader single-threaded without and with digest
/// verification, the reader as configured by default (prefetch), the rows copied out of the batches, the virtual replay —
/// and is timed whole (wall seconds, min and median over the runs, stages interleaved run by run) with the bytes the
/// process allocated in it (<see cref="GC.GetTotalAllocatedBytes(bool)"/>, every thread), per row, its GC pauses and gen-2
/// collections, and the process CPU time it used (every thread: steadier than wall time on a loaded machine).
/// </summary>
public static class ReplayParquetStages
{
    /// <summary>One stage: wall seconds (min, median) and allocated bytes per row (min over the runs).</summary>
    public sealed record Stage(string Name, double MinSeconds, double MedianSeconds, double BytesPerRow);

    /// <summary>The <c>replay-parquet-stages</c> command.</summary>
    public static Command Build(CliContext context, Option<bool> json, Func<CliContext, bool, Func<Task<BenchCommand.Result>>, Task<int>> run)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(run);
        var file = new Option<FileInfo?>("--file") { Description = "The dataset to read (default: the ops-metrics preset, generated into a temporary file)." };
        var runs = new Option<int>("--runs") { Description = "Measured runs of every stage (interleaved), after one warm-up.", DefaultValueFactory = _ => 5 };
        var only = new Option<string?>("--only") { Description = "Run only the stages whose name contains this text (e.g. to profile one), besides the decode every ratio refers to." };
        var command = new Command("replay-parquet-stages",
            "Where a Parquet replay's time goes: Parquet.Net decode alone, the reader single-threaded without/with digest checks, the reader with prefetch, rows out of batches, virtual replay; wall time and bytes allocated per row for each.")
        {
            file, runs, only,
        };
        command.SetAction((parse, ct) => run(context, parse.GetValue(json), () => RunAsync(parse.GetValue(file)?.FullName, parse.GetValue(runs), parse.GetValue(only), ct)));
        return command;
    }

    private static async Task<BenchCommand.Result> RunAsync(string? file, int runs, string? only, CancellationToken ct)
    {
        if (runs < 1)
        {
            throw new CommandFailedException($"--runs must be at least 1, not {runs}");
        }

        string? temp = null;
        try
        {
            if (file is null)
            {
                temp = Path.Combine(Path.GetTempPath(), "workbench-stages-" + Guid.NewGuid().ToString("N"));
                Directory.CreateDirectory(temp);
                file = Path.Combine(temp, "ops-metrics.parquet");
                await GenerateCommand.RunAsync(new CliContext(TextWriter.Null, TextWriter.Null, interactive: false), Presets.Get(Presets.OpsMetrics), file, ct).ConfigureAwait(false);
            }
            else if (!File.Exists(file))
            {
                throw new CommandFailedException($"{file}: no such file");
            }

            var all = Stages(file);
            var stages = only is null ? all : [all[0], .. all.Skip(1).Where(s => s.Name.Contains(only, StringComparison.OrdinalIgnoreCase))];
            var seconds = stages.Select(_ => new List<double>()).ToArray();
            var bytes = stages.Select(_ => double.MaxValue).ToArray();
            var pauses = stages.Select(_ => new List<double>()).ToArray();
            var gen2 = stages.Select(_ => int.MaxValue).ToArray();
            var cpu = stages.Select(_ => new List<double>()).ToArray();
            using var process = Process.GetCurrentProcess();
            long rows = 0;
            for (var r = 0; r <= runs; r++)
            {
                for (var s = 0; s < stages.Length; s++)
                {
                    var before = GC.GetTotalAllocatedBytes(precise: true);
                    var pauseBefore = GC.GetTotalPauseDuration();
                    var gen2Before = GC.CollectionCount(2);
                    process.Refresh();
                    var cpuBefore = process.TotalProcessorTime;
                    var clock = Stopwatch.StartNew();
                    var n = await stages[s].Run(ct).ConfigureAwait(false);
                    clock.Stop();
                    var allocated = GC.GetTotalAllocatedBytes(precise: true) - before;
                    var paused = (GC.GetTotalPauseDuration() - pauseBefore).TotalSeconds;
                    var collections = GC.CollectionCount(2) - gen2Before;
                    process.Refresh();
                    var cpuSeconds = (process.TotalProcessorTime - cpuBefore).TotalSeconds;
                    if (rows != 0 && n != rows)
                    {
                        throw new CommandFailedException($"stage '{stages[s].Name}' saw {n} rows, another {rows}");
                    }

                    rows = n;
                    if (r > 0)
                    {
                        seconds[s].Add(clock.Elapsed.TotalSeconds);
                        bytes[s] = Math.Min(bytes[s], allocated / (double)Math.Max(n, 1));
                        pauses[s].Add(paused);
                        cpu[s].Add(cpuSeconds);
                        gen2[s] = Math.Min(gen2[s], collections);
                    }
                }
            }

            var figures = new List<BenchCommand.Figure>();
            var baseline = Median(seconds[0]);
            var baselineMin = seconds[0].Min();
            for (var s = 0; s < stages.Length; s++)
            {
                var min = seconds[s].Min();
                var median = Median(seconds[s]);
                figures.Add(new BenchCommand.Figure(stages[s].Name, median, "s",
                    $"min {min:F3} s; {median / baseline:F2}× decode (median), {min / baselineMin:F2}× (min); process CPU {Median(cpu[s]):F3} s (median, all threads, {Median(cpu[s]) / Median(cpu[0]):F2}× decode's); {bytes[s]:F1} B/row allocated; GC pauses {Median(pauses[s]) * 1000:F0} ms (median), {gen2[s]} gen-2 collections"));
            }

            return new BenchCommand.Result($"replay-parquet-stages ({Path.GetFileName(file)}, {rows:N0} rows, {runs} runs)",
                Environment.ProcessorCount, System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription,
                TimeProvider.System.GetUtcNow().UtcDateTime, figures);
        }
        finally
        {
            if (temp is not null)
            {
                try
                {
                    Directory.Delete(temp, recursive: true);
                }
                catch (IOException)
                {
                    // A benchmark must not fail on clean-up.
                }
            }
        }
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToArray();
        return sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    private sealed record StageRun(string Name, Func<CancellationToken, Task<long>> Run);

    private static StageRun[] Stages(string path)
    {
        LabeledObservation[]? array = null;
        IReadOnlyList<LabeledObservation>? rows = null;
        IReadOnlyList<LabeledObservation> Rows()
        {
            if (rows is null)
            {
                using var reader = LabeledDatasetReader.Open(path);
                array = [.. reader.ReadObservations()];
                rows = ObservationSource.FromArray(array);
            }

            return rows;
        }

        List<ObservationBatch>? batches = null;
        List<ObservationBatch> Batches()
        {
            if (batches is null)
            {
                using var reader = LabeledDatasetReader.Open(path);
                batches = [.. reader.ReadBatches()];
            }

            return batches;
        }

        return
    [
        new("Parquet.Net decode of the six columns (1 thread)", ct => DecodeAsync(path, ct)),
        new("reader, 1 thread, digests off", ct => ReaderAsync(path, new() { Prefetch = false, VerifyIntegrity = false, ReuseBatches = true }, ct)),
        new("reader, 1 thread, digests verified", ct => ReaderAsync(path, new() { Prefetch = false, ReuseBatches = true }, ct)),
        new("reader, prefetch, digests verified (default)", ct => ReaderAsync(path, new() { ReuseBatches = true }, ct)),
        new("rows out of the batches (no Rx)", ct => RowsAsync(path, ct)),
        new("virtual replay, 1 thread, digests off", ct => ReplayAsync(path, new() { Prefetch = false, VerifyIntegrity = false, ReuseBatches = true }, ct)),
        new("virtual replay, prefetch, digests off", ct => ReplayAsync(path, new() { VerifyIntegrity = false, ReuseBatches = true }, ct)),
        new("virtual replay, prefetch, digests verified (default)", ct => ReplayAsync(path, new() { ReuseBatches = true }, ct)),
        new("virtual replay of the decoded batches in memory (the consumer alone)", _ =>
        {
            var scheduler = new ReplayScheduler();
            return Task.FromResult(Replay(ObservationReplay.Virtual(Batches(), scheduler), scheduler));
        }),
        new("virtual replay of the same rows from an array (the pump's floor)", _ =>
        {
            var scheduler = new ReplayScheduler();
            return Task.FromResult(Replay(ObservationReplay.Virtual(Rows(), scheduler), scheduler));
        }),
        new("the same rows from an array straight into the Rx observer (no pump, no clock)", _ => {
            GC.KeepAlive(Rows());
            return Task.FromResult(Observe(array!));
        }),
    ];
    }

    /// <summary>Parquet.Net alone, the columns the reader asks for (series_id, timestamp, value, is_anomaly, anomaly_kind,
    /// anomaly_id) as raw values and definition levels into buffers reused across row groups.</summary>
    private static async Task<long> DecodeAsync(string path, CancellationToken ct)
    {
        await using var reader = await ParquetReader.CreateAsync(path, null, ct).ConfigureAwait(false);
        DataField Field(string name) => reader.Schema.DataFields.Single(f => f.Name == name);
        var seriesId = Field(LabeledDatasetFormat.SeriesIdColumn);
        var timestamp = Field(LabeledDatasetFormat.TimestampColumn);
        var value = Field(LabeledDatasetFormat.ValueColumn);
        var isAnomaly = Field(LabeledDatasetFormat.IsAnomalyColumn);
        var kind = Field(LabeledDatasetFormat.AnomalyKindColumn);
        var anomalyId = Field(LabeledDatasetFormat.AnomalyIdColumn);
        var max = 0;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            max = Math.Max(max, (int)reader.OpenRowGroupReader(g).RowCount);
        }

        var ids = new int[max];
        var times = new DateTime[max];
        var values = new double[max];
        var flags = new bool[max];
        var kinds = new ReadOnlyMemory<char>[max];
        var events = new int[max];
        var levels = new int[max];
        long rows = 0;
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var rg = reader.OpenRowGroupReader(g);
            var n = (int)rg.RowCount;
            await rg.ReadRawAsync(seriesId, ids.AsMemory(0, n), null, null, ct).ConfigureAwait(false);
            await rg.ReadRawAsync(timestamp, times.AsMemory(0, n), null, null, ct).ConfigureAwait(false);
            await rg.ReadRawAsync(value, values.AsMemory(0, n), levels.AsMemory(0, n), null, ct).ConfigureAwait(false);
            await rg.ReadRawAsync(isAnomaly, flags.AsMemory(0, n), null, null, ct).ConfigureAwait(false);
            await rg.ReadRawAsync(kind, kinds.AsMemory(0, n), levels.AsMemory(0, n), null, ct).ConfigureAwait(false);
            await rg.ReadRawAsync(anomalyId, events.AsMemory(0, n), levels.AsMemory(0, n), null, ct).ConfigureAwait(false);
            rows += n;
        }

        return rows;
    }

    private static async Task<long> ReaderAsync(string path, DatasetReaderOptions options, CancellationToken ct)
    {
        await using var reader = await LabeledDatasetReader.OpenAsync(path, options, ct).ConfigureAwait(false);
        long rows = 0;
        await foreach (var batch in reader.ReadBatchesAsync(ct).ConfigureAwait(false))
        {
            rows += batch.Count;
        }

        return rows;
    }

    private static async Task<long> RowsAsync(string path, CancellationToken ct)
    {
        await using var reader = await LabeledDatasetReader.OpenAsync(path, new() { ReuseBatches = true }, ct).ConfigureAwait(false);
        long rows = 0;
        long ticks = 0;
        foreach (var o in ObservationSource.FromBatches(reader.ReadBatches()))
        {
            rows++;
            ticks ^= o.Timestamp.Ticks;
        }

        GC.KeepAlive(ticks);
        return rows;
    }

    private static async Task<long> ReplayAsync(string path, DatasetReaderOptions options, CancellationToken ct)
    {
        await using var reader = await LabeledDatasetReader.OpenAsync(path, options, ct).ConfigureAwait(false);
        var scheduler = new ReplayScheduler();
        return Replay(ObservationReplay.Virtual(reader.ReadBatches(), scheduler), scheduler);
    }

    /// <summary>What <see cref="Replay"/>'s subscriber costs by itself: the observer <c>Subscribe(onNext)</c> creates, fed in a plain loop.</summary>
    private static long Observe(LabeledObservation[] rows)
    {
        long count = 0;
        long ticks = 0;
        var observer = Observer.Create<LabeledObservation>(o =>
        {
            count++;
            ticks ^= o.Timestamp.Ticks;
        });
        for (var i = 0; i < rows.Length; i++)
        {
            observer.OnNext(rows[i]);
        }

        observer.OnCompleted();
        GC.KeepAlive(ticks);
        return count;
    }

    private static long Replay(IObservable<LabeledObservation> replay, ReplayScheduler scheduler)
    {
        long rows = 0;
        long ticks = 0;
        using (replay.Subscribe(o =>
        {
            rows++;
            ticks ^= o.Timestamp.Ticks;
        }))
        {
            scheduler.RunToCompletion();
        }

        GC.KeepAlive(ticks);
        return rows;
    }
}
