using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Text;

namespace Workbench.Data.ParquetEncoding;

/// <summary>
/// Encodes one row group of a labelled dataset (<see cref="RowGroupBuffer"/>) into its seven column chunks
/// (docs/DATASET_FORMAT.md, "Physical layout"):
/// <list type="bullet">
/// <item><c>series</c> and <c>series_id</c>: a dictionary page of the series present in the row group (ascending id),
/// then one data page of their dictionary indices — the same index bytes for both columns, written once.</item>
/// <item><c>timestamp</c>: PLAIN INT64 milliseconds; <c>value</c>: definition levels + PLAIN doubles, uncompressed (Snappy
/// gains nothing on them); <c>is_anomaly</c>: PLAIN bit-packed; <c>anomaly_kind</c>: levels + dictionary indices (a PLAIN
/// page of levels alone when the row group has no kind); <c>anomaly_id</c>: levels + PLAIN INT32.</item>
/// <item>Every other column Snappy-compressed; one data page per chunk; statistics (null count, min, max) per chunk.</item>
/// </list>
/// The series and kind ids are known, so no value is hashed or compared per row. One encoder per writer, used by one
/// thread at a time; its buffers are reused, so in steady state a row group allocates only its small metadata.
/// </summary>
internal sealed class LabeledRowGroupEncoder
{
    private static readonly long UnixEpochTicks = DateTime.UnixEpoch.Ticks;

    private readonly ColumnChunkBuilder[] _columns;
    private byte[][] _seriesUtf8 = [];
    private int[] _seriesRank = [];
    private string[] _seriesSnapshot = [];
    private bool[] _present = [];
    private int[] _map = [];
    private int[] _dictionary = [];
    private int[] _indices = [];

    public LabeledRowGroupEncoder()
    {
        var schema = ParquetColumn.LabeledDataset;
        _columns = new ColumnChunkBuilder[schema.Count];
        for (var c = 0; c < schema.Count; c++)
        {
            var codec = schema[c].Name == LabeledDatasetFormat.ValueColumn ? ParquetCodec.Uncompressed : ParquetCodec.Snappy;
            _columns[c] = new ColumnChunkBuilder(schema[c].Type, schema[c].Name, codec);
        }
    }

    /// <summary>The bytes of column chunk <paramref name="column"/> (schema order) of the row group last encoded.</summary>
    public ReadOnlyMemory<byte> Chunk(int column) => _columns[column].Chunk.WrittenMemory;

    /// <summary>Encodes the buffer's rows; the chunks are then in <see cref="Chunk"/> until the next call.</summary>
    public ColumnChunkInfo[] Encode(RowGroupBuffer buffer)
    {
        var n = buffer.Count;
        var infos = new ColumnChunkInfo[_columns.Length];
        EncodeSeries(buffer, infos);
        infos[2] = EncodeTimestamps(buffer.Ticks.AsSpan(0, n));
        infos[3] = EncodeValues(buffer);
        infos[4] = EncodeIsAnomaly(buffer.IsAnomaly.AsSpan(0, n));
        infos[5] = EncodeKinds(buffer);
        infos[6] = EncodeIds(buffer);
        return infos;
    }

    private void EncodeSeries(RowGroupBuffer buffer, ColumnChunkInfo[] infos)
    {
        var n = buffer.Count;
        var table = buffer.SeriesTable;
        PrepareSeriesTable(table);
        var ids = buffer.SeriesIds.AsSpan(0, n);

        // Which series occur: the dictionary is those, in ascending id (so equal input gives equal bytes).
        var present = _present.AsSpan(0, table.Length);
        present.Clear();
        foreach (var id in ids)
        {
            present[id] = true;
        }

        var count = 0;
        for (var id = 0; id < present.Length; id++)
        {
            if (present[id])
            {
                _map[id] = count;
                _dictionary[count++] = id;
            }
        }

        ReadOnlySpan<int> indices = ids;
        if (count != table.Length)
        {
            EnsureLength(ref _indices, n);
            var map = _map;
            var remapped = _indices.AsSpan(0, n);
            for (var i = 0; i < remapped.Length; i++)
            {
                remapped[i] = map[ids[i]];
            }

            indices = remapped;
        }

        var dictionary = _dictionary.AsSpan(0, count);
        var series = _columns[0].Begin();
        var seriesIds = _columns[1].Begin();
        int minId = -1, maxId = -1;
        foreach (var id in dictionary)
        {
            var name = _seriesUtf8[id];
            series.Page.WriteInt32LittleEndian(name.Length);
            series.Page.Write(name);
            seriesIds.Page.WriteInt32LittleEndian(id);
            if (minId < 0 || _seriesRank[id] < _seriesRank[minId])
            {
                minId = id;
            }

            if (maxId < 0 || _seriesRank[id] > _seriesRank[maxId])
            {
                maxId = id;
            }
        }

        series.AddDictionaryPage(count);
        seriesIds.AddDictionaryPage(count);
        HybridEncoder.WriteIndices(indices, HybridEncoder.BitWidth(count - 1), series.Page);
        seriesIds.Page.Write(series.Page.Written);
        infos[0] = series.AddDataPage(n, ParquetEncodingKind.PlainDictionary, 0,
            count > 0 ? _seriesUtf8[minId] : null, count > 0 ? _seriesUtf8[maxId] : null);
        infos[1] = seriesIds.AddDataPage(n, ParquetEncodingKind.PlainDictionary, 0,
            count > 0 ? Int32Bytes(dictionary[0]) : null, count > 0 ? Int32Bytes(dictionary[^1]) : null);
    }

