using System.Buffers.Binary;
using Workbench.Data;
using Workbench.Data.Decoding;
using Workbench.Data.ParquetEncoding;
using Workbench.Tests.Import;

namespace Workbench.Tests.Data;

/// <summary>
/// The own decoder's DATA_PAGE_V2 path, value by value against DuckDB. DuckDB (1.5) writes only DATA_PAGE (v1) pages,
/// PARQUET_VERSION V2 included (that option changes the encodings, not the page type: asserted below), and no library
/// here writes v2 pages; so each DuckDB chunk is re-framed here into DATA_PAGE_V2 pages, written to the spec by this
/// test alone (levels uncompressed and outside the compressed section, <c>is_compressed</c>, num_nulls), split into
/// several pages, into a whole file (<see cref="V2File"/>) that DuckDB reads back — to the rows of its own file — and
/// the own decoder's output is compared, value and null, with what DuckDB reads from that v2 file.
/// </summary>
public class OwnDecoderDataPageV2Tests
{
    private const int Rows = 10_000;

    private static readonly string[] Columns = ["series", "series_id", "timestamp", "value", "is_anomaly", "anomaly_kind", "anomaly_id"];

    /// <summary>The labelled schema's columns, deterministic: nulls in value, anomaly_kind and anomaly_id; few series and kinds (dictionaries).</summary>
    private static void WriteDuckDb(string path, string version) => DuckDb.Execute($"""
        COPY (
            SELECT 'series-' || CAST(i % 5 AS VARCHAR) AS series,
                   CAST(i % 5 AS INTEGER) AS series_id,
                   TIMESTAMPTZ '2024-01-01 00:00:00+00' + to_seconds(CAST(i * 7 AS BIGINT)) AS timestamp,
                   CASE WHEN i % 11 = 5 OR (i >= 4000 AND i < 4300) THEN NULL ELSE CAST(i AS DOUBLE) * 0.37 - 1000 END AS value,
                   i % 9 = 4 OR (i >= 6000 AND i < 6100) AS is_anomaly,
                   CASE WHEN i % 9 = 4 OR (i >= 6000 AND i < 6100) THEN (CASE WHEN i % 2 = 0 THEN 'spike' ELSE 'level_shift' END) END AS anomaly_kind,
                   CASE WHEN i % 9 = 4 OR (i >= 6000 AND i < 6100) THEN CAST(i AS INTEGER) END AS anomaly_id
            FROM range(0, {Rows}) r(i)
        ) TO '{ForeignParquetImportTests.Quote(path)}' (FORMAT parquet, PARQUET_VERSION {version}, ROW_GROUP_SIZE 4096, COMPRESSION uncompressed)
        """);

    /// <summary>Every row as DuckDB reads it from <paramref name="path"/>, in file order, in <see cref="Columns"/> order (timestamps as epoch microseconds).</summary>
    private static List<object?[]> DuckDbRows(string path) => DuckDb.Query($"""
        SELECT series, series_id, epoch_us(timestamp) AS timestamp, value, is_anomaly, anomaly_kind, anomaly_id
        FROM read_parquet('{ForeignParquetImportTests.Quote(path)}', file_row_number = true) ORDER BY file_row_number
        """);

    private sealed record Chunk(int RowGroup, string Column, string Type, string Encodings, long Start, long DataPage, long Length, long Rows, long FirstRow);

    /// <summary>The column chunks as DuckDB's <c>parquet_metadata()</c> gives them.</summary>
    private static List<Chunk> Chunks(string path, string compression)
    {
        var chunks = new List<Chunk>();
        long firstRow = 0;
        var group = -1L;
        foreach (var row in DuckDb.Query($"""
            SELECT row_group_id, path_in_schema, type, encodings, COALESCE(dictionary_page_offset, data_page_offset), total_compressed_size, row_group_num_rows, compression, data_page_offset
            FROM parquet_metadata('{ForeignParquetImportTests.Quote(path)}') ORDER BY row_group_id, column_id
            """))
        {
            var g = (long)row[0]!;
            if (g != group && group >= 0)
            {
                firstRow += chunks[^1].Rows;
            }

            group = g;
            Assert.Equal(compression, row[7]);
            chunks.Add(new Chunk((int)g, (string)row[1]!, (string)row[2]!, (string)row[3]!, (long)row[4]!, (long)row[8]!, (long)row[5]!, (long)row[6]!, firstRow));
        }

        return chunks;
    }

