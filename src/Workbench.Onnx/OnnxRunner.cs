using Microsoft.ML.OnnxRuntime;

namespace Workbench.Onnx;

/// <summary>
/// Pre-allocated inference buffers for up to <see cref="Capacity"/> windows over one shared session: managed float
/// arrays pinned under <see cref="OrtValue"/>s and an <see cref="OrtIoBinding"/>, so a full-capacity call (every
/// per-event call, capacity 1) allocates nothing. A call with fewer windows wraps the same arrays in tensors of that
/// batch size (two small objects per call). Not thread-safe: one runner per kernel or batch job.
/// </summary>
internal sealed class OnnxRunner : IDisposable
{
    private readonly OnnxModel _model;
    private readonly float[] _input;
    private readonly float[] _output;
    private readonly OrtValue _inputValue;
    private readonly OrtValue _outputValue;
    private readonly OrtIoBinding _binding;
    private readonly RunOptions _runOptions;
    private readonly OrtValue[] _partialInputs = new OrtValue[1];
    private readonly OrtValue[] _partialOutputs = new OrtValue[1];
    private bool _disposed;

    public OnnxRunner(OnnxModel model, int capacity)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _model = model;
        Capacity = capacity;
        Window = model.Window;
        _input = new float[capacity * Window];
        _output = new float[capacity];
        _inputValue = OrtValue.CreateTensorValueFromMemory(_input, [capacity, Window, 1]);
        _outputValue = OrtValue.CreateTensorValueFromMemory(_output, [capacity, 1]);
        _runOptions = new RunOptions();
        _binding = model.Session.CreateIoBinding();
        _binding.BindInput(model.InputNames[0], _inputValue);
        _binding.BindOutput(model.OutputNames[0], _outputValue);
        _binding.SynchronizeBoundInputs();
    }

    /// <summary>The most windows one call takes.</summary>
    public int Capacity { get; }

    /// <summary>Values per window.</summary>
    public int Window { get; }

    /// <summary>The input windows, one after another (<see cref="Capacity"/> × <see cref="Window"/> values).</summary>
    public Span<float> Input => _input;

    /// <summary>The outputs of the last call, one per window.</summary>
    public ReadOnlySpan<float> Output => _output;

    /// <summary>Runs the network on the first <paramref name="count"/> windows of <see cref="Input"/>.</summary>
    public void Run(int count)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (count == Capacity)
        {
            _model.Session.RunWithBinding(_runOptions, _binding);
            return;
        }

        ArgumentOutOfRangeException.ThrowIfLessThan(count, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(count, Capacity);
        using var input = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _input.AsMemory(0, count * Window), [count, Window, 1]);
        using var output = OrtValue.CreateTensorValueFromMemory(OrtMemoryInfo.DefaultInstance, _output.AsMemory(0, count), [count, 1]);
        _partialInputs[0] = input;
        _partialOutputs[0] = output;
        try
        {
            _model.Session.Run(_runOptions, _model.InputNames, _partialInputs, _model.OutputNames, _partialOutputs);
        }
        finally
        {
            _partialInputs[0] = null!;
            _partialOutputs[0] = null!;
        }
    }

    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        _binding.Dispose();
        _runOptions.Dispose();
        _inputValue.Dispose();
        _outputValue.Dispose();
    }
}
