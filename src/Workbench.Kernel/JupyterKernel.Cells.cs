using System.Text.Json.Nodes;
using Workbench.Notebooks;

namespace Workbench.Kernel;

public sealed partial class JupyterKernel
{
    private readonly Lock _inputGate = new();
    private (string MsgId, TaskCompletionSource<string?> Reply)? _pendingInput;

    /// <summary>Runs one cell in the session; <c>Console.ReadLine</c> asks the front end when the request allows stdin.</summary>
    private Task<CellResult> RunCellAsync(string code, JupyterMessage request, Action<NotebookOutput> onOutput)
    {
        var allowStdin = request.GetBool("allow_stdin", false);
        return _notebook.ExecuteAsync(
            code,
            new CellExecutionOptions { OnOutput = onOutput, ReadInput = allowStdin ? (input, token) => ReadInput(request, input, token) : null },
            _shutdown.Token);
    }

    /// <summary>
    /// Sends an <c>input_request</c> on stdin to the front end that sent the running execute_request and blocks the
    /// cell's thread until its <c>input_reply</c>, an interrupt, or shutdown.
    /// </summary>
    private string? ReadInput(JupyterMessage execute, InputRequest input, CancellationToken cancellationToken)
    {
        var reply = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        var message = JupyterMessage.Create("input_request", new JsonObject { ["prompt"] = input.Prompt, ["password"] = input.Password }, execute, _session, _options.Clock.GetUtcNow());
        lock (_inputGate)
        {
            _pendingInput = (message.Header["msg_id"]!.GetValue<string>(), reply);
        }

        _outbox.Enqueue((KernelChannel.Stdin, message));
        try
        {
            using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _shutdown.Token);
            return reply.Task.WaitAsync(linked.Token).GetAwaiter().GetResult();
        }
        finally
        {
            lock (_inputGate)
            {
                _pendingInput = null;
            }
        }
    }

    private void HandleStdin(JupyterMessage message)
    {
        if (message.MessageType != "input_reply")
        {
            _log.Warn($"unexpected stdin message '{message.MessageType}' ignored");
            return;
        }

        lock (_inputGate)
        {
            var parent = message.ParentHeader["msg_id"] is JsonValue v && v.TryGetValue<string>(out var id) ? id : null;
            if (_pendingInput is not { } pending || (parent is not null && parent != pending.MsgId))
            {
                _log.Warn("input_reply with no input_request waiting ignored");
                return;
            }

            pending.Reply.TrySetResult(message.GetString("value"));
        }
    }

    /// <summary>Interrupts the running cell (a pending input request ends with it); idle: nothing happens.</summary>
    private void Interrupt() => _notebook.Interrupt();

    /// <summary>Maps the engine's display events (update, clear) to their iopub messages.</summary>
    private void ForwardEvent(NotebookOutput output, JupyterMessage request, IOPubStreams streams)
    {
        switch (output)
        {
            case UpdateDisplayDataOutput update:
                streams.FlushThen(() => Publish("update_display_data", new JsonObject
                {
                    ["data"] = Bundle(update.Data),
                    ["metadata"] = update.Metadata.DeepClone(),
                    ["transient"] = new JsonObject { ["display_id"] = update.DisplayId },
                }, request));
                break;
            case ClearOutput clear:
                streams.FlushThen(() => Publish("clear_output", new JsonObject { ["wait"] = clear.Wait }, request));
                break;
            default:
                _log.Warn($"engine output '{output.OutputType}' has no Jupyter message");
                break;
        }
    }

    private async Task<JsonObject> CompleteAsync(JupyterMessage request)
    {
        var code = request.GetString("code");
        var cursor = CodePoints.ToUtf16(code, request.GetInt("cursor_pos", int.MaxValue));
        var result = await _notebook.CompleteAsync(code, cursor, _shutdown.Token).ConfigureAwait(false);
        var matches = new JsonArray();
        var types = new JsonArray();
        foreach (var item in result.Items)
        {
            matches.Add(item.Text);
            var type = new JsonObject { ["text"] = item.Text, ["type"] = item.Kind, ["start"] = CodePoints.FromUtf16(code, result.Start), ["end"] = CodePoints.FromUtf16(code, result.End) };
            if (item.Detail is { } detail)
            {
                type["signature"] = detail;
            }

            types.Add(type);
        }

        return new JsonObject
        {
            ["status"] = "ok",
            ["matches"] = matches,
            ["cursor_start"] = CodePoints.FromUtf16(code, result.Start),
            ["cursor_end"] = CodePoints.FromUtf16(code, result.End),
            ["metadata"] = new JsonObject { ["_jupyter_types_experimental"] = types },
        };
    }

    private async Task<JsonObject> InspectAsync(JupyterMessage request)
    {
        var code = request.GetString("code");
        var cursor = CodePoints.ToUtf16(code, request.GetInt("cursor_pos", int.MaxValue));
        var result = await _notebook.InspectAsync(code, cursor, request.GetInt("detail_level", 0), _shutdown.Token).ConfigureAwait(false);
        var data = new JsonObject();
        if (result.Found)
        {
            data[DisplayFormatting.PlainText] = result.PlainText;
            if (result.Markdown is { } markdown)
            {
                data["text/markdown"] = markdown;
            }
        }

        return new JsonObject { ["status"] = "ok", ["found"] = result.Found, ["data"] = data, ["metadata"] = new JsonObject() };
    }

    private JsonObject IsComplete(JupyterMessage request)
    {
        var result = _notebook.IsComplete(request.GetString("code"));
        var content = new JsonObject
        {
            ["status"] = result.Status switch
            {
                CompletenessStatus.Complete => "complete",
                CompletenessStatus.Incomplete => "incomplete",
                _ => "invalid",
            },
        };
        if (result.Status == CompletenessStatus.Incomplete)
        {
            content["indent"] = result.Indent;
        }

        return content;
    }
}
