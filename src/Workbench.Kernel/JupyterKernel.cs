using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using System.Threading.Channels;
using NetMQ;
using NetMQ.Sockets;
using Workbench.Notebooks;

namespace Workbench.Kernel;

/// <summary>
/// A Jupyter kernel (messaging protocol 5.3 over ZeroMQ) for Workbench's C# notebook engine. One
/// <see cref="NotebookSession"/> holds the notebook's state; this class only speaks the protocol around it.
/// Threads: one I/O thread owns the shell, control and stdin ROUTER sockets and the iopub PUB socket (NetMQ sockets are
/// not thread-safe, so every send goes through its queue); the heartbeat REP socket echoes on its own thread; shell
/// requests are served one at a time, in order, by a worker; control requests (interrupt, shutdown) are served on the
/// I/O thread at once, even while a cell runs. Every incoming message is checked against the connection file's HMAC key
/// before it is parsed; a message with a missing or wrong signature, or a malformed one, is logged and dropped.
/// </summary>
public sealed partial class JupyterKernel : IDisposable
{
    private static readonly TimeSpan Linger = TimeSpan.FromSeconds(1);

    private readonly ConnectionInfo _connection;
    private readonly KernelOptions _options;
    private readonly KernelLog _log;
    private readonly WireCodec _codec;
    private readonly string _session = Guid.NewGuid().ToString();
    private readonly string _topicPrefix;
    private readonly NetMQQueue<(KernelChannel Channel, JupyterMessage Message)> _outbox = new();
    private readonly Channel<JupyterMessage> _shellQueue = Channel.CreateUnbounded<JupyterMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly TaskCompletionSource<bool> _stopped = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _shutdown = new();
    private readonly NotebookSession _notebook;
    private readonly ExecutionHistory _history = new();
    private RouterSocket? _shell;
    private RouterSocket? _control;
    private RouterSocket? _stdin;
    private PublisherSocket? _iopub;
    private NetMQPoller? _poller;
    private int _executionCount;
    private long _rejected;
    private int _queuedShell;

    /// <summary>A kernel for the sockets and key of <paramref name="connection"/>; nothing is bound until <see cref="RunAsync"/>.</summary>
    public JupyterKernel(ConnectionInfo connection, KernelOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _connection = connection;
        _options = options ?? new KernelOptions();
        _log = new KernelLog(_options.Log ?? Console.Error, _options.Verbose, _options.Clock);
        _codec = new WireCodec(new MessageSigner(connection.SignatureScheme, connection.Key));
        _topicPrefix = "kernel." + _session + ".";
        _notebook = new NotebookSession(new NotebookSessionOptions
        {
            BaseDirectory = _options.BaseDirectory ?? Directory.GetCurrentDirectory(),
            // Classic Jupyter Notebook renders the charts' HTML fallback, and has no plotly.js of its own.
            InlinePlotlyScript = true,
        });
    }

    /// <summary>Messages rejected so far (bad signature or malformed).</summary>
    public long RejectedMessages => Interlocked.Read(ref _rejected);

    /// <summary>Shell requests received and waiting behind the one being served (for tests).</summary>
    internal int QueuedShellRequests => Volatile.Read(ref _queuedShell);