    private ColumnChunkInfo EncodeTimestamps(ReadOnlySpan<long> ticks)
    {
        var column = _columns[2].Begin();
        var millis = MemoryMarshal.Cast<byte, long>(column.Page.GetSpan(ticks.Length * sizeof(long)));
        var epoch = UnixEpochTicks;
        for (var i = 0; i < ticks.Length; i++)
        {
            millis[i] = (ticks[i] - epoch) / TimeSpan.TicksPerMillisecond;
        }

        if (!BitConverter.IsLittleEndian)
        {
            BinaryPrimitives.ReverseEndianness(millis, millis);
        }

        column.Page.Advance(ticks.Length * sizeof(long));

        // Canonical order: timestamps ascending, so the first and last row are the minimum and maximum.
        return column.AddDataPage(ticks.Length, ParquetEncodingKind.Plain, 0,
            ticks.Length > 0 ? Int64Bytes((ticks[0] - epoch) / TimeSpan.TicksPerMillisecond) : null,
            ticks.Length > 0 ? Int64Bytes((ticks[^1] - epoch) / TimeSpan.TicksPerMillisecond) : null);
    }

    private ColumnChunkInfo EncodeValues(RowGroupBuffer buffer)
    {
        var n = buffer.Count;
        var values = buffer.Values.AsSpan(0, buffer.ValueCount);
        var column = _columns[3].Begin();
        HybridEncoder.WriteLevels(buffer.ValueLevels.AsSpan(0, n), column.Page);
        column.Page.Write(MemoryMarshal.AsBytes(values));
        byte[]? min = null, max = null;
        if (values.Length > 0)
        {
            var lo = values[0];
            var hi = values[0];
            foreach (var v in values)
            {
                lo = Math.Min(lo, v);
                hi = Math.Max(hi, v);
            }

            // The Parquet spec's rule for zeros: a minimum of zero is written -0.0, a maximum of zero +0.0.
            min = DoubleBytes(lo == 0 ? -0.0 : lo);
            max = DoubleBytes(hi == 0 ? 0.0 : hi);
        }

        return column.AddDataPage(n, ParquetEncodingKind.Plain, n - values.Length, min, max);
    }

    private ColumnChunkInfo EncodeIsAnomaly(ReadOnlySpan<bool> flags)
    {
        var column = _columns[4].Begin();
        HybridEncoder.WritePlainBooleans(flags, column.Page);
        byte[]? min = null, max = null;
        if (flags.Length > 0)
        {
            min = [flags.Contains(false) ? (byte)0 : (byte)1];
            max = [flags.Contains(true) ? (byte)1 : (byte)0];
        }

        return column.AddDataPage(flags.Length, ParquetEncodingKind.Plain, 0, min, max);
    }

