using Workbench.Data.ParquetEncoding;

namespace Workbench.Data.Decoding;

/// <summary>
/// The fields of a Parquet page header the chunk decoder uses (<c>PageHeader</c> and its data, dictionary and v2
/// headers in parquet.thrift); statistics, CRC and index pages are skipped.
/// </summary>
internal readonly struct PageHeader
{
    private PageHeader(ParquetPageType kind, int uncompressed, int compressed, int values, int encoding, int definitionEncoding, int repetitionEncoding,
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

    public ParquetPageType Kind { get; }

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
        int values = -1, encoding = -1, definition = (int)ParquetEncodingKind.Rle, repetition = (int)ParquetEncodingKind.Rle, nulls = 0, definitionBytes = 0, repetitionBytes = 0;
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
                case 5 when fieldType == (int)CompactType.Struct:
                    sawBody = true;
                    ReadDataPageHeader(ref reader, out values, out encoding, out definition, out repetition);
                    break;
                case 7 when fieldType == (int)CompactType.Struct:
                    sawBody = true;
                    ReadDictionaryPageHeader(ref reader, out values, out encoding);
                    break;
                case 8 when fieldType == (int)CompactType.Struct:
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

        var kind = (ParquetPageType)type.Value;
        if (kind is not (ParquetPageType.DataPage or ParquetPageType.DictionaryPage or ParquetPageType.DataPageV2))
        {
            if (kind == ParquetPageType.IndexPage)
            {
                throw new ChunkNotSupportedException("an index page");
            }

            throw new ChunkDecodeException($"unknown page type {type}");
        }

        if (!sawBody || values < 0 || encoding < 0)
        {
            throw new ChunkDecodeException($"the {kind} header lacks its value count or encoding");
        }

        if (kind == ParquetPageType.DataPageV2 && (nulls < 0 || nulls > values || definitionBytes < 0 || repetitionBytes < 0 || (long)definitionBytes + repetitionBytes > compressed.Value))
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
        definition = (int)ParquetEncodingKind.Rle;
        repetition = (int)ParquetEncodingKind.Rle;
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
