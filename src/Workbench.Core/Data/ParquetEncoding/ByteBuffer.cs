using System.Buffers.Binary;
using System.Runtime.CompilerServices;

namespace Workbench.Data.ParquetEncoding;

/// <summary>
/// A growable byte array written front to back: the bytes of one column chunk (page headers and pages) or one footer
/// while they are assembled. Reused across row groups (<see cref="Clear"/> keeps the array), so a writer in steady
/// state allocates nothing per row group.
/// </summary>
internal sealed class ByteBuffer(int capacity = 1024)
{
    private byte[] _bytes = new byte[Math.Max(16, capacity)];

    /// <summary>Bytes written so far.</summary>
    public int Length { get; private set; }

    /// <summary>The bytes written so far.</summary>
    public ReadOnlySpan<byte> Written => _bytes.AsSpan(0, Length);

    /// <summary>The bytes written so far, as memory (valid until the next write or <see cref="Clear"/>).</summary>
    public ReadOnlyMemory<byte> WrittenMemory => _bytes.AsMemory(0, Length);

    /// <summary>Forgets the content, keeps the array.</summary>
    public void Clear() => Length = 0;

    /// <summary>Makes room for <paramref name="count"/> more bytes and returns them (to be filled, then committed with <see cref="Advance"/>).</summary>
    public Span<byte> GetSpan(int count)
    {
        if (_bytes.Length - Length < count)
        {
            Grow(count);
        }

        return _bytes.AsSpan(Length, count);
    }

    /// <summary>Commits <paramref name="count"/> bytes filled through <see cref="GetSpan"/>.</summary>
    public void Advance(int count)
    {
        if ((uint)count > (uint)(_bytes.Length - Length))
        {
            throw new ArgumentOutOfRangeException(nameof(count));
        }

        Length += count;
    }

    /// <summary>Writable access to bytes already written (for patching a placeholder in place).</summary>
    public Span<byte> Slice(int start, int length) => _bytes.AsSpan(0, Length).Slice(start, length);

    public void Write(ReadOnlySpan<byte> bytes)
    {
        bytes.CopyTo(GetSpan(bytes.Length));
        Length += bytes.Length;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteByte(byte value)
    {
        if (Length == _bytes.Length)
        {
            Grow(1);
        }

        _bytes[Length++] = value;
    }

    public void WriteInt32LittleEndian(int value)
    {
        BinaryPrimitives.WriteInt32LittleEndian(GetSpan(4), value);
        Length += 4;
    }

    /// <summary>An unsigned LEB128 varint (Thrift compact integers, RLE run headers).</summary>
    public void WriteVarUInt64(ulong value)
    {
        var span = GetSpan(10);
        var i = 0;
        while (value >= 0x80)
        {
            span[i++] = (byte)(value | 0x80);
            value >>= 7;
        }

        span[i++] = (byte)value;
        Length += i;
    }

    private void Grow(int count)
    {
        var needed = (long)Length + count;
        if (needed > Array.MaxLength)
        {
            throw new InvalidOperationException($"A Parquet buffer cannot hold {needed:N0} bytes.");
        }

        var size = (int)Math.Min(Array.MaxLength, Math.Max(needed, (long)_bytes.Length * 2));
        Array.Resize(ref _bytes, size);
    }
}