    public static TheoryData<string, string> Layouts() => new()
    {
        { "V1", "snappy, values compressed" },
        { "V1", "snappy, every other page's values stored uncompressed" },
        { "V1", "uncompressed" },
        { "V2", "snappy, values compressed" },
        { "V2", "uncompressed" },
    };

    [Theory]
    [MemberData(nameof(Layouts))]
    public void DataPageV2Chunks_DecodeToWhatDuckDbReads_OrAreRefusedAsNotSupported(string version, string layout)
    {
        using var dir = new TempDir();
        var original = dir.File("duck.parquet");
        WriteDuckDb(original, version);
        var codec = layout.StartsWith("snappy", StringComparison.Ordinal) ? ParquetCodec.Snappy : ParquetCodec.Uncompressed;
        var path = WriteV2(original, dir.File("duck-pages-v2.parquet"), codec, layout.Contains("every other", StringComparison.Ordinal));

        // DuckDB reads the re-framed file as it reads its own: the v2 pages are well formed.
        var expected = DuckDbRows(path);
        Assert.Equal(Rows, expected.Count);
        Assert.Equal(DuckDbRows(original), expected);
        Assert.Equal(expected.Count(r => r[3] is null), (long)DuckDb.Query($"SELECT count(*) FROM read_parquet('{ForeignParquetImportTests.Quote(path)}') WHERE value IS NULL")[0][0]!);
        var chunks = Chunks(path, codec == ParquetCodec.Snappy ? "SNAPPY" : "UNCOMPRESSED");
        Assert.True(chunks.Select(c => c.RowGroup).Distinct().Count() >= 2, "one row group");
        Assert.Equal(Columns.Length * chunks.Select(c => c.RowGroup).Distinct().Count(), chunks.Count);

        var bytes = File.ReadAllBytes(path);
        var decoder = new ColumnChunkDecoder();
        var decoded = new Dictionary<string, int>();
        var refused = new List<string>();
        foreach (var chunk in chunks)
        {
            var v2 = bytes.AsSpan((int)chunk.Start, (int)chunk.Length);
            var pages = AssertPageTypes(v2, expectV2: true);
            var column = Array.IndexOf(Columns, chunk.Column);
            Assert.True(column >= 0, chunk.Column);
            var rows = (int)chunk.Rows;
            var levels = new int[rows];
            var (values, read) = Destination(chunk.Type, rows);
            try
            {
                var defined = decoder.Decode(v2, codec, nullable: true, rows, values, levels);
                decoded[chunk.Column] = decoded.GetValueOrDefault(chunk.Column) + 1;
                Assert.True(pages > 2, $"{chunk.Column} in row group {chunk.RowGroup}: {pages} data pages");
                var v = 0;
                for (var r = 0; r < rows; r++)
                {
                    var want = expected[(int)chunk.FirstRow + r][column];
                    if (want is null)
                    {
                        Assert.True(levels[r] == 0, $"{chunk.Column}, row {chunk.FirstRow + r}: a value where DuckDB reads null");
                        continue;
                    }

                    Assert.True(levels[r] == 1, $"{chunk.Column}, row {chunk.FirstRow + r}: null where DuckDB reads {want}");
                    var got = read(v++);
                    if (!Equals(want, got))
                    {
                        Assert.Fail($"{chunk.Column}, row {chunk.FirstRow + r} ({chunk.Encodings}): decoded {got}, DuckDB reads {want}");
                    }
                }

                Assert.Equal(v, defined);
            }
            catch (ChunkNotSupportedException e)
            {
                refused.Add($"{chunk.Column}: {chunk.Encodings} ({e.Message})");
                Assert.Matches("DELTA_BINARY_PACKED|DELTA_LENGTH_BYTE_ARRAY|BYTE_STREAM_SPLIT|DELTA_BYTE_ARRAY", chunk.Encodings);
            }
        }

        // Which columns the own decoder takes depends on the encodings DuckDB chose: with V1 every one; with V2 its
        // DELTA_BINARY_PACKED / BYTE_STREAM_SPLIT columns are refused (ChunkNotSupportedException), the rest decoded.
        var byColumn = chunks.GroupBy(c => c.Column).ToDictionary(g => g.Key, g => string.Join(",", g.Select(c => c.Encodings).Distinct()));
        if (version == "V1")
        {
            Assert.Empty(refused);
            Assert.All(byColumn.Values, e => Assert.DoesNotMatch("DELTA|BYTE_STREAM_SPLIT", e));
            Assert.Equal(Columns.Order(), decoded.Keys.Order());
        }
        else
        {
            Assert.Contains("DELTA_BINARY_PACKED", byColumn["timestamp"], StringComparison.Ordinal);
            Assert.Contains(refused, r => r.StartsWith("timestamp:", StringComparison.Ordinal));
            Assert.Contains("RLE_DICTIONARY", byColumn["series"], StringComparison.Ordinal);
            Assert.Contains("RLE_DICTIONARY", byColumn["anomaly_kind"], StringComparison.Ordinal);
            Assert.Contains("series", decoded.Keys);
            Assert.Contains("anomaly_kind", decoded.Keys);
            Assert.Contains("is_anomaly", decoded.Keys);
        }
    }

