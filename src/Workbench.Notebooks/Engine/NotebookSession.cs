using System.Collections.Immutable;
using System.Diagnostics;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;
using Microsoft.CodeAnalysis.Scripting.Hosting;

namespace Workbench.Notebooks;

/// <summary>Options of a <see cref="NotebookSession"/>, captured when it is created.</summary>
public sealed record NotebookSessionOptions
{
    /// <summary>Folder relative <c>#r "path"</c> references start from: the notebook's folder. Default: the current directory.</summary>
    public string? BaseDirectory { get; init; }

    /// <summary>Longest a cell may run; null (default) for no limit. Must be positive.</summary>
    public TimeSpan? CellTimeout { get; init; }

    /// <summary>The clock that measures <see cref="CellTimeout"/>; default <see cref="TimeProvider.System"/> (tests pass a manual one).</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>NuGet global packages folder for <c>#r "nuget: …"</c>; null (default) for <see cref="OfflineNuGet.DefaultPackagesFolder"/>.</summary>
    public string? PackagesFolder { get; init; }

    /// <summary>Namespaces imported in every cell. Default: System, System.Collections.Generic, System.IO, System.Linq, System.Threading, System.Threading.Tasks.</summary>
    public IReadOnlyList<string> Imports { get; init; } =
        ["System", "System.Collections.Generic", "System.IO", "System.Linq", "System.Threading", "System.Threading.Tasks"];

    /// <summary>
    /// True to put plotly.js itself (≈ 3.6 MB, offline, see <see cref="NotebookCharts.PlotlyScriptElementForNotebooks"/>)
    /// in front of the <c>text/html</c> of the session's first chart, for front ends that render the HTML and have no
    /// plotly of their own (classic Jupyter Notebook); later charts use it from the page. Default false: the headless
    /// runner's HTML pages embed plotly.js once themselves, and JupyterLab/VS Code draw the figure JSON.
    /// </summary>
    public bool InlinePlotlyScript { get; init; }

    internal void Validate()
    {
        if (CellTimeout is { } t && t <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(CellTimeout), t, "the cell timeout must be positive");
        }

        ArgumentNullException.ThrowIfNull(Imports);
        ArgumentNullException.ThrowIfNull(Clock);
    }
}

/// <summary>How a cell ended.</summary>
public enum CellStatus
{
    /// <summary>Ran to completion.</summary>
    Ok,

    /// <summary>Not C# (a <c>#!markdown</c> cell); nothing ran.</summary>
    Skipped,

    /// <summary>Did not compile (or a directive failed); nothing ran; the session state is unchanged.</summary>
    CompileError,

    /// <summary>Threw; variables assigned before the exception keep their values.</summary>
    RuntimeError,

    /// <summary>
    /// Cancelled by the caller's token and stopped as by <see cref="NotebookSession.Interrupt"/>: variables assigned
    /// before keep their values; if the cell did not stop, the session is broken (see <see cref="NotebookSession.IsBroken"/>).
    /// </summary>
    Cancelled,

    /// <summary>
    /// Exceeded <see cref="NotebookSessionOptions.CellTimeout"/> and was stopped as by <see cref="NotebookSession.Interrupt"/>:
    /// variables assigned before keep their values; if the cell did not stop, the session is broken.
    /// </summary>
    TimedOut,

    /// <summary>
    /// Stopped by <see cref="NotebookSession.Interrupt"/>: variables assigned before the interruption keep their values and
    /// the session goes on. If the cell did not stop within 2 s (blocked in code that has no interrupt checks), it is
    /// reported as interrupted too but the session is broken.
    /// </summary>
    Interrupted,
}

