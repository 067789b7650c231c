using Workbench.Notebooks;

namespace Workbench.Tests.Notebooks;

public sealed class NotebookLanguageServiceTests
{
    private static async Task Ok(NotebookSession session, string code)
    {
        var r = await session.ExecuteAsync(code);
        Assert.True(r.Status == CellStatus.Ok, $"{r.Status}: {r.Error?.EValue}");
    }

    private static IReadOnlyList<string> Texts(CompletionResult r) => [.. r.Items.Select(i => i.Text)];

    private static Task<CompletionResult> CompleteAtEnd(NotebookSession session, string code) => session.CompleteAsync(code, code.Length);

    [Fact]
    public async Task Complete_MembersOfVariableFromEarlierCell_AfterDot()
    {
        var session = new NotebookSession();
        await Ok(session, "var list = new List<int>();");
        var r = await CompleteAtEnd(session, "list.");
        Assert.Contains(r.Items, i => i is { Text: "Add", Kind: "method" });
        Assert.Contains(r.Items, i => i is { Text: "Count", Kind: "property" });
        Assert.DoesNotContain(r.Items, i => i.Kind == "keyword");
        Assert.Equal(5, r.Start);
        Assert.Equal(5, r.End);
        Assert.Equal(r.Items.Count, r.Items.Select(i => i.Text).Distinct().Count());
    }

    [Fact]
    public async Task Complete_TypedPrefix_FiltersAndSpansTheIdentifier()
    {
        var session = new NotebookSession();
        await Ok(session, "var list = new List<int>();");
        var code = "var n = list.Cou";
        var r = await CompleteAtEnd(session, code);
        Assert.Equal(["Count", "CountBy"], Texts(r));
        Assert.All(r.Items, i => Assert.StartsWith("cou", i.Text, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(code.Length - 3, r.Start);
        Assert.Equal(code.Length, r.End);
    }

    [Fact]
    public async Task Complete_CursorInsideIdentifier_SpanCoversWholeWord()
    {
        var session = new NotebookSession();
        await Ok(session, "var total = 1;");
        var code = "var y = tot + 1;";
        var r = await session.CompleteAsync(code, 11);
        Assert.Contains("total", Texts(r));
        Assert.Equal(8, r.Start);
        Assert.Equal(11, r.End);
    }

    [Fact]
    public async Task Complete_TypeAndFunctionDeclaredInEarlierCell()
    {
        var session = new NotebookSession();
        await Ok(session, "record Sample(double Value, string Name);\nint Twice(int v) => 2 * v;");
        var types = await CompleteAtEnd(session, "var s = new Sam");
        Assert.Contains(types.Items, i => i is { Text: "Sample", Kind: "class" });
        var members = await CompleteAtEnd(session, "var s = new Sample(1, \"a\");\ns.");
        Assert.Contains("Value", Texts(members));
        Assert.Contains("Name", Texts(members));
        var functions = await CompleteAtEnd(session, "Twi");
        Assert.Contains(functions.Items, i => i is { Text: "Twice", Kind: "method" });
    }

    [Fact]
    public async Task Complete_CellThatFailedToCompile_IsNotSeen()
    {
        var session = new NotebookSession();
        await Ok(session, "var good = 1;");
        Assert.Equal(CellStatus.CompileError, (await session.ExecuteAsync("var bad = undefinedThing;")).Status);
        var r = await CompleteAtEnd(session, "goo");
        Assert.Contains("good", Texts(r));
        Assert.DoesNotContain("bad", Texts(await CompleteAtEnd(session, "ba")));
    }

    [Fact]
    public async Task Complete_NamespacesAfterSystemDot()
    {
        var session = new NotebookSession();
        var r = await CompleteAtEnd(session, "System.");
        Assert.Contains(r.Items, i => i is { Text: "Collections", Kind: "namespace" });
        Assert.Contains(r.Items, i => i is { Text: "Text", Kind: "namespace" });
        Assert.Contains(r.Items, i => i is { Text: "Console", Kind: "class" });
    }

    [Fact]
    public async Task Complete_Globals_AndKeywords()
    {
        var session = new NotebookSession();
        var r = await CompleteAtEnd(session, "disp");
        Assert.Contains(r.Items, i => i is { Text: "display", Kind: "method" });
        Assert.Equal(0, r.Start);
        Assert.Equal(4, r.End);
        var token = await CompleteAtEnd(session, "Cancellation");
        Assert.Contains(token.Items, i => i is { Text: "CancellationToken", Kind: "property" });
        var keywords = await CompleteAtEnd(session, "forea");
        Assert.Contains(keywords.Items, i => i is { Text: "foreach", Kind: "keyword" });
    }

    [Fact]
    public async Task Complete_ReferenceDirectiveInCurrentAndEarlierCells()
    {
        var dir = Directory.CreateTempSubdirectory("wb-lang-ref-").FullName;
        File.Copy(typeof(Workbench.Core.LabeledObservation).Assembly.Location, Path.Combine(dir, "Workbench.Core.dll"));
        var session = new NotebookSession(new NotebookSessionOptions { BaseDirectory = dir });

        // Not yet executed: the #r line of the cell being typed is resolved for completion.
        var code = "#r \"Workbench.Core.dll\"\nusing Workbench.Core;\nvar o = new LabeledObservation(\"s\", default, 1, default);\no.";
        var r = await CompleteAtEnd(session, code);
        Assert.Contains("Series", Texts(r));
        Assert.Contains("Timestamp", Texts(r));
        Assert.Equal(code.Length, r.Start);

        // Executed: later cells see the reference.
        await Ok(session, "#r \"Workbench.Core.dll\"");
        var later = await CompleteAtEnd(session, "Workbench.Core.LabeledObs");
        Assert.Contains(later.Items, i => i is { Text: "LabeledObservation", Kind: "struct" });
    }

    [Fact]
    public async Task Complete_MagicsAreIgnored_MarkdownGivesNothing()
    {
        var session = new NotebookSession();
        await Ok(session, "var list = new List<int>();");
        var code = "#!csharp\n#i \"nuget: https://example.org/v3/index.json\"\nlist.";
        Assert.Contains("Add", Texts(await CompleteAtEnd(session, code)));
        var md = await CompleteAtEnd(session, "#!markdown\nlist.");
        Assert.Empty(md.Items);
    }

    [Fact]
    public async Task Complete_NonAsciiBeforeCursor_OffsetsAreUtf16()
    {
        var session = new NotebookSession();
        await Ok(session, "var list = new List<int>();");
        var code = "var s = \"😀é😀\"; list.Cou";
        Assert.Equal(25, code.Length); // the two emoji are surrogate pairs: 2 UTF-16 units each
        var r = await CompleteAtEnd(session, code);
        Assert.Contains("Count", Texts(r));
        Assert.Equal(code.Length - 3, r.Start);
        Assert.Equal(code.Length, r.End);
        Assert.Equal("Cou", code[r.Start..r.End]);
    }

    [Fact]
    public async Task Complete_CursorOutOfRange_Throws()
    {
        var session = new NotebookSession();
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => session.CompleteAsync("abc", 4));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => session.CompleteAsync("abc", -1));
    }

