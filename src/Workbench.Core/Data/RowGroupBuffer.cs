namespace Workbench.Data;

/// <summary>
/// The columns of one row group being assembled by <see cref="LabeledDatasetWriter"/>, in the shape the encoder
/// (<see cref="ParquetEncoding.LabeledRowGroupEncoder"/>) writes: nullable columns as their non-null values plus
/// definition levels (1 = present, 0 = null), timestamps as ticks, anomaly kinds as indices into
/// <see cref="KindTable"/>. Grows geometrically up to the row group size so small files do not allocate a full row group.
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

    /// <summary>Non-null entries in <see cref="Values"/>, <see cref="KindIds"/>, <see cref="Ids"/>.</summary>
    public int ValueCount { get; set; }

    public int KindCount { get; set; }

    public int IdCount { get; set; }

    /// <summary>The series table the ids refer to (the writer's, as it was when the buffer was handed to the encoder).</summary>
    public string[] SeriesTable { get; set; } = [];

    /// <summary>The anomaly kind names <see cref="KindIds"/> refer to (the writer's, as it was when the buffer was handed to the encoder).</summary>
    public string[] KindTable { get; set; } = [];

    public int[] SeriesIds { get; private set; } = null!;

    /// <summary><see cref="DateTime.Ticks"/> of each row's UTC timestamp (whole milliseconds).</summary>
    public long[] Ticks { get; private set; } = null!;

    public double[] Values { get; private set; } = null!;

    public byte[] ValueLevels { get; private set; } = null!;

    public bool[] IsAnomaly { get; private set; } = null!;

    public int[] KindIds { get; private set; } = null!;

    public byte[] KindLevels { get; private set; } = null!;

    public int[] Ids { get; private set; } = null!;

    public byte[] IdLevels { get; private set; } = null!;

    public void Clear()
    {
        Count = 0;
        ValueCount = 0;
        KindCount = 0;
        IdCount = 0;
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
        SeriesIds = new int[capacity];
        Ticks = new long[capacity];
        Values = new double[capacity];
        ValueLevels = new byte[capacity];
        IsAnomaly = new bool[capacity];
        KindIds = new int[capacity];
        KindLevels = new byte[capacity];
        Ids = new int[capacity];
        IdLevels = new byte[capacity];
    }

    private void Grow(int capacity)
    {
        SeriesIds = Resize(SeriesIds, capacity, Count);
        Ticks = Resize(Ticks, capacity, Count);
        Values = Resize(Values, capacity, ValueCount);
        ValueLevels = Resize(ValueLevels, capacity, Count);
        IsAnomaly = Resize(IsAnomaly, capacity, Count);
        KindIds = Resize(KindIds, capacity, KindCount);
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
