using System.Globalization;
using Workbench.Data;
using Workbench.Import;

namespace Workbench.Cli.Infrastructure;

/// <summary>
/// A <c>--data</c> file as the commands read it: a labelled dataset Workbench wrote is used as it is; a CSV file or a
/// Parquet file from another tool (no <c>workbench.format</c> key) is imported on the fly with the default mapping
/// (<see cref="DatasetImporter"/>) into a temporary labelled file, deleted when this is disposed. One line on the
/// error stream says so.
/// </summary>
internal sealed class DatasetInput : IAsyncDisposable
{
    private readonly string? _tempDirectory;

    private DatasetInput(string original, string path, ImportReport? import, string? tempDirectory, bool unlabelled)
    {
        OriginalPath = original;
        Path = path;
        Import = import;
        _tempDirectory = tempDirectory;
        IsUnlabelled = unlabelled;
    }

    /// <summary>The file the user gave.</summary>
    public string OriginalPath { get; }

    /// <summary>The labelled dataset to read: <see cref="OriginalPath"/>, or the temporary import of it.</summary>
    public string Path { get; }

    /// <summary>What the on-the-fly import did; null when the file was read as it is.</summary>
    public ImportReport? Import { get; }

    /// <summary>Whether the data has no ground truth (declared unlabelled, or imported without a label column).</summary>
    public bool IsUnlabelled { get; }

    /// <summary>A one-line note for JSON results: <c>csv: 3 series, 1,000 rows, unlabelled</c>; null when not imported.</summary>
    public string? ImportedNote => Import is { } r
        ? string.Create(CultureInfo.InvariantCulture, $"{r.Files.Count} file(s), {r.Series} series, {r.Rows} rows, {(r.Labelled ? "labelled" : "unlabelled")}; {r.Mapping}")
        : null;

    /// <summary>
    /// Checks that <paramref name="path"/> names a dataset: a readable file, or a part folder or glob that selects at
    /// least one part file (<see cref="DatasetLocation"/>).
    /// </summary>
    /// <exception cref="CommandFailedException">Nothing is there.</exception>
    /// <exception cref="DatasetFormatException">The folder or glob selects no part file.</exception>
    public static void RequireDataset(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (!DatasetLocation.IsFolderOrGlob(path))
        {
            OutputGuard.RequireFile(path);
            return;
        }

        try
        {
            DatasetLocation.Resolve(path);
        }
        catch (FileNotFoundException ex)
        {
            throw new CommandFailedException(ex.Message);
        }
    }

    /// <summary>Checks <paramref name="path"/> is a readable file and imports it when it is not a Workbench dataset.</summary>
    /// <exception cref="CommandFailedException">The path does not exist, or is a directory, FIFO or device.</exception>
    /// <exception cref="ImportException">The file cannot be imported with the default mapping.</exception>
    public static async Task<DatasetInput> OpenAsync(CliContext context, string path, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        RequireDataset(path);
        if (DatasetLocation.IsFolderOrGlob(path))
        {
            // A part folder or glob: Workbench parts, read as they are (a folder from another tool is imported with 'workbench import').
            var unlabelledParts = false;
            try
            {
                await using var parts = await DatasetPartsReader.OpenAsync(path, null, ct).ConfigureAwait(false);
                unlabelledParts = parts.IsUnlabelled;
            }
            catch (DatasetFormatException)
            {
                // the command's own open reports it
            }

            return new DatasetInput(path, path, null, null, unlabelledParts);
        }

        var format = await DatasetImporter.NeedsImportAsync(path, ct).ConfigureAwait(false);
        if (format is not { } f)
        {
            var unlabelled = false;
            try
            {
                await using var reader = await LabeledDatasetReader.OpenAsync(path, null, ct).ConfigureAwait(false);
                unlabelled = reader.IsUnlabelled;
            }
            catch (DatasetFormatException)
            {
                // the command's own open reports it
            }

            return new DatasetInput(path, path, null, null, unlabelled);
        }

        // Registered with SafeFile, so SIGINT/SIGTERM and process exit delete the temporary copy too.
        var dir = SafeFile.CreateTemporaryDirectory("workbench-import");
        var temp = System.IO.Path.Combine(dir, System.IO.Path.GetFileNameWithoutExtension(path) + ".parquet");
        try
        {
            var report = await DatasetImporter.ImportAsync([path], f, temp, ImportOptions.Default, ct).ConfigureAwait(false);
            await context.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"imported {path} on the fly ({f.ToString().ToLowerInvariant()}, default mapping): {report.Series} series, {report.Rows:N0} rows, " +
                $"{(report.Labelled ? "labelled" : "unlabelled")}; 'workbench import {f.ToString().ToLowerInvariant()}' saves it and takes a mapping")).ConfigureAwait(false);
            return new DatasetInput(path, temp, report, dir, !report.Labelled);
        }
        catch
        {
            SafeFile.DeleteTemporaryDirectory(dir);
            throw;
        }
    }

    /// <summary>Fails with one line when the data has no labels (evaluation needs them).</summary>
    /// <exception cref="CommandFailedException">The data is unlabelled.</exception>
    public void RequireLabels(string command)
    {
        if (IsUnlabelled)
        {
            throw new CommandFailedException(
                $"{OriginalPath}: {command} needs labels, and this data has none (no label column, so every row is normal by default); " +
                "import it with --label <col> (true/false, 1/0, anomaly/normal), or use detect/replay, which need no labels");
        }
    }

    /// <summary>Deletes the temporary import.</summary>
    public ValueTask DisposeAsync()
    {
        if (_tempDirectory is not null)
        {
            SafeFile.DeleteTemporaryDirectory(_tempDirectory);
        }

        return ValueTask.CompletedTask;
    }
}
