namespace Workbench.Data.Decoding;

/// <summary>
/// The own column-chunk decoder found bytes it cannot decode: a damaged page header, a truncated page, an index outside
/// the dictionary, a level or value count that disagrees with the row group. The reader turns it into
/// <see cref="DatasetFormatException.CorruptRowGroup"/> naming the column.
/// </summary>
internal sealed class ChunkDecodeException : Exception
{
    public ChunkDecodeException(string message)
        : base(message)
    {
    }

    public ChunkDecodeException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public ChunkDecodeException()
    {
    }
}

/// <summary>
/// The chunk uses something the own decoder does not implement (an encoding, codec or page type outside its contract):
/// the reader decodes that chunk with Parquet.Net instead.
/// </summary>
internal sealed class ChunkNotSupportedException : Exception
{
    public ChunkNotSupportedException(string message)
        : base(message)
    {
    }

    public ChunkNotSupportedException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public ChunkNotSupportedException()
    {
    }
}
