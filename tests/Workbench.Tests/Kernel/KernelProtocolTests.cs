using System.Text;
using System.Text.Json.Nodes;
using Workbench.Kernel;
using Workbench.Tests.Support;

namespace Workbench.Tests.Kernel;

/// <summary>The kernel over real ZeroMQ sockets on loopback, driven by a signing test client.</summary>
public class KernelProtocolTests
{
    private static readonly System.Text.Json.JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Type(JupyterMessage m) =>
        m.MessageType == "status" ? "status:" + m.Content["execution_state"]!.GetValue<string>() : m.MessageType;

    [Fact]
    public async Task Kernel_info_describes_the_csharp_kernel()
    {
        await using var host = KernelHost.Start();
        host.Client.SendShell("kernel_info_request", []);
        var reply = host.Client.ReceiveShell();
        Assert.Equal("kernel_info_reply", reply.MessageType);
        Assert.Equal("5.3", reply.Content["protocol_version"]!.GetValue<string>());
        Assert.Equal("workbench", reply.Content["implementation"]!.GetValue<string>());
        var language = reply.Content["language_info"]!.AsObject();
        Assert.Equal("csharp", language["name"]!.GetValue<string>());
        Assert.Equal(".cs", language["file_extension"]!.GetValue<string>());
        Assert.Equal("text/x-csharp", language["mimetype"]!.GetValue<string>());
        Assert.True(host.Client.Heartbeat(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task Execute_publishes_busy_input_stream_result_idle_in_order_and_counts()
    {
        await using var host = KernelHost.Start();
        var id = host.Client.Execute("var x = 6;\nConsole.WriteLine(\"x is \" + x);\nx * 7");
        var reply = host.Client.ReceiveShell();
        var iopub = host.Client.IOPubUntilIdle(id);
        Assert.Equal("execute_reply", reply.MessageType);
        Assert.Equal("ok", reply.GetString("status"));
        Assert.Equal(1, reply.GetInt("execution_count", -1));
        Assert.Equal(["status:busy", "execute_input", "stream", "execute_result", "status:idle"], iopub.Select(Type));
        Assert.Equal("x is 6\n", iopub[2].GetString("text"));
        Assert.Equal("stdout", iopub[2].GetString("name"));
        Assert.Equal("42", iopub[3].Content["data"]!["text/plain"]!.GetValue<string>());
        Assert.Equal(1, iopub[3].GetInt("execution_count", -1));
        Assert.Equal(reply.ParentHeader["msg_id"]!.GetValue<string>(), id);

        // State carries over; the count goes up only for stored executions.
        host.Client.Execute("x + 1");
        Assert.Equal(2, host.Client.ReceiveShell().GetInt("execution_count", -1));
        var silent = host.Client.Execute("Console.WriteLine(\"quiet\"); x = 10;", silent: true);
        var silentReply = host.Client.ReceiveShell();
        Assert.Equal(2, silentReply.GetInt("execution_count", -1));
        Assert.Equal(["status:busy", "status:idle"], host.Client.IOPubUntilIdle(silent).Select(Type));
        host.Client.Execute("x", storeHistory: false);
        Assert.Equal(2, host.Client.ReceiveShell().GetInt("execution_count", -1));
        var third = host.Client.Execute("x");
        Assert.Equal(3, host.Client.ReceiveShell().GetInt("execution_count", -1));
        var result = host.Client.IOPubUntilIdle(third).Single(m => m.MessageType == "execute_result");
        Assert.Equal("10", result.Content["data"]!["text/plain"]!.GetValue<string>());
    }

    [Fact]
    public async Task Errors_carry_the_cell_relative_position_and_the_kernel_stays_usable()
    {
        await using var host = KernelHost.Start();
        var id = host.Client.Execute("var y = 1;\nthrow new InvalidOperationException(\"boom\");");
        var reply = host.Client.ReceiveShell();
        Assert.Equal("error", reply.GetString("status"));
        Assert.Equal("InvalidOperationException", reply.GetString("ename"));
        Assert.Equal("boom", reply.GetString("evalue"));
        var error = Assert.Single(host.Client.IOPubUntilIdle(id), m => m.MessageType == "error");
        Assert.Contains("(cell line 2, col 1)", error.Content["traceback"]![0]!.GetValue<string>(), StringComparison.Ordinal);

        var compile = host.Client.Execute("var z = ;");
        var compileReply = host.Client.ReceiveShell();
        Assert.Equal("CompilationError", compileReply.GetString("ename"));
        Assert.StartsWith("(line 1, col 9)", compileReply.Content["traceback"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        host.Client.IOPubUntilIdle(compile);

        host.Client.Execute("y + 1");
        Assert.Equal("ok", host.Client.ReceiveShell().GetString("status"));
    }

    [Fact]
    public async Task Stop_on_error_aborts_the_requests_queued_behind_a_failing_cell()
    {
        using var temp = new TempDirectory();
        var flag = temp.File("go");
        await using var host = KernelHost.Start();
        var code = $"while (!System.IO.File.Exists(@\"{flag}\")) await Task.Delay(5); throw new Exception(\"first fails\");";
        host.Client.Execute(code);
        host.Client.Execute($"System.IO.File.WriteAllText(@\"{temp.File("ran")}\", \"2\");");
        host.Client.Execute("1 + 1", stopOnError: false);
        await WaitUntil(() => host.Kernel.QueuedShellRequests == 2, "two requests queued behind the running cell");
        await File.WriteAllTextAsync(flag, "go");

        Assert.Equal("error", host.Client.ReceiveShell().GetString("status"));
        Assert.Equal("aborted", host.Client.ReceiveShell().GetString("status"));
        Assert.Equal("aborted", host.Client.ReceiveShell().GetString("status"));
        Assert.False(File.Exists(temp.File("ran")));

        // Later requests run again.
        host.Client.Execute("2 + 2");
        Assert.Equal("ok", host.Client.ReceiveShell().GetString("status"));
    }

    [Fact]
    public async Task Messages_with_a_wrong_missing_or_forged_signature_are_rejected_logged_and_never_run()
    {
        using var temp = new TempDirectory();
        var target = temp.File("pwned");
        await using var host = KernelHost.Start();
        var attack = host.Client.Request("execute_request", new JsonObject { ["code"] = $"System.IO.File.WriteAllText(@\"{target}\", \"x\");", ["silent"] = false });

        var wrongKey = new WireCodec(new MessageSigner("hmac-sha256", "not-the-key"));
        host.Client.SendRawShell(wrongKey.Encode(attack with { Identities = [] }));

        var unsigned = host.Client.Encode(attack with { Identities = [] });
        unsigned[1] = [];
        host.Client.SendRawShell(unsigned);
        var tampered = host.Client.Encode(attack with { Identities = [] });
        tampered[^1] = Encoding.UTF8.GetBytes($$"""{"code":"System.IO.File.WriteAllText(@\"{{target.Replace("\\", "\\\\", StringComparison.Ordinal)}}\", \"y\");"}""");
        host.Client.SendRawShell(tampered);
        host.Client.SendRawShell([WireCodec.Delimiter, "sig"u8.ToArray()]);

        // The kernel answers the next valid request, and it is the first reply to arrive.
        host.Client.SendShell("kernel_info_request", []);
        Assert.Equal("kernel_info_reply", host.Client.ReceiveShell().MessageType);
        Assert.False(host.Client.TryReceiveShell(TimeSpan.FromMilliseconds(300), out _));
        Assert.False(File.Exists(target));
        Assert.Equal(4, host.Kernel.RejectedMessages);
        Assert.Contains("signature is wrong", host.Log, StringComparison.Ordinal);
        Assert.Contains("unsigned", host.Log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Ten_megabytes_of_stdout_arrive_complete_in_order_and_coalesced()
    {
        await using var host = KernelHost.Start();
        var id = host.Client.Execute("var line = new string('x', 99);\nfor (var i = 0; i < 100_000; i++) { Console.WriteLine(line); }\nConsole.Error.WriteLine(\"done\");");
        Assert.Equal("ok", host.Client.ReceiveShell(TimeSpan.FromSeconds(120)).GetString("status"));
        var messages = host.Client.IOPubUntilIdle(id, TimeSpan.FromSeconds(120));
        var streams = messages.Where(m => m.MessageType == "stream").ToList();
        var stdout = string.Concat(streams.Where(m => m.GetString("name") == "stdout").Select(m => m.GetString("text")));
        Assert.Equal(10_000_000, stdout.Length);
        Assert.Equal(string.Concat(Enumerable.Repeat(new string('x', 99) + "\n", 100_000)), stdout);
        Assert.Equal("stderr", streams[^1].GetString("name"));
        Assert.Equal("done\n", streams[^1].GetString("text"));
        Assert.InRange(streams.Count, 2, 1000);
        Assert.All(streams, m => Assert.InRange(m.GetString("text").Length, 1, IOPubStreams.MaxChunk));
    }

    [Fact]
    public async Task History_comm_info_and_comm_open_are_answered()
    {
        await using var host = KernelHost.Start();
        host.Client.Execute("var a = 1;");
        host.Client.ReceiveShell();
        host.Client.Execute("a + 1");
        host.Client.ReceiveShell();
        host.Client.SendShell("history_request", new JsonObject { ["hist_access_type"] = "tail", ["n"] = 5, ["output"] = true, ["raw"] = true });
        var history = host.Client.ReceiveShell();
        Assert.Equal("""[[1,1,["var a = 1;",null]],[1,2,["a + 1","2"]]]""", history.Content["history"]!.ToJsonString(Relaxed));

        host.Client.SendShell("comm_info_request", []);
        Assert.Equal("{}", host.Client.ReceiveShell().Content["comms"]!.ToJsonString());
        var open = host.Client.SendShell("comm_open", new JsonObject { ["comm_id"] = "c1", ["target_name"] = "jupyter.widget", ["data"] = new JsonObject() });
        var close = Assert.Single(host.Client.IOPubUntilIdle(open), m => m.MessageType == "comm_close");
        Assert.Equal("c1", close.GetString("comm_id"));
    }

    [Fact]
    public async Task Two_kernels_run_side_by_side_with_separate_state()
    {
        await using var one = KernelHost.Start();
        await using var two = KernelHost.Start();
        one.Client.Execute("var who = \"one\";");
        two.Client.Execute("var who = \"two\";");
        Assert.Equal("ok", one.Client.ReceiveShell().GetString("status"));
        Assert.Equal("ok", two.Client.ReceiveShell().GetString("status"));
        var a = one.Client.Execute("who");
        var b = two.Client.Execute("who");
        one.Client.ReceiveShell();
        two.Client.ReceiveShell();
        Assert.Equal("one", one.Client.IOPubUntilIdle(a).Single(m => m.MessageType == "execute_result").Content["data"]!["text/plain"]!.GetValue<string>());
        Assert.Equal("two", two.Client.IOPubUntilIdle(b).Single(m => m.MessageType == "execute_result").Content["data"]!["text/plain"]!.GetValue<string>());
    }

    [Fact]
    public async Task Shutdown_on_control_replies_with_the_restart_flag_and_stops_the_kernel()
    {
        await using var host = KernelHost.Start();
        host.Client.SendControl("shutdown_request", new JsonObject { ["restart"] = true });
        var reply = host.Client.ReceiveControl();
        Assert.Equal("shutdown_reply", reply.MessageType);
        Assert.True(reply.GetBool("restart", false));
        Assert.True(await host.Run.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    private static async Task WaitUntil(Func<bool> condition, string what)
    {
        var deadline = TimeProvider.System.GetTimestamp() + (30 * TimeProvider.System.TimestampFrequency);
        while (!condition())
        {
            if (TimeProvider.System.GetTimestamp() > deadline)
            {
                throw new TimeoutException("timed out waiting for " + what);
            }

            await Task.Yield();
            await Task.Delay(5);
        }
    }
}
