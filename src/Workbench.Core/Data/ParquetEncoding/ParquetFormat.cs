namespace Workbench.Data.ParquetEncoding;

/// <summary>Parquet physical types (parquet.thrift <c>Type</c>) the dataset writer uses.</summary>
internal enum PhysicalType
{
    Boolean = 0,
    Int32 = 1,
    Int64 = 2,
    Double = 5,
    ByteArray = 6,
}

/// <summary>Parquet encodings (parquet.thrift <c>Encoding</c>) the dataset writer uses.</summary>
internal enum ParquetEncodingKind
{
    Plain = 0,

    /// <summary>The dictionary encoding of format 1 data pages: the dictionary page and the data pages' indices (as Parquet.Net and parquet-mr write them).</summary>
    PlainDictionary = 2,

    /// <summary>RLE/bit-packed hybrid, here for definition levels.</summary>
    Rle = 3,
}

/// <summary>Compression codecs (parquet.thrift <c>CompressionCodec</c>) the dataset writer uses.</summary>
internal enum ParquetCodec
{
    Uncompressed = 0,
    Snappy = 1,
}

/// <summary>Page types (parquet.thrift <c>PageType</c>) the dataset writer uses.</summary>
internal enum ParquetPageType
{
    DataPage = 0,
    DictionaryPage = 2,
}

/// <summary>Field repetition (parquet.thrift <c>FieldRepetitionType</c>).</summary>
internal enum Repetition
{
    Required = 0,
    Optional = 1,
}

/// <summary>Element and field types of the Thrift compact protocol.</summary>
internal enum CompactType : byte
{
    Stop = 0,
    BooleanTrue = 1,
    BooleanFalse = 2,
    Byte = 3,
    I16 = 4,
    I32 = 5,
    I64 = 6,
    Double = 7,
    Binary = 8,
    List = 9,
    Set = 10,
    Map = 11,
    Struct = 12,
}