    private ColumnChunkInfo EncodeKinds(RowGroupBuffer buffer)
    {
        var n = buffer.Count;
        var kinds = buffer.KindIds.AsSpan(0, buffer.KindCount);
        var table = buffer.KindTable;
        var column = _columns[5].Begin();
        if (kinds.Length == 0)
        {
            // No kind in this row group: a PLAIN page of levels alone (no dictionary page), as Parquet.Net writes it.
            HybridEncoder.WriteLevels(buffer.KindLevels.AsSpan(0, n), column.Page);
            return column.AddDataPage(n, ParquetEncodingKind.Plain, n, null, null);
        }

        Span<int> map = table.Length <= 256 ? stackalloc int[table.Length] : new int[table.Length];
        map.Fill(-1);
        foreach (var k in kinds)
        {
            map[k] = 0;
        }

        var count = 0;
        string? min = null, max = null;
        for (var k = 0; k < table.Length; k++)
        {
            if (map[k] < 0)
            {
                continue;
            }

            map[k] = count++;
            var bytes = Encoding.UTF8.GetBytes(table[k]);
            column.Page.WriteInt32LittleEndian(bytes.Length);
            column.Page.Write(bytes);
            if (min is null || Utf8Compare(table[k], min) < 0)
            {
                min = table[k];
            }

            if (max is null || Utf8Compare(table[k], max) > 0)
            {
                max = table[k];
            }
        }

        column.AddDictionaryPage(count);
        EnsureLength(ref _indices, kinds.Length);
        var indices = _indices.AsSpan(0, kinds.Length);
        for (var i = 0; i < kinds.Length; i++)
        {
            indices[i] = map[kinds[i]];
        }

        HybridEncoder.WriteLevels(buffer.KindLevels.AsSpan(0, n), column.Page);
        HybridEncoder.WriteIndices(indices, HybridEncoder.BitWidth(count - 1), column.Page);
        return column.AddDataPage(n, ParquetEncodingKind.PlainDictionary, n - kinds.Length,
            Encoding.UTF8.GetBytes(min!), Encoding.UTF8.GetBytes(max!));
    }

    private ColumnChunkInfo EncodeIds(RowGroupBuffer buffer)
    {
        var n = buffer.Count;
        var ids = buffer.Ids.AsSpan(0, buffer.IdCount);
        var column = _columns[6].Begin();
        HybridEncoder.WriteLevels(buffer.IdLevels.AsSpan(0, n), column.Page);
        var bytes = column.Page.GetSpan(ids.Length * sizeof(int));
        for (var i = 0; i < ids.Length; i++)
        {
            BinaryPrimitives.WriteInt32LittleEndian(bytes[(i * sizeof(int))..], ids[i]);
        }

        column.Page.Advance(ids.Length * sizeof(int));
        byte[]? min = null, max = null;
        if (ids.Length > 0)
        {
            var lo = ids[0];
            var hi = ids[0];
            foreach (var id in ids)
            {
                lo = Math.Min(lo, id);
                hi = Math.Max(hi, id);
            }

            min = Int32Bytes(lo);
            max = Int32Bytes(hi);
        }

        return column.AddDataPage(n, ParquetEncodingKind.Plain, n - ids.Length, min, max);
    }

    /// <summary>UTF-8 bytes and byte-order ranks of the series names; recomputed only when the table grew (or changed).</summary>
    private void PrepareSeriesTable(string[] table)
    {
        if (ReferenceEquals(table, _seriesSnapshot))
        {
            return;
        }

        var utf8 = new byte[table.Length][];
        for (var i = 0; i < table.Length; i++)
        {
            utf8[i] = i < _seriesSnapshot.Length && ReferenceEquals(_seriesSnapshot[i], table[i]) ? _seriesUtf8[i] : Encoding.UTF8.GetBytes(table[i]);
        }

        var order = new int[table.Length];
        for (var i = 0; i < order.Length; i++)
        {
            order[i] = i;
        }

        Array.Sort(order, (a, b) => utf8[a].AsSpan().SequenceCompareTo(utf8[b]));
        var rank = new int[table.Length];
        for (var r = 0; r < order.Length; r++)
        {
            rank[order[r]] = r;
        }

        _seriesUtf8 = utf8;
        _seriesRank = rank;
        _present = new bool[table.Length];
        _map = new int[table.Length];
        _dictionary = new int[table.Length];
        _seriesSnapshot = table;
    }

    private static int Utf8Compare(string a, string b) =>
        Encoding.UTF8.GetBytes(a).AsSpan().SequenceCompareTo(Encoding.UTF8.GetBytes(b));

    private static void EnsureLength(ref int[] array, int length)
    {
        if (array.Length < length)
        {
            array = new int[Math.Max(length, array.Length * 2)];
        }
    }

    private static byte[] Int32Bytes(int value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(bytes, value);
        return bytes;
    }

    private static byte[] Int64Bytes(long value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteInt64LittleEndian(bytes, value);
        return bytes;
    }

    private static byte[] DoubleBytes(double value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteDoubleLittleEndian(bytes, value);
        return bytes;
    }
}
