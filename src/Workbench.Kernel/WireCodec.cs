using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Workbench.Kernel;

/// <summary>A message that is not a valid signed Jupyter message; it is logged and dropped, never executed.</summary>
public sealed class InvalidMessageException(string message, bool isSignatureProblem) : Exception(message)
{
    /// <summary>True when the signature was missing or wrong (as opposed to a malformed message).</summary>
    public bool IsSignatureProblem { get; } = isSignatureProblem;
}

/// <summary>
/// The Jupyter wire format: <c>[identities…, "&lt;IDS|MSG&gt;", signature, header, parent_header, metadata, content,
/// buffers…]</c>, each JSON frame UTF-8. Decoding checks the signature before it parses anything.
/// </summary>
public sealed class WireCodec(MessageSigner signer)
{
    /// <summary>The delimiter between routing identities and the message.</summary>
    public static readonly byte[] Delimiter = "<IDS|MSG>"u8.ToArray();

    private static readonly JsonSerializerOptions Compact = new() { WriteIndented = false };

    /// <summary>The frames of <paramref name="message"/>, signed.</summary>
    public List<byte[]> Encode(JupyterMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var header = Json(message.Header);
        var parent = Json(message.ParentHeader);
        var metadata = Json(message.Metadata);
        var content = Json(message.Content);
        var frames = new List<byte[]>(message.Identities.Count + 6 + message.Buffers.Count);
        frames.AddRange(message.Identities);
        frames.Add(Delimiter);
        frames.Add(Encoding.ASCII.GetBytes(signer.Sign(header, parent, metadata, content)));
        frames.Add(header);
        frames.Add(parent);
        frames.Add(metadata);
        frames.Add(content);
        frames.AddRange(message.Buffers);
        return frames;
    }

    /// <summary>Parses received frames; throws <see cref="InvalidMessageException"/> for a bad signature or shape.</summary>
    public JupyterMessage Decode(IReadOnlyList<byte[]> frames)
    {
        ArgumentNullException.ThrowIfNull(frames);
        var delimiter = -1;
        for (var i = 0; i < frames.Count; i++)
        {
            if (frames[i].AsSpan().SequenceEqual(Delimiter))
            {
                delimiter = i;
                break;
            }
        }

        if (delimiter < 0)
        {
            throw new InvalidMessageException($"no <IDS|MSG> delimiter among {frames.Count} frames", false);
        }

        if (frames.Count < delimiter + 6)
        {
            throw new InvalidMessageException($"{frames.Count - delimiter - 1} frames after the delimiter; a message needs at least 5 (signature, header, parent_header, metadata, content)", false);
        }

        var signature = frames[delimiter + 1];
        if (signature.Length == 0)
        {
            throw new InvalidMessageException("the message is unsigned (empty signature)", true);
        }

        if (!signer.Verify(signature, frames[delimiter + 2], frames[delimiter + 3], frames[delimiter + 4], frames[delimiter + 5]))
        {
            throw new InvalidMessageException("the message signature is wrong", true);
        }

        var header = ParseObject(frames[delimiter + 2], "header");
        if (header["msg_type"] is not JsonValue type || !type.TryGetValue<string>(out _))
        {
            throw new InvalidMessageException("the header has no string 'msg_type'", false);
        }

        return new JupyterMessage(
            frames.Take(delimiter).ToList(),
            header,
            ParseObject(frames[delimiter + 3], "parent_header"),
            ParseObject(frames[delimiter + 4], "metadata"),
            ParseObject(frames[delimiter + 5], "content"),
            frames.Skip(delimiter + 6).ToList());
    }

    private static byte[] Json(JsonObject value) => JsonSerializer.SerializeToUtf8Bytes(value, Compact);

    private static JsonObject ParseObject(byte[] frame, string name)
    {
        try
        {
            return JsonNode.Parse(frame) as JsonObject ?? throw new InvalidMessageException($"the {name} frame is not a JSON object", false);
        }
        catch (JsonException e)
        {
            throw new InvalidMessageException($"the {name} frame is not valid JSON: {e.Message}", false);
        }
    }
}
