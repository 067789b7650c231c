using System.CommandLine;
using System.Diagnostics;
using Workbench.Cli.Infrastructure;
using Workbench.Data;
using Workbench.Import;

namespace Workbench.Cli.Commands;

/// <summary><c>workbench import nab</c>: converts the NAB corpus into the labelled Parquet format.</summary>
public static class ImportCommand
{
    /// <summary>What <c>import nab --json</c> prints.</summary>
    public sealed record NabResult(
        string File, int Series, long Rows, int Windows, int SeriesWithWindows, long AnomalousRows,
        long ReorderedRows, long DuplicateTimestampRows, long Bytes, double Seconds);

    public static Command Build(CliContext context)
    {
        var root = new Option<DirectoryInfo>("--root") { Description = "The NAB corpus folder (holding data/ and labels/).", Required = true };
        var labels = new Option<FileInfo?>("--labels") { Description = "The windows file (default <root>/labels/combined_windows.json)." };
        var output = new Option<FileInfo>("--out") { Description = "The Parquet file to write.", Required = true };
        var json = new Option<bool>("--json") { Description = "Print the result as one JSON object." };
        var nab = new Command("nab", "Import the Numenta Anomaly Benchmark: one series per CSV file, rows inside a labelled window are anomalies (kind labelled_window).")
        {
            root, labels, output, json,
        };
        nab.SetAction(async (parse, ct) =>
        {
            var result = await RunNabAsync(context, parse.GetValue(root)!.FullName, parse.GetValue(labels)?.FullName, parse.GetValue(output)!.FullName, ct)
                .ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                JsonOutput.Write(context.Out, result);
            }
            else
            {
                await context.Out.WriteLineAsync(
                    $"imported {result.Series} series, {result.Rows:N0} rows, {result.Windows} windows over {result.SeriesWithWindows} series " +
                    $"({result.AnomalousRows:N0} anomalous rows) to {result.File}; kept {result.DuplicateTimestampRows} rows with repeated timestamps, " +
                    $"moved {result.ReorderedRows} rows whose timestamps went backwards").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return new Command("import", "Import a real labelled corpus into the labelled Parquet format.") { nab };
    }

    /// <summary>Imports the corpus at <paramref name="root"/> into <paramref name="path"/>.</summary>
    public static async Task<NabResult> RunNabAsync(CliContext context, string root, string? labels, string path, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        var clock = Stopwatch.StartNew();
        if (!Directory.Exists(root))
        {
            throw new CommandFailedException($"NAB root '{root}' does not exist");
        }

        OutputGuard.Check([root, labels], ("--out", path));

        var importer = new NabImporter(NabCorpus.Load(root, labels));
        var report = importer.Report;
        var options = new DatasetWriterOptions { DuplicateTimestamps = DuplicateTimestampPolicy.Keep };
        await context.WithProgressAsync("import nab", report.Rows, async progress =>
        {
            long rows = 0;
            await LabeledDatasetWriter.WriteAsync(path, importer.SeriesNames, Enumerables.Counted(importer.ReadBatches(), b => progress(rows += b.Count)),
                importer.Recipe, options, ct).ConfigureAwait(false);
            return rows;
        }).ConfigureAwait(false);
        return new NabResult(path, importer.SeriesNames.Count, report.Rows, report.Windows, report.SeriesWithWindows, report.AnomalousRows,
            report.ReorderedRows, report.DuplicateTimestampRows, new FileInfo(path).Length, clock.Elapsed.TotalSeconds);
    }
}
