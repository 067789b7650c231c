using System.Runtime.InteropServices;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;

namespace Workbench.Onnx;

/// <summary>
/// Pre-allocated inference buffers for up to <see cref="Capacity"/> windows over one shared session: float arrays on
/// the pinned object heap wrapped (by address) in <see cref="OrtValue"/>s and bound once in an
/// <see cref="OrtIoBinding"/>, so a full-capacity call (every per-event call, capacity 1) allocates nothing. A call with
/// fewer windows wraps the same arrays in tensors of that batch size (two small objects per call). Not thread-safe:
/// one runner per kernel or batch job.
/// </summary>
/// <remarks>
/// The arrays are allocated pinned rather than pinned by the <see cref="OrtValue"/> (<c>CreateTensorValueFromMemory</c>
/// pins with a handle that only <c>Dispose</c> releases): kernels created by the Rx operator are never disposed, and a
/// finalized <see cref="OrtValue"/> would otherwise leave its array pinned for ever. Here a runner that is dropped
/// undisposed is reclaimed entirely by the GC and the finalizers of the native handles.
/// </remarks>
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
        _input = GC.AllocateArray<float>(capacity * Window, pinned: true);
        _output = GC.AllocateArray<float>(capacity, pinned: true);
        _inputValue = Wrap(_input, capacity * Window, [capacity, Window, 1]);
        _outputValue = Wrap(_output, capacity, [capacity, 1]);
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
        using var input = Wrap(_input, count * Window, [count, Window, 1]);
        using var output = Wrap(_output, count, [count, 1]);
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

    /// <summary>A float tensor over the first <paramref name="length"/> elements of a pinned-heap array (no copy, no pin handle).</summary>
    private static OrtValue Wrap(float[] pinned, int length, long[] shape) =>
        OrtValue.CreateTensorValueWithData(
            OrtMemoryInfo.DefaultInstance, TensorElementType.Float, shape, Marshal.UnsafeAddrOfPinnedArrayElement(pinned, 0), (long)length * sizeof(float));

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
