using Parquet.Meta;
using Parquet.Schema;
using Workbench.Data.ParquetEncoding;
using PhysicalType = Parquet.Meta.Type;

namespace Workbench.Data.Decoding;

/// <summary>
/// Which of a dataset file's columns the own decoder may take, decided from the schema when the file is opened, and
/// per row group from each column chunk's footer metadata (<see cref="TryChunk"/>). A column or chunk it does not take
/// is decoded by Parquet.Net, as before the own decoder existed.
/// </summary>
internal sealed class OwnColumns
{
    /// <summary>The largest column chunk read whole into memory; a larger one goes to Parquet.Net.</summary>
    public const long MaxChunkBytes = 1L << 30;

    private readonly PhysicalType[] _physical;

    private OwnColumns(int[] schemaIndex, PhysicalType[] physical, bool[] nullable, TimestampUnit unit)
    {
        SchemaIndex = schemaIndex;
        _physical = physical;
        Nullable = nullable;
        Unit = unit;
    }

    /// <summary>The column steps in decode order: series_id, series, timestamp, value, is_anomaly, anomaly_kind, anomaly_id.</summary>
    public const int SeriesId = 0, Series = 1, Timestamp = 2, Value = 3, IsAnomaly = 4, Kind = 5, Id = 6, Count = 7;

    /// <summary>Per step, the column's index in the schema's data fields (-1: no such column, or not decodable here).</summary>
    public int[] SchemaIndex { get; }

    /// <summary>Per step, whether the column has definition levels (max definition level 1).</summary>
    public bool[] Nullable { get; }

    /// <summary>The timestamp column's unit.</summary>
    public TimestampUnit Unit { get; }

    /// <summary>The plan for a file whose schema passed the reader's checks; null when its timestamp unit is unknown.</summary>
    public static OwnColumns? For(IReadOnlyList<DataField> fields, DataField? seriesId, DataField series, DataField timestamp, DataField value, DataField isAnomaly, DataField kind, DataField id)
    {
        if (timestamp is not DateTimeDataField stamp)
        {
            return null;
        }

        TimestampUnit unit;
        switch (stamp.Unit)
        {
            case DateTimeTimeUnit.Millis:
                unit = TimestampUnit.Millis;
                break;
            case DateTimeTimeUnit.Micros:
                unit = TimestampUnit.Micros;
                break;
            case DateTimeTimeUnit.Nanos:
                unit = TimestampUnit.Nanos;
                break;
            default:
                return null;
        }

        DataField?[] steps = [seriesId, series, timestamp, value, isAnomaly, kind, id];
        PhysicalType[] physical = [PhysicalType.INT32, PhysicalType.BYTE_ARRAY, PhysicalType.INT64, PhysicalType.DOUBLE, PhysicalType.BOOLEAN, PhysicalType.BYTE_ARRAY, PhysicalType.INT32];
        var index = new int[Count];
        var nullable = new bool[Count];
        for (var s = 0; s < Count; s++)
        {
            var field = steps[s];
            index[s] = -1;
            if (field is null || field.MaxRepetitionLevel != 0 || field.MaxDefinitionLevel > 1)
            {
                continue;
            }

            for (var f = 0; f < fields.Count; f++)
            {
                if (string.Equals(fields[f].Path.ToString(), field.Path.ToString(), StringComparison.Ordinal))
                {
                    index[s] = f;
                    break;
                }
            }

            nullable[s] = field.MaxDefinitionLevel == 1;
        }

        return new OwnColumns(index, physical, nullable, unit);
    }

    /// <summary>
    /// Whether step <paramref name="step"/>'s chunk in <paramref name="rowGroup"/> is one the own decoder reads, and if
    /// so its byte range and codec. Bytes outside the file's chunk area (<paramref name="chunkAreaEnd"/>) are not.
    /// </summary>
    public bool TryChunk(RowGroup rowGroup, int step, long rows, long chunkAreaEnd, out long start, out int length, out ParquetCodec codec)
    {
        start = -1;
        length = 0;
        codec = ParquetCodec.Uncompressed;
        var c = SchemaIndex[step];
        if (c < 0 || c >= rowGroup.Columns.Count)
        {
            return false;
        }

        var chunk = rowGroup.Columns[c];
        var meta = chunk.MetaData;
        if (meta is null || chunk.FilePath is not null || chunk.CryptoMetadata is not null || chunk.EncryptedColumnMetadata is not null ||
            meta.Type != _physical[step] || meta.NumValues != rows)
        {
            return false;
        }

        switch (meta.Codec)
        {
            case CompressionCodec.UNCOMPRESSED:
                codec = ParquetCodec.Uncompressed;
                break;
            case CompressionCodec.SNAPPY:
                codec = ParquetCodec.Snappy;
                break;
            default:
                return false;
        }

        var encodings = meta.Encodings;
        for (var i = 0; i < encodings.Count; i++)
        {
            if (encodings[i] is not (Encoding.PLAIN or Encoding.PLAIN_DICTIONARY or Encoding.RLE or Encoding.BIT_PACKED or Encoding.RLE_DICTIONARY))
            {
                return false;
            }
        }

        var first = meta.DictionaryPageOffset is > 0 and var d && d < meta.DataPageOffset ? d : meta.DataPageOffset;
        var size = meta.TotalCompressedSize;
        if (first < 4 || size <= 0 || size > MaxChunkBytes || first > chunkAreaEnd - size)
        {
            return false;
        }

        start = first;
        length = (int)size;
        return true;
    }
}
