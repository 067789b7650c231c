using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Workbench.Notebooks;

/// <summary>nbformat 4 reading and Jupyter-layout writing.</summary>
internal static class NotebookJson
{
    private static readonly JsonNodeOptions NodeOptions = new() { PropertyNameCaseInsensitive = false };
    private static readonly JsonDocumentOptions DocumentOptions = new() { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Disallow };

    public static Notebook Read(string json, string source)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(source);
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(json, NodeOptions, DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new NotebookFormatException(source, null, $"not valid JSON (line {e.LineNumber + 1}): {e.Message}", e);
        }

        if (root is not JsonObject obj)
        {
            throw new NotebookFormatException(source, null, "the top level must be a JSON object");
        }

        var nb = new Notebook();
        var major = RequireInt(obj, "nbformat", source, null);
        if (major != Notebook.FormatMajor)
        {
            throw new NotebookFormatException(source, null, $"nbformat {major} is not supported (only 4)");
        }

        nb.FormatMinor = RequireInt(obj, "nbformat_minor", source, null);
        nb.Metadata = obj["metadata"] switch
        {
            null => [],
            JsonObject m => (JsonObject)m.DeepClone(),
            _ => throw new NotebookFormatException(source, null, "'metadata' must be an object"),
        };
        if (obj["cells"] is not JsonArray cells)
        {
            throw new NotebookFormatException(source, null, "'cells' must be an array");
        }

        for (var i = 0; i < cells.Count; i++)
        {
            nb.Cells.Add(ReadCell(cells[i], source, i + 1));
        }

        foreach (var (key, value) in obj)
        {
            if (key is not ("nbformat" or "nbformat_minor" or "metadata" or "cells"))
            {
                nb.Extra[key] = value?.DeepClone();
            }
        }

