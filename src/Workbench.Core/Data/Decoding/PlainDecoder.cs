using System.Buffers.Binary;
using System.Runtime.InteropServices;

namespace Workbench.Data.Decoding;

/// <summary>
/// Parquet's PLAIN encoding: fixed-width values little-endian back to back, booleans bit-packed least significant bit
/// first, byte arrays as a 4-byte little-endian length followed by the bytes. Each method decodes exactly
/// <c>output.Length</c> values and returns the bytes consumed; data too short throws <see cref="ChunkDecodeException"/>.
/// </summary>
internal static class PlainDecoder
{
    public static int Int32(ReadOnlySpan<byte> data, Span<int> output)
    {
        var bytes = Need(data, output.Length, sizeof(int));
        var source = MemoryMarshal.Cast<byte, int>(data[..bytes]);
        if (BitConverter.IsLittleEndian)
        {
            source.CopyTo(output);
        }
        else
        {
            BinaryPrimitives.ReverseEndianness(source, output);
        }

        return bytes;
    }

    public static int Int64(ReadOnlySpan<byte> data, Span<long> output)
    {
        var bytes = Need(data, output.Length, sizeof(long));
        var source = MemoryMarshal.Cast<byte, long>(data[..bytes]);
        if (BitConverter.IsLittleEndian)
        {
            source.CopyTo(output);
        }
        else
        {
            BinaryPrimitives.ReverseEndianness(source, output);
        }

        return bytes;
    }

    public static int Double(ReadOnlySpan<byte> data, Span<double> output)
    {
        var bytes = Need(data, output.Length, sizeof(double));
        if (BitConverter.IsLittleEndian)
        {
            MemoryMarshal.Cast<byte, double>(data[..bytes]).CopyTo(output);
        }
        else
        {
            for (var i = 0; i < output.Length; i++)
            {
                output[i] = BinaryPrimitives.ReadDoubleLittleEndian(data.Slice(i * sizeof(double)));
            }
        }

        return bytes;
    }

    /// <summary>Timestamps as INT64 counts of <paramref name="unit"/> since the Unix epoch, to UTC <see cref="DateTime"/>s.</summary>
    public static int Timestamps(ReadOnlySpan<byte> data, Span<DateTime> output, TimestampUnit unit)
    {
        var bytes = Need(data, output.Length, sizeof(long));
        var source = MemoryMarshal.Cast<byte, long>(data[..bytes]);
        if (BitConverter.IsLittleEndian)
        {
            unit.Convert(source, output);
        }
        else
        {
            for (var i = 0; i < output.Length; i++)
            {
                output[i] = unit.ToDateTime(BinaryPrimitives.ReverseEndianness(source[i]));
            }
        }

        return bytes;
    }

    public static int Boolean(ReadOnlySpan<byte> data, Span<bool> output)
    {
        var bytes = (int)(((long)output.Length + 7) >> 3);
        if (bytes > data.Length)
        {
            throw new ChunkDecodeException($"{output.Length} PLAIN booleans need {bytes} bytes, the page has {data.Length}");
        }

        for (var i = 0; i < output.Length; i++)
        {
            output[i] = ((data[i >> 3] >> (i & 7)) & 1) != 0;
        }

        return bytes;
    }

    /// <summary>UTF-8 byte arrays, decoded into <paramref name="chars"/>.</summary>
    public static int Utf8(ReadOnlySpan<byte> data, Span<ReadOnlyMemory<char>> output, CharArena chars)
    {
        var position = 0;
        for (var i = 0; i < output.Length; i++)
        {
            if (data.Length - position < sizeof(int))
            {
                throw new ChunkDecodeException($"PLAIN byte array {i} of {output.Length}: the page ends inside its length");
            }

            var length = BinaryPrimitives.ReadInt32LittleEndian(data.Slice(position));
            position += sizeof(int);
            if (length < 0 || length > data.Length - position)
            {
                throw new ChunkDecodeException($"PLAIN byte array {i} of {output.Length} claims {length} bytes, the page has {data.Length - position} left");
            }

            output[i] = chars.Add(data.Slice(position, length));
            position += length;
        }

        return position;
    }

    private static int Need(ReadOnlySpan<byte> data, int count, int width)
    {
        var bytes = (long)count * width;
        if (bytes > data.Length)
        {
            throw new ChunkDecodeException($"{count} PLAIN values of {width} bytes need {bytes} bytes, the page has {data.Length}");
        }

        return (int)bytes;
    }
}
