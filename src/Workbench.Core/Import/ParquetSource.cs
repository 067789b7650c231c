using System.Runtime.CompilerServices;
using Parquet;
using Parquet.Schema;

namespace Workbench.Import;

/// <summary>
/// Reads a Parquet file written by any tool (pandas/pyarrow, polars, DuckDB, Spark, Workbench) one row group at a time,
/// decoding only the mapped top-level columns into <see cref="SourceColumn"/>s by type family: float32/float64,
/// every integer width, DECIMAL, boolean, string, TIMESTAMP (MILLIS/MICROS/NANOS; adjusted to UTC = instant, else
/// wall-clock time), the legacy TIMESTAMP_MILLIS/MICROS converted types (instants), INT96 and DATE (wall-clock times).
/// </summary>
internal sealed class ParquetSource : IImportSource
{
    private readonly ParquetReader _reader;
    private readonly Dictionary<string, DataField> _fields = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _unsupported = new(StringComparer.Ordinal);

    private ParquetSource(string path, ParquetReader reader)
    {
        FilePath = path;
        _reader = reader;
        var names = new List<string>();
        foreach (var field in reader.Schema.Fields)
        {
            names.Add(field.Name);
            if (field is DataField { IsArray: false, MaxRepetitionLevel: 0, MaxDefinitionLevel: <= 1 } data)
            {
                _fields[field.Name] = data;
            }
            else
            {
                _unsupported[field.Name] = field.SchemaType.ToString().ToLowerInvariant();
            }
        }

        ColumnNames = names;
    }

    /// <inheritdoc/>
    public string FilePath { get; }

    /// <inheritdoc/>
    public IReadOnlyList<string> ColumnNames { get; }

    /// <inheritdoc/>
    public bool IsCsv => false;

    /// <summary>The file's key-value metadata.</summary>
    public IReadOnlyDictionary<string, string> Metadata => _reader.CustomMetadata;

