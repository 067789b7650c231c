namespace Workbench.Data;

/// <summary>
/// The columns of one row group being assembled by <see cref="LabeledDatasetWriter"/>, already in the shape
/// Parquet.Net writes: nullable columns as their non-null values plus definition levels (1 = present, 0 = null).
/// Grows geometrically up to the row group size so small files do not allocate a full row group.
/// </summary>
internal sealed class RowGroupBuffer
{
    private const int InitialCapacity = 1 << 16;

    public RowGroupBuffer(int maxRows)
    {
        MaxRows = maxRows;
        Allocate(Math.Min(maxRows, InitialCapacity));
    }

    public int MaxRows { get; }

    public int Capacity => SeriesIds.Length;

    /// <summary>Rows in the buffer.</summary>
    public int Count { get; set; }

    /// <summary>Non-null entries in <see cref="Values"/>, <see cref="Kinds"/>, <see cref="Ids"/>.</summary>
    public int ValueCount { get; set; }

    public int KindCount { get; set; }

    public int IdCount { get; set; }

    public ReadOnlyMemory<char>[] Series { get; private set; } = null!;

    public int[] SeriesIds { get; private set; } = null!;

    public DateTime[] Timestamps { get; private set; } = null!;

    public double[] Values { get; private set; } = null!;

    public int[] ValueLevels { get; private set; } = null!;

    public bool[] IsAnomaly { get; private set; } = null!;

    public ReadOnlyMemory<char>[] Kinds { get; private set; } = null!;

    public int[] KindLevels { get; private set; } = null!;

    public int[] Ids { get; private set; } = null!;

    public int[] IdLevels { get; private set; } = null!;

    public void Clear()
    {
        Count = 0;
        ValueCount = 0;
        KindCount = 0;
        IdCount = 0;
        // Drop references to kind names so a reused buffer does not pin strings (the series table is kept anyway).
        Array.Clear(Kinds);
    }

    /// <summary>Makes room for <paramref name="rows"/> rows in total (at most <see cref="MaxRows"/>).</summary>
    public void EnsureCapacity(int rows)
    {
        if (rows <= Capacity)
        {
            return;
        }

        var capacity = Capacity;
        while (capacity < rows)
        {
            capacity = (int)Math.Min((long)capacity * 2, MaxRows);
        }

        Grow(capacity);
    }

    private void Allocate(int capacity)
    {
        Series = new ReadOnlyMemory<char>[capacity];
        SeriesIds = new int[capacity];
        Timestamps = new DateTime[capacity];
        Values = new double[capacity];
        ValueLevels = new int[capacity];
        IsAnomaly = new bool[capacity];
        Kinds = new ReadOnlyMemory<char>[capacity];
        KindLevels = new int[capacity];
        Ids = new int[capacity];
        IdLevels = new int[capacity];
    }

    private void Grow(int capacity)
    {
        Series = Resize(Series, capacity, Count);
        SeriesIds = Resize(SeriesIds, capacity, Count);
        Timestamps = Resize(Timestamps, capacity, Count);
        Values = Resize(Values, capacity, ValueCount);
        ValueLevels = Resize(ValueLevels, capacity, Count);
        IsAnomaly = Resize(IsAnomaly, capacity, Count);
        Kinds = Resize(Kinds, capacity, KindCount);
        KindLevels = Resize(KindLevels, capacity, Count);
        Ids = Resize(Ids, capacity, IdCount);
        IdLevels = Resize(IdLevels, capacity, Count);
    }

    private static T[] Resize<T>(T[] array, int capacity, int used)
    {
        var resized = new T[capacity];
        Array.Copy(array, resized, used);
        return resized;
    }
}

/// <summary>
/// Row group buffers shared by the writers of one part folder (<see cref="LabeledDatasetPartsWriter"/>), so a new part
/// reuses the buffers of a finished one instead of allocating (and the GC zeroing and compacting) tens of MB per part.
/// Thread-safe: parts are finished on workers.
/// </summary>
internal sealed class RowGroupBufferPool(int maxRows, int capacity)
{
    private readonly Stack<RowGroupBuffer> _free = new();

    public RowGroupBuffer Rent()
    {
        lock (_free)
        {
            if (_free.TryPop(out var buffer))
            {
                return buffer;
            }
        }

        return new RowGroupBuffer(maxRows);
    }

    public void Return(RowGroupBuffer? buffer)
    {
        if (buffer is null || buffer.MaxRows != maxRows)
        {
            return;
        }

        buffer.Clear();
        lock (_free)
        {
            if (_free.Count < capacity)
            {
                _free.Push(buffer);
            }
        }
    }
}