        return nb;
    }

    private static NotebookCell ReadCell(JsonNode? node, string source, int index)
    {
        if (node is not JsonObject c)
        {
            throw new NotebookFormatException(source, index, "a cell must be a JSON object");
        }

        var type = RequireString(c, "cell_type", source, index) switch
        {
            "code" => NotebookCellType.Code,
            "markdown" => NotebookCellType.Markdown,
            "raw" => NotebookCellType.Raw,
            var other => throw new NotebookFormatException(source, index, $"unknown cell_type '{other}' (expected code, markdown or raw)"),
        };
        var cell = new NotebookCell(type, MultilineText(c["source"], "source", source, index))
        {
            Metadata = c["metadata"] switch
            {
                null => [],
                JsonObject m => (JsonObject)m.DeepClone(),
                _ => throw new NotebookFormatException(source, index, "'metadata' must be an object"),
            },
        };
        if (c["id"] is { } id)
        {
            cell.Id = id is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw new NotebookFormatException(source, index, "'id' must be a string");
        }

        if (type == NotebookCellType.Code)
        {
            cell.ExecutionCount = c["execution_count"] switch
            {
                null => null,
                JsonValue v when v.TryGetValue<int>(out var n) => n,
                _ => throw new NotebookFormatException(source, index, "'execution_count' must be an integer or null"),
            };
            switch (c["outputs"])
            {
                case null:
                    break;
                case JsonArray outputs:
                    for (var i = 0; i < outputs.Count; i++)
                    {
                        cell.Outputs.Add(ReadOutput(outputs[i], source, index, i + 1));
                    }

                    break;
                default:
                    throw new NotebookFormatException(source, index, "'outputs' must be an array");
            }
        }

        foreach (var (key, value) in c)
        {
            if (key is not ("cell_type" or "source" or "metadata" or "id" or "execution_count" or "outputs"))
            {
                cell.Extra[key] = value?.DeepClone();
            }
        }

        return cell;
    }

    private static NotebookOutput ReadOutput(JsonNode? node, string source, int cell, int index)
    {
        if (node is not JsonObject o)
        {
            throw new NotebookFormatException(source, cell, $"output {index} must be a JSON object");
        }

        var what = $"output {index}";
        var type = RequireString(o, "output_type", source, cell);
        NotebookOutput output;
        string[] known;
        switch (type)
        {
            case "stream":
                output = new StreamOutput(RequireString(o, "name", source, cell), MultilineText(o["text"], $"{what} 'text'", source, cell));
                known = ["output_type", "name", "text"];
                break;
            case "display_data":
                output = new DisplayDataOutput(ReadBundle(o["data"], what, source, cell), ReadMetadata(o["metadata"], what, source, cell));
                known = ["output_type", "data", "metadata"];
                break;
            case "execute_result":
                int? count = o["execution_count"] switch
                {
                    null => null,
                    JsonValue v when v.TryGetValue<int>(out var n) => n,
                    _ => throw new NotebookFormatException(source, cell, $"{what}: 'execution_count' must be an integer or null"),
                };
                output = new ExecuteResultOutput(count, ReadBundle(o["data"], what, source, cell), ReadMetadata(o["metadata"], what, source, cell));
                known = ["output_type", "execution_count", "data", "metadata"];
                break;
            case "error":
                var traceback = o["traceback"] is JsonArray tb
                    ? tb.Select(t => t is JsonValue tv && tv.TryGetValue<string>(out var s) ? s : throw new NotebookFormatException(source, cell, $"{what}: 'traceback' must hold strings")).ToList()
                    : throw new NotebookFormatException(source, cell, $"{what}: 'traceback' must be an array");
                output = new ErrorOutput(RequireString(o, "ename", source, cell), RequireString(o, "evalue", source, cell), traceback);
                known = ["output_type", "ename", "evalue", "traceback"];
                break;
            default:
                throw new NotebookFormatException(source, cell, $"{what}: unknown output_type '{type}'");
        }

        JsonObject? extra = null;
        foreach (var (key, value) in o)
        {
            if (Array.IndexOf(known, key) < 0)
            {
                extra ??= [];
                extra[key] = value?.DeepClone();
            }
        }

        return output with { Extra = extra };
    }

    private static MimeBundle ReadBundle(JsonNode? node, string what, string source, int cell)
    {
        if (node is not JsonObject data)
        {
            throw new NotebookFormatException(source, cell, $"{what}: 'data' must be an object");
        }

        var bundle = new MimeBundle();
        foreach (var (mime, value) in data)
        {
            bundle.Set(mime, MimeBundle.IsJsonMimeType(mime)
                ? value?.ToJsonString() ?? "null"
                : MultilineText(value, $"{what} data '{mime}'", source, cell));
        }

        return bundle;
    }

    private static JsonObject ReadMetadata(JsonNode? node, string what, string source, int cell) => node switch
    {
        null => [],
        JsonObject m => (JsonObject)m.DeepClone(),
        _ => throw new NotebookFormatException(source, cell, $"{what}: 'metadata' must be an object"),
    };

    private static string MultilineText(JsonNode? node, string field, string source, int? cell)
    {
        switch (node)
        {
            case JsonValue v when v.TryGetValue<string>(out var s):
                return s;
            case JsonArray a:
                var sb = new StringBuilder();
                foreach (var line in a)
                {
                    if (line is not JsonValue lv || !lv.TryGetValue<string>(out var part))
                    {
                        throw new NotebookFormatException(source, cell, $"'{field}' must be a string or an array of strings");
                    }

                    sb.Append(part);
                }

                return sb.ToString();
            default:
                throw new NotebookFormatException(source, cell, $"'{field}' must be a string or an array of strings");
        }
    }

    private static string RequireString(JsonObject o, string key, string source, int? cell) =>
        o[key] is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw new NotebookFormatException(source, cell, $"'{key}' must be a string");

    private static int RequireInt(JsonObject o, string key, string source, int? cell) =>
        o[key] is JsonValue v && v.TryGetValue<int>(out var n) ? n
        : o[key] is JsonValue e && e.TryGetValue<JsonElement>(out var el) && el.ValueKind == JsonValueKind.Number && el.TryGetInt32(out var m) ? m
        : throw new NotebookFormatException(source, cell, $"'{key}' must be an integer");

    // ---- writing -------------------------------------------------------------------------------------------------

    public static string Write(Notebook nb)
    {
        var root = new JsonObject();
        foreach (var (key, value) in nb.Extra)
        {
            root[key] = value?.DeepClone();
        }

        var cells = new JsonArray();
        foreach (var cell in nb.Cells)
        {
            cells.Add(CellToJson(cell));
        }

        root["cells"] = cells;
        root["metadata"] = nb.Metadata.DeepClone();
        root["nbformat"] = Notebook.FormatMajor;
        root["nbformat_minor"] = nb.FormatMinor;
        var sb = new StringBuilder();
        WriteNode(sb, root, 0);
        sb.Append('\n');
        return sb.ToString();
    }

    private static JsonObject CellToJson(NotebookCell cell)
    {
        var c = new JsonObject();
        foreach (var (key, value) in cell.Extra)
        {
            c[key] = value?.DeepClone();
        }

        c["cell_type"] = cell.CellType switch
        {
            NotebookCellType.Code => "code",
            NotebookCellType.Markdown => "markdown",
            _ => "raw",
        };
        if (cell.Id is not null)
        {
            c["id"] = cell.Id;
        }

        c["metadata"] = cell.Metadata.DeepClone();
        c["source"] = Lines(cell.Source);
        if (cell.CellType == NotebookCellType.Code)
        {
            c["execution_count"] = cell.ExecutionCount is { } n ? JsonValue.Create(n) : null;
            var outputs = new JsonArray();
            foreach (var o in cell.Outputs)
            {
                // The two output events (update_display_data, clear_output) are messages, not nbformat outputs.
                if (o is not (UpdateDisplayDataOutput or ClearOutput))
                {
                    outputs.Add(OutputToJson(o));
                }
            }

            c["outputs"] = outputs;
        }

        return c;
    }

    private static JsonObject OutputToJson(NotebookOutput output)
    {
        var o = new JsonObject();
        if (output.Extra is not null)
        {
            foreach (var (key, value) in output.Extra)
            {
                o[key] = value?.DeepClone();
            }
        }

        o["output_type"] = output.OutputType;
        switch (output)
        {
            case StreamOutput s:
                o["name"] = s.Name;
                o["text"] = Lines(s.Text);
                break;
            case DisplayDataOutput d:
                o["data"] = BundleToJson(d.Data);
                o["metadata"] = d.Metadata.DeepClone();
                break;
            case ExecuteResultOutput r:
                o["execution_count"] = r.ExecutionCount is { } n ? JsonValue.Create(n) : null;
                o["data"] = BundleToJson(r.Data);
                o["metadata"] = r.Metadata.DeepClone();
                break;
            case ErrorOutput e:
                o["ename"] = e.EName;
                o["evalue"] = e.EValue;
                o["traceback"] = new JsonArray(e.Traceback.Select(t => (JsonNode?)JsonValue.Create(t)).ToArray());
                break;
            default:
                throw new InvalidOperationException($"unknown output type {output.GetType().Name}");
        }

        return o;
    }

    private static JsonObject BundleToJson(MimeBundle bundle)
    {
        var data = new JsonObject();
        foreach (var (mime, content) in bundle)
        {
            data[mime] = MimeBundle.IsJsonMimeType(mime) ? JsonNode.Parse(content) : Lines(content);
        }

        return data;
    }

    /// <summary>Splits text into Jupyter's line array: every element but the last ends with its newline.</summary>
    internal static JsonArray Lines(string text)
    {
        var array = new JsonArray();
        var start = 0;
        while (start < text.Length)
        {
            var nl = text.IndexOf('\n', start);
            var end = nl < 0 ? text.Length : nl + 1;
            array.Add(JsonValue.Create(text[start..end]));
            start = end;
        }

        return array;
    }

    /// <summary>Writes like Python's <c>json.dumps(nb, sort_keys=True, indent=1, ensure_ascii=False)</c>, which Jupyter uses.</summary>
    private static void WriteNode(StringBuilder sb, JsonNode? node, int depth)
    {
        switch (node)
        {
            case null:
                sb.Append("null");
                break;
            case JsonObject o:
                if (o.Count == 0)
                {
                    sb.Append("{}");
                    break;
                }

                sb.Append("{\n");
                var first = true;
                foreach (var (key, value) in o.OrderBy(p => p.Key, StringComparer.Ordinal))
                {
                    if (!first)
                    {
                        sb.Append(",\n");
                    }

                    first = false;
                    sb.Append(' ', depth + 1);
                    WriteString(sb, key);
                    sb.Append(": ");
                    WriteNode(sb, value, depth + 1);
                }

                sb.Append('\n').Append(' ', depth).Append('}');
                break;
            case JsonArray a:
                if (a.Count == 0)
                {
                    sb.Append("[]");
                    break;
                }

                sb.Append("[\n");
                for (var i = 0; i < a.Count; i++)
                {
                    if (i > 0)
                    {
                        sb.Append(",\n");
                    }

                    sb.Append(' ', depth + 1);
                    WriteNode(sb, a[i], depth + 1);
                }

                sb.Append('\n').Append(' ', depth).Append(']');
                break;
            case JsonValue v:
                var element = v.GetValue<object>() is JsonElement je ? je : JsonSerializer.SerializeToElement(v);
                switch (element.ValueKind)
                {
                    case JsonValueKind.String:
                        WriteString(sb, element.GetString()!);
                        break;
                    case JsonValueKind.Number:
                        sb.Append(element.GetRawText());
                        break;
                    case JsonValueKind.True:
                        sb.Append("true");
                        break;
                    case JsonValueKind.False:
                        sb.Append("false");
                        break;
                    default:
                        sb.Append("null");
                        break;
                }

                break;
        }
    }

    private static void WriteString(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (var ch in s)
        {
            switch (ch)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                default:
                    if (ch < 0x20)
                    {
                        sb.Append("\\u").Append(((int)ch).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(ch);
                    }

                    break;
            }
        }

        sb.Append('"');
    }
}
