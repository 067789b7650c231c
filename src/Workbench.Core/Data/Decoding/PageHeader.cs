namespace Workbench.Data.Decoding;

/// <summary>Parquet page types (<c>PageType</c> in parquet.thrift).</summary>
internal enum PageKind
{
    DataPage = 0,
    IndexPage = 1,
    DictionaryPage = 2,
    DataPageV2 = 3,
}

/// <summary>Parquet value and level encodings this decoder knows by number (<c>Encoding</c> in parquet.thrift).</summary>
internal static class PageEncoding
{
    public const int Plain = 0;
    public const int PlainDictionary = 2;
    public const int Rle = 3;
    public const int BitPacked = 4;
    public const int RleDictionary = 8;

    public static bool IsDictionary(int encoding) => encoding is PlainDictionary or RleDictionary;
}

/// <summary>
/// The fields of a Parquet page header the chunk decoder uses (<c>PageHeader</c> and its data, dictionary and v2
/// headers in parquet.thrift); statistics, CRC and index pages are skipped.
/// </summary>
internal readonly struct PageHeader
{
    private PageHeader(PageKind kind, int uncompressed, int compressed, int values, int encoding, int definitionEncoding, int repetitionEncoding,
        int nulls, int definitionBytes, int repetitionBytes, bool compressedValues, int headerBytes)
    {
        Kind = kind;
        UncompressedSize = uncompressed;
        CompressedSize = compressed;
        ValueCount = values;
        Encoding = encoding;
        DefinitionLevelEncoding = definitionEncoding;
        RepetitionLevelEncoding = repetitionEncoding;
        NullCount = nulls;
        DefinitionLevelBytes = definitionBytes;
        RepetitionLevelBytes = repetitionBytes;
        IsCompressed = compressedValues;
        HeaderSize = headerBytes;
    }

    public PageKind Kind { get; }

    public int UncompressedSize { get; }

    public int CompressedSize { get; }

    /// <summary>Data pages: values including nulls (one per level); dictionary pages: entries.</summary>
    public int ValueCount { get; }

    public int Encoding { get; }

    public int DefinitionLevelEncoding { get; }

    public int RepetitionLevelEncoding { get; }

    /// <summary>v2 only.</summary>
    public int NullCount { get; }

    /// <summary>v2 only: the uncompressed definition levels' length, before the values.</summary>
    public int DefinitionLevelBytes { get; }

    /// <summary>v2 only.</summary>
    public int RepetitionLevelBytes { get; }

    /// <summary>v2 only (v1 pages are always compressed with the chunk's codec).</summary>
    public bool IsCompressed { get; }

    /// <summary>The header's own length in bytes; the page's bytes follow it.</summary>
    public int HeaderSize { get; }

    /// <summary>Parses the header at the start of <paramref name="data"/>.</summary>
    /// <exception cref="ChunkDecodeException">The bytes are not a well-formed page header.</exception>
    /// <exception cref="ChunkNotSupportedException">A page type this decoder does not read.</exception>
    public static PageHeader Parse(ReadOnlySpan<byte> data)
    {
        var reader = new CompactThriftReader(data);
        int? type = null, uncompressed = null, compressed = null;
        int values = -1, encoding = -1, definition = PageEncoding.Rle, repetition = PageEncoding.Rle, nulls = 0, definitionBytes = 0, repetitionBytes = 0;
        var isCompressed = true;
        var sawBody = false;
        short id = 0;
        while (reader.NextField(ref id, out var fieldType))
        {
            switch (id)
            {
                case 1:
                    type = reader.ReadI32(fieldType);
                    break;
                case 2:
                    uncompressed = reader.ReadI32(fieldType);
                    break;
                case 3:
                    compressed = reader.ReadI32(fieldType);
                    break;
                case 5 when fieldType == CompactThriftReader.Struct:
                    sawBody = true;
                    ReadDataPageHeader(ref reader, out values, out encoding, out definition, out repetition);
                    break;
                case 7 when fieldType == CompactThriftReader.Struct:
                    sawBody = true;
                    ReadDictionaryPageHeader(ref reader, out values, out encoding);
                    break;
                case 8 when fieldType == CompactThriftReader.Struct:
                    sawBody = true;
                    ReadDataPageHeaderV2(ref reader, out values, out nulls, out encoding, out definitionBytes, out repetitionBytes, out isCompressed);
                    break;
                default:
                    reader.Skip(fieldType);
                    break;
            }
        }

        if (type is null || uncompressed is null || compressed is null)
        {
            throw new ChunkDecodeException("the page header lacks its type or sizes");
        }

        if (uncompressed < 0 || compressed < 0)
        {
            throw new ChunkDecodeException($"the page header gives negative sizes ({compressed} compressed, {uncompressed} uncompressed)");
        }

        var kind = (PageKind)type.Value;
        if (kind is not (PageKind.DataPage or PageKind.DictionaryPage or PageKind.DataPageV2))
        {
            if (kind == PageKind.IndexPage)
            {
                throw new ChunkNotSupportedException("an index page");
            }

            throw new ChunkDecodeException($"unknown page type {type}");
        }

        if (!sawBody || values < 0 || encoding < 0)
        {
            throw new ChunkDecodeException($"the {kind} header lacks its value count or encoding");
        }

        if (kind == PageKind.DataPageV2 && (nulls < 0 || nulls > values || definitionBytes < 0 || repetitionBytes < 0 || (long)definitionBytes + repetitionBytes > compressed.Value))
        {
            throw new ChunkDecodeException("the v2 page header's null count or level lengths do not fit the page");
        }

        return new PageHeader(kind, uncompressed.Value, compressed.Value, values, encoding, definition, repetition,
            nulls, definitionBytes, repetitionBytes, isCompressed, reader.Position);
    }

    private static void ReadDataPageHeader(ref CompactThriftReader reader, out int values, out int encoding, out int definition, out int repetition)
    {
        values = -1;
        encoding = -1;
        definition = PageEncoding.Rle;
        repetition = PageEncoding.Rle;
        short id = 0;
        while (reader.NextField(ref id, out var type))
        {
            switch (id)
            {
                case 1:
                    values = reader.ReadI32(type);
                    break;
                case 2:
                    encoding = reader.ReadI32(type);
                    break;
                case 3:
                    definition = reader.ReadI32(type);
                    break;
                case 4:
                    repetition = reader.ReadI32(type);
                    break;
                default:
                    reader.Skip(type);
                    break;
            }
        }
    }

    private static void ReadDictionaryPageHeader(ref CompactThriftReader reader, out int values, out int encoding)
    {
        values = -1;
        encoding = -1;
        short id = 0;
        while (reader.NextField(ref id, out var type))
        {
            switch (id)
            {
                case 1:
                    values = reader.ReadI32(type);
                    break;
                case 2:
                    encoding = reader.ReadI32(type);
                    break;
                default:
                    reader.Skip(type);
                    break;
            }
        }
    }

    private static void ReadDataPageHeaderV2(ref CompactThriftReader reader, out int values, out int nulls, out int encoding,
        out int definitionBytes, out int repetitionBytes, out bool isCompressed)
    {
        values = -1;
        nulls = -1;
        encoding = -1;
        definitionBytes = -1;
        repetitionBytes = 0;
        isCompressed = true;
        short id = 0;
        while (reader.NextField(ref id, out var type))
        {
            switch (id)
            {
                case 1:
                    values = reader.ReadI32(type);
                    break;
                case 2:
                    nulls = reader.ReadI32(type);
                    break;
                case 4:
                    encoding = reader.ReadI32(type);
                    break;
                case 5:
                    definitionBytes = reader.ReadI32(type);
                    break;
                case 6:
                    repetitionBytes = reader.ReadI32(type);
                    break;
                case 7:
                    isCompressed = CompactThriftReader.BoolOf(type);
                    break;
                default:
                    reader.Skip(type);
                    break;
            }
        }
    }
}