/// <summary>The outcome of one cell.</summary>
/// <param name="ExecutionCount">The execution count given to the cell (1 for the first submitted cell).</param>
/// <param name="Status">How it ended.</param>
/// <param name="Outputs">Its outputs in order (consecutive stream text of one stream merged), including the error output.</param>
/// <param name="Error">The error output when <paramref name="Status"/> is not Ok or Skipped, with its cell-relative position when known.</param>
/// <param name="Notes">Informational notes (ignored <c>#i</c> directives, packages resolved).</param>
/// <param name="Elapsed">Wall time from submission to completion.</param>
public sealed record CellResult(int ExecutionCount, CellStatus Status, IReadOnlyList<NotebookOutput> Outputs, ErrorOutput? Error, IReadOnlyList<string> Notes, TimeSpan Elapsed);

/// <summary>
/// One C# notebook kernel, independent of any front end: cells are submitted one at a time with
/// <see cref="ExecuteAsync(string, CellExecutionOptions, CancellationToken)"/> and share one Roslyn scripting state (a cell sees the variables, functions and types of the
/// cells before it; a cell that fails to compile leaves the state as it was). Outputs are reported as they happen through
/// the callback and collected in the <see cref="CellResult"/>: console text as <c>stream</c>, <c>display(x)</c> as
/// <c>display_data</c>, the last expression's non-null value as <c>execute_result</c>, failures as <c>error</c> with the
/// position inside the cell. Console output is captured per cell through an AsyncLocal route, so sessions in the same
/// process may run concurrently; one session runs one cell at a time. <see cref="Interrupt"/> (and cancellation and
/// timeouts) stop a running cell, even a tight loop, through checks inserted into its loops and function bodies
/// (<see cref="InterruptRewriter"/>); a cell that does not stop within 2 s (stuck in library code) breaks the session,
/// which then refuses further cells.
/// </summary>
public sealed partial class NotebookSession
{
    private readonly NotebookSessionOptions _options;
    private readonly string _baseDirectory;
    private readonly InteractiveAssemblyLoader _loader = new();
    private readonly NotebookReferenceResolver _resolver;
    private readonly OfflineNuGet _nuget;
    private readonly NotebookGlobals _globals;
    private readonly List<ResolvedPackage> _packages = [];
    private readonly SemaphoreSlim _oneAtATime = new(1, 1);
    private ScriptOptions _scriptOptions;
    private ScriptState<object>? _state;
    private CellSink? _current;
    private readonly InterruptFlag _interruptFlag = new();
    private readonly int _interruptSlot;
    private RunningCell? _running;
    private int _executionCount;
    private int _displayCount;
    private int _displayIdCount;
    private int _plotlyInlined;

    /// <summary>Creates a session; no compilation happens until the first cell.</summary>
    public NotebookSession(NotebookSessionOptions? options = null)
    {
        _options = options ?? new NotebookSessionOptions();
        _options.Validate();
        _baseDirectory = Path.GetFullPath(_options.BaseDirectory ?? Directory.GetCurrentDirectory());
        _resolver = new NotebookReferenceResolver(_baseDirectory, _loader);
        _nuget = new OfflineNuGet(_options.PackagesFolder);
        _globals = new NotebookGlobals(this);
        _interruptSlot = CellInterrupt.Register(_interruptFlag);
        _scriptOptions = ScriptOptions.Default
            .WithReferences(typeof(object).Assembly, typeof(Enumerable).Assembly, typeof(Console).Assembly, typeof(List<>).Assembly,
                typeof(System.Text.RegularExpressions.Regex).Assembly, typeof(NotebookGlobals).Assembly)
            .WithImports(_options.Imports)
            .WithMetadataResolver(_resolver)
            .WithEmitDebugInformation(true)
            .WithFileEncoding(System.Text.Encoding.UTF8)
            .WithOptimizationLevel(OptimizationLevel.Debug)
            .WithAllowUnsafe(false);
    }

    /// <summary>Cells submitted so far (the next cell gets this plus one).</summary>
    public int ExecutionCount => _executionCount;

    /// <summary>True after a cell that did not stop when interrupted, cancelled or timed out: it may still be running, so further cells are refused.</summary>
    public bool IsBroken { get; private set; }

