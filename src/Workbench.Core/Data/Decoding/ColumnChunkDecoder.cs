using System.Buffers.Binary;
using Snappier;
using Workbench.Data.ParquetEncoding;

namespace Workbench.Data.Decoding;

/// <summary>
/// Decodes one column chunk, held whole in memory, into a <see cref="ColumnValues"/> destination and definition levels:
/// walks its pages (an optional PLAIN dictionary page first, then DATA_PAGE or DATA_PAGE_V2 pages), decompresses each
/// into a reused buffer and decodes levels and values (PLAIN, PLAIN_DICTIONARY, RLE_DICTIONARY). Allocates nothing
/// once its buffers have grown to the largest page. One instance per decode buffer set: not thread-safe.
/// </summary>
/// <remarks>
/// Every length read from the file is checked against the bytes it must fit in, and every count against the row
/// group's row count, before anything is allocated or copied: damage throws <see cref="ChunkDecodeException"/>. Layouts
/// outside the contract (another encoding, an index page, BIT_PACKED levels) throw <see cref="ChunkNotSupportedException"/>.
/// </remarks>
internal sealed class ColumnChunkDecoder
{
    // A Snappy copy element expands at most 3 bytes into 64: a page claiming more than this is damaged.
    private const int MaxSnappyRatio = 22;

    private byte[] _page = [];
    private int[] _indices = [];

    /// <summary>
    /// Decodes <paramref name="rows"/> values (with nulls) from <paramref name="chunk"/>. With
    /// <paramref name="nullable"/> (max definition level 1) the levels go to <paramref name="levels"/> and the non-null
    /// values, packed, to <paramref name="values"/>; otherwise every row has a value. Returns the non-null values.
    /// </summary>
    public int Decode(ReadOnlySpan<byte> chunk, ParquetCodec codec, bool nullable, int rows, ColumnValues values, Span<int> levels)
    {
        if (rows > values.Capacity || (nullable && rows > levels.Length))
        {
            throw new ArgumentOutOfRangeException(nameof(rows), rows, "More rows than the decode buffers hold.");
        }

        values.BeginChunk();
        var hasDictionary = false;
        var position = 0;
        var done = 0;
        var valuesDone = 0;
        while (done < rows)
        {
            if (position >= chunk.Length)
            {
                throw new ChunkDecodeException($"the column chunk ends after {done:N0} of {rows:N0} values");
            }

            var header = PageHeader.Parse(chunk[position..]);
            position += header.HeaderSize;
            if (header.CompressedSize > chunk.Length - position)
            {
                throw new ChunkDecodeException($"a page of {header.CompressedSize:N0} bytes at byte {position:N0} runs past the column chunk's end ({chunk.Length:N0} bytes)");
            }

            var page = chunk.Slice(position, header.CompressedSize);
            position += header.CompressedSize;
            switch (header.Kind)
            {
                case ParquetPageType.DictionaryPage:
                    {
                        if (hasDictionary || done > 0)
                        {
                            throw new ChunkDecodeException(hasDictionary ? "a second dictionary page" : "a dictionary page after data pages");
                        }

                        if (header.Encoding is not ((int)ParquetEncodingKind.Plain or (int)ParquetEncodingKind.PlainDictionary))
                        {
                            throw new ChunkNotSupportedException($"a dictionary page in encoding {header.Encoding}");
                        }

                        var body = Decompress(page, header.UncompressedSize, codec);
                        if (header.ValueCount > values.MaxEntries(body.Length))
                        {
                            throw new ChunkDecodeException($"a dictionary page claims {header.ValueCount:N0} entries in {body.Length:N0} bytes");
                        }

                        values.LoadDictionary(body, header.ValueCount);
                        hasDictionary = true;
                        break;
                    }

                case ParquetPageType.DataPage:
                case ParquetPageType.DataPageV2:
                    {
                        var count = header.ValueCount;
                        if (count > rows - done)
                        {
                            throw new ChunkDecodeException($"a data page holds {count:N0} values, {rows - done:N0} of the row group's {rows:N0} rows are left");
                        }

                        var pageLevels = nullable ? levels.Slice(done, count) : default;
                        var body = header.Kind == ParquetPageType.DataPage
                            ? DataPageV1(page, header, codec, nullable, pageLevels, out var defined)
                            : DataPageV2(page, header, codec, nullable, pageLevels, out defined);
                        DecodeValues(body, header.Encoding, hasDictionary, values, valuesDone, defined);
                        done += count;
                        valuesDone += defined;
                        break;
                    }

                default:
                    throw new ChunkNotSupportedException($"a {header.Kind} page");
            }
        }

        return valuesDone;
    }

    private ReadOnlySpan<byte> DataPageV1(ReadOnlySpan<byte> page, in PageHeader header, ParquetCodec codec, bool nullable, Span<int> levels, out int defined)
    {
        var body = Decompress(page, header.UncompressedSize, codec);
        if (!nullable)
        {
            defined = header.ValueCount;
            return body;
        }

        if (header.DefinitionLevelEncoding != (int)ParquetEncodingKind.Rle)
        {
            throw new ChunkNotSupportedException($"definition levels in encoding {header.DefinitionLevelEncoding}");
        }

        if (body.Length < sizeof(int))
        {
            throw new ChunkDecodeException("a data page ends before its definition levels' length");
        }

        var length = BinaryPrimitives.ReadInt32LittleEndian(body);
        if (length < 0 || length > body.Length - sizeof(int))
        {
            throw new ChunkDecodeException($"definition levels of {length:N0} bytes in a page of {body.Length:N0}");
        }

        defined = DecodeLevels(body.Slice(sizeof(int), length), levels);
        return body[(sizeof(int) + length)..];
    }

