using System.Buffers.Binary;
using Workbench.Data.ParquetEncoding;

namespace Workbench.Tests.Data.ParquetEncoding;

public class HybridEncoderTests
{
    public static TheoryData<string> Shapes => ["zeros", "ones", "cycle", "random", "runs", "mixed", "short"];

    [Theory]
    [MemberData(nameof(Shapes))]
    public void Write_EveryBitWidth_DecodesBackToTheValues(string shape)
    {
        foreach (var width in new[] { 1, 2, 3, 5, 7, 8, 9, 13, 16, 17, 24, 31, 32 })
        {
            var values = Make(shape, width, seed: width);
            var buffer = new ByteBuffer();
            HybridEncoder.Write(values, width, buffer);
            Assert.Equal(values, ReferenceDecode(buffer.Written.ToArray(), width, values.Length));
        }
    }

    [Fact]
    public void Write_LongRun_IsOneRleRun_AndCyclesAreBitPacked()
    {
        var buffer = new ByteBuffer();
        HybridEncoder.Write(Enumerable.Repeat(5, 1000).ToArray(), 3, buffer);
        // Header (1000 << 1) as a varint, then the value in one byte.
        Assert.Equal(new byte[] { 0xD0, 0x0F, 5 }, buffer.Written.ToArray());

        buffer.Clear();
        HybridEncoder.Write(Enumerable.Range(0, 16).Select(i => i % 4).ToArray(), 2, buffer);
        // Two bit-packed groups: header (2 << 1) | 1, then 16 × 2 bits, least significant first.
        Assert.Equal(new byte[] { 0x05, 0xE4, 0xE4, 0xE4, 0xE4 }, buffer.Written.ToArray());
    }

    [Fact]
    public void WriteLevels_PrefixesTheRunsWithTheirLength()
    {
        var levels = new byte[100];
        levels.AsSpan().Fill(1);
        levels[3] = 0;
        levels[77] = 0;
        var buffer = new ByteBuffer();
        HybridEncoder.WriteLevels(levels, buffer);
        var bytes = buffer.Written.ToArray();
        Assert.Equal(bytes.Length - 4, BinaryPrimitives.ReadInt32LittleEndian(bytes));
        Assert.Equal(levels.Select(l => (int)l).ToArray(), ReferenceDecode(bytes[4..], 1, levels.Length));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(8)]
    [InlineData(9)]
    [InlineData(1001)]
    public void WritePlainBooleans_PacksLeastSignificantBitFirst(int count)
    {
        var random = new Random(count);
        var flags = Enumerable.Range(0, count).Select(_ => random.Next(3) == 0).ToArray();
        var buffer = new ByteBuffer();
        HybridEncoder.WritePlainBooleans(flags, buffer);
        var bytes = buffer.Written.ToArray();
        Assert.Equal((count + 7) / 8, bytes.Length);
        for (var i = 0; i < count; i++)
        {
            Assert.Equal(flags[i], ((bytes[i / 8] >> (i % 8)) & 1) == 1);
        }

        // Padding bits are zero.
        if (count % 8 != 0)
        {
            Assert.Equal(0, bytes[^1] >> (count % 8));
        }
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 1)]
    [InlineData(2, 2)]
    [InlineData(59, 6)]
    [InlineData(int.MaxValue, 31)]
    public void BitWidth_IsTheSmallestThatHoldsTheMaximum_AtLeastOne(int max, int expected) =>
        Assert.Equal(expected, HybridEncoder.BitWidth(max));

    private static int[] Make(string shape, int width, int seed)
    {
        var random = new Random(seed);
        var max = width == 32 ? int.MaxValue : (int)Math.Min(int.MaxValue, (1L << width) - 1);
        int Any() => width == 32 ? random.Next() | (random.Next(2) << 31) : (int)(random.NextInt64(max + 1L));
        return shape switch
        {
            "zeros" => new int[1000],
            "ones" => Enumerable.Repeat(max, 777).ToArray(),
            "cycle" => Enumerable.Range(0, 1203).Select(i => i % Math.Min(60, max + 1)).ToArray(),
            "random" => Enumerable.Range(0, 999).Select(_ => Any()).ToArray(),
            "runs" => Enumerable.Range(0, 40).SelectMany(_ => Enumerable.Repeat(Any(), random.Next(1, 30))).ToArray(),
            "mixed" => Enumerable.Range(0, 30).SelectMany(k => k % 2 == 0 ? Enumerable.Repeat(Any(), 9 + k) : Enumerable.Range(0, k).Select(_ => Any())).ToArray(),
            "short" => [Any(), Any(), Any()],
            _ => throw new ArgumentOutOfRangeException(nameof(shape)),
        };
    }

    /// <summary>An independent reader of the hybrid runs (the Parquet spec, bit by bit), stopping after <paramref name="count"/> values.</summary>
    private static int[] ReferenceDecode(byte[] data, int width, int count)
    {
        var result = new List<int>();
        var at = 0;
        while (result.Count < count)
        {
            ulong header = 0;
            for (var shift = 0; ; shift += 7)
            {
                var b = data[at++];
                header |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    break;
                }
            }

            if ((header & 1) == 0)
            {
                var run = (int)(header >> 1);
                long value = 0;
                for (var k = 0; k < (width + 7) / 8; k++)
                {
                    value |= (long)data[at++] << (8 * k);
                }

                result.AddRange(Enumerable.Repeat((int)value, run));
            }
            else
            {
                var values = (int)(header >> 1) * 8;
                var bit = at * 8L;
                for (var v = 0; v < values; v++)
                {
                    long value = 0;
                    for (var k = 0; k < width; k++, bit++)
                    {
                        value |= (long)((data[bit / 8] >> (int)(bit % 8)) & 1) << k;
                    }

                    result.Add((int)value);
                }

                at += (int)(header >> 1) * width;
            }
        }

        Assert.Equal(data.Length, at);
        return [.. result.Take(count)];
    }
}