    /// <summary>Re-frames every chunk of the uncompressed DuckDB file <paramref name="source"/> into v2 pages compressed with <paramref name="codec"/>.</summary>
    private static string WriteV2(string source, string target, ParquetCodec codec, bool storeEveryOtherUncompressed)
    {
        var bytes = File.ReadAllBytes(source);
        var groups = new List<List<V2File.NewChunk>>();
        var written = new List<byte[]>();
        long at = 4, oldEnd = 4;
        foreach (var chunk in Chunks(source, "UNCOMPRESSED"))
        {
            Assert.Equal(oldEnd, chunk.Start); // DuckDB writes the chunks back to back
            var (v2, _, dataPage, uncompressed) = V2Chunk.Rewrite(bytes.AsSpan((int)chunk.Start, (int)chunk.Length), chunk.Type, codec, storeEveryOtherUncompressed);
            if (chunk.RowGroup == groups.Count)
            {
                groups.Add([]);
            }

            groups[chunk.RowGroup].Add(new V2File.NewChunk(chunk.Start, chunk.DataPage, chunk.Start + chunk.Length, at, at + dataPage, v2.Length, uncompressed));
            written.Add(v2);
            at += v2.Length;
            oldEnd = chunk.Start + chunk.Length;
        }

        V2File.Write(bytes, target, (int)codec, groups, written);
        return target;
    }

    [Theory]
    [InlineData("snappy, values compressed")]
    [InlineData("snappy, every other page's values stored uncompressed")]
    [InlineData("uncompressed")]
    public void DataPageV2File_TheReaderTakesEveryChunk_AndReadsWhatItReadsFromDuckDbsV1Pages(string layout)
    {
        // The same file through LabeledDatasetReader: every chunk to the own decoder, and the rows it reads from DuckDB's
        // own file (v1 pages, where it agrees with Parquet.Net: OwnDecoderTests.DuckDbFile_DecodesIdentically_OrFallsBack).
        // Parquet.Net 6.1 is no oracle here: it throws IndexOutOfRangeException on these v2 anomaly_kind chunks
        // (dictionary-encoded strings with nulls), which DuckDB reads.
        using var dir = new TempDir();
        var original = dir.File("duck.parquet");
        WriteDuckDb(original, "V1");
        var codec = layout.StartsWith("snappy", StringComparison.Ordinal) ? ParquetCodec.Snappy : ParquetCodec.Uncompressed;
        var path = WriteV2(original, dir.File("duck-pages-v2.parquet"), codec, layout.Contains("every other", StringComparison.Ordinal));

        using var v2 = LabeledDatasetReader.Open(path);
        using var v1 = LabeledDatasetReader.Open(original);
        var v2Rows = v2.ReadObservations().ToList();
        var v1Rows = v1.ReadObservations().ToList();
        Assert.Equal(Rows, v2Rows.Count);
        Assert.Equal(v1Rows, v2Rows);
        Assert.Equal(v1.Report, v2.Report);
        Assert.True(v2.OwnDecodedChunks > 0 && v2.ParquetNetDecodedChunks == 0, $"own {v2.OwnDecodedChunks}, Parquet.Net {v2.ParquetNetDecodedChunks} chunks");
        Assert.True(v1.OwnDecodedChunks > 0 && v1.ParquetNetDecodedChunks == 0, $"own {v1.OwnDecodedChunks}, Parquet.Net {v1.ParquetNetDecodedChunks} chunks");
    }

