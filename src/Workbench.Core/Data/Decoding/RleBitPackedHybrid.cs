namespace Workbench.Data.Decoding;

/// <summary>
/// The RLE / bit-packed hybrid encoding of Parquet (definition levels and dictionary indices): a sequence of runs,
/// each a ULEB128 header whose low bit says whether it is a repeated value (header &gt;&gt; 1 copies of one value in
/// ⌈bit width / 8⌉ little-endian bytes) or bit-packed groups of eight values (header &gt;&gt; 1 groups of bit-width
/// bytes, values packed least significant bit first).
/// </summary>
internal static class RleBitPackedHybrid
{
    /// <summary>
    /// Decodes exactly <paramref name="output"/>.Length values of <paramref name="bitWidth"/> bits from
    /// <paramref name="data"/>; a last run may hold more values than needed (padding of a bit-packed group, or a
    /// longer repeat), the rest is ignored. Returns the bytes consumed.
    /// </summary>
    /// <exception cref="ChunkDecodeException">The data ends before every value is decoded, or a run header is malformed.</exception>
    public static int Decode(ReadOnlySpan<byte> data, int bitWidth, Span<int> output)
    {
        if (bitWidth is < 0 or > 32)
        {
            throw new ChunkDecodeException($"a bit width of {bitWidth}");
        }

        var position = 0;
        var done = 0;
        var valueBytes = (bitWidth + 7) >> 3;
        while (done < output.Length)
        {
            var header = ReadUleb(data, ref position);
            var count = header >> 1;
            if ((header & 1) == 0)
            {
                if (count == 0)
                {
                    throw new ChunkDecodeException("an empty RLE run");
                }

                if (valueBytes > data.Length - position)
                {
                    throw new ChunkDecodeException("an RLE run ends before its value");
                }

                var value = 0;
                for (var b = 0; b < valueBytes; b++)
                {
                    value |= data[position + b] << (8 * b);
                }

                position += valueBytes;
                if (bitWidth < 32 && (uint)value >= 1u << bitWidth)
                {
                    throw new ChunkDecodeException($"an RLE value {value} wider than {bitWidth} bits");
                }

                var take = (int)Math.Min(count, output.Length - done);
                output.Slice(done, take).Fill(value);
                done += take;
            }
            else
            {
                if (count == 0)
                {
                    throw new ChunkDecodeException("an empty bit-packed run");
                }

                var available = (long)(data.Length - position);
                if (count * bitWidth > available)
                {
                    throw new ChunkDecodeException($"a bit-packed run of {count} groups needs {count * bitWidth} bytes, {available} are left");
                }

                var take = (int)Math.Min(count * 8, output.Length - done);
                Unpack(data.Slice(position, (int)(count * bitWidth)), bitWidth, output.Slice(done, take));
                position += (int)(count * bitWidth);
                done += take;
            }
        }

        return position;
    }

    /// <summary>Unpacks <paramref name="output"/>.Length values of <paramref name="bitWidth"/> bits, least significant bit first.</summary>
    public static void Unpack(ReadOnlySpan<byte> data, int bitWidth, Span<int> output)
    {
        if (bitWidth == 0)
        {
            output.Clear();
            return;
        }

        if (bitWidth == 1)
        {
            for (var i = 0; i < output.Length; i++)
            {
                output[i] = (data[i >> 3] >> (i & 7)) & 1;
            }

            return;
        }

        var mask = bitWidth == 32 ? ulong.MaxValue >> 32 : (1UL << bitWidth) - 1;
        ulong buffer = 0;
        var bits = 0;
        var position = 0;
        for (var i = 0; i < output.Length; i++)
        {
            while (bits < bitWidth)
            {
                buffer |= (ulong)data[position++] << bits;
                bits += 8;
            }

            output[i] = (int)(buffer & mask);
            buffer >>= bitWidth;
            bits -= bitWidth;
        }
    }

    private static long ReadUleb(ReadOnlySpan<byte> data, ref int position)
    {
        long value = 0;
        for (var shift = 0; shift < 35; shift += 7)
        {
            if (position >= data.Length)
            {
                throw new ChunkDecodeException("the RLE/bit-packed data ends inside a run header");
            }

            var b = data[position++];
            value |= (long)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        throw new ChunkDecodeException("an RLE/bit-packed run header longer than 5 bytes");
    }
}
