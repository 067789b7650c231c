namespace Workbench.Onnx;

/// <summary>
/// Reusable buffers for running a loaded forecasting network on up to <see cref="Capacity"/> windows per call — e.g.
/// every channel of a plant at one second in one inference call — without allocating per call at full capacity. Fill
/// <see cref="Window"/> of each slot with normalised values (oldest first, <see cref="OnnxModel.Normalize"/>), then
/// call <see cref="Predict"/>; outputs are normalised (<see cref="OnnxModel.Denormalize"/> for series units). The same
/// network call as <see cref="OnnxModel.Predict"/>, whose results it reproduces exactly. Not thread-safe: one predictor
/// per stream; the model session it runs on may be shared.
/// </summary>
public sealed class OnnxBatchPredictor : IDisposable
{
    private readonly OnnxRunner _runner;

    /// <summary>A predictor for up to <paramref name="capacity"/> windows per call on <paramref name="model"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="capacity"/> is below 1 or above 65,536.</exception>
    public OnnxBatchPredictor(OnnxModel model, int capacity)
    {
        ArgumentNullException.ThrowIfNull(model);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(capacity, 65536);
        Model = model;
        _runner = new OnnxRunner(model, capacity);
    }

    /// <summary>The network.</summary>
    public OnnxModel Model { get; }

    /// <summary>The most windows one call takes.</summary>
    public int Capacity => _runner.Capacity;

    /// <summary>Values per window (<see cref="OnnxModel.Window"/>).</summary>
    public int WindowLength => _runner.Window;

    /// <summary>Inference calls so far.</summary>
    public long Calls { get; private set; }

    /// <summary>Windows run so far (over all calls).</summary>
    public long Windows { get; private set; }

    /// <summary>The input window of slot <paramref name="slot"/> (normalised values, oldest first), to be filled before <see cref="Predict"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The slot is outside [0, <see cref="Capacity"/>).</exception>
    public Span<float> Window(int slot)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(slot);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(slot, Capacity);
        return _runner.Input.Slice(slot * WindowLength, WindowLength);
    }

    /// <summary>Runs the network on slots 0 … <paramref name="count"/> − 1; returns their normalised outputs (valid until the next call).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is outside [1, <see cref="Capacity"/>].</exception>
    public ReadOnlySpan<float> Predict(int count)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Capacity);
        _runner.Run(count);
        Calls++;
        Windows += count;
        return _runner.Output[..count];
    }

    /// <summary>Releases the buffers' native handles.</summary>
    public void Dispose() => _runner.Dispose();
}
