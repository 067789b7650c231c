using System.Diagnostics;
using Workbench.Notebooks;
using Workbench.Tests.Cli;

namespace Workbench.Tests.Notebooks;

public sealed class NotebookCommandTests
{
    [Fact]
    public async Task Run_Success_WritesExecutedNotebookAndHtml()
    {
        var outDir = Directory.CreateTempSubdirectory("wb-nb-run-").FullName;
        var r = await CliRunner.RunAsync("notebook", "run", NotebookPaths.Fixture("hello.ipynb"), "--out", outDir, "--json");
        Assert.True(r.ExitCode == 0, r.Error);
        var summary = r.Json()[0];
        Assert.Equal("ok", summary.GetProperty("status").GetString());
        Assert.Equal(3, summary.GetProperty("cells").GetInt32());
        Assert.Equal(3, summary.GetProperty("cellsRun").GetInt32());
        var executed = Notebook.Load(Path.Combine(outDir, "hello.ipynb"));
        Assert.Equal([null, 1, 2, 3], executed.Cells.Select(c => c.ExecutionCount));
        Assert.Equal(new StreamOutput("stdout", "hi <there>\n"), Assert.Single(executed.Cells[1].Outputs));
        Assert.Equal("49", Assert.IsType<DisplayDataOutput>(executed.Cells[2].Outputs[0]).Data["text/plain"]);
        Assert.Equal("9", Assert.IsType<ExecuteResultOutput>(executed.Cells[2].Outputs[1]).Data["text/plain"]);
        Assert.Equal(new StreamOutput("stderr", "warn\n"), executed.Cells[3].Outputs[0]);
        Assert.Equal("6", Assert.IsType<ExecuteResultOutput>(executed.Cells[3].Outputs[1]).Data["text/plain"]);
        var html = await File.ReadAllTextAsync(Path.Combine(outDir, "hello.html"));
        Assert.Contains("hi &lt;there&gt;", html, StringComparison.Ordinal);
        Assert.Contains("<code>&lt;script&gt;</code>", html, StringComparison.Ordinal);
        // The source notebook is untouched.
        Assert.All(Notebook.Load(NotebookPaths.Fixture("hello.ipynb")).Cells, c => Assert.Empty(c.Outputs));
    }

    [Fact]
    public async Task Run_CompileError_StopsWithCellAndPosition()
    {
        var outDir = Directory.CreateTempSubdirectory("wb-nb-fail-").FullName;
        var path = NotebookPaths.Fixture("failing.ipynb");
        var r = await CliRunner.RunAsync("notebook", "run", path, "--out", outDir);
        Assert.Equal(1, r.ExitCode);
        Assert.Matches(@"failing\.ipynb: cell 3 \(line 2, col 11\): CS0103: The name 'notDefined' does not exist in the current context", r.Error);
        var executed = Notebook.Load(Path.Combine(outDir, "failing.ipynb"));
        Assert.IsType<ErrorOutput>(Assert.Single(executed.Cells[2].Outputs));
        Assert.Null(executed.Cells[3].ExecutionCount);
    }

    [Fact]
    public async Task Run_MissingFile_IsOneLineError()
    {
        var r = await CliRunner.RunAsync("notebook", "run", Path.Combine(Path.GetTempPath(), "no-such-notebook.ipynb"), "--out", Path.Combine(Path.GetTempPath(), "wb-notebook-out"));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("no-such-notebook.ipynb: cannot read", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_IntoTheNotebooksOwnFolder_IsRefused_BeforeTheNotebookIsOverwritten()
    {
        using var dir = new Workbench.Tests.Support.TempDirectory();
        var notebook = dir.File("hello.ipynb");
        File.Copy(NotebookPaths.Fixture("hello.ipynb"), notebook);
        var before = await File.ReadAllTextAsync(notebook);
        var r = await CliRunner.RunAsync("notebook", "run", notebook, "--out", dir.Path);
        Assert.Equal(1, r.ExitCode);
        Assert.Contains($"--out '{notebook}' is the same file as the input", r.Error, StringComparison.Ordinal);
        Assert.Equal(before, await File.ReadAllTextAsync(notebook));
    }

    [Fact]
    public async Task Run_BadTimeout_IsUsageError()
    {
        var r = await CliRunner.RunAsync("notebook", "run", NotebookPaths.Fixture("hello.ipynb"), "--timeout", "0");
        Assert.Equal(2, r.ExitCode);
        Assert.Contains("--timeout must be a positive", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_WorkbenchNotebook_LoadsNotebookLibAndBindsHostAssembly()
    {
        var result = await NotebookRunner.RunAsync(NotebookPaths.Fixture("workbench.ipynb"));
        Assert.True(result.Succeeded, result.FailureMessage);
        var cell = result.Executed.Cells[2];
        Assert.Equal(new StreamOutput("stdout", "sum=5\n"), cell.Outputs[0]);
        Assert.Equal(Workbench.Core.WorkbenchInfo.Version, Assert.IsType<DisplayDataOutput>(cell.Outputs[1]).Data["text/plain"]);
        Assert.Contains("Y: 40", Assert.IsType<ExecuteResultOutput>(Assert.Single(result.Executed.Cells[3].Outputs)).Data["text/plain"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_WorkbenchNotebook_RunsAsFileBasedApp()
    {
        var dir = Directory.CreateTempSubdirectory("wb-nb-export-").FullName;
        var app = Path.Combine(dir, "workbench.cs");
        var r = await CliRunner.RunAsync("notebook", "export", NotebookPaths.Fixture("workbench.ipynb"), "--out", app);
        Assert.True(r.ExitCode == 0, r.Error);
        var text = await File.ReadAllTextAsync(app);
        Assert.Contains("#:project " + Path.GetRelativePath(dir, Path.Combine(NotebookPaths.RepoRoot, "src", "Workbench.Core", "Workbench.Core.csproj")), text, StringComparison.Ordinal);
        Assert.Contains("// ## Use Workbench", text, StringComparison.Ordinal);
        Assert.Contains("display((p with { Y = 40 }));", text, StringComparison.Ordinal);

        var start = new ProcessStartInfo("dotnet", ["run", app])
        {
            WorkingDirectory = dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, await stdout + await stderr);
        // A first build may print restore warnings before the app's own output.
        Assert.EndsWith($"\nsum=5\n{Workbench.Core.WorkbenchInfo.Version}\nPoint {{ X = 2, Y = 40 }}\n", "\n" + (await stdout).ReplaceLineEndings("\n"), StringComparison.Ordinal);
    }

    [Fact]
    public void Export_ForeignReference_IsError()
    {
        var nb = Notebook.CreateCSharp();
        nb.Cells.Add(NotebookCell.CSharp("#r \"/opt/other/Thing.dll\""));
        var e = Assert.Throws<NotebookExportException>(() => FileBasedAppExporter.Export(nb, "/tmp/x.ipynb", "/tmp/x.cs"));
        Assert.Contains("x.ipynb: cell 1", e.Message, StringComparison.Ordinal);
        Assert.Contains("Thing.dll", e.Message, StringComparison.Ordinal);
    }
}
