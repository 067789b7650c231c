using System.CommandLine;
using System.Diagnostics;
using Workbench.Cli.Infrastructure;
using Workbench.Data;
using Workbench.Import;

namespace Workbench.Cli.Commands;

/// <summary>
/// <c>workbench import nab|csv|parquet</c>: converts the NAB corpus, CSV files or Parquet files from other tools into the
/// labelled Parquet format.
/// </summary>
public static class ImportCommand
{
    /// <summary>What <c>import csv|parquet --json</c> prints (the counts of <see cref="ImportReport"/>).</summary>
    public sealed record FileResult(
        string File, string Format, IReadOnlyList<string> Inputs, string Mapping, int Series, long Rows, long RowsRead, bool Labelled,
        long AnomalousRows, long Events, long MissingValues, long NaNAsMissing, long ReorderedRows, long KeptDuplicates,
        long DroppedDuplicates, long FlooredTimestamps, long AmbiguousLocalTimes, long Bytes, double Seconds);

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
        return new Command("import", "Import your own data (CSV, Parquet from pandas/polars/DuckDB) or the NAB corpus into the labelled Parquet format.")
        {
            nab, BuildFile(context, ImportFormat.Csv), BuildFile(context, ImportFormat.Parquet),
        };
    }

    private static Command BuildFile(CliContext context, ImportFormat format)
    {
        var name = format == ImportFormat.Csv ? "csv" : "parquet";
        var inputs = new Argument<string[]>("inputs") { Description = $"{name} files, folders (every {name} file below, recursively) or globs (data/*.{name}).", Arity = ArgumentArity.OneOrMore };
        var output = new Option<FileInfo>("--out") { Description = "The labelled Parquet file to write (replaced only when complete).", Required = true };
        var series = new Option<string?>("--series") { Description = "The column naming each row's series (default: series or series_id; else one series per file, named after it)." };
        var wide = new Option<bool>("--series-from-columns") { Description = "Wide file: every value column is a series named after the column (values: --value, or every column but timestamp/label/kind)." };
        var timestamp = new Option<string?>("--timestamp") { Description = "The timestamp column (default: timestamp, time, datetime, date or ts)." };
        var timeFormat = new Option<string?>("--format") { Description = "Timestamp text: iso, unix-s, unix-ms, unix-us, unix-ns, a .NET format (dd/MM/yyyy HH:mm) or a strftime format (%d/%m/%Y %H:%M). Default: ISO 8601, or numbers as Unix time with the unit chosen by magnitude." };
        var zone = new Option<string?>("--timezone") { Description = "IANA zone of timestamps without an offset (default UTC), e.g. Europe/Berlin." };
        var values = new Option<string[]>("--value") { Description = "The value column (default: value); several with --series-from-columns.", AllowMultipleArgumentsPerToken = true };
        var label = new Option<string?>("--label") { Description = "The label column: bool, 0/1, true/false, yes/no, anomaly/normal (default: is_anomaly, label or anomaly; none = unlabelled)." };
        var kind = new Option<string?>("--kind") { Description = "The anomaly-kind column (default: anomaly_kind); without a label column, rows with a kind are anomalous." };
        var eventId = new Option<string?>("--event-id") { Description = "The event-id column (default: anomaly_id; without one, each run of anomalous rows is an event)." };
        var duplicates = new Option<string>("--duplicates") { Description = "Rows of one series at one instant: error (default), keep (all, declared in the file), first or last (keep one, counted).", DefaultValueFactory = _ => "error" };
        duplicates.AcceptOnlyFromAmong("error", "keep", "first", "last");
        var subMs = new Option<string>("--sub-millisecond") { Description = "Timestamps finer than 1 ms (the format stores ms): error (default) or floor (round down, counted).", DefaultValueFactory = _ => "error" };
        subMs.AcceptOnlyFromAmong("error", "floor");
        var json = new Option<bool>("--json") { Description = "Print the result as one JSON object." };
        var command = new Command(name, format == ImportFormat.Csv
            ? "Import CSV files (long or wide, any row order, labelled or not) into the labelled Parquet format."
            : "Import Parquet files written by pandas, polars, DuckDB or Spark (any column types, naive timestamps, any row order) into the labelled Parquet format.")
        {
            inputs, output, series, wide, timestamp, timeFormat, zone, values, label, kind, eventId, duplicates, subMs, json,
        };
        Option<string?>? delimiter = null;
        if (format == ImportFormat.Csv)
        {
            delimiter = new Option<string?>("--delimiter") { Description = "The field delimiter: one character or 'tab' (default: detected from the header: comma, semicolon, tab or pipe)." };
            command.Options.Add(delimiter);
        }

        command.SetAction(async (parse, ct) =>
        {
            var delim = delimiter is null ? null : parse.GetValue(delimiter);
            var options = new ImportOptions
            {
                SeriesColumn = parse.GetValue(series),
                SeriesFromColumns = parse.GetValue(wide),
                TimestampColumn = parse.GetValue(timestamp),
                TimestampFormat = parse.GetValue(timeFormat),
                TimeZone = parse.GetValue(zone),
                ValueColumns = parse.GetValue(values) ?? [],
                LabelColumn = parse.GetValue(label),
                KindColumn = parse.GetValue(kind),
                EventIdColumn = parse.GetValue(eventId),
                Delimiter = delim switch
                {
                    null => null,
                    "tab" or "\\t" => '\t',
                    { Length: 1 } d => d[0],
                    _ => throw new CommandFailedException($"--delimiter '{delim}' must be one character or 'tab'"),
                },
                Duplicates = Enum.Parse<ImportDuplicatePolicy>(parse.GetValue(duplicates)!, ignoreCase: true),
                SubMillisecond = Enum.Parse<SubMillisecondPolicy>(parse.GetValue(subMs)!, ignoreCase: true),
            };
            var result = await RunFileAsync(context, format, parse.GetValue(inputs)!, options, parse.GetValue(output)!.FullName, ct).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                JsonOutput.Write(context.Out, result);
            }
            else
            {
                await context.Out.WriteLineAsync(
                    $"imported {result.Series} series, {result.Rows:N0} rows ({(result.Labelled ? $"{result.AnomalousRows:N0} anomalous in {result.Events:N0} events" : "unlabelled")}) " +
                    $"from {result.Inputs.Count} file(s) to {result.File}; sorted {result.ReorderedRows:N0} rows into canonical order; " +
                    $"{result.MissingValues:N0} missing values ({result.NaNAsMissing:N0} NaN); duplicates kept {result.KeptDuplicates:N0}, dropped {result.DroppedDuplicates:N0}; " +
                    $"{result.FlooredTimestamps:N0} timestamps floored to ms, {result.AmbiguousLocalTimes:N0} ambiguous local times").ConfigureAwait(false);
                await context.Out.WriteLineAsync($"mapping: {result.Mapping}").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Imports CSV or foreign Parquet <paramref name="inputs"/> into <paramref name="path"/>.</summary>
    public static async Task<FileResult> RunFileAsync(
        CliContext context, ImportFormat format, IReadOnlyList<string> inputs, ImportOptions options, string path, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(inputs);
        var clock = Stopwatch.StartNew();
        OutputGuard.Check(inputs.Where(i => !i.Contains('*', StringComparison.Ordinal) && !i.Contains('?', StringComparison.Ordinal)), ("--out", path));
        ImportReport report;
        try
        {
            report = await context.WithProgressAsync($"import {format.ToString().ToLowerInvariant()}", 1, async progress =>
            {
                var r = await DatasetImporter.ImportAsync(inputs, format, path, options, ct).ConfigureAwait(false);
                progress(1);
                return r;
            }).ConfigureAwait(false);
        }
        catch (ArgumentException e)
        {
            throw new CommandFailedException(e.Message);
        }

        return new FileResult(path, format.ToString().ToLowerInvariant(), report.Files, report.Mapping, report.Series, report.Rows, report.RowsRead,
            report.Labelled, report.AnomalousRows, report.Events, report.MissingValues, report.NaNAsMissing, report.ReorderedRows, report.KeptDuplicates,
            report.DroppedDuplicates, report.FlooredTimestamps, report.AmbiguousLocalTimes, new FileInfo(path).Length, clock.Elapsed.TotalSeconds);
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
