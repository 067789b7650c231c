using System.CommandLine;
using System.Globalization;
using System.Text;
using Workbench.Cli.Infrastructure;
using Workbench.Data;

namespace Workbench.Cli.Commands;

/// <summary>
/// <c>workbench export</c>: writes a labelled Parquet file (or some of its series) as CSV, for tools without a Parquet
/// reader (e.g. the training script of <c>models/</c>).
/// </summary>
/// <remarks>
/// The CSV has a header and the columns <c>series,timestamp,value,is_anomaly,anomaly_kind,anomaly_id</c>, rows in the
/// file's canonical order. Timestamps are ISO-8601 UTC with milliseconds and a <c>Z</c>
/// (<c>2024-01-01T00:00:00.000Z</c>); values use the invariant culture in shortest round-trip form (the exact
/// double); <c>is_anomaly</c> is <c>true</c>/<c>false</c>; a null (missing value, normal row's kind and id) is an
/// empty cell. A field containing a comma, a quote or a line break is quoted (RFC 4180). Line ends are <c>\n</c>.
/// </remarks>
public static class ExportCommand
{
    /// <summary>The CSV header line.</summary>
    public const string Header = "series,timestamp,value,is_anomaly,anomaly_kind,anomaly_id";

    /// <summary>What <c>export --json</c> prints.</summary>
    public sealed record Result(string File, string Csv, long Rows, int Series, long MissingValues, long Bytes);

    public static Command Build(CliContext context)
    {
        var file = new Argument<FileInfo>("file") { Description = "A labelled Parquet file." };
        var csv = new Option<FileInfo>("--csv") { Description = "The CSV file to write (overwritten).", Required = true };
        var series = new Option<string[]>("--series")
        {
            Description = "Export only this series (repeat for several); all series when absent.",
            AllowMultipleArgumentsPerToken = false,
        };
        var json = new Option<bool>("--json") { Description = "Print the result as one JSON object." };
        var command = new Command(
            "export",
            $"Export a labelled dataset (or some of its series) as CSV with the columns {Header}: invariant numbers, ISO-8601 UTC timestamps, empty cell for null.")
        {
            file, csv, series, json,
        };
        command.SetAction(async (parse, ct) =>
        {
            var result = await RunAsync(
                context, parse.GetValue(file)!.FullName, parse.GetValue(csv)!.FullName, parse.GetValue(series) ?? [], ct).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                JsonOutput.Write(context.Out, result);
            }
            else
            {
                await context.Out.WriteLineAsync(
                    $"wrote {result.Rows:N0} rows ({result.Series:N0} series, {result.MissingValues:N0} missing values) to {result.Csv} ({result.Bytes / 1e6:F2} MB)").ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>
    /// Exports <paramref name="path"/> to <paramref name="csvPath"/>, restricted to <paramref name="series"/> when it is
    /// not empty. Every named series must exist in the file.
    /// </summary>
    /// <exception cref="CommandFailedException">The file does not exist, or a series is not in it.</exception>
    public static async Task<Result> RunAsync(CliContext context, string path, string csvPath, IReadOnlyCollection<string> series, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(series);
        OutputGuard.RequireFile(path);

        SafeFile.CheckDistinct([path], [("--csv", csvPath)]);
        SafeFile.CheckOutput(csvPath, "--csv");
        await using var reader = await LabeledDatasetReader.OpenAsync(path, DatasetReaderOptions.Default, ct).ConfigureAwait(false);
        var names = reader.SeriesNames;
        var selected = new bool[names.Count];
        if (series.Count == 0)
        {
            Array.Fill(selected, true);
        }
        else
        {
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            for (var i = 0; i < names.Count; i++)
            {
                index[names[i]] = i;
            }

            foreach (var name in series)
            {
                if (!index.TryGetValue(name, out var id))
                {
                    var known = string.Join(", ", names.Take(5)) + (names.Count > 5 ? ", …" : string.Empty);
                    throw new CommandFailedException($"series '{name}' is not in '{path}' ({names.Count} series: {known})");
                }

                selected[id] = true;
            }
        }

        var seen = new bool[names.Count];
        long rows = 0;
        long missing = 0;
        // Written to a temporary file beside the target and renamed over it when complete (removed on any failure).
        var (temp, stream) = SafeFile.CreateTemporary(csvPath, 1 << 16, useAsync: true);
        try
        {
            await using (stream)
            await using (var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 1 << 16) { NewLine = "\n" })
            {
                await writer.WriteLineAsync(Header).ConfigureAwait(false);
                var quoted = names.Select(Quote).ToArray();
                var line = new StringBuilder(128);
                var buffer = new char[64];
                await context.WithProgressAsync($"export {Path.GetFileName(path)}", reader.RowCount, async progress =>
                {
                    long read = 0;
                    await foreach (var batch in reader.ReadBatchesAsync(ct).ConfigureAwait(false))
                    {
                        for (var i = 0; i < batch.Count; i++)
                        {
                            var id = batch.SeriesIds[i];
                            if (!selected[id])
                            {
                                continue;
                            }

                            seen[id] = true;
                            rows++;
                            line.Clear();
                            line.Append(quoted[id]).Append(',');
                            Append(line, buffer, batch.Timestamps[i]);
                            line.Append(',');
                            if (batch.Values[i] is { } v)
                            {
                                v.TryFormat(buffer, out var n, "R", CultureInfo.InvariantCulture);
                                line.Append(buffer, 0, n);
                            }
                            else
                            {
                                missing++;
                            }

                            line.Append(',').Append(batch.IsAnomaly[i] ? "true" : "false").Append(',');
                            if (batch.Kinds[i] is { } kind)
                            {
                                line.Append(Quote(kind.Name));
                            }

                            line.Append(',');
                            if (batch.AnomalyIds[i] is { } eventId)
                            {
                                line.Append(eventId.ToString(CultureInfo.InvariantCulture));
                            }

                            await writer.WriteLineAsync(line, ct).ConfigureAwait(false);
                        }

                        progress(read += batch.Count);
                    }

                    return read;
                }).ConfigureAwait(false);
            }

            SafeFile.Commit(temp, csvPath);
        }
        catch
        {
            SafeFile.Discard(temp);
            throw;
        }

        return new Result(path, csvPath, rows, seen.Count(s => s), missing, new FileInfo(csvPath).Length);
    }

    /// <summary>The field as CSV: quoted (with doubled quotes) when it holds a comma, a quote or a line break.</summary>
    internal static string Quote(string field) =>
        field.AsSpan().IndexOfAny(",\"\r\n") < 0 ? field : $"\"{field.Replace("\"", "\"\"", StringComparison.Ordinal)}\"";

    private static void Append(StringBuilder line, char[] buffer, DateTime timestamp)
    {
        timestamp.TryFormat(buffer, out var n, "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);
        line.Append(buffer, 0, n);
    }
}
