using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using NetMQ;
using NetMQ.Sockets;
namespace Workbench.Kernel;

/// <summary>
/// A minimal Jupyter front end in C#, for driving a kernel from code (the protocol tests, <c>bench kernel</c>): DEALER
/// sockets on shell, control and stdin, a SUB socket on iopub and a REQ heartbeat, all signing with the connection's
/// key. Calls are blocking and not thread-safe (one caller at a time); every wait has a deadline.
/// </summary>
public sealed class KernelClient : IDisposable
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    private readonly WireCodec _codec;
    private readonly DealerSocket _shell = new();
    private readonly DealerSocket _control = new();
    private readonly DealerSocket _stdin = new();
    private readonly SubscriberSocket _iopub = new();
    private readonly string _session = Guid.NewGuid().ToString();

    public KernelClient(ConnectionInfo connection, string? key = null)
    {
        Connection = connection;
        _codec = new WireCodec(new MessageSigner(connection.SignatureScheme, key ?? connection.Key));
        var identity = Encoding.ASCII.GetBytes(_session);
        foreach (var (socket, port) in new[] { (_shell, connection.ShellPort), (_control, connection.ControlPort), (_stdin, connection.StdinPort) })
        {
            socket.Options.Identity = identity;
            socket.Options.Linger = TimeSpan.Zero;
            socket.Connect(connection.Endpoint(port));
        }

        _iopub.Options.Linger = TimeSpan.Zero;
        _iopub.Connect(connection.Endpoint(connection.IOPubPort));
        _iopub.SubscribeToAnyTopic();
    }

    public ConnectionInfo Connection { get; }

    /// <summary>A connection on five free loopback ports with a random key.</summary>
    public static ConnectionInfo NewConnection(string scheme = "hmac-sha256") => new()
    {
        Ip = "127.0.0.1",
        ShellPort = FreePort(),
        IOPubPort = FreePort(),
        StdinPort = FreePort(),
        ControlPort = FreePort(),
        HeartbeatPort = FreePort(),
        Key = Guid.NewGuid().ToString(),
        SignatureScheme = scheme,
    };

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public JupyterMessage Request(string type, JsonObject content) =>
        JupyterMessage.Create(type, content, null, _session, TimeProvider.System.GetUtcNow());

    public string SendShell(string type, JsonObject content) => Send(_shell, Request(type, content));

    public string SendControl(string type, JsonObject content) => Send(_control, Request(type, content));

    public string SendStdin(string type, JsonObject content, JupyterMessage parent)
    {
        var message = JupyterMessage.Create(type, content, parent, _session, TimeProvider.System.GetUtcNow(), []);
        return Send(_stdin, message);
    }

    public string Execute(string code, bool silent = false, bool storeHistory = true, bool stopOnError = true, bool allowStdin = false) =>
        SendShell("execute_request", new JsonObject
        {
            ["code"] = code,
            ["silent"] = silent,
            ["store_history"] = storeHistory,
            ["user_expressions"] = new JsonObject(),
            ["allow_stdin"] = allowStdin,
            ["stop_on_error"] = stopOnError,
        });

    /// <summary>Sends raw frames on shell (for forged or malformed messages).</summary>
    public void SendRawShell(IEnumerable<byte[]> frames) => _shell.SendMultipartBytes(frames);

    public List<byte[]> Encode(JupyterMessage message) => _codec.Encode(message);

    public JupyterMessage ReceiveShell(TimeSpan? timeout = null) => Receive(_shell, timeout ?? Deadline, "shell");

    public JupyterMessage ReceiveControl(TimeSpan? timeout = null) => Receive(_control, timeout ?? Deadline, "control");

    public JupyterMessage ReceiveStdin(TimeSpan? timeout = null) => Receive(_stdin, timeout ?? Deadline, "stdin");

    public bool TryReceiveShell(TimeSpan timeout, out JupyterMessage? message)
    {
        var frames = new List<byte[]>();
        if (_shell.TryReceiveMultipartBytes(timeout, ref frames))
        {
            message = _codec.Decode(frames);
            return true;
        }

        message = null;
        return false;
    }

    /// <summary>The iopub messages caused by <paramref name="msgId"/>, up to and including its idle status.</summary>
    public List<JupyterMessage> IOPubUntilIdle(string msgId, TimeSpan? timeout = null)
    {
        var messages = new List<JupyterMessage>();
        var limit = TimeProvider.System.GetTimestamp() + (long)((timeout ?? Deadline).TotalSeconds * TimeProvider.System.TimestampFrequency);
        while (true)
        {
            var left = TimeSpan.FromSeconds((double)(limit - TimeProvider.System.GetTimestamp()) / TimeProvider.System.TimestampFrequency);
            if (left <= TimeSpan.Zero)
            {
                throw new TimeoutException($"no idle status for {msgId} on iopub; got: {string.Join(", ", messages.Select(m => m.MessageType))}");
            }

            var message = Receive(_iopub, left, "iopub");
            if (message.ParentHeader["msg_id"]?.GetValue<string>() != msgId)
            {
                continue;
            }

            messages.Add(message);
            if (message.MessageType == "status" && message.Content["execution_state"]?.GetValue<string>() == "idle")
            {
                return messages;
            }
        }
    }

    /// <summary>
    /// Waits until the iopub subscription is live (a SUB socket misses what was published before it joined): sends
    /// kernel_info requests until one's status message arrives, as jupyter_client does.
    /// </summary>
    public void WaitForIOPub()
    {
        var frames = new List<byte[]>();
        for (var attempt = 0; attempt < 150; attempt++)
        {
            var id = SendShell("kernel_info_request", []);
            ReceiveShell();
            while (_iopub.TryReceiveMultipartBytes(TimeSpan.FromMilliseconds(200), ref frames))
            {
                var message = _codec.Decode(frames);
                if (message.ParentHeader["msg_id"]?.GetValue<string>() == id)
                {
                    // Drain the rest of this request's status messages.
                    while (_iopub.TryReceiveMultipartBytes(TimeSpan.FromMilliseconds(100), ref frames))
                    {
                    }

                    return;
                }
            }
        }

        throw new TimeoutException("the iopub subscription never received a message");
    }

    /// <summary>Waits for a stream message of <paramref name="msgId"/> whose text contains <paramref name="text"/>.</summary>
    public void WaitForStream(string msgId, string text)
    {
        var frames = new List<byte[]>();
        var limit = TimeProvider.System.GetTimestamp() + (long)(Deadline.TotalSeconds * TimeProvider.System.TimestampFrequency);
        while (TimeProvider.System.GetTimestamp() < limit)
        {
            if (_iopub.TryReceiveMultipartBytes(TimeSpan.FromMilliseconds(100), ref frames))
            {
                var message = _codec.Decode(frames);
                if (message.MessageType == "stream" && message.ParentHeader["msg_id"]?.GetValue<string>() == msgId && message.GetString("text").Contains(text, StringComparison.Ordinal))
                {
                    return;
                }
            }
        }

        throw new TimeoutException($"no stream containing '{text}' for {msgId}");
    }

    /// <summary>Sends a heartbeat ping and waits for the echo.</summary>
    public bool Heartbeat(TimeSpan timeout)
    {
        using var hb = new RequestSocket();
        hb.Options.Linger = TimeSpan.Zero;
        hb.Connect(Connection.Endpoint(Connection.HeartbeatPort));
        hb.SendFrame("ping");
        return hb.TryReceiveFrameString(timeout, out var echo) && echo == "ping";
    }

    public void Dispose()
    {
        _shell.Dispose();
        _control.Dispose();
        _stdin.Dispose();
        _iopub.Dispose();
    }

    private string Send(NetMQSocket socket, JupyterMessage message)
    {
        socket.SendMultipartBytes(_codec.Encode(message with { Identities = [] }));
        return message.Header["msg_id"]!.GetValue<string>();
    }

    private JupyterMessage Receive(NetMQSocket socket, TimeSpan timeout, string name)
    {
        var frames = new List<byte[]>();
        if (!socket.TryReceiveMultipartBytes(timeout, ref frames))
        {
            throw new TimeoutException($"nothing received on {name} within {timeout.TotalSeconds:0.#} s");
        }

        return _codec.Decode(frames);
    }
}
