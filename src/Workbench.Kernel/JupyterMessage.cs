using System.Globalization;
using System.Text.Json.Nodes;

namespace Workbench.Kernel;

/// <summary>
/// One Jupyter message (messaging protocol 5.3): the routing identities it came with (or goes to), header, parent
/// header, metadata and content as JSON objects, and any binary buffers.
/// </summary>
public sealed record JupyterMessage(
    IReadOnlyList<byte[]> Identities,
    JsonObject Header,
    JsonObject ParentHeader,
    JsonObject Metadata,
    JsonObject Content,
    IReadOnlyList<byte[]> Buffers)
{
    /// <summary>The messaging protocol version this kernel implements.</summary>
    public const string ProtocolVersion = "5.3";

    /// <summary><c>header.msg_type</c>.</summary>
    public string MessageType => Header["msg_type"]?.GetValue<string>() ?? string.Empty;

    /// <summary><c>header.session</c>.</summary>
    public string Session => Header["session"]?.GetValue<string>() ?? string.Empty;

    /// <summary>A new message of <paramref name="messageType"/> answering (or caused by) <paramref name="parent"/>, dated <paramref name="date"/>.</summary>
    public static JupyterMessage Create(string messageType, JsonObject content, JupyterMessage? parent, string session, DateTimeOffset date, IReadOnlyList<byte[]>? identities = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        var header = new JsonObject
        {
            ["msg_id"] = Guid.NewGuid().ToString("N"),
            ["session"] = session,
            ["username"] = "workbench",
            ["date"] = date.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
            ["msg_type"] = messageType,
            ["version"] = ProtocolVersion,
        };
        return new JupyterMessage(
            identities ?? parent?.Identities ?? [],
            header,
            parent is null ? [] : (JsonObject)parent.Header.DeepClone(),
            [],
            content,
            []);
    }

    /// <summary><c>content[name]</c> as a string, or <paramref name="fallback"/> when absent or not a string.</summary>
    public string GetString(string name, string fallback = "") =>
        Content[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : fallback;

    /// <summary><c>content[name]</c> as a bool, or <paramref name="fallback"/> when absent or not a bool.</summary>
    public bool GetBool(string name, bool fallback) =>
        Content[name] is JsonValue v && v.TryGetValue<bool>(out var b) ? b : fallback;

    /// <summary><c>content[name]</c> as an int, or <paramref name="fallback"/> when absent or not an integer.</summary>
    public int GetInt(string name, int fallback)
    {
        if (Content[name] is not JsonValue v)
        {
            return fallback;
        }

        if (v.TryGetValue<int>(out var i))
        {
            return i;
        }

        return v.TryGetValue<long>(out var l) ? (int)Math.Clamp(l, int.MinValue, int.MaxValue)
            : v.TryGetValue<double>(out var d) && Math.Abs(d) < int.MaxValue ? (int)d : fallback;
    }
}
