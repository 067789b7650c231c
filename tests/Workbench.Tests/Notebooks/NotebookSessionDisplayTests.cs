using System.Text;
using Workbench.Notebooks;
using Workbench.Tests.Support;

namespace Workbench.Tests.Notebooks;

public sealed class NotebookSessionDisplayTests
{
    private const string ChartReference = "#r \"nuget: Plotly.NET.CSharp, 0.14.0\"\n";

    [Fact]
    public async Task Display_ReturnsHandle_UpdateInSameCellIsAppliedAndSeenRaw()
    {
        var session = new NotebookSession();
        var seen = new List<NotebookOutput>();
        var r = await session.ExecuteAsync("var h = display(1);\nConsole.WriteLine(h.DisplayId);\nh.Update(2);\ndisplay(3);", seen.Add);
        Assert.Equal(CellStatus.Ok, r.Status);
        Assert.Collection(
            r.Outputs,
            o =>
            {
                var d = Assert.IsType<DisplayDataOutput>(o);
                Assert.Equal("wb-display-1", d.DisplayId);
                Assert.Equal("2", d.Data["text/plain"]);
            },
            o => Assert.Equal(new StreamOutput("stdout", "wb-display-1\n"), o),
            o => Assert.Equal("wb-display-2", Assert.IsType<DisplayDataOutput>(o).DisplayId));
        Assert.Equal("1", Assert.IsType<DisplayDataOutput>(seen[0]).Data["text/plain"]);
        var update = Assert.IsType<UpdateDisplayDataOutput>(seen[2]);
        Assert.Equal("wb-display-1", update.DisplayId);
        Assert.Equal("2", update.Data["text/plain"]);
        Assert.Equal("update_display_data", update.OutputType);
    }

    [Fact]
    public async Task Display_AsLastExpression_HasNoExecuteResult()
    {
        var session = new NotebookSession();
        var r = await session.ExecuteAsync("display(5)");
        Assert.Equal(CellStatus.Ok, r.Status);
        Assert.IsType<DisplayDataOutput>(Assert.Single(r.Outputs));
    }

    [Fact]
    public async Task Update_FromLaterCell_IsEventOnly()
    {
        var session = new NotebookSession();
        await session.ExecuteAsync("var h = display(\"first\");");
        var seen = new List<NotebookOutput>();
        var r = await session.ExecuteAsync("h.Update(\"second\");", seen.Add);
        Assert.Empty(r.Outputs);
        Assert.Equal("wb-display-1", Assert.IsType<UpdateDisplayDataOutput>(Assert.Single(seen)).DisplayId);
    }

    [Fact]
    public async Task ClearOutput_RemovesEarlierOutputsOfTheCell()
    {
        var session = new NotebookSession();
        var seen = new List<NotebookOutput>();
        var r = await session.ExecuteAsync("Console.WriteLine(\"a\");\ndisplay(1);\nConsole.Write(\"partial\");\nclear_output();\nConsole.WriteLine(\"b\");", seen.Add);
        Assert.Equal([new StreamOutput("stdout", "b\n")], r.Outputs);
        Assert.Contains(new ClearOutput(false), seen);
        Assert.Equal(new StreamOutput("stdout", "partial"), seen[2]);
    }

    [Fact]
    public async Task ClearOutput_Wait_ClearsWhenTheNextOutputArrives()
    {
        var session = new NotebookSession();
        var r = await session.ExecuteAsync("Console.WriteLine(\"a\");\nclear_output(wait: true);\nConsole.WriteLine(\"b\");\nclear_output(true);\ndisplay(7);");
        Assert.Equal("7", Assert.IsType<DisplayDataOutput>(Assert.Single(r.Outputs)).Data["text/plain"]);
        var kept = await session.ExecuteAsync("Console.WriteLine(\"c\");\nclear_output(wait: true);");
        Assert.Equal([new StreamOutput("stdout", "c\n")], kept.Outputs);
    }

    [Fact]
    public async Task Runner_UpdateOfEarlierCellsDisplay_IsAppliedInExecutedNotebook()
    {
        using var dir = new TempDirectory();
        var nb = Notebook.CreateCSharp();
        nb.Cells.Add(new NotebookCell(NotebookCellType.Code, "var progress = display(\"0 %\");"));
        nb.Cells.Add(new NotebookCell(NotebookCellType.Markdown, "between"));
        nb.Cells.Add(new NotebookCell(NotebookCellType.Code, "progress.Update(\"100 %\");\nConsole.WriteLine(\"done\");"));
        nb.Cells.Add(new NotebookCell(NotebookCellType.Code, "Console.WriteLine(\"x\");\nclear_output();\n\"cleared\""));
        var path = dir.File("updates.ipynb");
        nb.Save(path);
        var result = await NotebookRunner.RunAsync(path);
        Assert.True(result.Succeeded, result.FailureMessage);
        var shown = Assert.IsType<DisplayDataOutput>(Assert.Single(result.Executed.Cells[0].Outputs));
        Assert.Equal("100 %", shown.Data["text/plain"]);
        Assert.Equal([new StreamOutput("stdout", "done\n")], result.Executed.Cells[2].Outputs);
        Assert.IsType<ExecuteResultOutput>(Assert.Single(result.Executed.Cells[3].Outputs));
        var json = result.Executed.ToJson();
        Assert.DoesNotContain("wb-display", json, StringComparison.Ordinal);
        Assert.DoesNotContain("update_display_data", json, StringComparison.Ordinal);
    }