    private ReadOnlySpan<byte> DataPageV2(ReadOnlySpan<byte> page, in PageHeader header, ParquetCodec codec, bool nullable, Span<int> levels, out int defined)
    {
        if (header.RepetitionLevelBytes != 0)
        {
            throw new ChunkDecodeException($"repetition levels ({header.RepetitionLevelBytes:N0} bytes) in a column that cannot repeat");
        }

        var levelBytes = header.DefinitionLevelBytes;
        if (nullable)
        {
            defined = DecodeLevels(page[..levelBytes], levels);
            if (defined != header.ValueCount - header.NullCount)
            {
                throw new ChunkDecodeException($"a v2 page's levels give {header.ValueCount - defined:N0} nulls, its header {header.NullCount:N0}");
            }
        }
        else
        {
            if (levelBytes != 0 || header.NullCount != 0)
            {
                throw new ChunkDecodeException("definition levels or nulls in a required column");
            }

            defined = header.ValueCount;
        }

        var compressed = page[levelBytes..];
        var uncompressed = header.UncompressedSize - levelBytes;
        if (uncompressed < 0)
        {
            throw new ChunkDecodeException($"a v2 page of {header.UncompressedSize:N0} uncompressed bytes with {levelBytes:N0} bytes of levels");
        }

        return header.IsCompressed ? Decompress(compressed, uncompressed, codec) : Decompress(compressed, uncompressed, ParquetCodec.Uncompressed);
    }

    /// <summary>Levels of a column with max definition level 1 (bit width 1); returns how many are 1.</summary>
    private static int DecodeLevels(ReadOnlySpan<byte> data, Span<int> levels)
    {
        RleBitPackedHybrid.Decode(data, 1, levels);
        return levels.Length - levels.Count(0);
    }

    private void DecodeValues(ReadOnlySpan<byte> body, int encoding, bool hasDictionary, ColumnValues values, int offset, int count)
    {
        if (encoding == (int)ParquetEncodingKind.Plain)
        {
            values.ReadPlain(body, offset, count);
            return;
        }

        if (encoding is not ((int)ParquetEncodingKind.PlainDictionary or (int)ParquetEncodingKind.RleDictionary))
        {
            throw new ChunkNotSupportedException($"values in encoding {encoding}");
        }

        if (count == 0)
        {
            return;
        }

        if (!hasDictionary)
        {
            throw new ChunkDecodeException("a dictionary-encoded page in a column chunk without a dictionary page");
        }

        if (body.IsEmpty)
        {
            throw new ChunkDecodeException("a dictionary-encoded page ends before its bit width");
        }

        if (_indices.Length < count)
        {
            _indices = new int[Math.Max(count, _indices.Length * 2)];
        }

        var indices = _indices.AsSpan(0, count);
        RleBitPackedHybrid.Decode(body[1..], body[0], indices);
        var entries = values.DictionaryCount;
        var bad = entries == 0 ? 0 : indices.IndexOfAnyExceptInRange(0, entries - 1);
        if (bad >= 0)
        {
            throw new ChunkDecodeException($"dictionary index {indices[bad]:N0} is out of range (the dictionary has {entries:N0} entries)");
        }

        values.Gather(indices, offset);
    }

    private ReadOnlySpan<byte> Decompress(ReadOnlySpan<byte> page, int uncompressedSize, ParquetCodec codec)
    {
        if (codec == ParquetCodec.Uncompressed)
        {
            if (uncompressedSize != page.Length)
            {
                throw new ChunkDecodeException($"an uncompressed page of {page.Length:N0} bytes claims {uncompressedSize:N0}");
            }

            return page;
        }

        if (uncompressedSize > ((long)page.Length * MaxSnappyRatio) + 64)
        {
            throw new ChunkDecodeException($"a Snappy page of {page.Length:N0} bytes claims {uncompressedSize:N0} bytes uncompressed");
        }

        if (_page.Length < uncompressedSize)
        {
            _page = new byte[Math.Max(uncompressedSize, Math.Min(Array.MaxLength, _page.Length * 2))];
        }

        int written;
        try
        {
            if (Snappy.GetUncompressedLength(page) != uncompressedSize)
            {
                throw new ChunkDecodeException($"a Snappy page decompresses to {Snappy.GetUncompressedLength(page):N0} bytes, its header says {uncompressedSize:N0}");
            }

            written = Snappy.Decompress(page, _page.AsSpan(0, uncompressedSize));
        }
        catch (Exception e) when (e is InvalidDataException or ArgumentException or IndexOutOfRangeException)
        {
            throw new ChunkDecodeException($"a Snappy page cannot be decompressed ({e.Message.ReplaceLineEndings(" ")})", e);
        }

        if (written != uncompressedSize)
        {
            throw new ChunkDecodeException($"a Snappy page decompressed to {written:N0} bytes, its header says {uncompressedSize:N0}");
        }

        return _page.AsSpan(0, uncompressedSize);
    }
}
