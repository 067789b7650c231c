using System.Text.Json.Nodes;

namespace Workbench.Tests.Kernel;

/// <summary>Interrupt, stdin, completion, inspection, completeness and display updates over the real sockets.</summary>
public class KernelInteractiveTests
{
    [Fact]
    public async Task Interrupt_on_control_stops_a_tight_loop_and_keeps_the_variables()
    {
        await using var host = KernelHost.Start();
        var id = host.Client.Execute("var before = 5;\nConsole.WriteLine(\"started\");\nwhile (true) { }");
        // Interrupt only once the loop is certainly running: its first line has reached iopub.
        host.Client.WaitForStream(id, "started");
        host.Client.SendControl("interrupt_request", []);
        Assert.Equal("interrupt_reply", host.Client.ReceiveControl().MessageType);
        var reply = host.Client.ReceiveShell();
        Assert.Equal("error", reply.GetString("status"));
        Assert.Equal("CellInterruptedException", reply.GetString("ename"));

        var after = host.Client.Execute("before * 2");
        Assert.Equal("ok", host.Client.ReceiveShell().GetString("status"));
        Assert.Equal("10", host.Client.IOPubUntilIdle(after).Single(m => m.MessageType == "execute_result").Content["data"]!["text/plain"]!.GetValue<string>());

        // Interrupting an idle kernel is harmless.
        host.Client.SendControl("interrupt_request", []);
        Assert.Equal("ok", host.Client.ReceiveControl().GetString("status"));
    }

