using System.Buffers.Binary;
using System.Numerics;
using System.Runtime.InteropServices;

namespace Workbench.Data.ParquetEncoding;

/// <summary>
/// The bit-level encodings of Parquet pages: the RLE/bit-packed hybrid (definition levels, dictionary indices) and
/// PLAIN booleans (bit-packed, least significant bit first).
/// </summary>
/// <remarks>
/// The hybrid encoder writes a run of eight or more equal values as an RLE run and everything else as bit-packed
/// groups of eight; only the last group is padded (with zeros), which readers drop because they know the value count.
/// </remarks>
internal static class HybridEncoder
{
    /// <summary>The smallest bit width that holds every value in [0, <paramref name="maxValue"/>], at least 1.</summary>
    public static int BitWidth(int maxValue) => Math.Max(1, 32 - BitOperations.LeadingZeroCount((uint)maxValue));

    /// <summary>Definition levels (0 or 1 each) as a format 1 data page has them: a 4-byte little-endian length, then the hybrid runs at bit width 1.</summary>
    public static void WriteLevels(ReadOnlySpan<byte> levels, ByteBuffer output)
    {
        var prefixAt = output.Length;
        output.WriteInt32LittleEndian(0);
        Write(levels, 1, output);
        BinaryPrimitives.WriteInt32LittleEndian(output.Slice(prefixAt, 4), output.Length - prefixAt - 4);
    }

    /// <summary>Dictionary indices as a data page has them: one byte of bit width, then the hybrid runs.</summary>
    public static void WriteIndices(ReadOnlySpan<int> indices, int bitWidth, ByteBuffer output)
    {
        output.WriteByte((byte)bitWidth);
        Write(indices, bitWidth, output);
    }

    /// <summary>The hybrid runs of <paramref name="values"/> (each in [0, 2^<paramref name="bitWidth"/>)).</summary>
    public static void Write(ReadOnlySpan<int> values, int bitWidth, ByteBuffer output) => WriteCore<int>(values, bitWidth, output);

    /// <summary>The hybrid runs of byte values (levels).</summary>
    public static void Write(ReadOnlySpan<byte> values, int bitWidth, ByteBuffer output) => WriteCore<byte>(values, bitWidth, output);

    /// <summary>PLAIN booleans: one bit per value, least significant first, the last byte padded with zeros.</summary>
    public static void WritePlainBooleans(ReadOnlySpan<bool> values, ByteBuffer output)
    {
        var bytes = (values.Length + 7) / 8;
        var span = output.GetSpan(bytes);
        var whole = values.Length / 8;
        var words = MemoryMarshal.Cast<bool, ulong>(values[..(whole * 8)]);
        for (var i = 0; i < words.Length; i++)
        {
            // Each bool is one byte, 0 or 1: the multiplication moves byte k's bit to bit 56 + k (no two products overlap).
            span[i] = (byte)((words[i] * 0x0102040810204080UL) >> 56);
        }

        if (whole < bytes)
        {
            byte last = 0;
            for (var k = whole * 8; k < values.Length; k++)
            {
                last |= (byte)((values[k] ? 1 : 0) << (k - whole * 8));
            }

            span[whole] = last;
        }

        output.Advance(bytes);
    }

    private static void WriteCore<T>(ReadOnlySpan<T> values, int bitWidth, ByteBuffer output)
        where T : unmanaged, IEquatable<T>, IBinaryInteger<T>
    {
        if (bitWidth is < 1 or > 32)
        {
            throw new ArgumentOutOfRangeException(nameof(bitWidth), bitWidth, "bit width must be 1–32");
        }

        var n = values.Length;
        var i = 0;
        var literalStart = -1;
        while (i < n)
        {
            var value = values[i];
            var rest = values[(i + 1)..];
            var differs = rest.IndexOfAnyExcept(value);
            var run = 1 + (differs < 0 ? rest.Length : differs);
            if (run >= 8)
            {
                if (literalStart >= 0)
                {
                    WriteBitPacked(values[literalStart..i], bitWidth, output);
                    literalStart = -1;
                }

                output.WriteVarUInt64((ulong)run << 1);
                WriteRleValue(uint.CreateTruncating(value), bitWidth, output);
                i += run;
            }
            else
            {
                if (literalStart < 0)
                {
                    literalStart = i;
                }

                i = Math.Min(n, i + 8);
            }
        }

        if (literalStart >= 0)
        {
            WriteBitPacked(values[literalStart..], bitWidth, output);
        }
    }

    private static void WriteRleValue(uint value, int bitWidth, ByteBuffer output)
    {
        for (var b = 0; b < (bitWidth + 7) / 8; b++)
        {
            output.WriteByte((byte)(value >> (8 * b)));
        }
    }

    /// <summary>One bit-packed run of <paramref name="values"/> (a multiple of 8 values, except at the end of the data, where it is padded).</summary>
    private static void WriteBitPacked<T>(ReadOnlySpan<T> values, int bitWidth, ByteBuffer output)
        where T : unmanaged, IBinaryInteger<T>
    {
        var groups = (values.Length + 7) / 8;
        output.WriteVarUInt64(((ulong)groups << 1) | 1);
        var bytes = groups * bitWidth;
        var span = output.GetSpan(bytes);
        span.Clear();
        ulong accumulator = 0;
        var bits = 0;
        var at = 0;
        var mask = bitWidth == 32 ? uint.MaxValue : (1u << bitWidth) - 1;
        foreach (var v in values)
        {
            accumulator |= (ulong)(uint.CreateTruncating(v) & mask) << bits;
            bits += bitWidth;
            while (bits >= 8)
            {
                span[at++] = (byte)accumulator;
                accumulator >>= 8;
                bits -= 8;
            }
        }

        if (bits > 0)
        {
            span[at] = (byte)accumulator;
        }

        output.Advance(bytes);
    }
}
