using System.Text.Json;
using System.Text.Json.Serialization;

namespace Workbench.Cli.Infrastructure;

/// <summary>The JSON shape of every <c>--json</c> output: camelCase, indented, invariant numbers.</summary>
public static class JsonOutput
{
    /// <summary>Serializer options shared by all commands.</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        DictionaryKeyPolicy = null,
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>As <see cref="Options"/>, on one line: for event streams (one JSON object per line).</summary>
    public static JsonSerializerOptions LineOptions { get; } = new(Options) { WriteIndented = false };

    /// <summary>Writes <paramref name="value"/> as one JSON document and a newline.</summary>
    public static void Write<T>(TextWriter writer, T value)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteLine(JsonSerializer.Serialize(value, Options));
    }
}