    [Fact]
    public void DuckDbParquetVersionV2_WritesDataPageV1Pages_WithV2Encodings()
    {
        // Why the test above re-frames the pages: DuckDB's PARQUET_VERSION V2 is encodings only.
        using var dir = new TempDir();
        var path = dir.File("duck-v2.parquet");
        WriteDuckDb(path, "V2");
        var bytes = File.ReadAllBytes(path);
        var chunks = Chunks(path, "UNCOMPRESSED");
        foreach (var chunk in chunks)
        {
            AssertPageTypes(bytes.AsSpan((int)chunk.Start, (int)chunk.Length), expectV2: false);
        }

        Assert.Contains(chunks, c => c.Column == "timestamp" && c.Encodings.Contains("DELTA_BINARY_PACKED", StringComparison.Ordinal));
    }

    /// <summary>Walks the chunk's page headers: the first field is the type (DATA_PAGE 0, DICTIONARY_PAGE 2, DATA_PAGE_V2 3).</summary>
    private static int AssertPageTypes(ReadOnlySpan<byte> chunk, bool expectV2)
    {
        var data = 0;
        for (var at = 0; at < chunk.Length;)
        {
            Assert.Equal(0x15, chunk[at]); // field 1, i32
            var type = chunk[at + 1] >> 1;
            var header = PageHeader.Parse(chunk[at..]);
            Assert.Equal(type, (int)header.Kind);
            if (type != 2)
            {
                Assert.Equal(expectV2 ? 3 : 0, type);
                data++;
            }

            at += header.HeaderSize + header.CompressedSize;
        }

        Assert.True(data > 0);
        return data;
    }

    private static (ColumnValues Values, Func<int, object?> Read) Destination(string type, int rows)
    {
        switch (type)
        {
            case "BYTE_ARRAY":
                {
                    var target = new ReadOnlyMemory<char>[rows];
                    return (new StringColumnValues(target), i => target[i].ToString());
                }

            case "INT32":
                {
                    var target = new int[rows];
                    return (new FixedColumnValues<int>(target, sizeof(int), PlainDecoder.Int32), i => target[i]);
                }

            case "INT64":
                {
                    var target = new long[rows];
                    return (new FixedColumnValues<long>(target, sizeof(long), PlainDecoder.Int64), i => target[i]);
                }

            case "DOUBLE":
                {
                    var target = new double[rows];
                    return (new FixedColumnValues<double>(target, sizeof(double), PlainDecoder.Double), i => target[i]);
                }

            case "BOOLEAN":
                {
                    var target = new bool[rows];
                    return (new FixedColumnValues<bool>(target, 0, PlainDecoder.Boolean), i => target[i]);
                }

            default:
                throw new ArgumentOutOfRangeException(nameof(type), type, null);
        }
    }
}

