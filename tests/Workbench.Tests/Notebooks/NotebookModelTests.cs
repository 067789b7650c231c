using Workbench.Notebooks;

namespace Workbench.Tests.Notebooks;

public sealed class NotebookModelTests
{
    [Fact]
    public void RoundTrip_JupyterLayout_IsByteIdentical()
    {
        var path = NotebookPaths.Fixture("roundtrip.ipynb");
        var text = File.ReadAllText(path);
        var nb = Notebook.Load(path);
        Assert.Equal(text, nb.ToJson());
    }

    [Fact]
    public void Load_ReadsCellsOutputsAndMetadata()
    {
        var nb = Notebook.Load(NotebookPaths.Fixture("roundtrip.ipynb"));
        Assert.Equal(3, nb.Cells.Count);
        Assert.Equal(NotebookCellType.Markdown, nb.Cells[0].CellType);
        Assert.StartsWith("# Round trip\nÜnïcödé", nb.Cells[0].Source, StringComparison.Ordinal);
        var code = nb.Cells[1];
        Assert.Equal("csharp", code.KernelName);
        Assert.Equal("var x = 1;\nx", code.Source);
        Assert.Equal(3, code.ExecutionCount);
        Assert.Equal(new StreamOutput("stdout", "line 1\nline 2\n"), code.Outputs[0]);
        var display = Assert.IsType<DisplayDataOutput>(code.Outputs[1]);
        Assert.Equal("<b>42</b>", display.Data["text/html"]);
        Assert.Equal("{\"a\":[1,2.5,null,true]}", display.Data["application/json"]);
        Assert.Equal(3, Assert.IsType<ExecuteResultOutput>(code.Outputs[2]).ExecutionCount);
        Assert.Equal(["at a", "at b"], Assert.IsType<ErrorOutput>(code.Outputs[3]).Traceback);
        Assert.Equal(".net-csharp", nb.Metadata["kernelspec"]!["name"]!.GetValue<string>());
    }

    [Fact]
    public void Write_NewNotebook_HasPolyglotMetadataAndLineArrays()
    {
        var nb = Notebook.CreateCSharp();
        nb.Cells.Add(NotebookCell.CSharp("var a = 1;\nvar b = 2;\n"));
        var json = nb.ToJson();
        Assert.Contains("\"source\": [\n    \"var a = 1;\\n\",\n    \"var b = 2;\\n\"\n   ]", json, StringComparison.Ordinal);
        Assert.Contains("\"defaultKernelName\": \"csharp\"", json, StringComparison.Ordinal);
        Assert.Contains("\"kernelName\": \"csharp\"", json, StringComparison.Ordinal);
        Assert.Equal("workbench-csharp", nb.Metadata["kernelspec"]!["name"]!.GetValue<string>());
        Assert.Equal("csharp", nb.Metadata["language_info"]!["name"]!.GetValue<string>());
        Assert.Equal(json, Notebook.Parse(json, "x").ToJson());
    }

    [Theory]
    [InlineData("not json", null, "not valid JSON")]
    [InlineData("[]", null, "top level must be a JSON object")]
    [InlineData("{\"nbformat\":3,\"nbformat_minor\":0,\"cells\":[]}", null, "nbformat 3 is not supported")]
    [InlineData("{\"nbformat\":4,\"nbformat_minor\":4}", null, "'cells' must be an array")]
    [InlineData("{\"nbformat\":4,\"nbformat_minor\":4,\"cells\":[{\"cell_type\":\"code\",\"source\":[\"a\"]},{\"cell_type\":\"code\",\"source\":5}]}", 2, "'source' must be a string or an array of strings")]
    [InlineData("{\"nbformat\":4,\"nbformat_minor\":4,\"cells\":[{\"cell_type\":\"sql\",\"source\":\"\"}]}", 1, "unknown cell_type 'sql'")]
    [InlineData("{\"nbformat\":4,\"nbformat_minor\":4,\"cells\":[{\"cell_type\":\"code\",\"source\":\"\",\"outputs\":[{\"output_type\":\"weird\"}]}]}", 1, "output 1: unknown output_type 'weird'")]
    public void Parse_Malformed_NamesFileAndCell(string json, int? cell, string problem)
    {
        var e = Assert.Throws<NotebookFormatException>(() => Notebook.Parse(json, "bad.ipynb"));
        Assert.Equal(cell, e.Cell);
        Assert.StartsWith(cell is null ? "bad.ipynb: " : $"bad.ipynb: cell {cell}: ", e.Message, StringComparison.Ordinal);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }
}
