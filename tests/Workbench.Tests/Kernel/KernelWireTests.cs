using System.Text;
using System.Text.Json.Nodes;
using Workbench.Kernel;

namespace Workbench.Tests.Kernel;

public class KernelWireTests
{
    private static readonly System.Text.Json.JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly byte[] Header = """{"msg_type":"execute_request"}"""u8.ToArray();
    private static readonly byte[] Empty = "{}"u8.ToArray();
    private static readonly byte[] Content = """{"code":"1+1"}"""u8.ToArray();

    [Theory]
    // Reference values from Python's hmac module over the same four frames.
    [InlineData("hmac-sha256", "68eacc1e989c614dc43830517ded9068873ba131424ae9641d6330d921867075")]
    [InlineData("hmac-sha512", "302778ea1017ded5e30bcd311db5309e1f75f5e54cbc0efe52bbec34a862b6e69c328905a798b88a0092879e34d8a9938ca9c01e8e194a798c5848628fe0663c")]
    public void Signature_matches_the_python_hmac_of_the_four_frames(string scheme, string expected)
    {
        var signer = new MessageSigner(scheme, "secret-key");
        Assert.Equal(expected, signer.Sign(Header, Empty, Empty, Content));
        Assert.True(signer.Verify(Encoding.ASCII.GetBytes(expected), Header, Empty, Empty, Content));
        Assert.False(signer.Verify(Encoding.ASCII.GetBytes(expected.ToUpperInvariant()), Header, Empty, Empty, Content));
        Assert.False(signer.Verify([], Header, Empty, Empty, Content));
        Assert.False(signer.Verify(Encoding.ASCII.GetBytes(expected), Header, Empty, Empty, """{"code":"2+2"}"""u8));
    }

    [Fact]
    public void Signer_refuses_an_empty_key_and_unknown_schemes()
    {
        Assert.Throws<ArgumentException>(() => new MessageSigner("hmac-sha256", ""));
        Assert.Throws<ArgumentException>(() => new MessageSigner("hmac-md5", "k"));
    }

    [Fact]
    public void Codec_round_trips_identities_buffers_and_unicode()
    {
        var codec = new WireCodec(new MessageSigner("hmac-sha256", "k"));
        var message = JupyterMessage.Create("execute_request", new JsonObject { ["code"] = "var s = \"ü😀\";" }, null, "session-1", TimeProvider.System.GetUtcNow(), [[1, 2, 3], "abc"u8.ToArray()])
            with { Buffers = [[9, 9]] };
        var frames = codec.Encode(message);
        Assert.Equal(2 + 1 + 5 + 1, frames.Count);
        var decoded = codec.Decode(frames);
        Assert.Equal(message.Identities, decoded.Identities);
        Assert.Equal("var s = \"ü😀\";", decoded.GetString("code"));
        Assert.Equal("execute_request", decoded.MessageType);
        Assert.Equal("5.3", decoded.Header["version"]!.GetValue<string>());
        Assert.Equal([9, 9], Assert.Single(decoded.Buffers));
    }

    [Theory]
    [InlineData(3)] // header
    [InlineData(4)] // parent header
    [InlineData(5)] // metadata
    [InlineData(6)] // content
    public void Codec_rejects_a_message_with_any_signed_frame_changed(int frame)
    {
        var codec = new WireCodec(new MessageSigner("hmac-sha256", "k"));
        var frames = codec.Encode(JupyterMessage.Create("execute_request", new JsonObject { ["code"] = "1" }, null, "s", TimeProvider.System.GetUtcNow(), [[7]]));
        frames[frame] = [.. frames[frame], (byte)' '];
        var e = Assert.Throws<InvalidMessageException>(() => codec.Decode(frames));
        Assert.True(e.IsSignatureProblem);
    }