/// <summary>
/// Re-frames an uncompressed column chunk of DATA_PAGE (v1) pages with max definition level 1 into DATA_PAGE_V2 pages,
/// per parquet.thrift / the format spec, independently of the decoder: definition levels (RLE, no length prefix) stored
/// uncompressed before the values, only the values compressed (when <c>is_compressed</c>), <c>num_nulls</c> and
/// <c>definition_levels_byte_length</c> set. Each v1 page whose values it can split (PLAIN, dictionary indices) becomes
/// several v2 pages of uneven row counts; any other encoding is kept whole, as one v2 page.
/// </summary>
internal static class V2Chunk
{
    public static (byte[] Chunk, int DataPages, int FirstDataPage, long Uncompressed) Rewrite(ReadOnlySpan<byte> source, string type, ParquetCodec codec, bool storeEveryOtherUncompressed)
    {
        var output = new List<byte>();
        var pages = 0;
        var firstDataPage = -1;
        long uncompressedTotal = 0;
        for (var at = 0; at < source.Length;)
        {
            var header = PageHeader.Parse(source[at..]);
            var body = source.Slice(at + header.HeaderSize, header.CompressedSize);
            Assert.Equal(header.UncompressedSize, header.CompressedSize); // the source is uncompressed
            at += header.HeaderSize + header.CompressedSize;
            if (header.Kind == ParquetPageType.DictionaryPage)
            {
                var stored = Compress(body, codec);
                var thrift = new Thrift();
                thrift.I32(1, 2);
                thrift.I32(2, body.Length);
                thrift.I32(3, stored.Length);
                thrift.BeginStruct(7);
                thrift.I32(1, header.ValueCount);
                thrift.I32(2, header.Encoding);
                thrift.EndStruct();
                thrift.Stop();
                output.AddRange(thrift.Bytes);
                output.AddRange(stored);
                uncompressedTotal += thrift.Bytes.Length + body.Length;
                continue;
            }

            Assert.Equal(ParquetPageType.DataPage, header.Kind);
            Assert.Equal((int)ParquetEncodingKind.Rle, header.DefinitionLevelEncoding);
            var levelBytes = BinaryPrimitives.ReadInt32LittleEndian(body);
            var levels = Hybrid.Decode(body.Slice(4, levelBytes), 1, header.ValueCount);
            var values = body[(4 + levelBytes)..];
            var defined = levels.Count(l => l == 1);
            foreach (var (from, to) in Split(header.ValueCount, Splittable(header.Encoding)))
            {
                var pageLevels = levels.AsSpan(from, to - from);
                var first = levels.AsSpan(0, from).Count(1);
                var count = pageLevels.Count(1);
                var pageValues = Values(values, header.Encoding, type, defined, first, count);
                var encodedLevels = Hybrid.Encode(pageLevels, 1);
                var compressed = !(storeEveryOtherUncompressed && pages % 2 == 1);
                var stored = compressed ? Compress(pageValues, codec) : pageValues;
                var thrift = new Thrift();
                thrift.I32(1, 3);
                thrift.I32(2, encodedLevels.Length + pageValues.Length);
                thrift.I32(3, encodedLevels.Length + stored.Length);
                thrift.BeginStruct(8);
                thrift.I32(1, to - from);
                thrift.I32(2, to - from - count);
                thrift.I32(3, to - from);
                thrift.I32(4, header.Encoding);
                thrift.I32(5, encodedLevels.Length);
                thrift.I32(6, 0);
                thrift.Bool(7, compressed);
                thrift.EndStruct();
                thrift.Stop();
                firstDataPage = firstDataPage < 0 ? output.Count : firstDataPage;
                output.AddRange(thrift.Bytes);
                output.AddRange(encodedLevels);
                output.AddRange(stored);
                uncompressedTotal += thrift.Bytes.Length + encodedLevels.Length + pageValues.Length;
                pages++;
            }
        }

        Assert.True(pages > 0);
        return ([.. output], pages, firstDataPage, uncompressedTotal);
    }

    private static bool Splittable(int encoding) => encoding is (int)ParquetEncodingKind.Plain or (int)ParquetEncodingKind.PlainDictionary or (int)ParquetEncodingKind.RleDictionary;

    /// <summary>Uneven row ranges (a 1-row page, then about a sixth, then the rest in three), or the whole page.</summary>
    private static IEnumerable<(int From, int To)> Split(int count, bool splittable)
    {
        if (!splittable || count < 16)
        {
            yield return (0, count);
            yield break;
        }

        int[] cuts = [0, 1, count / 6, count / 2, (count * 5 / 6) + 3, count];
        for (var i = 0; i + 1 < cuts.Length; i++)
        {
            yield return (cuts[i], cuts[i + 1]);
        }
    }

    /// <summary>The values <paramref name="first"/>..+<paramref name="count"/> of a v1 page's <paramref name="defined"/> values, re-encoded.</summary>
    private static byte[] Values(ReadOnlySpan<byte> values, int encoding, string type, int defined, int first, int count)
    {
        if (!Splittable(encoding))
        {
            Assert.True(first == 0 && count == defined);
            return values.ToArray();
        }

        if (count == 0)
        {
            return [];
        }

        if (encoding != (int)ParquetEncodingKind.Plain)
        {
            var width = values[0];
            var indices = Hybrid.Decode(values[1..], width, defined);
            return [width, .. Hybrid.Encode(indices.AsSpan(first, count), width)];
        }

        switch (type)
        {
            case "DOUBLE" or "INT64":
                return values.Slice(first * 8, count * 8).ToArray();
            case "INT32":
                return values.Slice(first * 4, count * 4).ToArray();
            case "BOOLEAN":
                {
                    var packed = new byte[(count + 7) / 8];
                    for (var i = 0; i < count; i++)
                    {
                        var bit = first + i;
                        if ((values[bit / 8] & (1 << (bit % 8))) != 0)
                        {
                            packed[i / 8] |= (byte)(1 << (i % 8));
                        }
                    }

                    return packed;
                }

            case "BYTE_ARRAY":
                {
                    var at = 0;
                    var start = 0;
                    for (var i = 0; i < first + count; i++)
                    {
                        if (i == first)
                        {
                            start = at;
                        }

                        at += 4 + BinaryPrimitives.ReadInt32LittleEndian(values[at..]);
                    }

                    return values[start..at].ToArray();
                }

            default:
                throw new ArgumentOutOfRangeException(nameof(type), type, null);
        }
    }

