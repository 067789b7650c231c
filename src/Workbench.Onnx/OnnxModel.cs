using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Workbench.Onnx;

/// <summary>
/// A loaded one-step forecasting network: an OnnxRuntime CPU session plus its sidecar (<see cref="OnnxModelSidecar"/>),
/// checked against each other. The network maps a batch of normalised windows [batch, <see cref="Window"/>, 1] (float)
/// to the normalised next values [batch, 1] (float). The session is thread-safe; it is immutable once loaded.
/// </summary>
public sealed class OnnxModel : IDisposable
{
    private static readonly Lock CacheLock = new();
    private static readonly Dictionary<CacheKey, OnnxModel> Cache = [];

    private readonly InferenceSession _session;

    private OnnxModel(string modelPath, string sidecarPath, OnnxModelSidecar sidecar, InferenceSession session, int intraOpThreads)
    {
        ModelPath = modelPath;
        SidecarPath = sidecarPath;
        Sidecar = sidecar;
        _session = session;
        IntraOpThreads = intraOpThreads;
        InputNames = [sidecar.InputName];
        OutputNames = [sidecar.OutputName];
    }

    /// <summary>The model file, full path.</summary>
    public string ModelPath { get; }

    /// <summary>The sidecar file, full path (<see cref="OnnxModelSidecar.PathFor"/>).</summary>
    public string SidecarPath { get; }

    /// <summary>Window, names, normalisation and residual σ.</summary>
    public OnnxModelSidecar Sidecar { get; }

    /// <summary>The input window length (values per window).</summary>
    public int Window => Sidecar.Window;

    /// <summary>The number of threads OnnxRuntime uses inside one inference call (1 = the calling thread only).</summary>
    public int IntraOpThreads { get; }

    internal InferenceSession Session => _session;

    internal string[] InputNames { get; }

    internal string[] OutputNames { get; }

