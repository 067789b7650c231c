using System.Text.Json;

namespace Workbench.Onnx;

/// <summary>
/// The JSON sidecar of an ONNX forecaster model (<c>model.json</c> beside <c>model.onnx</c>): what the network expects
/// and how to map series values to and from its inputs and outputs. Written by the model's training script; format
/// <c>workbench-onnx-forecaster/1</c> (see <c>models/README.md</c>). Fields other than those below (training metadata,
/// metrics) are ignored here.
/// </summary>
/// <param name="Window">The number of consecutive values in one input window (the input shape is [batch, Window, 1]).</param>
/// <param name="InputName">The name of the network's input.</param>
/// <param name="OutputName">The name of the network's output (shape [batch, 1]: the next value, normalised).</param>
/// <param name="Mean">Z-normalisation mean, in series units: the network sees <c>float32((x − Mean) / Std)</c>.</param>
/// <param name="Std">Z-normalisation standard deviation, in series units (&gt; 0); a forecast is <c>output · Std + Mean</c>.</param>
/// <param name="ResidualSigma">
/// The RMS of held-out forecast residuals in series units, per horizon step (index 0 = one step ahead, index k =
/// k + 1 steps ahead, recursive); empty when the model defines no interval. Each value is finite and ≥ 0.
/// </param>
public sealed record OnnxModelSidecar(int Window, string InputName, string OutputName, double Mean, double Std, IReadOnlyList<double> ResidualSigma)
{
    /// <summary>The value of the <c>format</c> field this version reads.</summary>
    public const string FormatName = "workbench-onnx-forecaster/1";

    /// <summary>The largest window accepted (a guard against a corrupt sidecar).</summary>
    public const int MaxWindow = 100_000;

    /// <summary>The sidecar path of a model: the model path with the extension <c>.json</c>.</summary>
    public static string PathFor(string modelPath)
    {
        ArgumentNullException.ThrowIfNull(modelPath);
        return Path.ChangeExtension(modelPath, ".json");
    }

    /// <summary>Reads and validates the sidecar at <paramref name="path"/>.</summary>
    /// <exception cref="OnnxModelException">The file is missing, is not JSON, or a field is missing or out of range (the message names it).</exception>
    public static OnnxModelSidecar Load(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        path = System.IO.Path.GetFullPath(path);
        if (!File.Exists(path))
        {
            throw new OnnxModelException(path, "sidecar file not found (a model 'x.onnx' needs its sidecar 'x.json' beside it)");
        }

        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new OnnxModelException(path, $"cannot read the sidecar: {e.Message}", e);
        }

        return Parse(text, path);
    }

    /// <summary>Parses and validates sidecar JSON; <paramref name="path"/> is only used in error messages.</summary>
    /// <exception cref="OnnxModelException">Not JSON, or a field is missing or out of range.</exception>
    public static OnnxModelSidecar Parse(string json, string path)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(path);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new OnnxModelException(path, $"the sidecar is not valid JSON: {e.Message}", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw Bad(path, "the sidecar must be a JSON object");
            }

            var format = String(root, "format", path);
            if (format != FormatName)
            {
                throw Bad(path, $"field 'format' is '{format}', expected '{FormatName}'");
            }

            var window = Property(root, "window", path);
            if (window.ValueKind != JsonValueKind.Number || !window.TryGetInt32(out var w) || w is < 1 or > MaxWindow)
            {
                throw Bad(path, $"field 'window' must be an integer in [1, {MaxWindow}], got {window.GetRawText()}");
            }

            var input = String(root, "inputName", path);
            var output = String(root, "outputName", path);
            var normalization = Property(root, "normalization", path);
            if (normalization.ValueKind != JsonValueKind.Object)
            {
                throw Bad(path, "field 'normalization' must be an object {\"kind\": \"zscore\", \"mean\", \"std\"}");
            }

            var kind = String(normalization, "kind", path, "normalization.");
            if (kind != "zscore")
            {
                throw Bad(path, $"field 'normalization.kind' is '{kind}'; only 'zscore' is supported");
            }

            var mean = Number(normalization, "mean", path, "normalization.");
            var std = Number(normalization, "std", path, "normalization.");
            if (!(std > 0))
            {
                throw Bad(path, $"field 'normalization.std' must be > 0, got {std}");
            }

            var sigma = new List<double>();
            if (root.TryGetProperty("residualSigma", out var sigmas))
            {
                if (sigmas.ValueKind != JsonValueKind.Array)
                {
                    throw Bad(path, "field 'residualSigma' must be an array of numbers");
                }

                foreach (var s in sigmas.EnumerateArray())
                {
                    if (s.ValueKind != JsonValueKind.Number || !s.TryGetDouble(out var d) || !double.IsFinite(d) || d < 0)
                    {
                        throw Bad(path, $"field 'residualSigma[{sigma.Count}]' must be a finite number >= 0, got {s.GetRawText()}");
                    }

                    sigma.Add(d);
                }
            }

            return new OnnxModelSidecar(w, input, output, mean, std, sigma.AsReadOnly());
        }
    }

    private static JsonElement Property(JsonElement o, string name, string path, string prefix = "") =>
        o.TryGetProperty(name, out var v) ? v : throw Bad(path, $"field '{prefix}{name}' is missing");

    private static string String(JsonElement o, string name, string path, string prefix = "")
    {
        var v = Property(o, name, path, prefix);
        return v.ValueKind == JsonValueKind.String && v.GetString() is { Length: > 0 } s
            ? s
            : throw Bad(path, $"field '{prefix}{name}' must be a non-empty string, got {v.GetRawText()}");
    }

    private static double Number(JsonElement o, string name, string path, string prefix)
    {
        var v = Property(o, name, path, prefix);
        return v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) && double.IsFinite(d)
            ? d
            : throw Bad(path, $"field '{prefix}{name}' must be a finite number, got {v.GetRawText()}");
    }

    private static OnnxModelException Bad(string path, string problem) => new(path, problem);
}