    /// <summary>Opens <paramref name="path"/> and reads its footer.</summary>
    /// <exception cref="ImportException">The file is not Parquet.</exception>
    public static async Task<ParquetSource> OpenAsync(string path, CancellationToken ct)
    {
        var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 1 << 16);
        try
        {
            var reader = await ParquetReader.CreateAsync(stream, null, leaveStreamOpen: false, ct).ConfigureAwait(false);
            return new ParquetSource(path, reader);
        }
        catch (Exception ex) when (ex is not (OperationCanceledException or UnauthorizedAccessException))
        {
            // Whatever a damaged Thrift footer makes the parser throw (even a failed huge allocation): one line.
            await stream.DisposeAsync().ConfigureAwait(false);
            throw new ImportException(path, null, null, $"not a readable Parquet file ({ex.Message.ReplaceLineEndings(" ")})",
                "give a Parquet file, or import a CSV file with 'import csv'", ex);
        }
        catch
        {
            await stream.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<SourceChunk> ReadAsync(IReadOnlyCollection<string> columns, [EnumeratorCancellation] CancellationToken ct)
    {
        long rowBase = 0;
        for (var g = 0; g < _reader.RowGroupCount; g++)
        {
            using var rowGroup = _reader.OpenRowGroupReader(g);
            var n = checked((int)rowGroup.RowCount);
            var map = new Dictionary<string, SourceColumn>(StringComparer.Ordinal);
            foreach (var name in columns)
            {
                if (!_fields.TryGetValue(name, out var field))
                {
                    map[name] = new SourceColumn(name, SourceColumnKind.Unsupported, null, _unsupported.GetValueOrDefault(name, "nested"));
                    continue;
                }

                try
                {
                    map[name] = await ReadColumnAsync(rowGroup, field, n, ct).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is IOException or ParquetException or InvalidDataException or InvalidOperationException or NotSupportedException or IndexOutOfRangeException or ArgumentException)
                {
                    throw new ImportException(FilePath, $"row group {g} (rows {rowBase}..{rowBase + n - 1})", name, $"the column cannot be decoded ({ex.Message})",
                        "rewrite the file with a standard writer (pandas to_parquet, DuckDB COPY … TO)", ex);
                }
            }

            var locate = new long[n];
            for (var i = 0; i < n; i++)
            {
                locate[i] = rowBase + i;
            }

            yield return new SourceChunk(map, n, locate, IsCsv: false);
            rowBase += n;
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _reader.DisposeAsync();

    private static async Task<SourceColumn> ReadColumnAsync(ParquetRowGroupReader rowGroup, DataField field, int n, CancellationToken ct)
    {
        var type = field.ClrType;
        var name = field.Name;
        if (type == typeof(double))
        {
            return new SourceColumn(name, SourceColumnKind.Float, await ReadAsync<double>(rowGroup, field, n, ct).ConfigureAwait(false), "double");
        }

        if (type == typeof(float))
        {
            var raw = await ReadAsync<float>(rowGroup, field, n, ct).ConfigureAwait(false);
            return new SourceColumn(name, SourceColumnKind.Float, Array.ConvertAll(raw, v => (double?)v), "float");
        }

        if (type == typeof(long))
        {
            return new SourceColumn(name, SourceColumnKind.Integer, await ReadAsync<long>(rowGroup, field, n, ct).ConfigureAwait(false), "int64");
        }

        if (type == typeof(int))
        {
            return Integers(name, await ReadAsync<int>(rowGroup, field, n, ct).ConfigureAwait(false), v => v, "int32");
        }

        if (type == typeof(short))
        {
            return Integers(name, await ReadAsync<short>(rowGroup, field, n, ct).ConfigureAwait(false), v => v, "int16");
        }

        if (type == typeof(sbyte))
        {
            return Integers(name, await ReadAsync<sbyte>(rowGroup, field, n, ct).ConfigureAwait(false), v => v, "int8");
        }

        if (type == typeof(byte))
        {
            return Integers(name, await ReadAsync<byte>(rowGroup, field, n, ct).ConfigureAwait(false), v => v, "uint8");
        }

        if (type == typeof(ushort))
        {
            return Integers(name, await ReadAsync<ushort>(rowGroup, field, n, ct).ConfigureAwait(false), v => v, "uint16");
        }

        if (type == typeof(uint))
        {
            return Integers(name, await ReadAsync<uint>(rowGroup, field, n, ct).ConfigureAwait(false), v => v, "uint32");
        }

        if (type == typeof(ulong))
        {
            var raw = await ReadAsync<ulong>(rowGroup, field, n, ct).ConfigureAwait(false);
            return new SourceColumn(name, SourceColumnKind.Float, Array.ConvertAll(raw, v => v is { } u ? (double?)u : null), "uint64");
        }

        if (type == typeof(decimal))
        {
            return new SourceColumn(name, SourceColumnKind.Decimal, await ReadAsync<decimal>(rowGroup, field, n, ct).ConfigureAwait(false), "decimal");
        }

        if (type == typeof(bool))
        {
            return new SourceColumn(name, SourceColumnKind.Boolean, await ReadAsync<bool>(rowGroup, field, n, ct).ConfigureAwait(false), "boolean");
        }

        if (type == typeof(DateTime))
        {
            var values = await ReadAsync<DateTime>(rowGroup, field, n, ct).ConfigureAwait(false);
            if (field is DateTimeDataField { DateTimeFormat: DateTimeFormat.Timestamp, Unit: DateTimeTimeUnit.Nanos })
            {
                await KeepSubTickNanosVisibleAsync(rowGroup, field, values, ct).ConfigureAwait(false);
            }

            var (kind, described) = field switch
            {
                DateTimeDataField { DateTimeFormat: DateTimeFormat.Timestamp } dt =>
                    (dt.IsAdjustedToUTC ? SourceColumnKind.Instant : SourceColumnKind.LocalDateTime,
                     $"TIMESTAMP({dt.Unit.ToString().ToUpperInvariant()}, {(dt.IsAdjustedToUTC ? "UTC" : "local")})"),
                DateTimeDataField { DateTimeFormat: DateTimeFormat.DateAndTime or DateTimeFormat.DateAndTimeMicros } dt =>
                    (SourceColumnKind.Instant, $"TIMESTAMP ({dt.DateTimeFormat})"),
                DateTimeDataField { DateTimeFormat: DateTimeFormat.Date } => (SourceColumnKind.LocalDateTime, "DATE"),
                _ => (SourceColumnKind.LocalDateTime, "INT96"),
            };
            return new SourceColumn(name, kind, values, described);
        }

        if (type == typeof(string) || type == typeof(ReadOnlyMemory<char>))
        {
            var strings = new string?[n];
            await rowGroup.ReadAsync(field, strings.AsMemory(), null, ct).ConfigureAwait(false);
            return new SourceColumn(name, SourceColumnKind.Text, strings, "string");
        }

        return new SourceColumn(name, SourceColumnKind.Unsupported, null, type.Name);
    }

    /// <summary>
    /// Parquet.Net decodes TIMESTAMP(NANOS) to <see cref="DateTime"/>, whose 100 ns tick drops the last two digits: a
    /// time such as 00:00:00.000000050 would arrive as a whole millisecond, and the sub-millisecond check (reject, or
    /// floor and count) would never see it. This reads the column's raw nanoseconds too, and where those digits are
    /// non-zero and the decoded value is a whole millisecond, moves the value one tick up, so the check sees the
    /// sub-millisecond part: rejected by default, or floored back to the same millisecond (and counted) with
    /// <c>--sub-millisecond floor</c>. Values that are not whole milliseconds already fail the check as they are.
    /// </summary>
    private static async Task KeepSubTickNanosVisibleAsync(ParquetRowGroupReader rowGroup, DataField field, DateTime?[] values, CancellationToken ct)
    {
        var raw = new DataField<long?>(field.Name);
        _ = new ParquetSchema(raw); // attaches the field (same top-level path) so the reader reads the chunk's INT64 values
        var nanos = new long?[values.Length];
        await rowGroup.ReadAsync<long>(raw, nanos.AsMemory(), null, ct).ConfigureAwait(false);
        for (var i = 0; i < values.Length; i++)
        {
            if (nanos[i] is { } ns && ns % 100 != 0 && values[i] is { } t && t.Ticks % TimeSpan.TicksPerMillisecond == 0)
            {
                values[i] = t.AddTicks(1);
            }
        }
    }

    private static SourceColumn Integers<T>(string name, T?[] raw, Func<T, long> widen, string typeName)
        where T : struct => new(name, SourceColumnKind.Integer, Array.ConvertAll(raw, v => v is { } x ? widen(x) : (long?)null), typeName);

    private static async Task<T?[]> ReadAsync<T>(ParquetRowGroupReader rowGroup, DataField field, int n, CancellationToken ct)
        where T : struct
    {
        var values = new T?[n];
        await rowGroup.ReadAsync<T>(field, values.AsMemory(), null, ct).ConfigureAwait(false);
        return values;
    }
}
