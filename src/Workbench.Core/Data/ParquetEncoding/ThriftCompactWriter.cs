using System.Text;

namespace Workbench.Data.ParquetEncoding;

/// <summary>
/// Writes Thrift compact-protocol structs (what Parquet page headers and the footer are made of) into a
/// <see cref="ByteBuffer"/>: field headers carry the delta to the previous field id of the same struct, integers are
/// zigzag varints, binaries are length-prefixed. The caller writes fields in ascending id order and closes every
/// struct it opens.
/// </summary>
internal sealed class ThriftCompactWriter(ByteBuffer buffer)
{
    private readonly Stack<short> _outer = new();
    private short _lastField;

    public ByteBuffer Buffer { get; } = buffer;

    /// <summary>Begins a top-level struct or a struct element of a list.</summary>
    public void BeginStruct()
    {
        _outer.Push(_lastField);
        _lastField = 0;
    }

    /// <summary>Begins a struct-valued field.</summary>
    public void BeginStructField(short id)
    {
        FieldHeader(id, CompactType.Struct);
        BeginStruct();
    }

    /// <summary>Writes the STOP byte and returns to the enclosing struct.</summary>
    public void EndStruct()
    {
        Buffer.WriteByte((byte)CompactType.Stop);
        _lastField = _outer.Pop();
    }

    public void I32Field(short id, int value)
    {
        FieldHeader(id, CompactType.I32);
        Buffer.WriteVarUInt64(ZigZag(value));
    }

    public void I64Field(short id, long value)
    {
        FieldHeader(id, CompactType.I64);
        Buffer.WriteVarUInt64(ZigZag(value));
    }

    public void I16Field(short id, short value)
    {
        FieldHeader(id, CompactType.I16);
        Buffer.WriteVarUInt64(ZigZag(value));
    }

    /// <summary>An i8 field: one raw byte.</summary>
    public void ByteField(short id, sbyte value)
    {
        FieldHeader(id, CompactType.Byte);
        Buffer.WriteByte((byte)value);
    }

    public void BoolField(short id, bool value) => FieldHeader(id, value ? CompactType.BooleanTrue : CompactType.BooleanFalse);

    public void BinaryField(short id, ReadOnlySpan<byte> value)
    {
        FieldHeader(id, CompactType.Binary);
        Binary(value);
    }

    public void StringField(short id, string value)
    {
        FieldHeader(id, CompactType.Binary);
        String(value);
    }

    /// <summary>Begins a list-valued field of <paramref name="count"/> elements of <paramref name="element"/> type; write them next.</summary>
    public void ListField(short id, CompactType element, int count)
    {
        FieldHeader(id, CompactType.List);
        ListHeader(element, count);
    }

    /// <summary>An i32 list element.</summary>
    public void I32(int value) => Buffer.WriteVarUInt64(ZigZag(value));

    /// <summary>A binary list element (or field value).</summary>
    public void Binary(ReadOnlySpan<byte> value)
    {
        Buffer.WriteVarUInt64((uint)value.Length);
        Buffer.Write(value);
    }

    /// <summary>A UTF-8 string list element (or field value).</summary>
    public void String(string value)
    {
        var length = Encoding.UTF8.GetByteCount(value);
        Buffer.WriteVarUInt64((uint)length);
        Encoding.UTF8.GetBytes(value, Buffer.GetSpan(length));
        Buffer.Advance(length);
    }

    private void ListHeader(CompactType element, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        if (count < 15)
        {
            Buffer.WriteByte((byte)((count << 4) | (byte)element));
        }
        else
        {
            Buffer.WriteByte((byte)(0xF0 | (byte)element));
            Buffer.WriteVarUInt64((uint)count);
        }
    }

    private void FieldHeader(short id, CompactType type)
    {
        var delta = id - _lastField;
        if (delta is > 0 and <= 15)
        {
            Buffer.WriteByte((byte)((delta << 4) | (byte)type));
        }
        else
        {
            Buffer.WriteByte((byte)type);
            Buffer.WriteVarUInt64(ZigZag(id));
        }

        _lastField = id;
    }

    private static ulong ZigZag(int value) => (uint)((value << 1) ^ (value >> 31));

    private static ulong ZigZag(long value) => (ulong)((value << 1) ^ (value >> 63));
}
