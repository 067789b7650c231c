using Workbench.Core;

namespace Workbench.Operators.Chunked;

/// <summary>
/// The output of a chunk-aware operator for one input chunk: the input rows (<see cref="Input"/>) and one result
/// per row (<see cref="Results"/>), row <c>i</c>'s result being exactly what the per-event operator emits for that
/// observation. Reused by its operator: valid only during <c>OnNext</c>; copy what must outlive it (or flatten with
/// the <c>To…</c> operators of <see cref="ChunkFlatten"/>).
/// </summary>
/// <typeparam name="TResult">The per-row result (a detector score, a forecast point, a rolling statistic).</typeparam>
public sealed class ResultChunk<TResult>
{
    private TResult[] _results = [];
    private ObservationBatch? _input;

    /// <summary>The input chunk (the replay's batch, also valid only during <c>OnNext</c>).</summary>
    public ObservationBatch Input => _input ?? throw new InvalidOperationException("The chunk is empty.");

    /// <summary>The number of rows: the first <see cref="Count"/> rows of <see cref="Input"/> (fewer than its count only when the operator failed on the next row).</summary>
    public int Count { get; private set; }

    /// <summary>The results of the <see cref="Count"/> rows.</summary>
    public ReadOnlySpan<TResult> Results => _results.AsSpan(0, Count);

    /// <summary>Row <paramref name="index"/> as an observation (its series name looked up in the input's table).</summary>
    public LabeledObservation Observation(int index)
    {
        if ((uint)index >= (uint)Count)
        {
            throw new ArgumentOutOfRangeException(nameof(index), index, $"The chunk has {Count} rows.");
        }

        return Input[index];
    }

    /// <summary>The result buffer for an input of <paramref name="rows"/> rows (grown when needed, reused otherwise).</summary>
    internal TResult[] Buffer(int rows)
    {
        if (_results.Length < rows)
        {
            _results = new TResult[Math.Max(rows, 2 * _results.Length)];
        }

        return _results;
    }

    internal void Set(ObservationBatch input, int count)
    {
        _input = input;
        Count = count;
    }
}
