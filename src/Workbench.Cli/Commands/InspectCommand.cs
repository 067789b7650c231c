using System.CommandLine;
using System.Globalization;
using Workbench.Cli.Infrastructure;
using Workbench.Core;
using Workbench.Data;

namespace Workbench.Cli.Commands;

/// <summary><c>workbench inspect</c>: validates a labelled Parquet file and prints its counts.</summary>
public static class InspectCommand
{
    /// <summary>What <c>inspect --json</c> prints.</summary>
    public sealed record Result(
        string File, long Rows, int Series, int SeriesInTable, long SeriesWithAnomalies, long MissingValues,
        IReadOnlyDictionary<string, long> AnomalyPoints, IReadOnlyDictionary<string, long> AnomalyEvents,
        DateTime? First, DateTime? Last, int RowGroups, long Bytes, string Validation, RecipeInfo? Recipe, bool Unlabelled = false, string? Imported = null,
        string Integrity = NotRecorded);

    /// <summary><see cref="Result.Integrity"/> of a file without digests (written before they existed, or by another tool).</summary>
    public const string NotRecorded = "not recorded";

    /// <summary>The file's recipe, as stored in its metadata.</summary>
    public sealed record RecipeInfo(string Source, long? Seed, string ToolVersion, string Spec);

    public static Command Build(CliContext context)
    {
        var file = new Argument<FileInfo>("file") { Description = "A labelled Parquet file, a part folder or a quoted glob of part files (read as one dataset), or a CSV or foreign Parquet file (imported on the fly)." };
        var json = new Option<bool>("--json") { Description = "Print the result as one JSON object." };
        var full = new Option<bool>("--full") { Description = "Full validation: also decode the series column and check it against series_id." };
        var command = new Command("inspect", "Validate a labelled dataset and print rows, series, missing values, and labelled points and events per kind.")
        {
            file, json, full,
        };
        command.SetAction(async (parse, ct) =>
        {
            var result = await RunAsync(context, parse.GetValue(file)!.FullName, parse.GetValue(full), ct).ConfigureAwait(false);
            if (parse.GetValue(json))
            {
                JsonOutput.Write(context.Out, result);
            }
            else
            {
                await WriteTextAsync(context.Out, result).ConfigureAwait(false);
            }

            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Reads and validates the whole file, streaming, and counts it.</summary>
    public static async Task<Result> RunAsync(CliContext context, string path, bool full, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        DatasetInput.RequireDataset(path);

        var options = new DatasetReaderOptions { Validation = full ? DatasetValidation.Full : DatasetValidation.Fast };
        await using var input = await DatasetInput.OpenAsync(context, path, ct).ConfigureAwait(false);
        await using var reader = await DatasetPartsReader.OpenAsync(input.Path, options, ct).ConfigureAwait(false);
        var summary = await context.WithProgressAsync($"inspect {Path.GetFileName(path)}", reader.RowCount, async progress =>
        {
            var s = new DatasetSummary();
            await foreach (var batch in reader.ReadBatchesAsync(ct).ConfigureAwait(false))
            {
                s.Add(batch);
                progress(s.Rows);
            }

            return s;
        }).ConfigureAwait(false);
        var recipe = reader.Recipe is { } r ? new RecipeInfo(r.Source, r.Seed, r.ToolVersion, r.Spec) : null;
        var integrity = input.Import is not null
            ? $"{NotRecorded} (imported on the fly: the source file has no digests)"
            : reader.HasIntegrityDigests
                ? reader.VerifiedChunks == reader.RecordedChunks
                    ? string.Create(CultureInfo.InvariantCulture, $"verified ({reader.RecordedChunks} column chunks and the footer, xxh3-64)")
                    : string.Create(CultureInfo.InvariantCulture, $"footer verified; {reader.VerifiedChunks} of {reader.RecordedChunks} column chunks verified")
                : NotRecorded;
        return new Result(
            path, summary.Rows, summary.Series, reader.SeriesNames.Count, summary.SeriesWithAnomalies, summary.MissingValues,
            summary.AnomalyPoints, summary.AnomalyEvents, summary.First, summary.Last, reader.RowGroupCount,
            reader.Parts.Sum(p => new FileInfo(p).Length), options.Validation.ToString().ToLowerInvariant(), recipe, reader.IsUnlabelled, input.ImportedNote, integrity);
    }

    private static async Task WriteTextAsync(TextWriter o, Result r)
    {
        await o.WriteLineAsync($"file            {r.File} ({r.Bytes / 1e6:F2} MB, {r.RowGroups} row groups, validation {r.Validation}: ok)").ConfigureAwait(false);
        await o.WriteLineAsync($"rows            {r.Rows:N0}").ConfigureAwait(false);
        await o.WriteLineAsync($"series          {r.Series:N0} ({r.SeriesWithAnomalies:N0} with anomalies)").ConfigureAwait(false);
        await o.WriteLineAsync($"time span       {r.First:yyyy-MM-dd HH:mm:ss} .. {r.Last:yyyy-MM-dd HH:mm:ss} UTC").ConfigureAwait(false);
        await o.WriteLineAsync($"missing values  {r.MissingValues:N0}").ConfigureAwait(false);
        await o.WriteLineAsync($"integrity       {r.Integrity}").ConfigureAwait(false);
        if (r.Unlabelled)
        {
            await o.WriteLineAsync("labels          none (unlabelled: detect and replay work; evaluate needs labels)").ConfigureAwait(false);
        }

        await o.WriteLineAsync("anomalies       kind              points     events").ConfigureAwait(false);
        foreach (var (kind, points) in r.AnomalyPoints)
        {
            await o.WriteLineAsync($"                {kind,-16} {points,7:N0} {r.AnomalyEvents[kind],10:N0}").ConfigureAwait(false);
        }

        if (r.Recipe is { } recipe)
        {
            await o.WriteLineAsync($"recipe          {recipe.Source}, seed {recipe.Seed?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}, workbench {recipe.ToolVersion}").ConfigureAwait(false);
        }
    }
}