    [Fact]
    public async Task Inspect_FrameworkMethod_SignatureAndReferencePackDocs()
    {
        var session = new NotebookSession();
        var code = "Console.WriteLine(\"hi\");";
        var r = await session.InspectAsync(code, code.IndexOf("Line", StringComparison.Ordinal));
        Assert.True(r.Found);
        Assert.StartsWith("void Console.WriteLine(string? value)\n\n", r.PlainText, StringComparison.Ordinal);
        Assert.Contains("Writes the specified string value, followed by the current line terminator, to the standard output stream.", r.PlainText, StringComparison.Ordinal);
        Assert.Contains("value: The value to write.", r.PlainText, StringComparison.Ordinal);
        Assert.StartsWith("```csharp\nvoid Console.WriteLine(string? value)\n```", r.Markdown, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspect_MethodGroupAtEndOfWord_ShowsOverloadAndCount()
    {
        var session = new NotebookSession();
        var code = "Console.WriteLine";
        var r = await session.InspectAsync(code, code.Length);
        Assert.True(r.Found);
        Assert.StartsWith("void Console.WriteLine() (+ ", r.PlainText, StringComparison.Ordinal);
        Assert.Contains("Writes the current line terminator to the standard output stream.", r.PlainText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspect_GenericFrameworkMember_CrefsRenderedMinimally()
    {
        var session = new NotebookSession();
        await Ok(session, "var list = new List<int>();");
        var code = "list.Add(1);";
        var r = await session.InspectAsync(code, 6);
        Assert.True(r.Found);
        Assert.StartsWith("void List<int>.Add(int item)\n\nAdds an object to the end of the List<T>.", r.PlainText, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Inspect_VariableFromEarlierCell_ShowsItsType()
    {
        var session = new NotebookSession();
        await Ok(session, "var numbers = new Dictionary<string, int[]>();");
        var r = await session.InspectAsync("numbers", 3);
        Assert.True(r.Found);
        Assert.Equal("Dictionary<string, int[]> numbers", r.PlainText);
    }

    [Fact]
    public async Task Inspect_ReferencedAssembly_DocsFromXmlBesideDll()
    {
        var session = new NotebookSession();
        var path = typeof(Workbench.Core.LabeledObservation).Assembly.Location;
        Assert.True(File.Exists(Path.ChangeExtension(path, ".xml")));
        await Ok(session, $"#r \"{path}\"");
        var code = "Workbench.Core.LabeledObservation";
        var r = await session.InspectAsync(code, code.Length);
        Assert.True(r.Found);
        Assert.StartsWith("readonly struct Workbench.Core.LabeledObservation\n\n", r.PlainText, StringComparison.Ordinal);
        Assert.Contains("Parameters:\n  Series: The series id", r.PlainText, StringComparison.Ordinal);
        Assert.Contains("Timestamp: The instant, always UTC (DateTimeKind.Utc).", r.PlainText, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("var x = 1;  ")]
    [InlineData("var x = 1;\n\n  ")]
    public async Task Inspect_Nothing_NotFound(string code)
    {
        var session = new NotebookSession();
        var r = await session.InspectAsync(code, code.Length);
        Assert.False(r.Found);
        Assert.Equal(string.Empty, r.PlainText);
        Assert.Null(r.Markdown);
    }

    [Theory]
    [InlineData("var x = 1;", CompletenessStatus.Complete, "")]
    [InlineData("Console.WriteLine(1)", CompletenessStatus.Complete, "")]
    [InlineData("", CompletenessStatus.Complete, "")]
    [InlineData("#r \"foo.dll\"", CompletenessStatus.Complete, "")]
    [InlineData("#r \"nuget: Plotly.NET, 6.0.0\"\n#!csharp", CompletenessStatus.Complete, "")]
    [InlineData("#!markdown\n# Title {", CompletenessStatus.Complete, "")]
    [InlineData("for (int i=0;i<3;i++) {", CompletenessStatus.Incomplete, "    ")]
    [InlineData("class C {\n  void M() {", CompletenessStatus.Incomplete, "        ")]
    [InlineData("class C {\n  void M() {}\n", CompletenessStatus.Incomplete, "    ")]
    [InlineData("Console.WriteLine(1,", CompletenessStatus.Incomplete, "")]
    [InlineData("var s = \"\"\"\nraw", CompletenessStatus.Incomplete, "")]
    [InlineData("var s = @\"verbatim", CompletenessStatus.Incomplete, "")]
    [InlineData("/* open comment", CompletenessStatus.Incomplete, "")]
    [InlineData("}", CompletenessStatus.Invalid, "")]
    [InlineData("var x = 1; }", CompletenessStatus.Invalid, "")]
    [InlineData("var x = ;", CompletenessStatus.Invalid, "")]
    [InlineData("var x = 1; )", CompletenessStatus.Invalid, "")]
    public void IsComplete_Cases(string code, CompletenessStatus status, string indent)
    {
        var r = new NotebookSession().IsComplete(code);
        Assert.Equal(new CompletenessResult(status, indent), r);
    }

    [Fact]
    public void IsComplete_UnterminatedRegularString_IsIncompleteAsRoslynSays()
    {
        // A regular string cannot continue on the next line, but Roslyn's interactive check waits for more input; so do we.
        Assert.Equal(new CompletenessResult(CompletenessStatus.Incomplete, string.Empty), new NotebookSession().IsComplete("var s = \"unterminated"));
        Assert.Equal(new CompletenessResult(CompletenessStatus.Incomplete, "    "), new NotebookSession().IsComplete("if (true) {\n  var s = \"unterminated"));
    }

    [Fact]
    public async Task Complete_WhileCellRuns_ServedFromTheStateBeforeIt()
    {
        var session = new NotebookSession();
        await Ok(session, $"#r \"{typeof(LanguageServiceGate).Assembly.Location}\"\nvar before = 1;");
        var gate = new TaskCompletionSource();
        LanguageServiceGate.Current = gate;
        var running = session.ExecuteAsync("var during = 2;\nawait Workbench.Tests.Notebooks.LanguageServiceGate.Current!.Task;");
        try
        {
            var r = await CompleteAtEnd(session, "befo");
            Assert.Contains("before", Texts(r));
            Assert.DoesNotContain("during", Texts(await CompleteAtEnd(session, "duri")));
            Assert.False(running.IsCompleted);
        }
        finally
        {
            gate.SetResult();
        }

        Assert.Equal(CellStatus.Ok, (await running).Status);
        Assert.Contains("during", Texts(await CompleteAtEnd(session, "duri")));
    }
}

/// <summary>Lets a test hold a cell running while it asks for completions.</summary>
public static class LanguageServiceGate
{
    public static TaskCompletionSource? Current { get; set; }
}
