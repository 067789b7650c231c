using System.Diagnostics;

namespace Workbench.Notebooks;

/// <summary>Options of <see cref="NotebookRunner.RunAsync"/>.</summary>
public sealed record NotebookRunOptions
{
    /// <summary>Longest one cell may run; null (default) for no limit.</summary>
    public TimeSpan? CellTimeout { get; init; }

    /// <summary>NuGet packages folder for <c>#r "nuget: …"</c>; null for the machine default.</summary>
    public string? PackagesFolder { get; init; }
}

/// <summary>The outcome of running one notebook.</summary>
/// <param name="Path">The notebook file.</param>
/// <param name="Executed">A copy of the notebook with execution counts and outputs of the cells run (cells after a failure are left as they were, outputs cleared).</param>
/// <param name="Cells">Code cells in the notebook.</param>
/// <param name="CellsRun">Code cells that ran (the failing one included).</param>
/// <param name="Outputs">Outputs produced in total.</param>
/// <param name="Elapsed">Wall time of the whole run.</param>
/// <param name="CellTimes">Wall time of each code cell run, in order.</param>
/// <param name="FailedCell">1-based index (among all cells) of the cell that failed, or null.</param>
/// <param name="Error">The failing cell's error output, or null.</param>
/// <param name="Notes">Notes from the session (ignored directives, packages resolved), prefixed with the cell number.</param>
public sealed record NotebookRunResult(
    string Path,
    Notebook Executed,
    int Cells,
    int CellsRun,
    int Outputs,
    TimeSpan Elapsed,
    IReadOnlyList<TimeSpan> CellTimes,
    int? FailedCell,
    ErrorOutput? Error,
    IReadOnlyList<string> Notes)
{
    /// <summary>True when every code cell ran without error.</summary>
    public bool Succeeded => FailedCell is null;

    /// <summary>The one-line failure: <c>&lt;notebook&gt;: cell &lt;n&gt; (line l, col c): &lt;message&gt;</c>; null on success.</summary>
    public string? FailureMessage => FailedCell is { } n && Error is { } e
        ? $"{Path}: cell {n}{(e.Position is { } p ? $" ({p})" : string.Empty)}: {(e.EName is "CompilationError" or "DirectiveError" or "TimeoutError" ? e.EValue : $"{e.EName}: {e.EValue}")}".ReplaceLineEndings(" ")
        : null;
}

/// <summary>Runs every C# code cell of a notebook in order in one <see cref="NotebookSession"/>, stopping at the first error.</summary>
public static class NotebookRunner
{
    /// <summary>
    /// Runs the notebook at <paramref name="path"/>; relative <c>#r</c> paths start at its folder. <paramref name="progress"/>
    /// is told (code cells done, code cells total) after each cell. Malformed notebooks throw <see cref="NotebookFormatException"/>.
    /// </summary>
    public static async Task<NotebookRunResult> RunAsync(string path, NotebookRunOptions? options = null, Action<int, int>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        options ??= new NotebookRunOptions();
        var clock = Stopwatch.StartNew();
        var notebook = Notebook.Load(path).Clone();
        var session = new NotebookSession(new NotebookSessionOptions
        {
            BaseDirectory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path)),
            CellTimeout = options.CellTimeout,
            PackagesFolder = options.PackagesFolder,
        });
        var codeCells = notebook.Cells.Count(c => c.CellType == NotebookCellType.Code);
        var done = 0;
        var outputs = 0;
        var times = new List<TimeSpan>();
        var notes = new List<string>();
        int? failed = null;
        ErrorOutput? error = null;
        for (var i = 0; i < notebook.Cells.Count; i++)
        {
            var cell = notebook.Cells[i];
            if (cell.CellType != NotebookCellType.Code)
            {
                continue;
            }

            cell.Outputs.Clear();
            cell.ExecutionCount = null;
            if (failed is not null)
            {
                continue;
            }

            if (cell.KernelName is { } kernel && kernel is not ("csharp" or "C#" or "c#"))
            {
                failed = i + 1;
                error = new ErrorOutput("KernelError", $"kernel '{kernel}' is not supported (only csharp)", [$"kernel '{kernel}' is not supported (only csharp)"]);
                done++;
                continue;
            }

            var earlier = notebook.Cells.Take(i).ToList();
            var result = await session.ExecuteAsync(cell.Source, o => ApplyToEarlierCells(earlier, o), cancellationToken).ConfigureAwait(false);
            done++;
            times.Add(result.Elapsed);
            notes.AddRange(result.Notes.Select(n => $"cell {i + 1}: {n}"));
            if (result.Status != CellStatus.Skipped)
            {
                cell.ExecutionCount = result.ExecutionCount;
                cell.Outputs.AddRange(result.Outputs);
                outputs += result.Outputs.Count;
            }

            if (result.Error is not null)
            {
                failed = i + 1;
                error = result.Error;
            }

            progress?.Invoke(done, codeCells);
        }

        return new NotebookRunResult(path, notebook, codeCells, done, outputs, clock.Elapsed, times, failed, error, notes);
    }

    /// <summary>
    /// Applies a display update to the outputs of the cells before the running one, as nbclient does (the running cell's
    /// own outputs are updated by the session); the update's id names displays of this run only (ids are not stored).
    /// </summary>
    private static void ApplyToEarlierCells(List<NotebookCell> earlier, NotebookOutput output)
    {
        if (output is not UpdateDisplayDataOutput update)
        {
            return;
        }

        foreach (var cell in earlier)
        {
            for (var j = 0; j < cell.Outputs.Count; j++)
            {
                if (cell.Outputs[j] is DisplayDataOutput d && d.DisplayId == update.DisplayId)
                {
                    cell.Outputs[j] = d with { Data = update.Data, Metadata = update.Metadata };
                }
            }
        }
    }
}
