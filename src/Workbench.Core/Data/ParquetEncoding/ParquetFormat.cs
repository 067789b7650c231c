namespace Workbench.Data.ParquetEncoding;

// The Parquet format constants shared by the dataset writer (ParquetEncoding/) and the reader's own column-chunk decoder
// (Decoding/), with the values of parquet.thrift and the Thrift compact protocol; each type says which side uses which
// members. The decoder keeps encodings and compact types as read (ints) and compares them with the members cast to int,
// so a value it does not know stays a number, as its error messages print it.

/// <summary>Parquet physical types (parquet.thrift <c>Type</c>); used by the dataset writer.</summary>
internal enum PhysicalType
{
    /// <summary><c>BOOLEAN</c>: one bit per value in PLAIN.</summary>
    Boolean = 0,

    /// <summary><c>INT32</c>.</summary>
    Int32 = 1,

    /// <summary><c>INT64</c>.</summary>
    Int64 = 2,

    /// <summary><c>DOUBLE</c>.</summary>
    Double = 5,

    /// <summary><c>BYTE_ARRAY</c>: a 4-byte little-endian length, then the bytes, per value in PLAIN.</summary>
    ByteArray = 6,
}

/// <summary>Parquet value and level encodings (parquet.thrift <c>Encoding</c>).</summary>
internal enum ParquetEncodingKind
{
    /// <summary><c>PLAIN</c>: written and decoded, for data pages and the dictionary page.</summary>
    Plain = 0,

    /// <summary>
    /// <c>PLAIN_DICTIONARY</c>: the dictionary encoding of format 1 data pages, for the dictionary page and the data
    /// pages' indices (as Parquet.Net and parquet-mr write them); written and decoded.
    /// </summary>
    PlainDictionary = 2,

    /// <summary><c>RLE</c>: the RLE/bit-packed hybrid, here for definition levels; written and decoded.</summary>
    Rle = 3,

    /// <summary><c>BIT_PACKED</c> (deprecated) levels: known to the decoder, which does not read them.</summary>
    BitPacked = 4,

    /// <summary><c>RLE_DICTIONARY</c>: dictionary indices of data pages (format 2 writers); decoded only.</summary>
    RleDictionary = 8,
}

/// <summary>Compression codecs of a column chunk (parquet.thrift <c>CompressionCodec</c>); written and decoded.</summary>
internal enum ParquetCodec
{
    /// <summary><c>UNCOMPRESSED</c>.</summary>
    Uncompressed = 0,

    /// <summary><c>SNAPPY</c>.</summary>
    Snappy = 1,
}

/// <summary>Page types (parquet.thrift <c>PageType</c>).</summary>
internal enum ParquetPageType
{
    /// <summary><c>DATA_PAGE</c> (format 1 data page): written and decoded.</summary>
    DataPage = 0,

    /// <summary><c>INDEX_PAGE</c>: known to the decoder, which does not read it.</summary>
    IndexPage = 1,

    /// <summary><c>DICTIONARY_PAGE</c>: written and decoded.</summary>
    DictionaryPage = 2,

    /// <summary><c>DATA_PAGE_V2</c>: decoded only.</summary>
    DataPageV2 = 3,
}

/// <summary>Field repetition (parquet.thrift <c>FieldRepetitionType</c>); used by the dataset writer.</summary>
internal enum Repetition
{
    /// <summary><c>REQUIRED</c>: no nulls, no definition levels.</summary>
    Required = 0,

    /// <summary><c>OPTIONAL</c>: nullable, with definition levels.</summary>
    Optional = 1,
}

/// <summary>
/// Element and field types of the Thrift compact protocol: written by <see cref="ThriftCompactWriter"/>, read by the
/// decoder's <c>CompactThriftReader</c>.
/// </summary>
internal enum CompactType : byte
{
    /// <summary>The end of a struct (a field header of 0).</summary>
    Stop = 0,

    /// <summary>A boolean field holding true (a field's value is in its type).</summary>
    BooleanTrue = 1,

    /// <summary>A boolean field holding false.</summary>
    BooleanFalse = 2,

    /// <summary>One byte.</summary>
    Byte = 3,

    /// <summary>A zigzag varint of up to 16 bits.</summary>
    I16 = 4,

    /// <summary>A zigzag varint of up to 32 bits.</summary>
    I32 = 5,

    /// <summary>A zigzag varint of up to 64 bits.</summary>
    I64 = 6,

    /// <summary>Eight bytes.</summary>
    Double = 7,

    /// <summary>A varint length, then the bytes.</summary>
    Binary = 8,

    /// <summary>A list: size and element type, then the elements.</summary>
    List = 9,

    /// <summary>A set, laid out as a list.</summary>
    Set = 10,

    /// <summary>A map: size, key and value types, then the entries.</summary>
    Map = 11,

    /// <summary>A struct: fields up to a <see cref="Stop"/>.</summary>
    Struct = 12,

    /// <summary>A UUID: sixteen bytes; only skipped by the decoder.</summary>
    Uuid = 13,
}