    [Fact]
    public async Task Console_ReadLine_asks_the_front_end_on_stdin_when_it_allows_input()
    {
        await using var host = KernelHost.Start();
        var id = host.Client.Execute("Console.Write(\"name? \");\nvar name = Console.ReadLine();\nConsole.WriteLine(\"hi \" + name);", allowStdin: true);
        var request = host.Client.ReceiveStdin();
        Assert.Equal("input_request", request.MessageType);
        Assert.Equal("name? ", request.GetString("prompt"));
        Assert.False(request.GetBool("password", true));
        host.Client.SendStdin("input_reply", new JsonObject { ["value"] = "bob" }, request);
        Assert.Equal("ok", host.Client.ReceiveShell().GetString("status"));
        var text = string.Concat(host.Client.IOPubUntilIdle(id).Where(m => m.MessageType == "stream").Select(m => m.GetString("text")));
        Assert.EndsWith("hi bob\n", text, StringComparison.Ordinal);

        // Without allow_stdin the cell gets a clear error instead of hanging.
        host.Client.Execute("Console.ReadLine()", allowStdin: false);
        var refused = host.Client.ReceiveShell();
        Assert.Equal("error", refused.GetString("status"));
        Assert.Contains("input", refused.GetString("evalue"), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task An_interrupt_ends_a_pending_input_request()
    {
        await using var host = KernelHost.Start();
        host.Client.Execute("var line = Console.ReadLine();", allowStdin: true);
        Assert.Equal("input_request", host.Client.ReceiveStdin().MessageType);
        host.Client.SendControl("interrupt_request", []);
        host.Client.ReceiveControl();
        Assert.Equal("error", host.Client.ReceiveShell().GetString("status"));
        host.Client.Execute("1 + 1");
        Assert.Equal("ok", host.Client.ReceiveShell().GetString("status"));
    }

    [Fact]
    public async Task Completion_uses_session_state_and_counts_code_points()
    {
        await using var host = KernelHost.Start();
        host.Client.Execute("var numbers = new List<int> { 1, 2 };");
        host.Client.ReceiveShell();

        // The emoji is two UTF-16 units but one code point: cursor positions are code points.
        var code = "var s = \"😀\"; numbers.Cou";
        host.Client.SendShell("complete_request", new JsonObject { ["code"] = code, ["cursor_pos"] = code.EnumerateRunes().Count() });
        var reply = host.Client.ReceiveShell();
        Assert.Equal("ok", reply.GetString("status"));
        var matches = reply.Content["matches"]!.AsArray().Select(m => m!.GetValue<string>()).ToList();
        Assert.Contains("Count", matches);
        Assert.Equal(code.EnumerateRunes().Count() - 3, reply.GetInt("cursor_start", -1));
        Assert.Equal(code.EnumerateRunes().Count(), reply.GetInt("cursor_end", -1));
        Assert.NotEmpty(reply.Content["metadata"]!["_jupyter_types_experimental"]!.AsArray());
    }

    [Fact]
    public async Task Inspect_and_is_complete_answer_from_the_language_service()
    {
        await using var host = KernelHost.Start();
        host.Client.SendShell("inspect_request", new JsonObject { ["code"] = "Console.WriteLine", ["cursor_pos"] = 17, ["detail_level"] = 0 });
        var inspect = host.Client.ReceiveShell();
        Assert.True(inspect.GetBool("found", false));
        Assert.Contains("WriteLine", inspect.Content["data"]!["text/plain"]!.GetValue<string>(), StringComparison.Ordinal);

        host.Client.SendShell("is_complete_request", new JsonObject { ["code"] = "for (var i = 0; i < 3; i++) {" });
        var incomplete = host.Client.ReceiveShell();
        Assert.Equal("incomplete", incomplete.GetString("status"));
        Assert.Equal("    ", incomplete.GetString("indent"));
        host.Client.SendShell("is_complete_request", new JsonObject { ["code"] = "var x = 1;" });
        Assert.Equal("complete", host.Client.ReceiveShell().GetString("status"));
        host.Client.SendShell("is_complete_request", new JsonObject { ["code"] = "var x = 1; }" });
        Assert.Equal("invalid", host.Client.ReceiveShell().GetString("status"));
    }

    [Fact]
    public async Task Display_handles_update_in_place_and_clear_output_is_forwarded()
    {
        await using var host = KernelHost.Start();
        var id = host.Client.Execute("var h = display(\"first\");\nh.Update(\"second\");\nclear_output(wait: true);");
        Assert.Equal("ok", host.Client.ReceiveShell().GetString("status"));
        var iopub = host.Client.IOPubUntilIdle(id);
        var display = Assert.Single(iopub, m => m.MessageType == "display_data");
        var update = Assert.Single(iopub, m => m.MessageType == "update_display_data");
        var displayId = display.Content["transient"]!["display_id"]!.GetValue<string>();
        Assert.Equal(displayId, update.Content["transient"]!["display_id"]!.GetValue<string>());
        Assert.Contains("second", update.Content["data"]!["text/plain"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(Assert.Single(iopub, m => m.MessageType == "clear_output").GetBool("wait", false));
        Assert.DoesNotContain(iopub, m => m.MessageType == "execute_result");
    }

    [Fact]
    public async Task A_chart_carries_the_plotly_mime_type_and_the_first_one_brings_plotly_js()
    {
        await using var host = KernelHost.Start();
        var refs = string.Join('\n', new[] { "Plotly.NET.dll", "Plotly.NET.CSharp.dll" }.Select(d => $"#r \"{Path.Combine(AppContext.BaseDirectory, d)}\""));
        var chart = "Plotly.NET.CSharp.Chart.Line<int, int, string>(x: new[] { 1, 2, 3 }, y: new[] { 3, 1, 2 })";
        var first = host.Client.Execute(refs + "\n" + chart);
        Assert.Equal("ok", host.Client.ReceiveShell().GetString("status"));
        var result = host.Client.IOPubUntilIdle(first).Single(m => m.MessageType == "execute_result");
        Assert.NotNull(result.Content["data"]!["application/vnd.plotly.v1+json"]!["data"]);
        var html = result.Content["data"]!["text/html"]!.GetValue<string>();
        Assert.Contains("Plotly.newPlot(", html, StringComparison.Ordinal);
        Assert.True(html.Length > 1_000_000, "the first chart's HTML embeds plotly.js");

        var second = host.Client.Execute(chart);
        host.Client.ReceiveShell();
        var again = host.Client.IOPubUntilIdle(second).Single(m => m.MessageType == "execute_result").Content["data"]!["text/html"]!.GetValue<string>();
        Assert.True(again.Length < 100_000, "later charts do not repeat plotly.js");
    }
}
