using System.Text.Json.Nodes;
using Workbench.Notebooks;

namespace Workbench.Kernel;

public sealed partial class JupyterKernel
{
    /// <summary>Runs an execute_request; true when it failed and asked stop_on_error (the queue behind it is aborted).</summary>
    private async Task<bool> ExecuteAsync(JupyterMessage request)
    {
        var code = request.GetString("code");
        var silent = request.GetBool("silent", false);
        var storeHistory = !silent && request.GetBool("store_history", true);
        var stopOnError = request.GetBool("stop_on_error", true);
        if (storeHistory)
        {
            _executionCount++;
            _history.Add(_executionCount, code);
        }

        var count = _executionCount;
        if (!silent)
        {
            Publish("execute_input", new JsonObject { ["code"] = code, ["execution_count"] = count }, request);
        }

        using var streams = new IOPubStreams((name, text) => Publish("stream", new JsonObject { ["name"] = name, ["text"] = text }, request), _options.Clock);
        CellResult result;
        try
        {
            result = await RunCellAsync(code, request, output =>
            {
                if (!silent)
                {
                    Forward(output, request, count, storeHistory, streams);
                }
            }).ConfigureAwait(false);
        }
        catch (InvalidOperationException e)
        {
            // The session is broken (a cell that could not be stopped is still running): only a restart helps.
            streams.Flush();
            var error = new ErrorOutput("SessionBrokenError", e.Message + "; restart the kernel", [e.Message + "; restart the kernel"]);
            if (!silent)
            {
                Publish("error", ErrorContent(error), request);
            }

            Reply(KernelChannel.Shell, request, "execute_reply", ErrorReply(error, count));
            return stopOnError;
        }

        streams.Flush();
        var content = result.Error is { } failure && result.Status is not (CellStatus.Ok or CellStatus.Skipped)
            ? ErrorReply(failure, count)
            : new JsonObject
            {
                ["status"] = "ok",
                ["execution_count"] = count,
                ["payload"] = new JsonArray(),
                ["user_expressions"] = await UserExpressionsAsync(request).ConfigureAwait(false),
            };
        Reply(KernelChannel.Shell, request, "execute_reply", content);
        return stopOnError && content["status"]!.GetValue<string>() == "error";
    }

    /// <summary>Maps one engine output to its iopub message, in order with the coalesced stream text.</summary>
    private void Forward(NotebookOutput output, JupyterMessage request, int count, bool storeHistory, IOPubStreams streams)
    {
        switch (output)
        {
            case StreamOutput stream:
                streams.Write(stream.Name, stream.Text);
                break;
            case ExecuteResultOutput result:
                if (storeHistory && result.Data.TryGetValue(DisplayFormatting.PlainText, out var text))
                {
                    _history.SetOutput(count, text);
                }

                streams.FlushThen(() => Publish("execute_result", new JsonObject
                {
                    ["execution_count"] = count,
                    ["data"] = Bundle(result.Data),
                    ["metadata"] = result.Metadata.DeepClone(),
                }, request));
                break;
            case DisplayDataOutput display:
                streams.FlushThen(() => Publish("display_data", DisplayContent(display), request));
                break;
            case ErrorOutput error:
                streams.FlushThen(() => Publish("error", ErrorContent(error), request));
                break;
            default:
                ForwardEvent(output, request, streams);
                break;
        }
    }

    private async Task<JsonObject> UserExpressionsAsync(JupyterMessage request)
    {
        var results = new JsonObject();
        if (request.Content["user_expressions"] is not JsonObject expressions)
        {
            return results;
        }

        foreach (var (name, node) in expressions)
        {
            var expression = node is JsonValue v && v.TryGetValue<string>(out var s) ? s : string.Empty;
            CellResult result;
            try
            {
                result = await _notebook.ExecuteAsync(expression, new CellExecutionOptions(), _shutdown.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is InvalidOperationException or OperationCanceledException)
            {
                results[name] = new JsonObject { ["status"] = "error", ["ename"] = e.GetType().Name, ["evalue"] = e.Message, ["traceback"] = new JsonArray() };
                continue;
            }

            if (result.Error is { } error)
            {
                results[name] = ErrorContent(error).Also(o => o["status"] = "error");
            }
            else
            {
                var value = result.Outputs.OfType<ExecuteResultOutput>().LastOrDefault();
                results[name] = new JsonObject
                {
                    ["status"] = "ok",
                    ["data"] = value is null ? new JsonObject { [DisplayFormatting.PlainText] = "null" } : Bundle(value.Data),
                    ["metadata"] = new JsonObject(),
                };
            }
        }

        return results;
    }

    /// <summary>A MIME bundle as a JSON object: JSON types (<c>…+json</c>) as JSON values, the rest as strings.</summary>
    internal static JsonObject Bundle(MimeBundle data)
    {
        var bundle = new JsonObject();
        foreach (var (mime, value) in data)
        {
            bundle[mime] = MimeBundle.IsJsonMimeType(mime) ? JsonNode.Parse(value) : JsonValue.Create(value);
        }

        return bundle;
    }

    private static JsonObject DisplayContent(DisplayDataOutput display) => new()
    {
        ["data"] = Bundle(display.Data),
        ["metadata"] = display.Metadata.DeepClone(),
        ["transient"] = display.DisplayId is { } id ? new JsonObject { ["display_id"] = id } : new JsonObject(),
    };

    /// <summary>The error content: ename, evalue and a traceback whose first line says where in the cell it happened.</summary>
    internal static JsonObject ErrorContent(ErrorOutput error)
    {
        var traceback = new JsonArray();
        if (error.Position is { } at && !error.Traceback.Any(l => l.StartsWith("(line ", StringComparison.Ordinal)))
        {
            traceback.Add($"{error.EName}: {error.EValue} (cell {at})");
        }

        foreach (var line in error.Traceback)
        {
            traceback.Add(line);
        }

        return new JsonObject { ["ename"] = error.EName, ["evalue"] = error.EValue, ["traceback"] = traceback };
    }

    private static JsonObject ErrorReply(ErrorOutput error, int count)
    {
        var content = ErrorContent(error);
        content["status"] = "error";
        content["execution_count"] = count;
        return content;
    }
}

internal static class JsonObjectExtensions
{
    public static JsonObject Also(this JsonObject value, Action<JsonObject> change)
    {
        change(value);
        return value;
    }
}
