using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using Parquet;
using Parquet.Schema;
using Workbench.Cli.Infrastructure;
using Workbench.Core;
using Workbench.Data;
using Workbench.Data.ParquetEncoding;
using Workbench.Generation;

namespace Workbench.Cli.Commands;

/// <summary>
/// <c>workbench bench write</c> (issue 12.1): generate + write of a preset as one file and as a part folder, in process
/// and as whole <c>workbench generate</c> processes, interleaved run by run so both see the same load; plus where the
/// time goes: generation alone, and one row group encoded on one core by the writer's own encoder and, for comparison, by
/// Parquet.Net (what the writer used before) column by column.
/// </summary>
public static class WriteBench
{
    /// <summary>The <c>bench write</c> command; <paramref name="run"/> prints the result (text or JSON).</summary>
    public static Command Build(CliContext context, Option<bool> json, Func<CliContext, bool, Func<Task<BenchCommand.Result>>, Task<int>> run)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(run);
        var preset = new Option<string>("--preset") { Description = "Dataset preset to generate.", DefaultValueFactory = _ => Presets.OpsMetrics };
        var runs = new Option<int>("--runs") { Description = "Measured runs of each path (interleaved).", DefaultValueFactory = _ => 3 };
        var processes = new Option<bool>("--processes") { Description = "Also time whole 'workbench generate' processes (single file vs part folder)." };
        var command = new Command("write", "Generate + write a preset as one file and as a part folder (in process, and with --processes as whole processes), and where the time goes: generation alone, the writer's own encoder against Parquet.Net's on one core.")
        {
            preset, runs, processes,
        };
        command.SetAction((parse, ct) => run(context, parse.GetValue(json), () => RunAsync(context, parse.GetValue(preset)!, parse.GetValue(runs), parse.GetValue(processes), ct)));
        return command;
    }

    /// <summary>Runs the benchmark.</summary>
    public static async Task<BenchCommand.Result> RunAsync(CliContext context, string presetName, int runs, bool processes, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentOutOfRangeException.ThrowIfLessThan(runs, 1);
        var spec = Presets.Get(presetName);
        var quiet = new CliContext(TextWriter.Null, context.Error, interactive: false);
        var dir = Path.Combine(Path.GetTempPath(), $"workbench-bench-write-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            // Warm-up (JIT, tiering) on a small slice of both paths.
            var small = spec.WithOverrides(sources: 40);
            await GenerateCommand.RunAsync(quiet, small, Path.Combine(dir, "warm.parquet"), ct).ConfigureAwait(false);
            await GenerateCommand.RunPartsAsync(quiet, small, Path.Combine(dir, "warm"), null, ct).ConfigureAwait(false);

            var single = new List<double>();
            var parts = new List<double>();
            GenerateCommand.Result? lastSingle = null;
            GenerateCommand.Result? lastParts = null;
            for (var r = 0; r < runs; r++)
            {
                lastSingle = await GenerateCommand.RunAsync(quiet, spec, Path.Combine(dir, "single.parquet"), ct).ConfigureAwait(false);
                single.Add(lastSingle.PointsPerSecond);
                lastParts = await GenerateCommand.RunPartsAsync(quiet, spec, Path.Combine(dir, "parts"), null, ct).ConfigureAwait(false);
                parts.Add(lastParts.PointsPerSecond);
            }

            var figures = new List<BenchCommand.Figure>
            {
                new("single file, in process (median)", Median(single), "points/s", $"best {single.Max() / 1e6:F2} M/s over {runs} runs; {lastSingle!.Bytes / 1e6:F1} MB"),
                new("part folder, in process (median)", Median(parts), "points/s", $"best {parts.Max() / 1e6:F2} M/s; {lastParts!.Parts} parts, {lastParts.Bytes / 1e6:F1} MB"),
                new("part folder / single file (median of per-run ratios)", Median([.. single.Select((s, i) => parts[i] / s)]), "x"),
            };

            if (processes)
            {
                var exe = StartupBench.CurrentExecutable();
                var rows = (double)new DatasetGenerator(spec).TotalRows;
                var singleWall = new List<double>();
                var partsWall = new List<double>();
                for (var r = 0; r < runs; r++)
                {
                    singleWall.Add(Process(exe, ["generate", "--preset", presetName, "--out", Path.Combine(dir, "p-single.parquet")], ct));
                    partsWall.Add(Process(exe, ["generate", "--preset", presetName, "--out", Path.Combine(dir, "p-parts") + "/"], ct));
                }

                figures.Add(new("single file, whole process (median wall)", rows / Median(singleWall), "points/s", $"{Median(singleWall):F2} s"));
                figures.Add(new("part folder, whole process (median wall)", rows / Median(partsWall), "points/s", $"{Median(partsWall):F2} s"));
            }

            // The writers alone: the same rows generated beforehand, so generation does not share the cores.
            var generated = new DatasetGenerator(spec);
            var batches = generated.Generate().ToList();
            var recipe = DatasetRecipe.Create("generate", spec.ToJson(), spec.Seed);
            var writeSingle = new List<double>();
            var writeParts = new List<double>();
            for (var r = 0; r < runs; r++)
            {
                var clock = Stopwatch.StartNew();
                await LabeledDatasetWriter.WriteAsync(Path.Combine(dir, "w.parquet"), generated.SeriesNames, batches, recipe, null, ct).ConfigureAwait(false);
                writeSingle.Add(generated.TotalRows / clock.Elapsed.TotalSeconds);
                clock.Restart();
                await LabeledDatasetPartsWriter.WriteAsync(Path.Combine(dir, "w"), generated.SeriesNames, batches, recipe, null, ct).ConfigureAwait(false);
                writeParts.Add(generated.TotalRows / clock.Elapsed.TotalSeconds);
            }

            batches.Clear();
            figures.Add(new("writer alone, single file (median)", Median(writeSingle), "points/s", "pre-generated batches: validate + encode + digests"));
            figures.Add(new("writer alone, part folder (median)", Median(writeParts), "points/s", $"{Median([.. writeSingle.Select((x, i) => writeParts[i] / x)]):F2}× the single file"));

            figures.AddRange(await ProfileAsync(spec, ct).ConfigureAwait(false));
            return new BenchCommand.Result($"write {presetName} (goal ≥ 10 M points/s end to end)", Environment.ProcessorCount,
                System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription, TimeProvider.System.GetUtcNow().UtcDateTime, figures);
        }
        finally
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
                // a temporary folder is left behind
            }
        }
    }

    /// <summary>
    /// Where the time goes: generation alone (reused batches), and one row group of the preset encoded by Parquet.Net
    /// into memory with the dataset's schema and options, column by column (best of 3, one core).
    /// </summary>
    private static async Task<IEnumerable<BenchCommand.Figure>> ProfileAsync(DatasetSpec spec, CancellationToken ct)
    {
        var generator = new DatasetGenerator(spec);
        var clock = Stopwatch.StartNew();
        long rows = 0;
        foreach (var batch in generator.Generate(1 << 20, reuseBatch: true))
        {
            rows += batch.Count;
        }

        var generation = rows / clock.Elapsed.TotalSeconds;

        // One row group (the first 524,288 rows) shaped as the writer hands it to Parquet.Net.
        var n = LabeledDatasetFormat.DefaultRowGroupSize;
        var first = new DatasetGenerator(spec).Generate(n).First();
        n = first.Count;
        var names = first.SeriesNames.Select(s => s.AsMemory()).ToArray();
        var series = new ReadOnlyMemory<char>[n];
        var ids = new int[n];
        var times = new DateTime[n];
        var values = new List<double>(n);
        var valueLevels = new int[n];
        var flags = new bool[n];
        var kinds = new List<ReadOnlyMemory<char>>();
        var kindLevels = new int[n];
        var events = new List<int>();
        var eventLevels = new int[n];
        for (var i = 0; i < n; i++)
        {
            series[i] = names[first.SeriesIds[i]];
            ids[i] = first.SeriesIds[i];
            times[i] = first.Timestamps[i];
            if (first.Values[i] is { } v)
            {
                values.Add(v);
                valueLevels[i] = 1;
            }

            flags[i] = first.IsAnomaly[i];
            if (first.Kinds[i] is { } k)
            {
                kinds.Add(k.Name.AsMemory());
                kindLevels[i] = 1;
            }

            if (first.AnomalyIds[i] is { } e)
            {
                events.Add(e);
                eventLevels[i] = 1;
            }
        }

        var valueArray = values.ToArray();
        var kindArray = kinds.ToArray();
        var eventArray = events.ToArray();
        var columns = new (string Name, Func<ParquetRowGroupWriter, DataField[], Task> Write)[]
        {
            ("series (dictionary strings)", (g, f) => g.WriteAsync<ReadOnlyMemory<char>>(f[0], series.AsMemory(), null, null, ct)),
            ("series_id (int32)", (g, f) => g.WriteAsync<int>(f[1], ids.AsMemory(), null, null, ct)),
            ("timestamp (int64 millis)", (g, f) => g.WriteAsync<DateTime>(f[2], times.AsMemory(), null, null, ct)),
            ("value (double?)", (g, f) => g.WriteAllPartsAsync<double>(f[3], valueArray.AsMemory(), valueLevels.AsMemory(), null, ct)),
            ("is_anomaly (bool)", (g, f) => g.WriteAsync<bool>(f[4], flags.AsMemory(), null, null, ct)),
            ("anomaly_kind (string?)", (g, f) => g.WriteAllPartsAsync<ReadOnlyMemory<char>>(f[5], kindArray.AsMemory(), kindLevels.AsMemory(), null, ct)),
            ("anomaly_id (int32?)", (g, f) => g.WriteAllPartsAsync<int>(f[6], eventArray.AsMemory(), eventLevels.AsMemory(), null, ct)),
        };
        const int Columns = 7;

        var best = new double[columns.Length];
        Array.Fill(best, double.MaxValue);
        for (var rep = 0; rep < 3; rep++)
        {
            var fields = new DataField[]
            {
                new DataField<string>(LabeledDatasetFormat.SeriesColumn, nullable: false),
                new DataField<int>(LabeledDatasetFormat.SeriesIdColumn, nullable: false),
                new DateTimeDataField(LabeledDatasetFormat.TimestampColumn, DateTimeFormat.Timestamp, isAdjustedToUTC: true, unit: DateTimeTimeUnit.Millis, isNullable: false),
                new DataField<double?>(LabeledDatasetFormat.ValueColumn),
                new DataField<bool>(LabeledDatasetFormat.IsAnomalyColumn, nullable: false),
                new DataField<string>(LabeledDatasetFormat.AnomalyKindColumn, nullable: true),
                new DataField<int?>(LabeledDatasetFormat.AnomalyIdColumn),
            };
            var options = new ParquetOptions { CompressionMethod = CompressionMethod.Snappy, DictionaryEncodingThreshold = 1.0 };
            options.ColumnEncodingHints[LabeledDatasetFormat.SeriesColumn] = EncodingHint.Dictionary;
            options.ColumnEncodingHints[LabeledDatasetFormat.AnomalyKindColumn] = EncodingHint.Dictionary;
            using var memory = new MemoryStream(64 << 20);
            await using var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), memory, options, append: false, ct).ConfigureAwait(false);
            using var group = writer.CreateRowGroup();
            for (var c = 0; c < columns.Length; c++)
            {
                var t = Stopwatch.StartNew();
                await columns[c].Write(group, fields).ConfigureAwait(false);
                best[c] = Math.Min(best[c], t.Elapsed.TotalSeconds);
            }

            group.CompleteValidate();
        }

        var total = best.Take(Columns).Sum();
        var own = OwnEncoderSeconds(first);
        var figures = new List<BenchCommand.Figure>
        {
            new("generation alone", generation, "points/s", "reused batches, background rendering"),
            new("own encoder, one core (one row group, all 7 columns: what the writer runs)", n / own, "rows/s",
                string.Create(CultureInfo.InvariantCulture, $"{own * 1e9 / n:F1} ns/row, Snappy and statistics included; {total / own:F1}× faster than Parquet.Net below")),
            new("Parquet.Net encode, one core (the writer before, same row group, for comparison)", n / total, "rows/s",
                string.Create(CultureInfo.InvariantCulture, $"{total * 1e9 / n:F1} ns/row")),
        };
        for (var c = 0; c < columns.Length; c++)
        {
            figures.Add(new($"  Parquet.Net encode {columns[c].Name}", best[c] * 1e9 / n, "ns/row",
                string.Create(CultureInfo.InvariantCulture, $"{100 * best[c] / total:F0} %")));
        }

        return figures;
    }

    /// <summary>Best of 5: the writer's own row-group encoder (<see cref="LabeledRowGroupEncoder"/>) on the batch, shaped as the writer buffers it.</summary>
    private static double OwnEncoderSeconds(ObservationBatch batch)
    {
        var n = batch.Count;
        var buffer = new RowGroupBuffer(n);
        buffer.EnsureCapacity(n);
        buffer.SeriesTable = [.. batch.SeriesNames];
        var kinds = new List<string>();
        for (var i = 0; i < n; i++)
        {
            buffer.SeriesIds[i] = batch.SeriesIds[i];
            buffer.Ticks[i] = batch.Timestamps[i].Ticks;
            buffer.ValueLevels[i] = batch.Values[i].HasValue ? (byte)1 : (byte)0;
            if (batch.Values[i] is { } v)
            {
                buffer.Values[buffer.ValueCount++] = v;
            }

            buffer.IsAnomaly[i] = batch.IsAnomaly[i];
            buffer.KindLevels[i] = batch.Kinds[i] is null ? (byte)0 : (byte)1;
            if (batch.Kinds[i] is { } k)
            {
                var id = kinds.IndexOf(k.Name);
                if (id < 0)
                {
                    id = kinds.Count;
                    kinds.Add(k.Name);
                }

                buffer.KindIds[buffer.KindCount++] = id;
            }

            buffer.IdLevels[i] = batch.AnomalyIds[i].HasValue ? (byte)1 : (byte)0;
            if (batch.AnomalyIds[i] is { } e)
            {
                buffer.Ids[buffer.IdCount++] = e;
            }
        }

        buffer.Count = n;
        buffer.KindTable = [.. kinds];
        var encoder = new LabeledRowGroupEncoder();
        var best = double.MaxValue;
        for (var rep = 0; rep < 5; rep++)
        {
            var t = Stopwatch.StartNew();
            encoder.Encode(buffer);
            best = Math.Min(best, t.Elapsed.TotalSeconds);
        }

        return best;
    }

    private static double Process(string exe, string[] args, CancellationToken ct)
    {
        var info = new ProcessStartInfo(exe) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (exe.EndsWith("dotnet", StringComparison.Ordinal))
        {
            info.ArgumentList.Add(typeof(WriteBench).Assembly.Location);
        }

        foreach (var a in args)
        {
            info.ArgumentList.Add(a);
        }

        var clock = Stopwatch.StartNew();
        using var p = System.Diagnostics.Process.Start(info) ?? throw new CommandFailedException($"bench write: cannot start {exe}");
        var stdout = p.StandardOutput.ReadToEndAsync(ct);
        var stderr = p.StandardError.ReadToEndAsync(ct);
        p.WaitForExit();
        var seconds = clock.Elapsed.TotalSeconds;
        if (p.ExitCode != 0)
        {
            throw new CommandFailedException($"bench write: '{string.Join(' ', args)}' exited {p.ExitCode}: {stderr.Result.Trim()}");
        }

        _ = stdout.Result;
        return seconds;
    }

    private static double Median(List<double> values)
    {
        var s = values.Order().ToArray();
        return s.Length % 2 == 1 ? s[s.Length / 2] : (s[(s.Length / 2) - 1] + s[s.Length / 2]) / 2;
    }
}
