namespace Workbench.Onnx;

/// <summary>
/// The normalised input window of one series: a ring of the last <c>window</c> rows, each a present value or the
/// model's own one-step forecast imputed for a missing row. Implements the missing-value rule shared by the
/// streaming kernel and the batch engine (see <see cref="OnnxForecaster"/>): a missing row is imputed while the window
/// is full and the run of consecutive missing rows is at most <c>maxGap</c>; otherwise the window is cleared and
/// warm-up starts again.
/// </summary>
internal sealed class OnnxWindow(int window)
{
    private readonly float[] _ring = new float[window];
    private int _head;

    /// <summary>Rows in the window (≤ window); the model forecasts only when it is full.</summary>
    public int Count { get; private set; }

    /// <summary>Consecutive missing rows imputed since the last present value.</summary>
    public int Gap { get; private set; }

    /// <summary>Whether the window holds a full window of rows.</summary>
    public bool IsFull => Count == _ring.Length;

    /// <summary>Copies the window, oldest first, to <paramref name="destination"/> (its length is the window).</summary>
    public void CopyTo(Span<float> destination)
    {
        var older = _ring.AsSpan(_head);
        older.CopyTo(destination);
        _ring.AsSpan(0, _head).CopyTo(destination[older.Length..]);
    }

    /// <summary>Whether a missing row now would be imputed (rather than clear the window).</summary>
    public bool CanImpute(int maxGap) => IsFull && Gap < maxGap;

    /// <summary>Appends a present value (normalised).</summary>
    public void AddPresent(float normalised)
    {
        Push(normalised);
        Gap = 0;
    }

    /// <summary>Appends the forecast imputed for a missing row (normalised network output).</summary>
    public void AddImputed(float forecast)
    {
        Push(forecast);
        Gap++;
    }

    /// <summary>Forgets every row: warm-up starts again.</summary>
    public void Clear()
    {
        Count = 0;
        Gap = 0;
        _head = 0;
    }

    private void Push(float value)
    {
        _ring[_head] = value;
        _head = _head + 1 == _ring.Length ? 0 : _head + 1;
        if (Count < _ring.Length)
        {
            Count++;
        }
    }
}
