namespace Workbench.Operators;

/// <summary>
/// Per-series state for multi-series streams: one <typeparamref name="T"/> per series id, created on first use.
/// Create one per subscription (never share). The last series looked up is cached by reference, so runs of one
/// series and series ids shared from a series table cost no hashing.
/// </summary>
public sealed class SeriesState<T>(Func<T> create)
    where T : class
{
    private readonly Dictionary<string, T> _states = new(StringComparer.Ordinal);
    private string? _lastSeries;
    private T? _last;

    /// <summary>The number of series seen.</summary>
    public int Count => _states.Count;

    /// <summary>The state of <paramref name="series"/>, created when first seen.</summary>
    public T For(string series)
    {
        if (ReferenceEquals(series, _lastSeries))
        {
            return _last!;
        }

        if (!_states.TryGetValue(series, out var state))
        {
            state = create();
            _states.Add(series, state);
        }

        _lastSeries = series;
        _last = state;
        return state;
    }

    /// <summary>The series seen so far with their state.</summary>
    public IEnumerable<KeyValuePair<string, T>> All => _states;
}
