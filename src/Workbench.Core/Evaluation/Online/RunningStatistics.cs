namespace Workbench.Evaluation.Online;

/// <summary>Neumaier-compensated running sum: adding and removing terms in any order keeps the error near one rounding.</summary>
internal struct CompensatedSum
{
    private double _sum;
    private double _compensation;

    public readonly double Value => _sum + _compensation;

    public void Add(double x)
    {
        var t = _sum + x;
        _compensation += Math.Abs(_sum) >= Math.Abs(x) ? (_sum - t) + x : (x - t) + _sum;
        _sum = t;
    }

    public void Reset()
    {
        _sum = 0;
        _compensation = 0;
    }
}

/// <summary>
/// Running median of integer values by two heaps (O(log n) per insert, O(1) to read): the lower half in a max-heap,
/// the upper half in a min-heap, the lower one holding the extra value of an odd count.
/// </summary>
internal sealed class RunningMedian
{
    private readonly PriorityQueue<long, long> _lower = new(); // max-heap: priority = −value
    private readonly PriorityQueue<long, long> _upper = new(); // min-heap

    public int Count => _lower.Count + _upper.Count;

    public void Add(long value)
    {
        if (_lower.Count == 0 || value <= _lower.Peek())
        {
            _lower.Enqueue(value, -value);
        }
        else
        {
            _upper.Enqueue(value, value);
        }

        if (_lower.Count > _upper.Count + 1)
        {
            var v = _lower.Dequeue();
            _upper.Enqueue(v, v);
        }
        else if (_upper.Count > _lower.Count)
        {
            var v = _upper.Dequeue();
            _lower.Enqueue(v, -v);
        }
    }

    /// <summary>The middle value, or the two middle values (lower, upper) of an even count; Count must be &gt; 0.</summary>
    public (long Lower, long Upper) Middle => Count % 2 == 1 ? (_lower.Peek(), _lower.Peek()) : (_lower.Peek(), _upper.Peek());
}
