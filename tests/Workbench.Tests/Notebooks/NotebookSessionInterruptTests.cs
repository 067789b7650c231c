using Workbench.Notebooks;
using Workbench.Tests.Support;

namespace Workbench.Tests.Notebooks;

/// <summary>
/// Interrupts, timeouts and cancellation stopping cells. Every test calls <see cref="NotebookSession.Interrupt"/> only
/// after the cell has signalled (a "ready" line seen through the output callback), and the grace periods run on a
/// manual clock, so nothing depends on the wall clock.
/// </summary>
public sealed class NotebookSessionInterruptTests
{
    /// <summary>Runs <paramref name="code"/>, interrupts it once it prints "ready", and returns its result.</summary>
    private static async Task<CellResult> RunAndInterruptWhenReady(NotebookSession session, string code)
    {
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = session.ExecuteAsync(code, o =>
        {
            if (o is StreamOutput { Text: var t } && t.Contains("ready", StringComparison.Ordinal))
            {
                ready.TrySetResult();
            }
        });
        await ready.Task;
        session.Interrupt();
        return await running;
    }

    private static async Task<string> Value(NotebookSession session, string expression)
    {
        var r = await session.ExecuteAsync(expression);
        Assert.True(r.Status == CellStatus.Ok, $"{r.Status}: {r.Error?.EValue}");
        return Assert.IsType<ExecuteResultOutput>(Assert.Single(r.Outputs)).Data["text/plain"];
    }

    [Fact]
    public async Task Interrupt_TightWhileTrue_StopsAndKeepsEarlierAssignments()
    {
        var session = new NotebookSession();
        var r = await RunAndInterruptWhenReady(session, "var before = 41;\nConsole.WriteLine(\"ready\");\nwhile (true) { }");
        Assert.Equal(CellStatus.Interrupted, r.Status);
        Assert.Equal("CellInterruptedException", r.Error!.EName);
        Assert.Equal("the cell was interrupted", r.Error.EValue);
        Assert.Equal(new CellPosition(3, 15), r.Error.Position);
        Assert.Equal([new StreamOutput("stdout", "ready\n"), r.Error], r.Outputs);
        Assert.False(session.IsBroken);
        Assert.Equal("42", await Value(session, "before + 1"));
    }

    [Fact]
    public async Task Interrupt_ForWithSingleStatementBody_Stops()
    {
        var session = new NotebookSession();
        var r = await RunAndInterruptWhenReady(session, "var n = 0L;\nfor (;;) if (++n == 1000) Console.WriteLine(\"ready\");");
        Assert.Equal(CellStatus.Interrupted, r.Status);
        Assert.Equal("True", await Value(session, "n >= 1000"));
    }

    [Fact]
    public async Task Interrupt_LoopInLambda_Stops()
    {
        var session = new NotebookSession();
        var r = await RunAndInterruptWhenReady(
            session,
            "Func<int> spin = () => { var i = 0; while (i >= 0) i = (i + 1) % 10; return i; };\nConsole.WriteLine(\"ready\");\nvar result = Enumerable.Range(0, 1).Select(_ => spin()).ToList();");
        Assert.Equal(CellStatus.Interrupted, r.Status);
    }

    [Fact]
    public async Task Interrupt_RecursionWithoutLoops_StopsAtFunctionEntry()
    {
        // 2^60 calls, never deeper than 60 frames: only the checks at function entry can stop it. The function comes
        // from an earlier cell, so checks compiled into earlier cells work too.
        var session = new NotebookSession();
        const string Fan = "long calls = 0;\nvoid Fan(int depth)\n{\n    calls++;\n    if (calls == 1000) Console.WriteLine(\"ready\");\n    if (depth == 60) return;\n    Fan(depth + 1); Fan(depth + 1);\n}";
        Assert.Equal(CellStatus.Ok, (await session.ExecuteAsync(Fan)).Status);
        var r = await RunAndInterruptWhenReady(session, "Fan(0);");
        Assert.Equal(CellStatus.Interrupted, r.Status);
        Assert.Equal("True", await Value(session, "calls >= 1000"));
    }

