using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Workbench.Kernel;

/// <summary>A kernel that cannot start: a bad connection file, a port already taken. The message is one line.</summary>
public sealed class KernelStartupException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// The connection file a Jupyter front end writes before it starts a kernel: the transport, address and five ports,
/// and the HMAC key and scheme every message is signed with. An empty key (unsigned messages) is refused: anyone
/// who can reach the ports could otherwise run code.
/// </summary>
public sealed record ConnectionInfo
{
    [JsonPropertyName("transport")] public string Transport { get; init; } = "tcp";
    [JsonPropertyName("ip")] public string Ip { get; init; } = "127.0.0.1";
    [JsonPropertyName("shell_port")] public int ShellPort { get; init; }
    [JsonPropertyName("iopub_port")] public int IOPubPort { get; init; }
    [JsonPropertyName("stdin_port")] public int StdinPort { get; init; }
    [JsonPropertyName("control_port")] public int ControlPort { get; init; }
    [JsonPropertyName("hb_port")] public int HeartbeatPort { get; init; }
    [JsonPropertyName("key")] public string Key { get; init; } = string.Empty;
    [JsonPropertyName("signature_scheme")] public string SignatureScheme { get; init; } = "hmac-sha256";
    [JsonPropertyName("kernel_name")] public string? KernelName { get; init; }

    /// <summary>Reads and validates a connection file; every problem is a <see cref="KernelStartupException"/> naming the file and field.</summary>
    public static ConnectionInfo Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new KernelStartupException($"cannot read the connection file {path}: {e.Message}", e);
        }

        return Parse(text, path);
    }

    /// <summary>Parses and validates connection-file JSON; <paramref name="source"/> names it in errors.</summary>
    public static ConnectionInfo Parse(string json, string source)
    {
        ConnectionInfo? info;
        try
        {
            info = JsonSerializer.Deserialize<ConnectionInfo>(json);
        }
        catch (JsonException e)
        {
            throw new KernelStartupException($"the connection file {source} is not valid JSON: {e.Message}", e);
        }

        if (info is null)
        {
            throw new KernelStartupException($"the connection file {source} is empty (null)");
        }

        info.Validate(source);
        return info;
    }

    /// <summary>The ZeroMQ endpoint of <paramref name="port"/>, e.g. <c>tcp://127.0.0.1:5555</c>.</summary>
    public string Endpoint(int port) => string.Create(CultureInfo.InvariantCulture, $"{Transport}://{Ip}:{port}");

    private void Validate(string source)
    {
        if (Transport != "tcp")
        {
            throw new KernelStartupException($"the connection file {source} asks for transport '{Transport}'; this kernel supports only 'tcp'");
        }

        if (string.IsNullOrWhiteSpace(Ip))
        {
            throw new KernelStartupException($"the connection file {source} has no 'ip'");
        }

        foreach (var (name, port) in new[] { ("shell_port", ShellPort), ("iopub_port", IOPubPort), ("stdin_port", StdinPort), ("control_port", ControlPort), ("hb_port", HeartbeatPort) })
        {
            if (port is < 1 or > 65535)
            {
                throw new KernelStartupException($"the connection file {source} has '{name}' = {port}; a port must be 1-65535");
            }
        }

        if (string.IsNullOrEmpty(Key))
        {
            throw new KernelStartupException($"the connection file {source} has an empty 'key': this kernel refuses unsigned messages (anyone who can reach the ports could run code)");
        }

        if (!MessageSigner.IsSupported(SignatureScheme))
        {
            throw new KernelStartupException($"the connection file {source} asks for signature scheme '{SignatureScheme}'; supported: {string.Join(", ", MessageSigner.Schemes)}");
        }
    }
}