    [Fact]
    public void Codec_rejects_a_message_signed_with_another_key_unsigned_or_malformed()
    {
        var ours = new WireCodec(new MessageSigner("hmac-sha256", "right"));
        var theirs = new WireCodec(new MessageSigner("hmac-sha256", "wrong"));
        var message = JupyterMessage.Create("execute_request", new JsonObject { ["code"] = "1" }, null, "s", TimeProvider.System.GetUtcNow());
        Assert.True(Assert.Throws<InvalidMessageException>(() => ours.Decode(theirs.Encode(message))).IsSignatureProblem);

        var unsigned = ours.Encode(message);
        unsigned[1] = [];
        Assert.Contains("unsigned", Assert.Throws<InvalidMessageException>(() => ours.Decode(unsigned)).Message, StringComparison.Ordinal);

        Assert.False(Assert.Throws<InvalidMessageException>(() => ours.Decode([WireCodec.Delimiter, "x"u8.ToArray()])).IsSignatureProblem);
        Assert.Contains("delimiter", Assert.Throws<InvalidMessageException>(() => ours.Decode(["a"u8.ToArray()])).Message, StringComparison.Ordinal);

        // Correctly signed, but the header is not JSON: malformed, not executed.
        var signer = new MessageSigner("hmac-sha256", "right");
        byte[] bad = "{not json"u8.ToArray();
        var forged = new List<byte[]> { WireCodec.Delimiter, Encoding.ASCII.GetBytes(signer.Sign(bad, Empty, Empty, Empty)), bad, Empty, Empty, Empty };
        var malformed = Assert.Throws<InvalidMessageException>(() => ours.Decode(forged));
        Assert.False(malformed.IsSignatureProblem);
        Assert.Contains("header", malformed.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("abc", 2, 2)]
    [InlineData("a😀b", 2, 3)] // the emoji is one code point, two UTF-16 units
    [InlineData("😀😀x", 2, 4)]
    [InlineData("ab", 10, 2)] // past the end: clamped
    public void Code_points_convert_to_and_from_utf16(string text, int codePoint, int utf16)
    {
        Assert.Equal(utf16, CodePoints.ToUtf16(text, codePoint));
        Assert.Equal(Math.Min(codePoint, text.EnumerateRunes().Count()), CodePoints.FromUtf16(text, utf16));
    }

    [Theory]
    [InlineData("""{"transport":"tcp","ip":"127.0.0.1","shell_port":1,"iopub_port":2,"stdin_port":3,"control_port":4,"hb_port":5,"key":"","signature_scheme":"hmac-sha256"}""", "empty 'key'")]
    [InlineData("""{"transport":"ipc","ip":"k","shell_port":1,"iopub_port":2,"stdin_port":3,"control_port":4,"hb_port":5,"key":"k"}""", "transport 'ipc'")]
    [InlineData("""{"ip":"127.0.0.1","shell_port":0,"iopub_port":2,"stdin_port":3,"control_port":4,"hb_port":5,"key":"k"}""", "'shell_port' = 0")]
    [InlineData("""{"ip":"127.0.0.1","shell_port":1,"iopub_port":2,"stdin_port":3,"control_port":4,"hb_port":5,"key":"k","signature_scheme":"hmac-md5"}""", "'hmac-md5'")]
    [InlineData("""{"ip": """, "not valid JSON")]
    public void Connection_file_problems_are_named(string json, string expected)
    {
        var e = Assert.Throws<KernelStartupException>(() => ConnectionInfo.Parse(json, "conn.json"));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.Contains("conn.json", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Connection_file_as_jupyter_writes_it_is_read()
    {
        var info = ConnectionInfo.Parse("""{"shell_port": 50001, "iopub_port": 50002, "stdin_port": 50003, "control_port": 50004, "hb_port": 50005, "ip": "127.0.0.1", "key": "a-b", "transport": "tcp", "signature_scheme": "hmac-sha256", "kernel_name": "workbench-csharp"}""", "c");
        Assert.Equal("tcp://127.0.0.1:50004", info.Endpoint(info.ControlPort));
        Assert.Equal("workbench-csharp", info.KernelName);
    }

    [Fact]
    public void History_answers_tail_range_and_glob_search()
    {
        var history = new ExecutionHistory();
        history.Add(1, "var x = 6;");
        history.Add(2, "x * 7");
        history.SetOutput(2, "42");
        history.Add(3, "x * 7");
        history.Add(4, "Console.WriteLine(x);");

        var tail = history.Query(new JsonObject { ["hist_access_type"] = "tail", ["n"] = 2 });
        Assert.Equal("""[[1,3,"x * 7"],[1,4,"Console.WriteLine(x);"]]""", tail.ToJsonString(Relaxed));
        var range = history.Query(new JsonObject { ["hist_access_type"] = "range", ["session"] = 1, ["start"] = 2, ["stop"] = 3, ["output"] = true });
        Assert.Equal("""[[1,2,["x * 7","42"]]]""", range.ToJsonString(Relaxed));
        Assert.Empty(history.Query(new JsonObject { ["hist_access_type"] = "range", ["session"] = 7, ["start"] = 1, ["stop"] = 9 }));
        Assert.Equal(2, history.Query(new JsonObject { ["hist_access_type"] = "search", ["pattern"] = "x*" }).Count);
        Assert.Single(history.Query(new JsonObject { ["hist_access_type"] = "search", ["pattern"] = "x*", ["unique"] = true }));
        Assert.Equal("""[[1,4,"Console.WriteLine(x);"]]""", history.Query(new JsonObject { ["hist_access_type"] = "search", ["pattern"] = "*Write?ine*", ["n"] = 1 }).ToJsonString(Relaxed));
    }

    [Fact]
    public void Kernelspec_install_writes_kernel_json_and_valid_logos_and_uninstall_removes_them()
    {
        using var temp = new Support.TempDirectory();
        var location = KernelSpecLocation.Prefix(temp.Path);
        var spec = KernelSpec.Install(location, "wb-test", ["/opt/dotnet/dotnet", "/opt/wb/workbench.dll", "kernel", "--connection-file", "{connection_file}"]);
        Assert.Equal(Path.Combine(temp.Path, "share", "jupyter", "kernels", "wb-test"), spec.Directory);
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(spec.Directory, "kernel.json")))!.AsObject();
        Assert.Equal("C# (Workbench)", json["display_name"]!.GetValue<string>());
        Assert.Equal("csharp", json["language"]!.GetValue<string>());
        Assert.Equal("message", json["interrupt_mode"]!.GetValue<string>());
        Assert.Equal("{connection_file}", json["argv"]![4]!.GetValue<string>());
        Assert.NotNull(json["metadata"]);
        foreach (var size in new[] { 32, 64 })
        {
            var png = File.ReadAllBytes(Path.Combine(spec.Directory, $"logo-{size}x{size}.png"));
            Assert.Equal(new byte[] { 0x89, 0x50, 0x4E, 0x47 }, png[..4]);
            Assert.Equal(size, System.Buffers.Binary.BinaryPrimitives.ReadInt32BigEndian(png.AsSpan(16)));
        }

        Assert.Throws<ArgumentException>(() => KernelSpec.Install(location, "Bad Name"));
        Assert.True(KernelSpec.Uninstall(location, "wb-test"));
        Assert.False(Directory.Exists(spec.Directory));
        Assert.False(KernelSpec.Uninstall(location, "wb-test"));
    }

    [Fact]
    public void Kernelspec_argv_runs_the_dll_through_the_dotnet_host_or_the_apphost_directly()
    {
        Assert.Equal(["/usr/bin/dotnet", "/x/workbench.dll", "kernel", "--connection-file", "{connection_file}"], KernelSpec.Argv("/usr/bin/dotnet", "/x/workbench.dll"));
        Assert.Equal(["/x/workbench", "kernel", "--connection-file", "{connection_file}"], KernelSpec.Argv("/x/workbench", "/x/workbench.dll"));
    }
}
