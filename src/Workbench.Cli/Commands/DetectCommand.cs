using System.CommandLine;
using System.Diagnostics;
using Workbench.Cli.Infrastructure;
using Workbench.Core;
using Workbench.Data;
using Workbench.Operators.Detection;

namespace Workbench.Cli.Commands;

/// <summary><c>workbench detect</c>: scores every row of a dataset with one or more detectors.</summary>
public static class DetectCommand
{
    /// <summary>One detector's part of the result.</summary>
    public sealed record DetectorSummary(string Spec, string ScoreColumn, string FlagColumn, double Threshold, long Scored, long Flagged);

    /// <summary>What <c>detect --json</c> prints.</summary>
    public sealed record Result(string File, string Output, long Rows, double Seconds, double RowsPerSecond, IReadOnlyList<DetectorSummary> Detectors, string? Imported = null);

    public static Command Build(CliContext context)
    {
        var data = new Argument<FileInfo>("data") { Description = "A labelled Parquet file, a part folder or a quoted glob of part files (read as one dataset), or a CSV or foreign Parquet file (imported on the fly)." };
        var detectors = new Option<string[]>("--detector")
        {
            Description = "A detector spec, e.g. zscore(window=288,threshold=4) or just cusum; repeat for several ('workbench list' shows them).",
            Required = true,
            AllowMultipleArgumentsPerToken = false,
        };
        var output = new Option<FileInfo>("--out") { Description = "The Parquet file to write (the input's columns plus <name>_score and <name>_flag per detector).", Required = true };
        var json = new Option<bool>("--json") { Description = "Print the result as one JSON object." };
        var command = new Command("detect", "Score every observation with detectors (state per series) and flag it at each detector's threshold.")
        {
            data, detectors, output, json,
        };
        command.SetAction(async (parse, ct) =>
        {
            var parsed = parse.GetValue(detectors)!.Select(OperatorCatalogs.Cli.ParseDetector).ToList();
            var result = await RunAsync(context, parse.GetValue(data)!.FullName, parsed, parse.GetValue(output)!.FullName, ct).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                JsonOutput.Write(context.Out, result);
            }
            else
            {
                await context.Out.WriteLineAsync($"scored {result.Rows:N0} rows with {result.Detectors.Count} detector(s) in {result.Seconds:F2} s → {result.Output}").ConfigureAwait(false);
                foreach (var d in result.Detectors)
                {
                    await context.Out.WriteLineAsync($"  {d.Spec,-48} {d.ScoreColumn}/{d.FlagColumn}: {d.Flagged:N0} flagged of {d.Scored:N0} scored").ConfigureAwait(false);
                }
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Column base names: the detector's name, with <c>_2</c>, <c>_3</c>… for repeats.</summary>
    public static IReadOnlyList<string> ColumnNames(IReadOnlyList<string> names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        return names.Select(n =>
        {
            var k = seen[n] = seen.GetValueOrDefault(n) + 1;
            return (k == 1 ? n : $"{n}_{k}").Replace('-', '_');
        }).ToList();
    }

    /// <summary>Scores <paramref name="path"/> into <paramref name="outPath"/>, detectors in parallel per row group.</summary>
    public static async Task<Result> RunAsync(CliContext context, string path, IReadOnlyList<IDetector> detectors, string outPath, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        OutputGuard.Check([path], ("--out", outPath));
        ArgumentNullException.ThrowIfNull(detectors);
        DatasetInput.RequireDataset(path);

        var clock = Stopwatch.StartNew();
        await using var input = await DatasetInput.OpenAsync(context, path, ct).ConfigureAwait(false);
        await using var reader = await DatasetPartsReader.OpenAsync(input.Path, null, ct).ConfigureAwait(false);
        var names = ColumnNames(detectors.Select(d => d.Name).ToList());
        var columns = names.SelectMany(n => new[] { new ResultColumn($"{n}_score", false), new ResultColumn($"{n}_flag", true) }).ToList();
        var provenance = new Dictionary<string, string>();
        for (var d = 0; d < detectors.Count; d++)
        {
            provenance[$"{names[d]}_score"] = detectors[d].Spec;
            provenance[$"{names[d]}_flag"] = $"{detectors[d].Spec} >= {detectors[d].Threshold.ToString("R", System.Globalization.CultureInfo.InvariantCulture)}";
        }

        var kernels = detectors.Select(_ => new IDetectorKernel?[reader.SeriesNames.Count]).ToArray();
        var scored = new long[detectors.Count];
        var flagged = new long[detectors.Count];
        var writer = await ResultsFileWriter.CreateAsync(outPath, reader.SeriesNames, reader.Recipe, columns, provenance, ct).ConfigureAwait(false);
        long rows = 0;
        try
        {
            await context.WithProgressAsync($"detect {Path.GetFileName(path)}", reader.RowCount, async progress =>
            {
                await foreach (var batch in reader.ReadBatchesAsync(ct).ConfigureAwait(false))
                {
                    var n = batch.Count;
                    var extra = new Array[detectors.Count * 2];
                    Parallel.For(0, detectors.Count, new ParallelOptions { CancellationToken = ct }, d =>
                    {
                        var scores = new double?[n];
                        var flags = new bool[n];
                        var threshold = detectors[d].Threshold;
                        var states = kernels[d];
                        long s = 0, f = 0;
                        for (var i = 0; i < n; i++)
                        {
                            var sid = batch.SeriesIds[i];
                            var kernel = states[sid] ??= detectors[d].CreateKernel();
                            var score = kernel.Update(batch.Timestamps[i], batch.Values[i]);
                            scores[i] = score;
                            if (score.HasValue)
                            {
                                s++;
                                if (score.GetValueOrDefault() >= threshold)
                                {
                                    flags[i] = true;
                                    f++;
                                }
                            }
                        }

                        extra[2 * d] = scores;
                        extra[(2 * d) + 1] = flags;
                        scored[d] += s;
                        flagged[d] += f;
                    });
                    await writer.WriteAsync(batch, extra, ct).ConfigureAwait(false);
                    rows += n;
                    progress(rows);
                }

                return rows;
            }).ConfigureAwait(false);
        }
        catch
        {
            writer.Abort();
            throw;
        }

        await writer.DisposeAsync().ConfigureAwait(false);
        clock.Stop();
        var summaries = detectors.Select((d, i) => new DetectorSummary(d.Spec, $"{names[i]}_score", $"{names[i]}_flag", d.Threshold, scored[i], flagged[i])).ToList();
        return new Result(path, outPath, rows, clock.Elapsed.TotalSeconds, rows / clock.Elapsed.TotalSeconds, summaries, input.ImportedNote);
    }
}