    [Fact]
    public void NotebookJson_NeverWritesOutputEvents()
    {
        var nb = Notebook.CreateCSharp();
        var cell = new NotebookCell(NotebookCellType.Code, "1");
        cell.Outputs.Add(new DisplayDataOutput(new MimeBundle().Set("text/plain", "1"), []) { DisplayId = "wb-display-9" });
        cell.Outputs.Add(new UpdateDisplayDataOutput("wb-display-9", new MimeBundle().Set("text/plain", "2"), []));
        cell.Outputs.Add(new ClearOutput(true));
        nb.Cells.Add(cell);
        var json = nb.ToJson();
        Assert.Contains("display_data", json, StringComparison.Ordinal);
        Assert.DoesNotContain("update_display_data", json, StringComparison.Ordinal);
        Assert.DoesNotContain("clear_output", json, StringComparison.Ordinal);
        Assert.DoesNotContain("wb-display-9", json, StringComparison.Ordinal);
        Assert.Single(Notebook.Parse(json, "test").Cells[0].Outputs);
    }

    [Fact]
    public async Task Stdout_TenMegabytesInSmallWrites_IsCollectedWhole()
    {
        var session = new NotebookSession();
        var lines = 0;
        var r = await session.ExecuteAsync(
            "for (var i = 0; i < 1_000_000; i++) { Console.Write(\"abcdefghi\"); Console.Write(i % 8 == 7 ? '\\n' : 'x'); }",
            o => lines += o is StreamOutput ? 1 : 0);
        Assert.Equal(CellStatus.Ok, r.Status);
        var expected = new StringBuilder(10_000_000);
        for (var i = 0; i < 1_000_000; i++)
        {
            expected.Append("abcdefghi").Append(i % 8 == 7 ? '\n' : 'x');
        }

        Assert.Equal(expected.ToString(), Assert.IsType<StreamOutput>(Assert.Single(r.Outputs)).Text);
        Assert.Equal(125_000, lines);
    }

    [Fact]
    public void CellSink_TenMillionOneCharacterWrites_MergeIntoOneOutput()
    {
        var sink = new CellSink(null);
        for (var i = 0; i < 10_000_000; i++)
        {
            sink.WriteStream(StreamOutput.StdOut, i % 50 == 49 ? "\n" : "y");
        }

        sink.Close();
        var text = Assert.IsType<StreamOutput>(Assert.Single(sink.Outputs)).Text;
        Assert.Equal(10_000_000, text.Length);
        Assert.Equal(200_000, text.Count(c => c == '\n'));
    }

    [Fact]
    public async Task InlinePlotlyScript_FirstChartOfSessionOnly()
    {
        var session = new NotebookSession(new NotebookSessionOptions { InlinePlotlyScript = true });
        const string Chart = "Plotly.NET.CSharp.Chart.Line<int, int, string>(new[] { 1, 2 }, new[] { 3, 4 })";
        var first = await session.ExecuteAsync(ChartReference + $"display(1);\ndisplay({Chart});");
        Assert.Equal(CellStatus.Ok, first.Status);
        Assert.DoesNotContain("<script", Assert.IsType<DisplayDataOutput>(first.Outputs[0]).Data["text/html"], StringComparison.Ordinal);
        var html = Assert.IsType<DisplayDataOutput>(first.Outputs[1]).Data["text/html"];
        Assert.StartsWith(NotebookCharts.PlotlyScriptElementForNotebooks(), html, StringComparison.Ordinal);
        Assert.Contains(NotebookCharts.FragmentMarker, html, StringComparison.Ordinal);
        var second = await session.ExecuteAsync(Chart);
        var later = Assert.IsType<ExecuteResultOutput>(Assert.Single(second.Outputs)).Data["text/html"];
        Assert.DoesNotContain("(function (define, module, exports)", later, StringComparison.Ordinal);
        Assert.Contains(NotebookCharts.FragmentMarker, later, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InlinePlotlyScript_Default_NoScriptInOutputs()
    {
        var session = new NotebookSession();
        var r = await session.ExecuteAsync(ChartReference + "Plotly.NET.CSharp.Chart.Line<int, int, string>(new[] { 1, 2 }, new[] { 3, 4 })");
        Assert.DoesNotContain("(function (define, module, exports)", Assert.IsType<ExecuteResultOutput>(Assert.Single(r.Outputs)).Data["text/html"], StringComparison.Ordinal);
    }

    [Fact]
    public void PlotlyScriptElementForNotebooks_HidesAmdAndSetsGlobal()
    {
        var script = NotebookCharts.PlotlyScriptElementForNotebooks();
        Assert.StartsWith("<script type=\"text/javascript\">(function (define, module, exports) {\n", script, StringComparison.Ordinal);
        Assert.EndsWith("\n})(undefined, undefined, undefined);</script>", script, StringComparison.Ordinal);
        // plotly's UMD header: CommonJS, else AMD, else the global (self.Plotly) the wrapper makes it take.
        Assert.Contains("define.amd?define([],e):\"object\"==typeof exports?exports.Plotly=e():t.Plotly=e()}(self,", script, StringComparison.Ordinal);
        Assert.DoesNotContain("</script", script[..^"</script>".Length], StringComparison.OrdinalIgnoreCase);
    }
}
