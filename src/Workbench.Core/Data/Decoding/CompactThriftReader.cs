using Workbench.Data.ParquetEncoding;

namespace Workbench.Data.Decoding;

/// <summary>
/// Reads the Thrift compact protocol from a span, far enough for Parquet page headers: field headers, zigzag varints,
/// booleans and skipping any other value. Every read is bounded by the span; damage throws
/// <see cref="ChunkDecodeException"/>.
/// </summary>
internal ref struct CompactThriftReader
{
    private const int MaxDepth = 32;

    private readonly ReadOnlySpan<byte> _data;
    private int _position;

    public CompactThriftReader(ReadOnlySpan<byte> data)
    {
        _data = data;
        _position = 0;
    }

    /// <summary>Bytes read so far.</summary>
    public readonly int Position => _position;

    /// <summary>
    /// The next field of the current struct: its id and compact type, or false at the struct's STOP.
    /// <paramref name="lastId"/> is the previous field's id (0 at the start of a struct), for delta-encoded ids.
    /// </summary>
    public bool NextField(ref short lastId, out int type)
    {
        var header = ReadByte();
        type = header & 0x0F;
        if (type == 0)
        {
            if (header != 0)
            {
                throw new ChunkDecodeException($"malformed Thrift field header 0x{header:X2}");
            }

            return false;
        }

        var delta = header >> 4;
        var id = delta != 0 ? lastId + delta : ZigZag(ReadVarint(3));
        if (id is < short.MinValue or > short.MaxValue)
        {
            throw new ChunkDecodeException($"a Thrift field id {id}");
        }

        lastId = (short)id;
        return true;
    }

    /// <summary>A struct field's boolean: carried in its type.</summary>
    public static bool BoolOf(int type) => type switch
    {
        (int)CompactType.BooleanTrue => true,
        (int)CompactType.BooleanFalse => false,
        _ => throw new ChunkDecodeException($"a boolean field has Thrift type {type}"),
    };

    /// <summary>An i32 field (zigzag varint); other integer types are refused.</summary>
    public int ReadI32(int type)
    {
        if (type is not ((int)CompactType.I32 or (int)CompactType.I16 or (int)CompactType.Byte))
        {
            throw new ChunkDecodeException($"an i32 field has Thrift type {type}");
        }

        if (type == (int)CompactType.Byte)
        {
            return (sbyte)ReadByte();
        }

        var value = ZigZag(ReadVarint(5));
        if (value is < int.MinValue or > int.MaxValue)
        {
            throw new ChunkDecodeException($"an i32 field holds {value}");
        }

        return (int)value;
    }

    /// <summary>Skips a value of compact type <paramref name="type"/> (in a struct: booleans take no bytes).</summary>
    public void Skip(int type) => SkipValue(type, 0, inStruct: true);

    private void SkipValue(int type, int depth, bool inStruct)
    {
        if (depth > MaxDepth)
        {
            throw new ChunkDecodeException($"Thrift values nest deeper than {MaxDepth} levels");
        }

        switch (type)
        {
            case (int)CompactType.BooleanTrue:
            case (int)CompactType.BooleanFalse:
                if (!inStruct)
                {
                    Advance(1);
                }

                break;
            case (int)CompactType.Byte:
                Advance(1);
                break;
            case (int)CompactType.I16:
                ReadVarint(3);
                break;
            case (int)CompactType.I32:
                ReadVarint(5);
                break;
            case (int)CompactType.I64:
                ReadVarint(10);
                break;
            case (int)CompactType.Double:
                Advance(8);
                break;
            case (int)CompactType.Binary:
                Advance(ReadVarint(5));
                break;
            case (int)CompactType.List:
            case (int)CompactType.Set:
                {
                    var header = ReadByte();
                    long size = header >> 4;
                    if (size == 15)
                    {
                        size = ReadVarint(5);
                    }

                    var element = header & 0x0F;
                    if (size > _data.Length - _position)
                    {
                        throw new ChunkDecodeException($"a Thrift list claims {size} elements with {_data.Length - _position} bytes left");
                    }

                    for (long i = 0; i < size; i++)
                    {
                        SkipValue(element, depth + 1, inStruct: false);
                    }

                    break;
                }

            case (int)CompactType.Map:
                {
                    var size = ReadVarint(5);
                    if (size == 0)
                    {
                        break;
                    }

                    if (size > (_data.Length - _position) / 2)
                    {
                        throw new ChunkDecodeException($"a Thrift map claims {size} entries with {_data.Length - _position} bytes left");
                    }

                    var types = ReadByte();
                    for (long i = 0; i < size; i++)
                    {
                        SkipValue(types >> 4, depth + 1, inStruct: false);
                        SkipValue(types & 0x0F, depth + 1, inStruct: false);
                    }

                    break;
                }

            case (int)CompactType.Struct:
                {
                    short id = 0;
                    while (NextField(ref id, out var fieldType))
                    {
                        SkipValue(fieldType, depth + 1, inStruct: true);
                    }

                    break;
                }

            case (int)CompactType.Uuid:
                Advance(16);
                break;
            default:
                throw new ChunkDecodeException($"invalid Thrift type {type}");
        }
    }

    private byte ReadByte()
    {
        if (_position >= _data.Length)
        {
            throw new ChunkDecodeException("the page header ends early");
        }

        return _data[_position++];
    }

    private void Advance(long count)
    {
        if (count > _data.Length - _position)
        {
            throw new ChunkDecodeException($"a Thrift value of {count} bytes with {_data.Length - _position} bytes left");
        }

        _position += (int)count;
    }

    private long ReadVarint(int maxBytes)
    {
        ulong value = 0;
        var shift = 0;
        for (var i = 0; i < maxBytes; i++)
        {
            var b = ReadByte();
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return (long)value;
            }

            shift += 7;
        }

        throw new ChunkDecodeException($"a Thrift number longer than {maxBytes} bytes");
    }

    private static long ZigZag(long n) => (long)((ulong)n >> 1) ^ -(n & 1);
}