    /// <summary>
    /// Loads <paramref name="modelPath"/> and its sidecar and checks that they agree: the input named in the sidecar
    /// takes float [batch, window, 1] with a dynamic batch axis, the output is float [batch, 1].
    /// </summary>
    /// <param name="modelPath">The <c>.onnx</c> file, absolute or relative to the current directory.</param>
    /// <param name="intraOpThreads">OnnxRuntime intra-op threads, in [1, 64]: 1 for per-event inference, 2 to use
    /// both cores of this machine in batched inference.</param>
    /// <exception cref="OnnxModelException">The model or sidecar is missing or invalid, or they disagree.</exception>
    public static OnnxModel Load(string modelPath, int intraOpThreads = 1)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelPath);
        ArgumentOutOfRangeException.ThrowIfLessThan(intraOpThreads, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(intraOpThreads, 64);
        var full = Path.GetFullPath(modelPath);
        if (!File.Exists(full))
        {
            throw new OnnxModelException(full, "model file not found");
        }

        var sidecarPath = OnnxModelSidecar.PathFor(full);
        var sidecar = OnnxModelSidecar.Load(sidecarPath);
        InferenceSession session;
        using (var options = new SessionOptions())
        {
            options.IntraOpNumThreads = intraOpThreads;
            options.InterOpNumThreads = 1;
            options.ExecutionMode = ExecutionMode.ORT_SEQUENTIAL;
            options.GraphOptimizationLevel = GraphOptimizationLevel.ORT_ENABLE_ALL;
            options.LogSeverityLevel = OrtLoggingLevel.ORT_LOGGING_LEVEL_ERROR;
            try
            {
                session = new InferenceSession(full, options);
            }
            catch (OnnxRuntimeException e)
            {
                throw new OnnxModelException(full, $"OnnxRuntime cannot load the model: {e.Message.ReplaceLineEndings(" ")}", e);
            }
        }

        try
        {
            Check(session, sidecar, full, sidecarPath);
        }
        catch
        {
            session.Dispose();
            throw;
        }

        return new OnnxModel(full, sidecarPath, sidecar, session, intraOpThreads);
    }

    /// <summary>
    /// The process-wide shared instance for this model file and thread count, loaded on first use. Forecaster kernels
    /// of all series and subscriptions share it (a session is immutable and thread-safe; each kernel has its own
    /// buffers). A changed model or sidecar file (size or write time) is loaded afresh. Shared instances live until the
    /// process ends; do not dispose them.
    /// </summary>
    /// <exception cref="OnnxModelException">As <see cref="Load"/>; failures are not cached.</exception>
    public static OnnxModel Shared(string modelPath, int intraOpThreads)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelPath);
        var full = Path.GetFullPath(modelPath);
        var key = CacheKey.For(full, intraOpThreads);
        lock (CacheLock)
        {
            if (!Cache.TryGetValue(key, out var model))
            {
                model = Load(full, intraOpThreads);
                model.IsShared = true;
                Cache.Add(key, model);
            }

            return model;
        }
    }

    /// <summary>Whether this instance belongs to the <see cref="Shared"/> cache (its Dispose does nothing).</summary>
    public bool IsShared { get; private set; }

    /// <summary>The network input for a raw value: <c>float32((x − mean) / std)</c> computed in double precision.</summary>
    public float Normalize(double value) => (float)((value - Sidecar.Mean) / Sidecar.Std);

    /// <summary>A raw forecast from a network output: <c>output · std + mean</c> in double precision.</summary>
    public double Denormalize(float output) => (output * Sidecar.Std) + Sidecar.Mean;

    /// <summary>
    /// Runs the network on <c>outputs.Length</c> normalised windows laid out one after another (each
    /// <see cref="Window"/> values, oldest first) in one inference call, and writes one normalised output per window.
    /// Convenient rather than fast: it allocates per call (the forecaster's own paths reuse buffers).
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="windows"/> does not hold <c>outputs.Length × Window</c> values.</exception>
    public void Predict(ReadOnlySpan<float> windows, Span<float> outputs)
    {
        if (windows.Length != outputs.Length * Window)
        {
            throw new ArgumentException($"expected {outputs.Length} windows of {Window} values ({outputs.Length * Window}), got {windows.Length}", nameof(windows));
        }

        if (outputs.Length == 0)
        {
            return;
        }

        using var runner = new OnnxRunner(this, outputs.Length);
        windows.CopyTo(runner.Input);
        runner.Run(outputs.Length);
        runner.Output[..outputs.Length].CopyTo(outputs);
    }

    /// <summary>Releases the session (not for <see cref="Shared"/> instances, which live until the process ends).</summary>
    public void Dispose()
    {
        if (!IsShared)
        {
            _session.Dispose();
        }
    }

    private static void Check(InferenceSession session, OnnxModelSidecar sidecar, string modelPath, string sidecarPath)
    {
        if (session.InputMetadata.Count != 1)
        {
            throw new OnnxModelException(modelPath, $"the model has {session.InputMetadata.Count} inputs ({string.Join(", ", session.InputMetadata.Keys)}); a forecaster model has exactly one");
        }

        if (!session.InputMetadata.TryGetValue(sidecar.InputName, out var input))
        {
            throw new OnnxModelException(sidecarPath, $"the sidecar names the input '{sidecar.InputName}' but the model's input is '{session.InputMetadata.Keys.First()}'");
        }

        if (!session.OutputMetadata.TryGetValue(sidecar.OutputName, out var output))
        {
            throw new OnnxModelException(sidecarPath, $"the sidecar names the output '{sidecar.OutputName}' but the model's outputs are {string.Join(", ", session.OutputMetadata.Keys.Select(k => $"'{k}'"))}");
        }

        CheckTensor(input, sidecar.InputName, "input", [-1, sidecar.Window, 1], modelPath, sidecarPath, sidecar.Window);
        CheckTensor(output, sidecar.OutputName, "output", [-1, 1], modelPath, sidecarPath, sidecar.Window);
    }

    private static void CheckTensor(NodeMetadata meta, string name, string role, int[] expected, string modelPath, string sidecarPath, int window)
    {
        var shape = $"[{string.Join(", ", meta.Dimensions.Select((d, i) => d < 0 ? (meta.SymbolicDimensions.ElementAtOrDefault(i) is { Length: > 0 } s ? s : "?") : d.ToString(System.Globalization.CultureInfo.InvariantCulture)))}]";
        if (!meta.IsTensor || meta.ElementDataType != TensorElementType.Float)
        {
            throw new OnnxModelException(modelPath, $"the {role} '{name}' must be a float tensor, it is {(meta.IsTensor ? meta.ElementDataType.ToString() : meta.OnnxValueType.ToString())}");
        }

        var want = $"[batch, {string.Join(", ", expected.Skip(1))}]";
        if (meta.Dimensions.Length != expected.Length)
        {
            throw new OnnxModelException(modelPath, $"the {role} '{name}' has shape {shape}, expected {want}");
        }

        if (meta.Dimensions[0] >= 0)
        {
            throw new OnnxModelException(modelPath, $"the {role} '{name}' has shape {shape}: its batch axis must be dynamic, expected {want}");
        }

        for (var i = 1; i < expected.Length; i++)
        {
            if (meta.Dimensions[i] != expected[i])
            {
                var blame = role == "input" && i == 1 ? sidecarPath : modelPath;
                var what = role == "input" && i == 1
                    ? $"the sidecar says window = {window} but the model's input '{name}' has shape {shape}"
                    : $"the {role} '{name}' has shape {shape}, expected {want}";
                throw new OnnxModelException(blame, what);
            }
        }
    }

    private readonly record struct CacheKey(string Path, int Threads, long ModelLength, DateTime ModelWritten, long SidecarLength, DateTime SidecarWritten)
    {
        public static CacheKey For(string full, int threads)
        {
            var model = new FileInfo(full);
            var sidecar = new FileInfo(OnnxModelSidecar.PathFor(full));
            return new CacheKey(
                full, threads,
                model.Exists ? model.Length : -1, model.Exists ? model.LastWriteTimeUtc : default,
                sidecar.Exists ? sidecar.Length : -1, sidecar.Exists ? sidecar.LastWriteTimeUtc : default);
        }
    }
}
