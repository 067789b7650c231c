namespace Workbench.Replay;

/// <summary>
/// Numbers series names in order of first appearance, for a chunked replay's <see cref="Workbench.Core.ObservationBatch.SeriesNames"/>.
/// Built for interleaved streams: it predicts that a series is followed by the series that followed it last time
/// (one reference comparison for a stream cycling through its series), then tries the same string instance,
/// then the name. One per subscription; not thread-safe.
/// </summary>
internal sealed class SeriesNumbering
{
    /// <summary>Instances looked up by reference are remembered up to this many, so a source that makes a new string per row cannot grow the map without bound.</summary>
    private const int MaxInstances = 1 << 16;

    private readonly List<string> _names = [];
    private readonly Dictionary<string, int> _byName = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _byInstance = new(ReferenceEqualityComparer.Instance);
    private string[] _array = new string[16];
    private int[] _follower = NewFollowers(16);
    private int _last = -1;

    /// <summary>The table: id → name. Grows; never reorders.</summary>
    public IReadOnlyList<string> Names => _names;

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public int IdOf(string series)
    {
        var last = _last;
        if (last >= 0)
        {
            var predicted = _follower[last];
            if (predicted >= 0 && ReferenceEquals(_array[predicted], series))
            {
                _last = predicted;
                return predicted;
            }

            if (ReferenceEquals(_array[last], series))
            {
                return last;
            }
        }

        var id = Slow(series);
        if (last >= 0)
        {
            _follower[last] = id;
        }

        _last = id;
        return id;
    }

    private static int[] NewFollowers(int length)
    {
        var followers = new int[length];
        Array.Fill(followers, -1);
        return followers;
    }

    private int Slow(string series)
    {
        if (_byInstance.TryGetValue(series, out var id))
        {
            return id;
        }

        if (!_byName.TryGetValue(series, out id))
        {
            id = _names.Count;
            _names.Add(series);
            _byName.Add(series, id);
            if (id == _array.Length)
            {
                Array.Resize(ref _array, id * 2);
                var grown = NewFollowers(id * 2);
                Array.Copy(_follower, grown, id);
                _follower = grown;
            }

            _array[id] = series;
            _follower[id] = -1;
        }

        if (_byInstance.Count < MaxInstances)
        {
            _byInstance.Add(series, id);
        }

        return id;
    }
}
