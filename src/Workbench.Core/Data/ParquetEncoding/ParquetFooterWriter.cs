namespace Workbench.Data.ParquetEncoding;

/// <summary>One row group as the footer records it: its chunks (in schema order) and where each starts in the file.</summary>
internal sealed record RowGroupInfo(ColumnChunkInfo[] Chunks, long[] ChunkOffsets, long Rows);

/// <summary>
/// Writes a Parquet footer — the Thrift <c>FileMetaData</c> of a flat schema: schema, row groups with their column
/// chunks' metadata and statistics, key-value metadata in the given order, <c>created_by</c> and the type-defined sort
/// order of every column (so readers may use the <c>min_value</c>/<c>max_value</c> statistics of string columns).
/// </summary>
internal static class ParquetFooterWriter
{
    private const int ConvertedUtf8 = 0;
    private const int ConvertedInt32 = 17;

    public static void Write(
        ByteBuffer output, IReadOnlyList<ParquetColumn> columns, IReadOnlyList<RowGroupInfo> rowGroups,
        IReadOnlyList<KeyValuePair<string, string>> metadata, string createdBy)
    {
        var w = new ThriftCompactWriter(output);
        w.BeginStruct();
        w.I32Field(1, 1);
        w.ListField(2, CompactType.Struct, columns.Count + 1);
        w.BeginStruct();
        w.StringField(4, "root");
        w.I32Field(5, columns.Count);
        w.EndStruct();
        foreach (var column in columns)
        {
            WriteSchemaElement(w, column);
        }

        long rows = 0;
        foreach (var group in rowGroups)
        {
            rows += group.Rows;
        }

        w.I64Field(3, rows);
        w.ListField(4, CompactType.Struct, rowGroups.Count);
        for (var g = 0; g < rowGroups.Count; g++)
        {
            WriteRowGroup(w, rowGroups[g], (short)Math.Min(g, short.MaxValue));
        }

        w.ListField(5, CompactType.Struct, metadata.Count);
        foreach (var (key, value) in metadata)
        {
            w.BeginStruct();
            w.StringField(1, key);
            w.StringField(2, value);
            w.EndStruct();
        }

        w.StringField(6, createdBy);
        w.ListField(7, CompactType.Struct, columns.Count);
        for (var c = 0; c < columns.Count; c++)
        {
            // ColumnOrder union, field 1: TYPE_ORDER (an empty TypeDefinedOrder struct).
            w.BeginStruct();
            w.BeginStructField(1);
            w.EndStruct();
            w.EndStruct();
        }

        w.EndStruct();
    }

    private static void WriteSchemaElement(ThriftCompactWriter w, ParquetColumn column)
    {
        w.BeginStruct();
        w.I32Field(1, (int)column.Type);
        w.I32Field(3, (int)column.Repetition);
        w.StringField(4, column.Name);
        switch (column.Logical)
        {
            case LogicalKind.String:
                w.I32Field(6, ConvertedUtf8);
                w.BeginStructField(10);
                w.BeginStructField(1);
                w.EndStruct();
                w.EndStruct();
                break;
            case LogicalKind.Int32:
                w.I32Field(6, ConvertedInt32);
                w.BeginStructField(10);
                w.BeginStructField(10);
                w.ByteField(1, 32);
                w.BoolField(2, true);
                w.EndStruct();
                w.EndStruct();
                break;
            case LogicalKind.TimestampMillisUtc:
                w.BeginStructField(10);
                w.BeginStructField(8);
                w.BoolField(1, true);
                w.BeginStructField(2);
                w.BeginStructField(1);
                w.EndStruct();
                w.EndStruct();
                w.EndStruct();
                w.EndStruct();
                break;
            case LogicalKind.None:
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(column), column.Logical, "unknown logical type");
        }

        w.EndStruct();
    }

    private static void WriteRowGroup(ThriftCompactWriter w, RowGroupInfo group, short ordinal)
    {
        w.BeginStruct();
        w.ListField(1, CompactType.Struct, group.Chunks.Length);
        long uncompressed = 0;
        long compressed = 0;
        for (var c = 0; c < group.Chunks.Length; c++)
        {
            var chunk = group.Chunks[c];
            var start = group.ChunkOffsets[c];
            uncompressed += chunk.TotalUncompressedSize;
            compressed += chunk.TotalCompressedSize;
            w.BeginStruct();
            w.I64Field(2, start);
            w.BeginStructField(3);
            w.I32Field(1, (int)chunk.Type);
            w.ListField(2, CompactType.I32, chunk.Encodings.Length);
            foreach (var encoding in chunk.Encodings)
            {
                w.I32((int)encoding);
            }

            w.ListField(3, CompactType.Binary, 1);
            w.String(chunk.Path);
            w.I32Field(4, (int)chunk.Codec);
            w.I64Field(5, chunk.NumValues);
            w.I64Field(6, chunk.TotalUncompressedSize);
            w.I64Field(7, chunk.TotalCompressedSize);
            w.I64Field(9, start + chunk.DataPageOffset);
            if (chunk.DictionaryPageOffset is { } dictionary)
            {
                w.I64Field(11, start + dictionary);
            }

            // Statistics: the deprecated min/max (fields 1–2) as well as min_value/max_value (5–6), as Parquet.Net writes them.
            w.BeginStructField(12);
            if (chunk.Max is { } max)
            {
                w.BinaryField(1, max);
            }

            if (chunk.Min is { } min)
            {
                w.BinaryField(2, min);
            }

            w.I64Field(3, chunk.NullCount);
            if (chunk.Max is { } maxValue)
            {
                w.BinaryField(5, maxValue);
            }

            if (chunk.Min is { } minValue)
            {
                w.BinaryField(6, minValue);
            }

            w.EndStruct();
            w.EndStruct();
            w.EndStruct();
        }

        w.I64Field(2, uncompressed);
        w.I64Field(3, group.Rows);
        if (group.ChunkOffsets.Length > 0)
        {
            w.I64Field(5, group.ChunkOffsets[0]);
        }

        w.I64Field(6, compressed);
        w.I16Field(7, ordinal);
        w.EndStruct();
    }
}
