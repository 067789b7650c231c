using System.Text.Json.Nodes;

namespace Workbench.Kernel;

public sealed partial class JupyterKernel
{
    /// <summary>The <c>implementation_version</c> of kernel_info: this assembly's version.</summary>
    public static string Version { get; } = typeof(JupyterKernel).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    private async Task ServeShellAsync()
    {
        await foreach (var request in _shellQueue.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
        {
            Interlocked.Decrement(ref _queuedShell);
            var failed = await ServeOneAsync(request).ConfigureAwait(false);
            if (failed)
            {
                // stop_on_error: the execute_requests already queued behind the failed one are aborted, not run.
                var queued = new List<JupyterMessage>();
                while (_shellQueue.Reader.TryRead(out var next))
                {
                    Interlocked.Decrement(ref _queuedShell);
                    queued.Add(next);
                }

                foreach (var next in queued)
                {
                    if (next.MessageType == "execute_request")
                    {
                        Publish("status", Status("busy"), next);
                        Reply(KernelChannel.Shell, next, "execute_reply", new JsonObject { ["status"] = "aborted", ["execution_count"] = _executionCount });
                        Publish("status", Status("idle"), next);
                    }
                    else
                    {
                        await ServeOneAsync(next).ConfigureAwait(false);
                    }
                }
            }
        }
    }

    /// <summary>Serves one shell request between busy and idle; true when it was an execute_request that failed with stop_on_error.</summary>
    private async Task<bool> ServeOneAsync(JupyterMessage request)
    {
        Publish("status", Status("busy"), request);
        var abortQueue = false;
        try
        {
            switch (request.MessageType)
            {
                case "kernel_info_request":
                    Reply(KernelChannel.Shell, request, "kernel_info_reply", KernelInfo());
                    break;
                case "execute_request":
                    abortQueue = await ExecuteAsync(request).ConfigureAwait(false);
                    break;
                case "complete_request":
                    Reply(KernelChannel.Shell, request, "complete_reply", await CompleteAsync(request).ConfigureAwait(false));
                    break;
                case "inspect_request":
                    Reply(KernelChannel.Shell, request, "inspect_reply", await InspectAsync(request).ConfigureAwait(false));
                    break;
                case "is_complete_request":
                    Reply(KernelChannel.Shell, request, "is_complete_reply", IsComplete(request));
                    break;
                case "history_request":
                    Reply(KernelChannel.Shell, request, "history_reply", new JsonObject { ["status"] = "ok", ["history"] = _history.Query(request.Content) });
                    break;
                case "comm_info_request":
                    // No comm targets are registered: widgets are not supported.
                    Reply(KernelChannel.Shell, request, "comm_info_reply", new JsonObject { ["status"] = "ok", ["comms"] = new JsonObject() });
                    break;
                case "comm_open":
                    // Refuse the comm at once, as the protocol asks of a kernel without the target.
                    _log.Info($"comm_open for target '{request.GetString("target_name")}' refused: no comm targets");
                    Publish("comm_close", new JsonObject { ["comm_id"] = request.GetString("comm_id"), ["data"] = new JsonObject() }, request);
                    break;
                case "comm_msg":
                case "comm_close":
                    _log.Trace($"{request.MessageType} for an unknown comm ignored");
                    break;
                case "shutdown_request":
                    // Allowed on shell in protocol 5.x as well.
                    HandleShutdown(KernelChannel.Shell, request);
                    break;
                default:
                    _log.Warn($"unsupported shell message type '{request.MessageType}' ignored");
                    break;
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            _log.Warn($"{request.MessageType} failed: {e.GetType().Name}: {e.Message}");
            var type = request.MessageType.EndsWith("_request", StringComparison.Ordinal) ? request.MessageType[..^"_request".Length] + "_reply" : null;
            if (type is not null)
            {
                Reply(KernelChannel.Shell, request, type, new JsonObject
                {
                    ["status"] = "error",
                    ["ename"] = e.GetType().Name,
                    ["evalue"] = e.Message,
                    ["traceback"] = new JsonArray(),
                });
            }
        }
        finally
        {
            Publish("status", Status("idle"), request);
        }

        return abortQueue;
    }

    private void HandleControl(JupyterMessage request)
    {
        Publish("status", Status("busy"), request);
        switch (request.MessageType)
        {
            case "interrupt_request":
                Interrupt();
                Reply(KernelChannel.Control, request, "interrupt_reply", new JsonObject { ["status"] = "ok" });
                break;
            case "shutdown_request":
                HandleShutdown(KernelChannel.Control, request);
                break;
            case "kernel_info_request":
                Reply(KernelChannel.Control, request, "kernel_info_reply", KernelInfo());
                break;
            default:
                _log.Warn($"unsupported control message type '{request.MessageType}' ignored");
                break;
        }

        Publish("status", Status("idle"), request);
    }

    private void HandleShutdown(KernelChannel channel, JupyterMessage request)
    {
        var restart = request.GetBool("restart", false);
        Reply(channel, request, "shutdown_reply", new JsonObject { ["status"] = "ok", ["restart"] = restart });
        Stop(restart, "shutdown_request");
    }

    private static JsonObject Status(string state) => new() { ["execution_state"] = state };

    private static JsonObject KernelInfo() => new()
    {
        ["status"] = "ok",
        ["protocol_version"] = JupyterMessage.ProtocolVersion,
        ["implementation"] = "workbench",
        ["implementation_version"] = Version,
        ["language_info"] = new JsonObject
        {
            ["name"] = "csharp",
            ["version"] = "14.0",
            ["mimetype"] = "text/x-csharp",
            ["file_extension"] = ".cs",
            ["pygments_lexer"] = "csharp",
            ["codemirror_mode"] = "text/x-csharp",
        },
        ["banner"] = $"Workbench C# kernel {Version} (Roslyn scripting, .NET {Environment.Version}): cells share one C# session; display(x), #r \"path.dll\", #r \"nuget: Id, Version\" (offline).",
        ["debugger"] = false,
        ["help_links"] = new JsonArray(
            new JsonObject { ["text"] = "C# language reference", ["url"] = "https://learn.microsoft.com/dotnet/csharp/" }),
    };
}