    /// <summary>The packages (and their dependencies) resolved from <c>#r "nuget: …"</c> so far, in order.</summary>
    public IReadOnlyList<ResolvedPackage> Packages => _packages;

    /// <summary>
    /// Runs one cell. <paramref name="onOutput"/>, when given, sees each output as it is produced; see
    /// <see cref="ExecuteAsync(string, CellExecutionOptions, CancellationToken)"/>.
    /// </summary>
    public Task<CellResult> ExecuteAsync(string code, Action<NotebookOutput>? onOutput = null, CancellationToken cancellationToken = default) =>
        ExecuteAsync(code, new CellExecutionOptions { OnOutput = onOutput }, cancellationToken);

    /// <summary>
    /// Runs one cell. <see cref="CellExecutionOptions.OnOutput"/>, when given, sees each output as it is produced (stream
    /// text in line-sized pieces), on the cell's thread; <see cref="CellExecutionOptions.ReadInput"/> answers console
    /// input. Compile errors, exceptions, interrupts, timeouts and cancellation are reported in the result (not thrown);
    /// <see cref="InvalidOperationException"/> is thrown only when the session is broken. Cancelling
    /// <paramref name="cancellationToken"/> stops the cell as <see cref="Interrupt"/> does (status Cancelled).
    /// </summary>
    public async Task<CellResult> ExecuteAsync(string code, CellExecutionOptions options, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentNullException.ThrowIfNull(options);
        await _oneAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (IsBroken)
            {
                throw new InvalidOperationException("the notebook session is broken: an earlier cell did not stop when it was interrupted, cancelled or timed out, and may still be running");
            }

            var count = ++_executionCount;
            var clock = Stopwatch.StartNew();
            using var cts = new CancellationTokenSource(); // not linked: a caller's cancellation goes through RunningCell.Request
            var sink = new CellSink(options.OnOutput, options.ReadInput, cts.Token);
            _current = sink;
            var notes = new List<string>();
            try
            {
                var (status, error) = await RunAsync(code, count, sink, notes, cts, cancellationToken).ConfigureAwait(false);
                if (error is not null)
                {
                    sink.Add(error);
                }

                sink.Close();
                return new CellResult(count, status, sink.Outputs, error, notes, clock.Elapsed);
            }
            finally
            {
                sink.Close();
                _current = null;
            }
        }
        finally
        {
            _oneAtATime.Release();
        }
    }

    internal DisplayHandle Display(object? value)
    {
        var sink = _current ?? throw new InvalidOperationException("display() was called outside a running cell");
        var id = "wb-display-" + Interlocked.Increment(ref _displayIdCount).ToString(System.Globalization.CultureInfo.InvariantCulture);
        sink.Add(new DisplayDataOutput(Bundle(value), DisplayFormatting.EmptyMetadata()) { DisplayId = id });
        return new DisplayHandle(this, id);
    }

    internal void UpdateDisplay(string displayId, object? value)
    {
        var sink = _current ?? throw new InvalidOperationException("a display was updated outside a running cell");
        sink.Add(new UpdateDisplayDataOutput(displayId, Bundle(value), DisplayFormatting.EmptyMetadata()));
    }

    internal void ClearOutputs(bool wait)
    {
        var sink = _current ?? throw new InvalidOperationException("clear_output() was called outside a running cell");
        sink.Add(new ClearOutput(wait));
    }

    /// <summary>The MIME bundle of a shown value; the session's first chart carries plotly.js when so configured.</summary>
    private MimeBundle Bundle(object? value)
    {
        var bundle = DisplayFormatting.ToBundle(value, NextChartId());
        if (_options.InlinePlotlyScript && bundle.ContainsKey(NotebookCharts.PlotlyMimeType) && bundle.TryGetValue(DisplayFormatting.Html, out var html)
            && Interlocked.Exchange(ref _plotlyInlined, 1) == 0)
        {
            bundle.Set(DisplayFormatting.Html, NotebookCharts.PlotlyScriptElementForNotebooks() + "\n" + html);
        }

        return bundle;
    }

    private string NextChartId() => Interlocked.Increment(ref _displayCount).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private async Task<(CellStatus, ErrorOutput?)> RunAsync(string code, int count, CellSink sink, List<string> notes, CancellationTokenSource cts, CancellationToken cancellationToken)
    {
        CellDirectives.Prepared prepared;
        var extraReferences = new List<MetadataReference>();
        try
        {
            prepared = CellDirectives.Prepare(code);
            if (prepared.IsMarkdown)
            {
                return (CellStatus.Skipped, null);
            }

            notes.AddRange(prepared.Notes);
            foreach (var directive in prepared.Packages)
            {
                IReadOnlyList<ResolvedPackage> packages;
                try
                {
                    packages = _nuget.Resolve(directive.Id, directive.Version);
                }
                catch (PackageNotFoundException e)
                {
                    throw new CellDirectiveException(e.Message, new CellPosition(directive.Line, 1));
                }

                var all = packages.SelectMany(p => p.Assemblies).ToList();
                var primary = all.FirstOrDefault(a => string.Equals(Path.GetFileNameWithoutExtension(a), directive.Id, StringComparison.OrdinalIgnoreCase))
                    ?? all.FirstOrDefault()
                    ?? throw new CellDirectiveException($"NuGet package '{directive.Id}' has no assembly for net10.0 or an earlier compatible framework", new CellPosition(directive.Line, 1));
                extraReferences.AddRange(_resolver.AddPackage(directive.Reference, primary, all.Where(a => a != primary)));
                foreach (var p in packages.Where(p => !_packages.Any(q => q.Id == p.Id)))
                {
                    _packages.Add(p);
                    notes.Add($"package {p.Id} {p.Version}: {p.Assemblies.Count} assembl{(p.Assemblies.Count == 1 ? "y" : "ies")}");
                }
            }
        }
        catch (CellDirectiveException e)
        {
            return (CellStatus.CompileError, new ErrorOutput("DirectiveError", e.Message, [$"({e.Position}): {e.Message}"]) { Position = e.Position });
        }

        var cellPath = CellFileName(count);
        var options = _scriptOptions.WithFilePath(cellPath).AddReferences(extraReferences);
        var (cellCode, map) = InterruptRewriter.Rewrite(prepared.Code, _interruptSlot);
        _globals.CancellationToken = cts.Token;
        var running = new RunningCell(_interruptFlag, cts);
        _interruptFlag.Clear();
        Volatile.Write(ref _running, running);
        var previous = _state;
        Task<ScriptState<object>> run;
        StopReason? stop;
        try
        {
            run = running.Start(
                () =>
                {
                    ConsoleRouter.Route(sink);
                    var script = previous is null
                        ? CSharpScript.Create(cellCode, options, typeof(NotebookGlobals), _loader)
                        : previous.Script.ContinueWith(cellCode, options);
                    var errors = script.Compile(cts.Token).Where(d => d.Severity == DiagnosticSeverity.Error).ToImmutableArray();
                    if (!errors.IsEmpty)
                    {
                        throw new CompilationErrorException(errors[0].ToString(), errors);
                    }

                    return script;
                },
                script => previous is null
                    ? script.RunAsync(_globals, _ => true, cts.Token)
                    : script.RunFromAsync(previous, _ => true, cts.Token),
                count);
            using var timer = _options.CellTimeout is { } timeout
                ? _options.Clock.CreateTimer(_ => running.Request(StopReason.Timeout), null, timeout, Timeout.InfiniteTimeSpan)
                : null;
            using var cancellation = cancellationToken.Register(() => running.Request(StopReason.Cancel));
            stop = await WaitForStopAsync(run, running).ConfigureAwait(false);
        }
        finally
        {
            Volatile.Write(ref _running, null);
        }

        if (!run.IsCompleted)
        {
            IsBroken = true;
            return StopResult(stop!.Value, position: null, stopped: false);
        }

        ScriptState<object> state;
        try
        {
            state = await run.ConfigureAwait(false);
        }
        catch (CompilationErrorException e)
        {
            return (CellStatus.CompileError, CompileError(e.Diagnostics, map));
        }
        catch (Exception e) when (stop is { } reason && IsStopException(e))
        {
            // Stopped before the cell's code ran (during compilation or on entry): the state is unchanged.
            return StopResult(reason, position: null, stopped: true);
        }
        catch (Exception e)
        {
            return (CellStatus.RuntimeError, RuntimeError(e, cellPath, map));
        }

        _state = state;
        if (state.Exception is { } exception)
        {
            return stop is { } reason && IsStopException(exception)
                ? StopResult(reason, FindPosition(exception, cellPath, map), stopped: true)
                : (CellStatus.RuntimeError, RuntimeError(exception, cellPath, map));
        }

        if (stop is StopReason.Timeout or StopReason.Cancel)
        {
            // The cell caught the stop and finished anyway: still a timeout or cancellation (an interrupt it handled is Ok).
            return StopResult(stop.Value, position: null, stopped: true);
        }

        if (state.ReturnValue is { } value and not DisplayHandle)
        {
            sink.Add(new ExecuteResultOutput(count, Bundle(value), DisplayFormatting.EmptyMetadata()));
        }

        return (CellStatus.Ok, null);
    }

    private static string CellFileName(int count) => $"cell{count}.csx";

    private static ErrorOutput CompileError(ImmutableArray<Diagnostic> diagnostics, ColumnMap map)
    {
        var errors = diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count == 0)
        {
            errors = [.. diagnostics];
        }

        var first = errors.FirstOrDefault();
        var position = first is null ? null : DiagnosticPosition(first, map);
        var traceback = errors.Select(d =>
        {
            var message = $"error {d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
            return DiagnosticPosition(d, map) is { } at ? $"(line {at.Line}, col {at.Column}): {message}" : message;
        }).ToList();
        var evalue = first is null ? "the cell did not compile" : $"{first.Id}: {first.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
        return new ErrorOutput("CompilationError", evalue, traceback) { Position = position };
    }

    private static CellPosition? DiagnosticPosition(Diagnostic d, ColumnMap map)
    {
        if (!d.Location.IsInSource)
        {
            return null;
        }

        var start = d.Location.GetLineSpan().StartLinePosition;
        return new CellPosition(start.Line + 1, map.ToOriginal(start.Line, start.Character) + 1);
    }

    private static ErrorOutput RuntimeError(Exception exception, string cellPath, ColumnMap map)
    {
        exception = Unwrap(exception);
        var traceback = exception.ToString().ReplaceLineEndings("\n").Split('\n');
        return new ErrorOutput(exception.GetType().Name, exception.Message, traceback) { Position = FindPosition(exception, cellPath, map) };
    }

    private static Exception Unwrap(Exception exception) =>
        exception is TargetInvocationException { InnerException: { } inner } ? inner : exception;

    /// <summary>The deepest stack frame inside the cell, in the user's columns.</summary>
    private static CellPosition? FindPosition(Exception exception, string cellPath, ColumnMap map)
    {
        var trace = new StackTrace(Unwrap(exception), fNeedFileInfo: true);
        foreach (var frame in trace.GetFrames())
        {
            if (frame.GetFileName() is { } file && Path.GetFileName(file) == cellPath && frame.GetFileLineNumber() > 0)
            {
                var line = frame.GetFileLineNumber();
                var column = Math.Max(1, frame.GetFileColumnNumber());
                return new CellPosition(line, map.ToOriginal(line - 1, column - 1) + 1);
            }
        }

        return null;
    }
}
