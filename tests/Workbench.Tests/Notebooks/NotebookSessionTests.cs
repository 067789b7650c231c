using Workbench.Notebooks;
using Workbench.Tests.Support;

namespace Workbench.Tests.Notebooks;

public sealed class NotebookSessionTests
{
    private static async Task<CellResult> Ok(NotebookSession session, string code)
    {
        var r = await session.ExecuteAsync(code);
        Assert.True(r.Status == CellStatus.Ok, $"{r.Status}: {r.Error?.EValue}");
        return r;
    }

    [Fact]
    public async Task Execute_StateCarriesAcrossCells()
    {
        var session = new NotebookSession();
        await Ok(session, "var x = 20;\nint Twice(int v) => 2 * v;");
        var r = await Ok(session, "Twice(x) + 2");
        var result = Assert.IsType<ExecuteResultOutput>(Assert.Single(r.Outputs));
        Assert.Equal("42", result.Data["text/plain"]);
        Assert.Equal(2, result.ExecutionCount);
        Assert.Contains("42", result.Data["text/html"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Execute_VoidOrNullLastValue_NoExecuteResult()
    {
        var session = new NotebookSession();
        Assert.Empty((await Ok(session, "var s = (string?)null;")).Outputs);
        Assert.Empty((await Ok(session, "s")).Outputs);
        Assert.Empty((await Ok(session, "Console.Write(\"\")")).Outputs);
    }

    [Fact]
    public async Task Execute_Display_ProducesDisplayDataInOrderWithStreams()
    {
        var session = new NotebookSession();
        var seen = new List<NotebookOutput>();
        var r = await session.ExecuteAsync("Console.WriteLine(\"a\");\ndisplay(new[] { 1, 2 });\nConsole.Write(\"b\");\nConsole.Error.WriteLine(\"e\");\nConsole.Write(\"c\\n\");", seen.Add);
        Assert.Equal(CellStatus.Ok, r.Status);
        Assert.Collection(
            r.Outputs,
            o => Assert.Equal(new StreamOutput("stdout", "a\n"), o),
            o =>
            {
                var d = Assert.IsType<DisplayDataOutput>(o);
                Assert.Contains("1", d.Data["text/plain"], StringComparison.Ordinal);
                Assert.Contains("<", d.Data["text/html"], StringComparison.Ordinal);
            },
            o => Assert.Equal(new StreamOutput("stdout", "b"), o),
            o => Assert.Equal(new StreamOutput("stderr", "e\n"), o),
            o => Assert.Equal(new StreamOutput("stdout", "c\n"), o));
        Assert.Equal(5, seen.Count);
    }

    [Fact]
    public async Task Execute_ConsoleCapture_IsPerSessionWhenConcurrent()
    {
        var a = new NotebookSession();
        var b = new NotebookSession();
        var ta = a.ExecuteAsync("for (var i = 0; i < 200; i++) { Console.WriteLine(\"A\"); await Task.Yield(); }");
        var tb = b.ExecuteAsync("for (var i = 0; i < 200; i++) { Console.WriteLine(\"B\"); await Task.Yield(); }");
        var ra = await ta;
        var rb = await tb;
        Assert.Equal(string.Concat(Enumerable.Repeat("A\n", 200)), Assert.IsType<StreamOutput>(Assert.Single(ra.Outputs)).Text);
        Assert.Equal(string.Concat(Enumerable.Repeat("B\n", 200)), Assert.IsType<StreamOutput>(Assert.Single(rb.Outputs)).Text);
    }

    [Fact]
    public async Task Execute_CompileError_ReportsCellRelativePositionAndStateSurvives()
    {
        var session = new NotebookSession();
        await Ok(session, "var kept = 7;");
        var r = await session.ExecuteAsync("#!csharp\nvar y = 1;\n  var z = undefinedName + 1;");
        Assert.Equal(CellStatus.CompileError, r.Status);
        Assert.NotNull(r.Error);
        Assert.Equal("CompilationError", r.Error!.EName);
        Assert.Equal(new CellPosition(3, 11), r.Error.Position);
        Assert.Contains("CS0103", r.Error.EValue, StringComparison.Ordinal);
        Assert.Same(r.Error, Assert.Single(r.Outputs));
        var after = await Ok(session, "kept");
        Assert.Equal("7", Assert.IsType<ExecuteResultOutput>(Assert.Single(after.Outputs)).Data["text/plain"]);
    }

    [Fact]
    public async Task Execute_RuntimeException_ReportsLineAndKeepsEarlierAssignments()
    {
        var session = new NotebookSession();
        var r = await session.ExecuteAsync("var before = 5;\nConsole.WriteLine(\"x\");\nthrow new InvalidOperationException(\"boom\");");
        Assert.Equal(CellStatus.RuntimeError, r.Status);
        Assert.Equal("InvalidOperationException", r.Error!.EName);
        Assert.Equal("boom", r.Error.EValue);
        Assert.Equal(3, r.Error.Position?.Line);
        Assert.IsType<StreamOutput>(r.Outputs[0]);
        var after = await Ok(session, "before + 1");
        Assert.Equal("6", Assert.IsType<ExecuteResultOutput>(Assert.Single(after.Outputs)).Data["text/plain"]);
    }

    [Fact]
    public async Task Execute_UnknownMagic_IsErrorWithPosition()
    {
        var session = new NotebookSession();
        var r = await session.ExecuteAsync("var a = 1;\n#!fsharp\nlet b = 2");
        Assert.Equal(CellStatus.CompileError, r.Status);
        Assert.Equal(new CellPosition(2, 1), r.Error!.Position);
        Assert.Contains("'#!fsharp'", r.Error.EValue, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Execute_MarkdownMagic_IsSkippedAndIDirectiveIgnoredWithNote()
    {
        var session = new NotebookSession();
        Assert.Equal(CellStatus.Skipped, (await session.ExecuteAsync("#!markdown\n# Title")).Status);
        var r = await Ok(session, "#i \"nuget: https://example.invalid/feed\"\n1 + 1");
        Assert.Contains(r.Notes, n => n.Contains("#i", StringComparison.Ordinal));
        Assert.Equal("2", Assert.IsType<ExecuteResultOutput>(Assert.Single(r.Outputs)).Data["text/plain"]);
    }

    [Fact]
    public async Task Execute_ReferencePathRelativeToBaseDirectory_UsesHostCopyOfLoadedAssembly()
    {
        // Workbench.Core is loaded by this test process: the notebook's #r to a copy elsewhere must bind to the host's.
        var dir = Directory.CreateTempSubdirectory("wb-nb-ref-").FullName;
        var lib = Path.Combine(dir, "lib");
        Directory.CreateDirectory(lib);
        File.Copy(typeof(Workbench.Core.LabeledObservation).Assembly.Location, Path.Combine(lib, "Workbench.Core.dll"));
        var session = new NotebookSession(new NotebookSessionOptions { BaseDirectory = dir });
        await Ok(session, "#r \"lib/Workbench.Core.dll\"\nusing Workbench.Core;");
        var r = await Ok(session, "typeof(LabeledObservation)");
        Assert.Equal(CellStatus.Ok, r.Status);
        var typeResult = await session.ExecuteAsync("display(typeof(LabeledObservation).Assembly.Location)");
        var shown = Assert.IsType<DisplayDataOutput>(Assert.Single(typeResult.Outputs));
        Assert.Equal(typeof(Workbench.Core.LabeledObservation).Assembly.Location, shown.Data["text/plain"]);
    }

    [Fact]
    public async Task Execute_ReferenceMissingFile_IsCompileError()
    {
        var session = new NotebookSession(new NotebookSessionOptions { BaseDirectory = Path.GetTempPath() });
        var r = await session.ExecuteAsync("var a = 1;\n#r \"no/such/file.dll\"");
        Assert.Equal(CellStatus.CompileError, r.Status);
        Assert.Equal(2, r.Error!.Position?.Line);
    }

    [Fact]
    public async Task Execute_NuGetReference_ResolvesOfflineWithDependencies()
    {
        var session = new NotebookSession();
        var r = await Ok(session, "#r \"nuget: Plotly.NET.CSharp, 0.14.0\"\nvar chart = Plotly.NET.CSharp.Chart.Line<int, int, string>(new[] { 1, 2 }, new[] { 3, 4 });\ndisplay(chart);");
        Assert.Contains(session.Packages, p => p.Id == "plotly.net.csharp" && p.Version == "0.14.0");
        Assert.Contains(session.Packages, p => p.Id == "plotly.net");
        Assert.Contains(session.Packages, p => p.Id == "fsharp.core");
        var d = Assert.IsType<DisplayDataOutput>(Assert.Single(r.Outputs));
        Assert.Contains(NotebookCharts.FragmentMarker, d.Data["text/html"], StringComparison.Ordinal);
        Assert.Contains("wb-chart-1", d.Data["text/html"], StringComparison.Ordinal);
        Assert.Contains("\"data\"", d.Data[NotebookCharts.PlotlyMimeType], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Execute_NuGetReferenceMissing_NamesPackage()
    {
        var session = new NotebookSession();
        var r = await session.ExecuteAsync("// first\n#r \"nuget: No.Such.Package.Workbench, 1.2.3\"");
        Assert.Equal(CellStatus.CompileError, r.Status);
        Assert.Equal(new CellPosition(2, 1), r.Error!.Position);
        Assert.Contains("'No.Such.Package.Workbench' version 1.2.3", r.Error.EValue, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Execute_Timeout_ReportsAndStopsCooperativeCell()
    {
        // The timeout is measured on a manual clock: the test moves it past the limit once the cell is running. The cell
        // passes the token on, so it stops at once and the session goes on (NotebookSessionInterruptTests covers cells
        // that do not stop).
        var clock = new ManualTimeProvider();
        var session = new NotebookSession(new NotebookSessionOptions { CellTimeout = TimeSpan.FromSeconds(30), Clock = clock });
        var running = session.ExecuteAsync("var before = 2;\nawait Task.Delay(Timeout.Infinite, CancellationToken);");
        await clock.TimerCreated;
        clock.Advance(TimeSpan.FromSeconds(29));
        Assert.False(running.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));
        var r = await running;
        Assert.Equal(CellStatus.TimedOut, r.Status);
        Assert.Contains("within the timeout of 30 s", r.Error!.EValue, StringComparison.Ordinal);
        Assert.False(session.IsBroken);
        Assert.Equal(CellStatus.Ok, (await session.ExecuteAsync("1")).Status);
    }

    [Fact]
    public async Task Execute_Cancellation_StopsCell()
    {
        var session = new NotebookSession();
        using var cts = new CancellationTokenSource();
        var r = await session.ExecuteAsync(
            "Console.WriteLine(\"started\");\nawait Task.Delay(Timeout.Infinite, CancellationToken);",
            o =>
            {
                if (o is StreamOutput)
                {
                    cts.Cancel();
                }
            },
            cts.Token);
        Assert.Equal(CellStatus.Cancelled, r.Status);
        Assert.Equal(new StreamOutput("stdout", "started\n"), r.Outputs[0]);
    }

    [Fact]
    public void Options_NonPositiveTimeout_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new NotebookSession(new NotebookSessionOptions { CellTimeout = TimeSpan.Zero }));
    }
}
