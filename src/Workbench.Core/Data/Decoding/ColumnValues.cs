namespace Workbench.Data.Decoding;

/// <summary>
/// Where one column's decoded values go (a fixed destination array, reused for every row group) and its dictionary,
/// for the page walk of <see cref="ColumnChunkDecoder"/>: PLAIN values are decoded straight into the destination,
/// dictionary-encoded ones are gathered from the dictionary by index.
/// </summary>
internal abstract class ColumnValues
{
    /// <summary>Entries of the current chunk's dictionary.</summary>
    public int DictionaryCount { get; protected set; }

    /// <summary>Capacity of the destination.</summary>
    public abstract int Capacity { get; }

    /// <summary>Starts a chunk: forgets the previous chunk's dictionary (and strings).</summary>
    public virtual void BeginChunk() => DictionaryCount = 0;

    /// <summary>Decodes a PLAIN dictionary page of <paramref name="count"/> entries.</summary>
    public abstract void LoadDictionary(ReadOnlySpan<byte> data, int count);

    /// <summary>Decodes <paramref name="count"/> PLAIN values into the destination from index <paramref name="offset"/>.</summary>
    public abstract void ReadPlain(ReadOnlySpan<byte> data, int offset, int count);

    /// <summary>Copies the dictionary entries named by <paramref name="indices"/> (already checked in range) from index <paramref name="offset"/>.</summary>
    public abstract void Gather(ReadOnlySpan<int> indices, int offset);

    /// <summary>The number of entries <paramref name="bytes"/> bytes can hold at most (bounds a dictionary's claimed size).</summary>
    public abstract long MaxEntries(int bytes);

    protected static T[] Ensure<T>(T[] array, int count) => array.Length >= count ? array : new T[Math.Max(count, array.Length * 2)];
}

/// <summary>Values of a fixed-width physical type, decoded by a PLAIN reader.</summary>
internal sealed class FixedColumnValues<T> : ColumnValues
{
    private readonly T[] _target;
    private readonly int _width;
    private readonly PlainReader _plain;
    private T[] _dictionary = [];

    public FixedColumnValues(T[] target, int width, PlainReader plain)
    {
        _target = target;
        _width = width;
        _plain = plain;
    }

    public delegate int PlainReader(ReadOnlySpan<byte> data, Span<T> output);

    public override int Capacity => _target.Length;

    public override long MaxEntries(int bytes) => _width == 0 ? (long)bytes * 8 : bytes / _width;

    public override void LoadDictionary(ReadOnlySpan<byte> data, int count)
    {
        _dictionary = Ensure(_dictionary, count);
        _plain(data, _dictionary.AsSpan(0, count));
        DictionaryCount = count;
    }

    public override void ReadPlain(ReadOnlySpan<byte> data, int offset, int count) => _plain(data, _target.AsSpan(offset, count));

    public override void Gather(ReadOnlySpan<int> indices, int offset)
    {
        var dictionary = _dictionary;
        var target = _target.AsSpan(offset, indices.Length);
        for (var i = 0; i < indices.Length; i++)
        {
            target[i] = dictionary[indices[i]];
        }
    }
}

/// <summary>UTF-8 strings (BYTE_ARRAY), decoded into a reused <see cref="CharArena"/>.</summary>
internal sealed class StringColumnValues : ColumnValues
{
    private readonly ReadOnlyMemory<char>[] _target;
    private readonly CharArena _chars = new();
    private ReadOnlyMemory<char>[] _dictionary = [];

    public StringColumnValues(ReadOnlyMemory<char>[] target) => _target = target;

    public override int Capacity => _target.Length;

    public override void BeginChunk()
    {
        base.BeginChunk();
        _chars.Reset();
    }

    public override long MaxEntries(int bytes) => bytes / sizeof(int);

    public override void LoadDictionary(ReadOnlySpan<byte> data, int count)
    {
        _dictionary = Ensure(_dictionary, count);
        _chars.Reserve(data.Length);
        PlainDecoder.Utf8(data, _dictionary.AsSpan(0, count), _chars);
        DictionaryCount = count;
    }

    public override void ReadPlain(ReadOnlySpan<byte> data, int offset, int count)
    {
        _chars.Reserve(data.Length);
        PlainDecoder.Utf8(data, _target.AsSpan(offset, count), _chars);
    }

    public override void Gather(ReadOnlySpan<int> indices, int offset)
    {
        var dictionary = _dictionary;
        var target = _target.AsSpan(offset, indices.Length);
        for (var i = 0; i < indices.Length; i++)
        {
            target[i] = dictionary[indices[i]];
        }
    }
}