    /// <summary>
    /// Binds the sockets and serves until a <c>shutdown_request</c>, the watched parent process ending, or
    /// <paramref name="cancellationToken"/>. Returns true when the shutdown asked for a restart.
    /// </summary>
    public async Task<bool> RunAsync(CancellationToken cancellationToken = default)
    {
        Bind();
        using var registration = cancellationToken.Register(() => Stop(restart: false, "cancelled"));
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            // Ctrl-C in the terminal that started the front end reaches the kernel too: interrupt the cell, keep running.
            context.Cancel = true;
            _log.Info("SIGINT: interrupting the running cell");
            Interrupt();
        });
        var heartbeat = new Thread(ServeHeartbeat) { IsBackground = true, Name = "workbench-kernel-heartbeat" };
        heartbeat.Start();
        _poller!.RunAsync("workbench-kernel-io", isBackgroundThread: true);
        var shell = Task.Run(ServeShellAsync, CancellationToken.None);
        var warmUp = Task.Run(WarmUpAsync, CancellationToken.None);
        using var parentWatch = WatchParent();
        Publish("status", new JsonObject { ["execution_state"] = "starting" }, null);
        _log.Info($"listening on {_connection.Ip}: shell {_connection.ShellPort}, iopub {_connection.IOPubPort}, stdin {_connection.StdinPort}, control {_connection.ControlPort}, hb {_connection.HeartbeatPort}");

        var restart = await _stopped.Task.ConfigureAwait(false);
        _shellQueue.Writer.TryComplete();
        await _shutdown.CancelAsync().ConfigureAwait(false);
        Interrupt();
        await Task.WhenAny(Task.WhenAll(shell, warmUp), Task.Delay(TimeSpan.FromSeconds(2), _options.Clock, CancellationToken.None)).ConfigureAwait(false);
        // Let the I/O thread send what is queued (the shutdown_reply above all), then stop it.
        await DrainOutboxAsync().ConfigureAwait(false);
        _poller.Stop();
        heartbeat.Join(TimeSpan.FromSeconds(2));
        return restart;
    }

    /// <summary>
    /// Closes the sockets (each waits up to a second for unsent messages). NetMQ's process-wide context stays: a host
    /// that runs one kernel per process ends it with <c>NetMQConfig.Cleanup</c>; several kernels may share a process.
    /// </summary>
    public void Dispose()
    {
        _poller?.Dispose();
        foreach (var socket in new NetMQSocket?[] { _shell, _control, _stdin, _iopub })
        {
            socket?.Dispose();
        }

        _outbox.Dispose();
        _shutdown.Dispose();
    }

    /// <summary>
    /// Compiles and runs a throwaway cell in a throwaway session while the front end is still connecting, so that the
    /// user's first cell does not pay for loading Roslyn and JIT-compiling the scripting pipeline (about 3 s → see
    /// docs/BENCHMARKS.md). The notebook's own session is untouched: its first cell is still cell 1.
    /// </summary>
    private async Task WarmUpAsync()
    {
        try
        {
            var scratch = new NotebookSession(new NotebookSessionOptions { BaseDirectory = Path.GetTempPath() });
            await scratch.ExecuteAsync("var warm = new List<int> { 1 }.Select(i => i + 1).Sum();\nwarm", new CellExecutionOptions(), _shutdown.Token).ConfigureAwait(false);
            await scratch.CompleteAsync("warm.", 5, _shutdown.Token).ConfigureAwait(false);
            _log.Trace("warm-up done");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _log.Trace($"warm-up failed (harmless): {e.GetType().Name}: {e.Message}");
        }
    }

    private void Bind()
    {
        _shell = Router(_connection.ShellPort, "shell");
        _control = Router(_connection.ControlPort, "control");
        _stdin = Router(_connection.StdinPort, "stdin");
        _iopub = new PublisherSocket();
        _iopub.Options.Linger = Linger;
        BindTo(_iopub, _connection.IOPubPort, "iopub");
        _shell.ReceiveReady += (_, e) => Drain(e.Socket, KernelChannel.Shell, m =>
        {
            Interlocked.Increment(ref _queuedShell);
            _shellQueue.Writer.TryWrite(m);
        });
        _control.ReceiveReady += (_, e) => Drain(e.Socket, KernelChannel.Control, HandleControl);
        _stdin.ReceiveReady += (_, e) => Drain(e.Socket, KernelChannel.Stdin, HandleStdin);
        _outbox.ReceiveReady += (_, e) =>
        {
            while (e.Queue.TryDequeue(out var item, TimeSpan.Zero))
            {
                Send(item.Channel, item.Message);
            }
        };
        _poller = [_shell, _control, _stdin, _iopub, _outbox];
    }

    private RouterSocket Router(int port, string name)
    {
        var socket = new RouterSocket();
        socket.Options.Linger = Linger;
        socket.Options.RouterHandover = true;
        BindTo(socket, port, name);
        return socket;
    }

    private void BindTo(NetMQSocket socket, int port, string name)
    {
        try
        {
            socket.Bind(_connection.Endpoint(port));
        }
        catch (Exception e) when (e is NetMQException or SocketException)
        {
            socket.Dispose();
            throw new KernelStartupException($"cannot bind the {name} socket to {_connection.Endpoint(port)}: {e.Message}", e);
        }
    }

    private void Drain(NetMQSocket socket, KernelChannel channel, Action<JupyterMessage> handle)
    {
        var frames = new List<byte[]>();
        while (socket.TryReceiveMultipartBytes(ref frames))
        {
            JupyterMessage message;
            try
            {
                message = _codec.Decode(frames);
            }
            catch (InvalidMessageException e)
            {
                Interlocked.Increment(ref _rejected);
                _log.Warn($"rejected a message on {channel.ToString().ToLowerInvariant()}: {e.Message} ({frames.Count} frames)");
                continue;
            }

            _log.Trace($"<- {channel.ToString().ToLowerInvariant()} {message.MessageType}");
            try
            {
                handle(message);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                _log.Warn($"{message.MessageType} on {channel.ToString().ToLowerInvariant()} failed: {e.GetType().Name}: {e.Message}");
            }
        }
    }

    private void Send(KernelChannel channel, JupyterMessage message)
    {
        var socket = channel switch
        {
            KernelChannel.Shell => (NetMQSocket?)_shell,
            KernelChannel.Control => _control,
            KernelChannel.Stdin => _stdin,
            KernelChannel.IOPub => _iopub,
            _ => null,
        };
        if (socket is null)
        {
            return;
        }

        _log.Trace($"-> {channel.ToString().ToLowerInvariant()} {message.MessageType}");
        socket.SendMultipartBytes(_codec.Encode(message));
    }

    private async Task DrainOutboxAsync()
    {
        for (var i = 0; i < 100 && _outbox.Count > 0; i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), _options.Clock, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Queues a reply on <paramref name="channel"/> to the sender of <paramref name="request"/>.</summary>
    private void Reply(KernelChannel channel, JupyterMessage request, string type, JsonObject content) =>
        _outbox.Enqueue((channel, JupyterMessage.Create(type, content, request, _session, _options.Clock.GetUtcNow())));

    /// <summary>Queues an iopub message (topic <c>kernel.&lt;session&gt;.&lt;type&gt;</c>) caused by <paramref name="parent"/>.</summary>
    private void Publish(string type, JsonObject content, JupyterMessage? parent) =>
        _outbox.Enqueue((KernelChannel.IOPub, JupyterMessage.Create(type, content, parent, _session, _options.Clock.GetUtcNow(), [Encoding.UTF8.GetBytes(_topicPrefix + type)])));

    private void Stop(bool restart, string reason)
    {
        if (_stopped.TrySetResult(restart))
        {
            _log.Info($"shutting down ({reason}{(restart ? ", restart requested" : string.Empty)})");
        }
    }

    private void ServeHeartbeat()
    {
        using var socket = new ResponseSocket();
        socket.Options.Linger = TimeSpan.Zero;
        try
        {
            BindTo(socket, _connection.HeartbeatPort, "heartbeat");
        }
        catch (KernelStartupException e)
        {
            _log.Warn(e.Message);
            Stop(restart: false, "heartbeat port unavailable");
            return;
        }

        var frames = new List<byte[]>();
        try
        {
            while (!_shutdown.IsCancellationRequested)
            {
                if (socket.TryReceiveMultipartBytes(TimeSpan.FromMilliseconds(200), ref frames))
                {
                    socket.SendMultipartBytes(frames);
                }
            }
        }
        catch (TerminatingException)
        {
            // The process is ending NetMQ's context.
        }
    }

    private ITimer? WatchParent()
    {
        if (_options.ParentProcessId is not { } pid || pid <= 1)
        {
            return null;
        }

        return _options.Clock.CreateTimer(
            _ =>
            {
                if (!ProcessIsAlive(pid))
                {
                    Stop(restart: false, $"the parent process {pid} ended");
                }
            },
            null,
            TimeSpan.FromSeconds(1),
            TimeSpan.FromSeconds(1));
    }

    private static bool ProcessIsAlive(int pid)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