    private static byte[] Compress(ReadOnlySpan<byte> data, ParquetCodec codec) => codec == ParquetCodec.Snappy ? Snappier.Snappy.CompressToArray(data) : data.ToArray();

    /// <summary>The RLE/bit-packed hybrid (without length prefix), written as RLE runs only and read in both forms.</summary>
    private static class Hybrid
    {
        public static int[] Decode(ReadOnlySpan<byte> data, int width, int count)
        {
            var output = new int[count];
            var bytes = (width + 7) / 8;
            var at = 0;
            var n = 0;
            while (n < count)
            {
                var header = Varint(data, ref at);
                if ((header & 1) == 0)
                {
                    var value = 0;
                    for (var b = 0; b < bytes; b++)
                    {
                        value |= data[at++] << (8 * b);
                    }

                    for (var i = 0; i < header >> 1 && n < count; i++)
                    {
                        output[n++] = value;
                    }
                }
                else
                {
                    var values = (header >> 1) * 8;
                    var bit = at * 8L;
                    for (var i = 0; i < values; i++, bit += width)
                    {
                        var value = 0;
                        for (var w = 0; w < width; w++)
                        {
                            var b = bit + w;
                            value |= ((data[(int)(b / 8)] >> (int)(b % 8)) & 1) << w;
                        }

                        if (n < count)
                        {
                            output[n++] = value;
                        }
                    }

                    at += (int)((values * (long)width) + 7) / 8;
                }
            }

            return output;
        }

        public static byte[] Encode(ReadOnlySpan<int> values, int width)
        {
            var output = new List<byte>();
            var bytes = (width + 7) / 8;
            for (var i = 0; i < values.Length;)
            {
                var run = 1;
                while (i + run < values.Length && values[i + run] == values[i])
                {
                    run++;
                }

                for (var header = (uint)run << 1; ; header >>= 7)
                {
                    if (header < 0x80)
                    {
                        output.Add((byte)header);
                        break;
                    }

                    output.Add((byte)(header | 0x80));
                }

                for (var b = 0; b < bytes; b++)
                {
                    output.Add((byte)(values[i] >> (8 * b)));
                }

                i += run;
            }

            return [.. output];
        }

        private static int Varint(ReadOnlySpan<byte> data, ref int at)
        {
            var value = 0;
            for (var shift = 0; ; shift += 7)
            {
                var b = data[at++];
                value |= (b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return value;
                }
            }
        }
    }

    /// <summary>Just enough of the Thrift compact protocol for page headers: i32 and bool fields, nested structs.</summary>
    private sealed class Thrift
    {
        private readonly List<byte> _bytes = [];
        private readonly Stack<int> _last = new([0]);

        public byte[] Bytes => [.. _bytes];

        public void I32(int id, int value)
        {
            Field(id, 5);
            for (var v = (uint)((value << 1) ^ (value >> 31)); ; v >>= 7)
            {
                if (v < 0x80)
                {
                    _bytes.Add((byte)v);
                    return;
                }

                _bytes.Add((byte)(v | 0x80));
            }
        }

        public void Bool(int id, bool value) => Field(id, value ? 1 : 2);

        public void BeginStruct(int id)
        {
            Field(id, 12);
            _last.Push(0);
        }

        public void EndStruct()
        {
            Stop();
            _last.Pop();
        }

        public void Stop() => _bytes.Add(0);

        private void Field(int id, int type)
        {
            var delta = id - _last.Pop();
            Assert.InRange(delta, 1, 15);
            _bytes.Add((byte)((delta << 4) | type));
            _last.Push(id);
        }
    }
}

