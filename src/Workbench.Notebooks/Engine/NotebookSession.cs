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

    /// <summary>Cancelled by the caller's token; the session is broken (see <see cref="NotebookSession.IsBroken"/>).</summary>
    Cancelled,

    /// <summary>Exceeded <see cref="NotebookSessionOptions.CellTimeout"/>; the session is broken.</summary>
    TimedOut,
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
/// <see cref="ExecuteAsync"/> and share one Roslyn scripting state (a cell sees the variables, functions and types of the
/// cells before it; a cell that fails to compile leaves the state as it was). Outputs are reported as they happen through
/// the callback and collected in the <see cref="CellResult"/>: console text as <c>stream</c>, <c>display(x)</c> as
/// <c>display_data</c>, the last expression's non-null value as <c>execute_result</c>, failures as <c>error</c> with the
/// position inside the cell. Console output is captured per cell through an AsyncLocal route, so sessions in the same
/// process may run concurrently; one session runs one cell at a time. A cancelled or timed-out cell cannot be stopped if
/// its code ignores <see cref="NotebookGlobals.CancellationToken"/>; the session is then broken and refuses further cells.
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
    private int _executionCount;
    private int _displayCount;

    /// <summary>Creates a session; no compilation happens until the first cell.</summary>
    public NotebookSession(NotebookSessionOptions? options = null)
    {
        _options = options ?? new NotebookSessionOptions();
        _options.Validate();
        _baseDirectory = Path.GetFullPath(_options.BaseDirectory ?? Directory.GetCurrentDirectory());
        _resolver = new NotebookReferenceResolver(_baseDirectory, _loader);
        _nuget = new OfflineNuGet(_options.PackagesFolder);
        _globals = new NotebookGlobals(this);
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

    /// <summary>True after a cancelled or timed-out cell: the state is unknown and further cells are refused.</summary>
    public bool IsBroken { get; private set; }

    /// <summary>The packages (and their dependencies) resolved from <c>#r "nuget: …"</c> so far, in order.</summary>
    public IReadOnlyList<ResolvedPackage> Packages => _packages;

    /// <summary>
    /// Runs one cell. <paramref name="onOutput"/>, when given, sees each output as it is produced (stream text in
    /// line-sized pieces), on the cell's thread. Compile errors, exceptions, timeouts and cancellation are reported in
    /// the result (not thrown); <see cref="InvalidOperationException"/> is thrown only when the session is broken.
    /// </summary>
    public async Task<CellResult> ExecuteAsync(string code, Action<NotebookOutput>? onOutput = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(code);
        await _oneAtATime.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (IsBroken)
            {
                throw new InvalidOperationException("the notebook session is broken: an earlier cell was cancelled or timed out and may still be running");
            }

            var count = ++_executionCount;
            var clock = Stopwatch.StartNew();
            var sink = new CellSink(onOutput);
            _current = sink;
            var notes = new List<string>();
            try
            {
                var (status, error) = await RunAsync(code, count, sink, notes, cancellationToken).ConfigureAwait(false);
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

    internal void Display(object? value)
    {
        var sink = _current ?? throw new InvalidOperationException("display() was called outside a running cell");
        sink.Add(new DisplayDataOutput(DisplayFormatting.ToBundle(value, NextChartId()), DisplayFormatting.EmptyMetadata()));
    }

    private string NextChartId() => Interlocked.Increment(ref _displayCount).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private async Task<(CellStatus, ErrorOutput?)> RunAsync(string code, int count, CellSink sink, List<string> notes, CancellationToken cancellationToken)
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
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        _globals.CancellationToken = cts.Token;
        var previous = _state;
        var run = Task.Run(
            async () =>
            {
                ConsoleRouter.Route(sink);
                return previous is null
                    ? await CSharpScript.Create(prepared.Code, options, typeof(NotebookGlobals), _loader).RunAsync(_globals, _ => true, cts.Token).ConfigureAwait(false)
                    : await previous.ContinueWithAsync(prepared.Code, options, _ => true, cts.Token).ConfigureAwait(false);
            },
            CancellationToken.None);
        ScriptState<object> state;
        try
        {
            state = _options.CellTimeout is { } timeout
                ? await run.WaitAsync(timeout, _options.Clock, cancellationToken).ConfigureAwait(false)
                : await run.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (CompilationErrorException e)
        {
            return (CellStatus.CompileError, CompileError(e));
        }
        catch (TimeoutException)
        {
            await cts.CancelAsync().ConfigureAwait(false);
            IsBroken = true;
            var message = $"the cell did not finish within the timeout of {_options.CellTimeout!.Value.TotalSeconds:0.###} s";
            return (CellStatus.TimedOut, new ErrorOutput("TimeoutError", message, [message]));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await cts.CancelAsync().ConfigureAwait(false);
            IsBroken = true;
            return (CellStatus.Cancelled, new ErrorOutput("OperationCanceledException", "the cell was cancelled", ["the cell was cancelled"]));
        }

        _state = state;
        if (state.Exception is { } exception)
        {
            return (CellStatus.RuntimeError, RuntimeError(exception, cellPath));
        }

        if (state.ReturnValue is { } value)
        {
            sink.Add(new ExecuteResultOutput(count, DisplayFormatting.ToBundle(value, NextChartId()), DisplayFormatting.EmptyMetadata()));
        }

        return (CellStatus.Ok, null);
    }

    private static string CellFileName(int count) => $"cell{count}.csx";

    private static ErrorOutput CompileError(CompilationErrorException e)
    {
        var errors = e.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count == 0)
        {
            errors = [.. e.Diagnostics];
        }

        var first = errors.FirstOrDefault();
        CellPosition? position = null;
        if (first is not null && first.Location.IsInSource)
        {
            var start = first.Location.GetLineSpan().StartLinePosition;
            position = new CellPosition(start.Line + 1, start.Character + 1);
        }

        var traceback = errors.Select(d =>
        {
            var at = d.Location.IsInSource ? d.Location.GetLineSpan().StartLinePosition : default;
            return d.Location.IsInSource
                ? $"(line {at.Line + 1}, col {at.Character + 1}): error {d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}"
                : $"error {d.Id}: {d.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
        }).ToList();
        var message = first is null ? e.Message : $"{first.Id}: {first.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}";
        return new ErrorOutput("CompilationError", message, traceback) { Position = position };
    }

    private static ErrorOutput RuntimeError(Exception exception, string cellPath)
    {
        if (exception is TargetInvocationException { InnerException: { } inner })
        {
            exception = inner;
        }

        CellPosition? position = null;
        var trace = new StackTrace(exception, fNeedFileInfo: true);
        foreach (var frame in trace.GetFrames())
        {
            if (frame.GetFileName() is { } file && Path.GetFileName(file) == cellPath && frame.GetFileLineNumber() > 0)
            {
                position = new CellPosition(frame.GetFileLineNumber(), Math.Max(1, frame.GetFileColumnNumber()));
                break;
            }
        }

        var traceback = exception.ToString().ReplaceLineEndings("\n").Split('\n');
        return new ErrorOutput(exception.GetType().Name, exception.Message, traceback) { Position = position };
    }
}