    [Fact]
    public async Task Interrupt_ThreadSleepWithoutToken_InterruptsTheCellThreadAfterOneSecond()
    {
        var clock = new ManualTimeProvider();
        var session = new NotebookSession(new NotebookSessionOptions { Clock = clock });
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = session.ExecuteAsync("var kept = 3;\nConsole.WriteLine(\"ready\");\nThread.Sleep(Timeout.Infinite);", o => ready.TrySetResult());
        await ready.Task;
        session.Interrupt();
        await clock.TimersCreated(1);
        Assert.False(running.IsCompleted);
        clock.Advance(TimeSpan.FromSeconds(1));
        var r = await running;
        Assert.Equal(CellStatus.Interrupted, r.Status);
        Assert.Equal(3, r.Error!.Position?.Line);
        Assert.False(session.IsBroken);
        Assert.Equal("3", await Value(session, "kept"));
    }

    [Fact]
    public async Task Interrupt_BlockedOnPoolThreadInLibraryCode_BreaksSessionAfterTwoSeconds()
    {
        var clock = new ManualTimeProvider();
        var session = new NotebookSession(new NotebookSessionOptions { Clock = clock });
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = session.ExecuteAsync(
            $"#r \"{NotebookTestGate.AssemblyPath}\"\nawait Task.Yield();\nConsole.WriteLine(\"ready\");\nWorkbench.Tests.Notebooks.NotebookTestGate.Block.Wait();",
            o => ready.TrySetResult());
        try
        {
            await ready.Task;
            session.Interrupt();
            await clock.TimersCreated(1);
            clock.Advance(TimeSpan.FromSeconds(1));
            await clock.TimersCreated(2);
            Assert.False(running.IsCompleted);
            clock.Advance(TimeSpan.FromSeconds(1));
            var r = await running;
            Assert.Equal(CellStatus.Interrupted, r.Status);
            Assert.Contains("did not stop within 2 s", r.Error!.EValue, StringComparison.Ordinal);
            Assert.True(session.IsBroken);
            await Assert.ThrowsAsync<InvalidOperationException>(() => session.ExecuteAsync("1"));
        }
        finally
        {
            NotebookTestGate.Block.Release();
        }
    }

    [Fact]
    public async Task Interrupt_WhileIdle_IsNoOp()
    {
        var session = new NotebookSession();
        session.Interrupt();
        Assert.Equal("2", await Value(session, "1 + 1"));
        session.Interrupt();
        Assert.Equal("3", await Value(session, "var s = 0; for (var i = 0; i < 3; i++) { s++; }\ns"));
        Assert.False(session.IsBroken);
    }

    [Fact]
    public async Task Interrupt_CellThatHandlesIt_IsOk()
    {
        var session = new NotebookSession();
        var r = await RunAndInterruptWhenReady(
            session,
            "var caught = false;\nConsole.WriteLine(\"ready\");\ntry { while (true) { } } catch (Workbench.Notebooks.CellInterruptedException) { caught = true; }\ncaught");
        Assert.Equal(CellStatus.Ok, r.Status);
        Assert.Equal("True", Assert.IsType<ExecuteResultOutput>(r.Outputs[^1]).Data["text/plain"]);
    }

    [Fact]
    public async Task Timeout_TightLoop_StopsWithoutBreakingSession()
    {
        var clock = new ManualTimeProvider();
        var session = new NotebookSession(new NotebookSessionOptions { CellTimeout = TimeSpan.FromSeconds(30), Clock = clock });
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = session.ExecuteAsync("var before = 1;\nConsole.WriteLine(\"ready\");\nwhile (true) { }", o => ready.TrySetResult());
        await ready.Task;
        await clock.TimerCreated;
        clock.Advance(TimeSpan.FromSeconds(30));
        var r = await running;
        Assert.Equal(CellStatus.TimedOut, r.Status);
        Assert.Equal("TimeoutError", r.Error!.EName);
        Assert.False(session.IsBroken);
        Assert.Equal("1", await Value(session, "before"));
    }