/// <summary>
/// Writes a whole Parquet file whose chunks are <see cref="V2Chunk.Rewrite"/>'s: the chunks in the source's order, then
/// the source's bytes between its last chunk and its footer (bloom filters), then its footer, copied field by field in
/// the Thrift compact protocol with the chunks' offsets, sizes and codec changed (page indexes, which would name the old
/// pages, dropped). DuckDB reading that file back is the check that the v2 pages are well formed.
/// </summary>
internal static class V2File
{
    public sealed record NewChunk(long OldStart, long OldDataPage, long OldEnd, long Start, long DataPage, long Length, long Uncompressed);

    public static void Write(byte[] source, string target, int codec, IReadOnlyList<IReadOnlyList<NewChunk>> groups, IReadOnlyList<byte[]> chunks)
    {
        var footerLength = BinaryPrimitives.ReadInt32LittleEndian(source.AsSpan(source.Length - 8));
        var footerStart = source.Length - 8 - footerLength;
        var oldAreaEnd = groups[^1][^1].OldEnd;
        var output = new List<byte>(source.Length * 2);
        output.AddRange("PAR1"u8.ToArray());
        foreach (var chunk in chunks)
        {
            output.AddRange(chunk);
        }

        var shift = output.Count - oldAreaEnd;
        output.AddRange(source.AsSpan((int)oldAreaEnd, footerStart - (int)oldAreaEnd).ToArray());
        var footer = new Copier(source.AsSpan(footerStart, footerLength).ToArray(), groups, oldAreaEnd, shift, codec).FileMetaData();
        output.AddRange(footer);
        var length = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, footer.Length);
        output.AddRange(length);
        output.AddRange("PAR1"u8.ToArray());
        File.WriteAllBytes(target, [.. output]);
    }

    private sealed class Copier(byte[] input, IReadOnlyList<IReadOnlyList<NewChunk>> groups, long oldAreaEnd, long shift, int codec)
    {
        private readonly List<byte> _out = [];
        private int _at;

        public byte[] FileMetaData()
        {
            Struct((id, type, last) =>
            {
                if (id != 4)
                {
                    return false;
                }

                Header(id, type, last);
                var (count, element) = ListHeader();
                for (var g = 0; g < count; g++)
                {
                    Assert.Equal(12, element);
                    RowGroup(groups[g]);
                }

                return true;
            });
            Assert.Equal(input.Length, _at);
            return [.. _out];
        }

        private void RowGroup(IReadOnlyList<NewChunk> chunks)
        {
            Struct((id, type, last) =>
            {
                switch (id)
                {
                    case 1:
                        {
                            Header(id, type, last);
                            var (count, _) = ListHeader();
                            Assert.Equal(chunks.Count, count);
                            for (var c = 0; c < count; c++)
                            {
                                ColumnChunk(chunks[c]);
                            }

                            return true;
                        }

                    case 2:
                        Replace(id, type, last, _ => chunks.Sum(c => c.Uncompressed));
                        return true;
                    case 5:
                        Replace(id, type, last, o => Map(chunks[0], o));
                        return true;
                    case 6:
                        Replace(id, type, last, _ => chunks.Sum(c => c.Length));
                        return true;
                    default:
                        return false;
                }
            });
        }

        private void ColumnChunk(NewChunk chunk)
        {
            Struct((id, type, last) =>
            {
                switch (id)
                {
                    case 2:
                        Replace(id, type, last, o => Map(chunk, o));
                        return true;
                    case 3:
                        Header(id, type, last);
                        ColumnMetaData(chunk);
                        return true;
                    case 4 or 5 or 6 or 7:
                        Skip(type);
                        return true; // page indexes: dropped
                    default:
                        return false;
                }
            });
        }

        private void ColumnMetaData(NewChunk chunk)
        {
            Struct((id, type, last) =>
            {
                switch (id)
                {
                    case 4:
                        Replace(id, type, last, _ => codec);
                        return true;
                    case 6:
                        Replace(id, type, last, _ => chunk.Uncompressed);
                        return true;
                    case 7:
                        Replace(id, type, last, _ => chunk.Length);
                        return true;
                    case 9 or 10 or 11 or 14:
                        Replace(id, type, last, o => Map(chunk, o));
                        return true;
                    default:
                        return false;
                }
            });
        }

        private long Map(NewChunk chunk, long old)
        {
            if (old == 0)
            {
                return 0; // not set
            }

            if (old == chunk.OldStart)
            {
                return chunk.Start;
            }

            if (old == chunk.OldDataPage)
            {
                return chunk.DataPage;
            }

            if (old == chunk.OldEnd)
            {
                return chunk.Start + chunk.Length;
            }

            Assert.True(old >= oldAreaEnd, $"offset {old} inside the chunk at {chunk.OldStart}");
            return old + shift;
        }

        /// <summary>Copies a struct's fields; <paramref name="field"/> handles (writes or drops) those it returns true for.</summary>
        private void Struct(Func<short, int, short, bool> field)
        {
            short readId = 0;
            var written = new[] { (short)0 };
            while (true)
            {
                var b = input[_at++];
                if (b == 0)
                {
                    _out.Add(0);
                    return;
                }

                var type = b & 0x0F;
                readId = (b >> 4) == 0 ? (short)Zigzag(Varint()) : (short)(readId + (b >> 4));
                var before = _out.Count;
                if (!field(readId, type, written[0]))
                {
                    Header(readId, type, written[0]);
                    var start = _at;
                    Skip(type);
                    _out.AddRange(input.AsSpan(start, _at - start).ToArray());
                }

                if (_out.Count != before)
                {
                    written[0] = readId;
                }
            }
        }

        private void Replace(short id, int type, short last, Func<long, long> value)
        {
            Assert.True(type is 5 or 6, $"field {id} of type {type}");
            var old = Zigzag(Varint());
            Header(id, type, last);
            var v = value(old);
            for (var u = (ulong)((v << 1) ^ (v >> 63)); ; u >>= 7)
            {
                if (u < 0x80)
                {
                    _out.Add((byte)u);
                    return;
                }

                _out.Add((byte)(u | 0x80));
            }
        }

        private void Header(short id, int type, short last)
        {
            var delta = id - last;
            if (delta is > 0 and <= 15)
            {
                _out.Add((byte)((delta << 4) | type));
                return;
            }

            _out.Add((byte)type);
            for (var u = (uint)((id << 1) ^ (id >> 15)); ; u >>= 7)
            {
                if (u < 0x80)
                {
                    _out.Add((byte)u);
                    return;
                }

                _out.Add((byte)(u | 0x80));
            }
        }

        /// <summary>Reads a list header (copying it) and returns its size and element type.</summary>
        private (int Count, int Element) ListHeader()
        {
            var start = _at;
            var b = input[_at++];
            var count = b >> 4;
            if (count == 15)
            {
                count = (int)Varint();
            }

            _out.AddRange(input.AsSpan(start, _at - start).ToArray());
            return (count, b & 0x0F);
        }

        private void Skip(int type)
        {
            switch (type)
            {
                case 1 or 2:
                    return;
                case 3:
                    _at++;
                    return;
                case 4 or 5 or 6:
                    Varint();
                    return;
                case 7:
                    _at += 8;
                    return;
                case 8:
                    {
                        var length = (int)Varint();
                        _at += length;
                        return;
                    }
                case 9 or 10:
                    {
                        var b = input[_at++];
                        var count = b >> 4 == 15 ? (int)Varint() : b >> 4;
                        for (var i = 0; i < count; i++)
                        {
                            if ((b & 0x0F) is 1 or 2)
                            {
                                _at++;
                            }
                            else
                            {
                                Skip(b & 0x0F);
                            }
                        }

                        return;
                    }

                case 11:
                    {
                        var count = (int)Varint();
                        if (count > 0)
                        {
                            var kv = input[_at++];
                            for (var i = 0; i < count; i++)
                            {
                                Skip(kv >> 4);
                                Skip(kv & 0x0F);
                            }
                        }

                        return;
                    }

                case 12:
                    while (true)
                    {
                        var b = input[_at++];
                        if (b == 0)
                        {
                            return;
                        }

                        if (b >> 4 == 0)
                        {
                            Varint();
                        }

                        Skip(b & 0x0F);
                    }

                default:
                    throw new InvalidDataException($"Thrift type {type} at {_at}: {Convert.ToHexString(input.AsSpan(Math.Max(0, _at - 24), 32))}");
            }
        }

        private ulong Varint()
        {
            ulong value = 0;
            for (var shift = 0; ; shift += 7)
            {
                var b = input[_at++];
                value |= (ulong)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    return value;
                }
            }
        }

        private static long Zigzag(ulong u) => (long)(u >> 1) ^ -(long)(u & 1);
    }
}
