using Workbench.Notebooks;

namespace Workbench.Tests.Notebooks;

public sealed class NotebookSessionInputTests
{
    [Fact]
    public async Task ReadLine_WithReadInput_ReturnsAnswerAndTakesPromptOutOfStdout()
    {
        var session = new NotebookSession();
        var requests = new List<InputRequest>();
        var seen = new List<NotebookOutput>();
        var r = await session.ExecuteAsync(
            "Console.WriteLine(\"start\");\nConsole.Write(\"Name: \");\nvar name = Console.ReadLine();\nConsole.WriteLine($\"hi {name}\");\nname",
            new CellExecutionOptions
            {
                OnOutput = seen.Add,
                ReadInput = (request, _) =>
                {
                    requests.Add(request);
                    return "Ada";
                },
            });
        Assert.Equal(CellStatus.Ok, r.Status);
        Assert.Equal([new InputRequest("Name: ", false)], requests);
        Assert.Equal(new StreamOutput("stdout", "start\nhi Ada\n"), r.Outputs[0]);
        Assert.Contains("Ada", Assert.IsType<ExecuteResultOutput>(r.Outputs[1]).Data["text/plain"], StringComparison.Ordinal);
        Assert.DoesNotContain(seen, o => o is StreamOutput s && s.Text.Contains("Name", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Read_CharactersThenRestOfLine_AndNullAtEndOfInput()
    {
        var session = new NotebookSession();
        var answers = new Queue<string?>(["xyz", null]);
        var r = await session.ExecuteAsync(
            "var c = (char)Console.Read();\nvar rest = Console.ReadLine();\nvar end = Console.ReadLine();\n$\"{c}|{rest}|{end is null}\"",
            new CellExecutionOptions { ReadInput = (_, _) => answers.Dequeue() });
        Assert.Equal(CellStatus.Ok, r.Status);
        Assert.Contains("x|yz|True", Assert.IsType<ExecuteResultOutput>(Assert.Single(r.Outputs)).Data["text/plain"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadLine_WithoutReadInput_ThrowsClearError()
    {
        var session = new NotebookSession();
        var r = await session.ExecuteAsync("Console.Write(\"Name: \");\nvar name = Console.ReadLine();");
        Assert.Equal(CellStatus.RuntimeError, r.Status);
        Assert.Equal("InvalidOperationException", r.Error!.EName);
        Assert.Contains("this front end does not allow input", r.Error.EValue, StringComparison.Ordinal);
        Assert.Equal(2, r.Error.Position?.Line);
        Assert.Equal(new StreamOutput("stdout", "Name: "), r.Outputs[0]);
    }

    [Fact]
    public async Task ReadInput_IsCancelledByInterrupt()
    {
        var session = new NotebookSession();
        var asked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = session.ExecuteAsync(
            "var kept = 5;\nvar line = Console.ReadLine();",
            new CellExecutionOptions
            {
                ReadInput = (_, token) =>
                {
                    asked.TrySetResult();
                    token.WaitHandle.WaitOne();
                    token.ThrowIfCancellationRequested();
                    return "never";
                },
            });
        await asked.Task;
        session.Interrupt();
        var r = await running;
        Assert.Equal(CellStatus.Interrupted, r.Status);
        Assert.False(session.IsBroken);
        var after = await session.ExecuteAsync("kept");
        Assert.Equal("5", Assert.IsType<ExecuteResultOutput>(Assert.Single(after.Outputs)).Data["text/plain"]);
    }
}
