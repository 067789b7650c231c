namespace Workbench.Data.ParquetEncoding;

/// <summary>
/// What the footer needs to know about one column chunk: its encodings, codec, sizes, page offsets (relative to the
/// chunk's first byte until the chunk is placed) and statistics.
/// </summary>
internal sealed class ColumnChunkInfo
{
    public required PhysicalType Type { get; init; }

    public required string Path { get; init; }

    public required ParquetCodec Codec { get; init; }

    public required ParquetEncodingKind[] Encodings { get; init; }

    public long NumValues { get; init; }

    public long TotalUncompressedSize { get; init; }

    public long TotalCompressedSize { get; init; }

    public long DataPageOffset { get; init; }

    public long? DictionaryPageOffset { get; init; }

    public long NullCount { get; init; }

    /// <summary>The minimum in PLAIN encoding (without a length prefix for strings); null when the chunk holds no value.</summary>
    public byte[]? Min { get; init; }

    public byte[]? Max { get; init; }
}

/// <summary>
/// Assembles one column chunk in memory: an optional dictionary page, then one format 1 data page, each behind its
/// Thrift page header and compressed with the chunk's codec. Reused for every row group of its column.
/// </summary>
internal sealed class ColumnChunkBuilder(PhysicalType type, string path, ParquetCodec codec)
{
    private readonly ByteBuffer _compressed = new(1 << 16);
    private long _uncompressed;
    private long? _dictionaryOffset;
    private bool _hasDictionary;

    public PhysicalType Type { get; } = type;

    public ParquetCodec Codec { get; } = codec;

    /// <summary>The chunk's bytes: page headers and (compressed) pages.</summary>
    public ByteBuffer Chunk { get; } = new(1 << 16);

    /// <summary>Scratch for the uncompressed body of the page being built (the caller fills it, then calls an Add method).</summary>
    public ByteBuffer Page { get; } = new(1 << 16);

    public ColumnChunkBuilder Begin()
    {
        Chunk.Clear();
        Page.Clear();
        _uncompressed = 0;
        _dictionaryOffset = null;
        _hasDictionary = false;
        return this;
    }

    /// <summary>Writes <see cref="Page"/> as the dictionary page of <paramref name="count"/> PLAIN entries.</summary>
    public void AddDictionaryPage(int count)
    {
        _dictionaryOffset = Chunk.Length;
        _hasDictionary = true;
        WritePage(ParquetPageType.DictionaryPage, count, ParquetEncodingKind.PlainDictionary);
    }

    /// <summary>Writes <see cref="Page"/> as the data page of <paramref name="rows"/> values (nulls included), then returns the chunk's metadata.</summary>
    public ColumnChunkInfo AddDataPage(int rows, ParquetEncodingKind encoding, long nullCount, byte[]? min, byte[]? max)
    {
        var dataOffset = Chunk.Length;
        WritePage(ParquetPageType.DataPage, rows, encoding);
        return new ColumnChunkInfo
        {
            Type = Type,
            Path = path,
            Codec = Codec,
            Encodings = _hasDictionary ? [ParquetEncodingKind.PlainDictionary, ParquetEncodingKind.Rle] : [ParquetEncodingKind.Plain, ParquetEncodingKind.Rle],
            NumValues = rows,
            TotalUncompressedSize = _uncompressed,
            TotalCompressedSize = Chunk.Length,
            DataPageOffset = dataOffset,
            DictionaryPageOffset = _dictionaryOffset,
            NullCount = nullCount,
            Min = min,
            Max = max,
        };
    }

    private void WritePage(ParquetPageType pageType, int count, ParquetEncodingKind encoding)
    {
        var body = Page.Written;
        ReadOnlySpan<byte> stored = body;
        if (Codec == ParquetCodec.Snappy)
        {
            _compressed.Clear();
            var written = Snappier.Snappy.Compress(body, _compressed.GetSpan(Snappier.Snappy.GetMaxCompressedLength(body.Length)));
            _compressed.Advance(written);
            stored = _compressed.Written;
        }

        var headerStart = Chunk.Length;
        var h = new ThriftCompactWriter(Chunk);
        h.BeginStruct();
        h.I32Field(1, (int)pageType);
        h.I32Field(2, body.Length);
        h.I32Field(3, stored.Length);
        if (pageType == ParquetPageType.DataPage)
        {
            h.BeginStructField(5);
            h.I32Field(1, count);
            h.I32Field(2, (int)encoding);
            h.I32Field(3, (int)ParquetEncodingKind.Rle);
            h.I32Field(4, (int)ParquetEncodingKind.Rle);
            h.EndStruct();
        }
        else
        {
            h.BeginStructField(7);
            h.I32Field(1, count);
            h.I32Field(2, (int)encoding);
            h.EndStruct();
        }

        h.EndStruct();
        _uncompressed += Chunk.Length - headerStart + body.Length;
        Chunk.Write(stored);
        Page.Clear();
    }
}