    [Fact]
    public async Task Timeout_CellStuckInLibraryCode_BreaksSession()
    {
        var clock = new ManualTimeProvider();
        var session = new NotebookSession(new NotebookSessionOptions { CellTimeout = TimeSpan.FromSeconds(30), Clock = clock });
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = session.ExecuteAsync(
            $"#r \"{NotebookTestGate.AssemblyPath}\"\nawait Task.Yield();\nConsole.WriteLine(\"ready\");\nWorkbench.Tests.Notebooks.NotebookTestGate.Block.Wait();",
            o => ready.TrySetResult());
        try
        {
            await ready.Task;
            await clock.TimersCreated(1);
            clock.Advance(TimeSpan.FromSeconds(30));
            await clock.TimersCreated(2);
            clock.Advance(TimeSpan.FromSeconds(1));
            await clock.TimersCreated(3);
            clock.Advance(TimeSpan.FromSeconds(1));
            var r = await running;
            Assert.Equal(CellStatus.TimedOut, r.Status);
            Assert.Contains("within the timeout of 30 s and did not stop", r.Error!.EValue, StringComparison.Ordinal);
            Assert.True(session.IsBroken);
        }
        finally
        {
            NotebookTestGate.Block.Release();
        }
    }

    [Fact]
    public async Task Rewriting_CompileErrorAfterBraceOnSameLine_KeepsUserColumns()
    {
        var session = new NotebookSession();
        const string Line2 = "while (a > 0) { a--; var b = undefinedName; } for (;;) a = otherUndefined;";
        var r = await session.ExecuteAsync("var a = 1;\n" + Line2);
        Assert.Equal(CellStatus.CompileError, r.Status);
        var first = Line2.IndexOf("undefinedName", StringComparison.Ordinal) + 1;
        var second = Line2.IndexOf("otherUndefined", StringComparison.Ordinal) + 1;
        Assert.Equal(new CellPosition(2, first), r.Error!.Position);
        Assert.Contains($"(line 2, col {first}): error CS0103", r.Error.Traceback[0], StringComparison.Ordinal);
        Assert.Contains($"(line 2, col {second}): error CS0103", r.Error.Traceback[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rewriting_RuntimeErrorInsideLoopBody_KeepsUserLineAndColumn()
    {
        var session = new NotebookSession();
        const string Line2 = "for (var i = 0; i < 3; i++) { if (i == 2) { throw new InvalidOperationException(\"x\"); } }";
        var r = await session.ExecuteAsync("var k = 0;\n" + Line2);
        Assert.Equal(CellStatus.RuntimeError, r.Status);
        Assert.Equal(new CellPosition(2, Line2.IndexOf("throw", StringComparison.Ordinal) + 1), r.Error!.Position);
    }

    [Fact]
    public void Rewriter_InsertsChecksOnTheSameLines()
    {
        const string Code = "while (x) y();\ndo z(); while (x);\nforeach (var q in qs) { }\nint F() { return 1; }\nvoid G() => G();\nl: goto l;\nwhile (x) int bad = 1;";
        var (rewritten, map) = InterruptRewriter.Rewrite(Code, 7);
        var lines = rewritten.Split('\n');
        Assert.Equal(Code.Split('\n').Length, lines.Length);
        const string Check = "global::Workbench.Notebooks.CellInterrupt.Check(7);";
        Assert.Equal("while (x) { " + Check + " y(); }", lines[0]);
        Assert.Equal("do { " + Check + " z(); } while (x);", lines[1]);
        Assert.Equal("foreach (var q in qs) { " + Check + " }", lines[2]);
        Assert.Equal("int F() { " + Check + " return 1; }", lines[3]);
        Assert.Equal("void G() => G();", lines[4]);
        Assert.Equal("l: { " + Check + " goto l; }", lines[5]);
        Assert.Equal("while (x) int bad = 1;", lines[6]);
        Assert.Equal(10, map.ToOriginal(0, lines[0].IndexOf("y()", StringComparison.Ordinal)));
        Assert.Equal(10, map.ToOriginal(0, 12));
        Assert.Equal(14, map.ToOriginal(0, lines[0].Length - 1));
        Assert.Equal(4, map.ToOriginal(4, 4));
    }

    [Fact]
    public void Rewriter_CodeThatDoesNotParse_IsLeftAsIs()
    {
        var (rewritten, map) = InterruptRewriter.Rewrite("while (true) {", 0);
        Assert.Equal("while (true) {", rewritten);
        Assert.Equal(5, map.ToOriginal(0, 5));
    }
}
