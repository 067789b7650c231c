using System.Buffers.Binary;
using System.Globalization;
using System.IO.Hashing;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Microsoft.Win32.SafeHandles;

namespace Workbench.Data;

/// <summary>One column chunk's byte range in the file and the XxHash3-64 of those bytes.</summary>
internal readonly record struct ChunkDigest(long Offset, long Length, ulong Hash);

/// <summary>
/// The integrity record of a dataset file (metadata key <see cref="LabeledDatasetFormat.DigestsKey"/>,
/// <c>docs/DATASET_FORMAT.md</c>, "Integrity"): the XxHash3-64 of every column chunk's bytes and of the footer.
/// </summary>
/// <remarks>
/// The JSON always starts with <see cref="Marker"/> followed by the footer digest's 16 hexadecimal digits, so a reader
/// can find and check the footer digest in the raw footer bytes before any Thrift is parsed; the footer digest is
/// computed over the footer with those 16 digits written as <c>0</c>.
/// </remarks>
internal sealed class DatasetDigests
{
    /// <summary>The <c>format</c> of the record.</summary>
    public const string FormatId = "workbench-digests/1";

    /// <summary>The hash: XxHash3, 64 bits, seed 0, written as 16 lower-case hexadecimal digits.</summary>
    public const string Algorithm = "xxh3-64";

    /// <summary>Hexadecimal digits of one digest.</summary>
    public const int HexLength = 16;

    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public DatasetDigests(ulong footer, string[] columns, ChunkDigest[][] rowGroups)
    {
        Footer = footer;
        Columns = columns;
        RowGroups = rowGroups;
    }

    /// <summary>How every record starts: the format, the algorithm and the opening of the footer digest.</summary>
    public static ReadOnlySpan<byte> Marker => "{\"format\":\"workbench-digests/1\",\"algorithm\":\"xxh3-64\",\"footer\":\""u8;

    /// <summary>The footer digest (0 in the placeholder the writer puts in the footer before hashing it).</summary>
    public ulong Footer { get; }

    /// <summary>The column names, in the file's schema order (the order of each row group's chunks).</summary>
    public string[] Columns { get; }

    /// <summary>Per row group, per column: the chunk's range and digest.</summary>
    public ChunkDigest[][] RowGroups { get; }

    /// <summary>The number of column chunks recorded.</summary>
    public int ChunkCount => RowGroups.Sum(g => g.Length);

    public static string Hex(ulong hash) => hash.ToString("x16", CultureInfo.InvariantCulture);

    /// <summary>The compact JSON stored in the metadata; it starts with <see cref="Marker"/>.</summary>
    public string ToJson()
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, JsonOptions))
        {
            json.WriteStartObject();
            json.WriteString("format", FormatId);
            json.WriteString("algorithm", Algorithm);
            json.WriteString("footer", Hex(Footer));
            json.WriteStartArray("columns");
            foreach (var column in Columns)
            {
                json.WriteStringValue(column);
            }

            json.WriteEndArray();
            json.WriteStartArray("rowGroups");
            foreach (var group in RowGroups)
            {
                json.WriteStartArray();
                foreach (var chunk in group)
                {
                    json.WriteStartArray();
                    json.WriteNumberValue(chunk.Offset);
                    json.WriteNumberValue(chunk.Length);
                    json.WriteStringValue(Hex(chunk.Hash));
                    json.WriteEndArray();
                }

                json.WriteEndArray();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        var bytes = buffer.GetBuffer().AsSpan(0, (int)buffer.Length);
        if (!bytes.StartsWith(Marker))
        {
            throw new InvalidOperationException("The digest record does not start with its marker.");
        }

        return Encoding.UTF8.GetString(bytes);
    }

    /// <summary>Parses a record; null (with <paramref name="problem"/>) when it is not one this version reads.</summary>
    public static DatasetDigests? Parse(string text, out string? problem)
    {
        try
        {
            using var doc = JsonDocument.Parse(text);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                problem = "the digest record is not a JSON object";
                return null;
            }

            var format = root.TryGetProperty("format", out var f) && f.ValueKind == JsonValueKind.String ? f.GetString() : null;
            if (!string.Equals(format, FormatId, StringComparison.Ordinal))
            {
                problem = $"the digest record has format '{format}', expected '{FormatId}'";
                return null;
            }

            var algorithm = root.TryGetProperty("algorithm", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
            if (!string.Equals(algorithm, Algorithm, StringComparison.Ordinal))
            {
                problem = $"the digest record uses algorithm '{algorithm}', expected '{Algorithm}'";
                return null;
            }

            if (!TryHex(root.GetProperty("footer"), out var footer))
            {
                problem = "the footer digest is not 16 hexadecimal digits";
                return null;
            }

            var columns = root.GetProperty("columns").EnumerateArray().Select(c => c.GetString() ?? throw new FormatException("a column name is null")).ToArray();
            var groups = new List<ChunkDigest[]>();
            foreach (var group in root.GetProperty("rowGroups").EnumerateArray())
            {
                var chunks = new List<ChunkDigest>();
                foreach (var chunk in group.EnumerateArray())
                {
                    if (chunk.GetArrayLength() != 3 || !TryHex(chunk[2], out var hash))
                    {
                        problem = "a chunk digest is not [offset, length, 16 hexadecimal digits]";
                        return null;
                    }

                    chunks.Add(new ChunkDigest(chunk[0].GetInt64(), chunk[1].GetInt64(), hash));
                }

                groups.Add([.. chunks]);
            }

            problem = null;
            return new DatasetDigests(footer, columns, [.. groups]);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException or FormatException or IndexOutOfRangeException)
        {
            problem = $"the digest record is not valid ({e.Message.ReplaceLineEndings(" ")})";
            return null;
        }
    }

    private static bool TryHex(JsonElement element, out ulong value)
    {
        value = 0;
        return element.ValueKind == JsonValueKind.String && element.GetString() is { Length: HexLength } s &&
            ulong.TryParse(s, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value);
    }

    /// <summary>Parses 16 ASCII hexadecimal digits.</summary>
    public static bool TryHex(ReadOnlySpan<byte> digits, out ulong value)
    {
        value = 0;
        if (digits.Length != HexLength)
        {
            return false;
        }

        foreach (var b in digits)
        {
            var nibble = b switch
            {
                >= (byte)'0' and <= (byte)'9' => b - '0',
                >= (byte)'a' and <= (byte)'f' => b - 'a' + 10,
                _ => -1,
            };
            if (nibble < 0)
            {
                return false;
            }

            value = (value << 4) | (uint)nibble;
        }

        return true;
    }
}

/// <summary>
/// The Parquet frame of a file as checked before Parquet.Net reads it: the magics, the footer length, and (for files
/// that record digests) the footer's digest.
/// </summary>
/// <param name="FileLength">The file's length in bytes.</param>
/// <param name="FooterStart">Where the footer (Thrift <c>FileMetaData</c>) starts.</param>
/// <param name="FooterLength">The footer's length in bytes.</param>
/// <param name="FooterVerified">The footer holds a digest record and matches its footer digest.</param>
internal readonly record struct ParquetFrame(long FileLength, long FooterStart, long FooterLength, bool FooterVerified);

/// <summary>Checks a dataset file's bytes against its digests (<c>docs/DATASET_FORMAT.md</c>, "Integrity").</summary>
internal static class DatasetIntegrity
{
    /// <summary>The fix every corruption message ends with.</summary>
    public const string Fix = "the file is corrupt (damaged on disk or in transfer): regenerate or re-export it";

    /// <summary>Footers larger than this are not searched for a digest record (Workbench's own are a few hundred KB at most).</summary>
    public const long MaxCheckedFooterBytes = 64L << 20;

    private static ReadOnlySpan<byte> Magic => "PAR1"u8;

    /// <summary>
    /// Checks the magics and the footer length, then, when the footer holds a digest record, the footer's digest —
    /// all before any Thrift is parsed, so a damaged footer gives one line instead of whatever a parser makes of it.
    /// </summary>
    /// <exception cref="DatasetFormatException">The frame or footer is damaged, or the file is not Parquet.</exception>
    public static ParquetFrame CheckFrame(string path, SafeFileHandle handle)
    {
        var length = RandomAccess.GetLength(handle);
        if (length < 12)
        {
            throw DatasetFormatException.CorruptFooter(path,
                $"the file is {length} bytes long, too short for Parquet ('PAR1', data, footer, footer length, 'PAR1'); it is truncated or not a Parquet file: regenerate or re-export it");
        }

        Span<byte> head = stackalloc byte[4];
        Span<byte> tail = stackalloc byte[8];
        ReadExactly(handle, head, 0);
        ReadExactly(handle, tail, length - 8);
        if (!head.SequenceEqual(Magic))
        {
            throw DatasetFormatException.CorruptFooter(path,
                $"the file does not start with the Parquet magic 'PAR1' (it starts with {Convert.ToHexString(head)}); it is not a Parquet file, or {Fix}");
        }

        if (!tail[4..].SequenceEqual(Magic))
        {
            throw DatasetFormatException.CorruptFooter(path,
                $"the file does not end with the Parquet magic 'PAR1' (it ends with {Convert.ToHexString(tail[4..])}); it is truncated, or {Fix}");
        }

        long footerLength = BinaryPrimitives.ReadUInt32LittleEndian(tail);
        var room = length - 12;
        if (footerLength == 0 || footerLength > room)
        {
            throw DatasetFormatException.CorruptFooter(path, string.Create(CultureInfo.InvariantCulture,
                $"the footer length {footerLength:N0} bytes does not fit the file ({length:N0} bytes, at most {room:N0} for the footer); the footer length is damaged or the file is truncated: {Fix}"));
        }

        var footerStart = length - 8 - footerLength;
        if (footerLength > MaxCheckedFooterBytes)
        {
            return new ParquetFrame(length, footerStart, footerLength, FooterVerified: false);
        }

        var footer = new byte[footerLength];
        ReadExactly(handle, footer, footerStart);
        var at = footer.AsSpan().IndexOf(DatasetDigests.Marker);
        if (at < 0)
        {
            // No digest to check (an older or foreign file): at least make sure the parser will not loop or run away.
            if (ThriftFooterCheck.Check(footer) is { } malformed)
            {
                throw DatasetFormatException.CorruptFooter(path,
                    $"the footer ({footerLength:N0} bytes) is not well-formed Parquet metadata ({malformed}); it is not a Parquet file, or {Fix}");
            }

            return new ParquetFrame(length, footerStart, footerLength, FooterVerified: false);
        }

        var digits = footer.AsSpan(at + DatasetDigests.Marker.Length);
        if (digits.Length <= DatasetDigests.HexLength || digits[DatasetDigests.HexLength] != (byte)'"' ||
            !DatasetDigests.TryHex(digits[..DatasetDigests.HexLength], out var recorded))
        {
            throw DatasetFormatException.CorruptFooter(path, $"the footer digest in the footer's digest record is not 16 hexadecimal digits: {Fix}");
        }

        digits[..DatasetDigests.HexLength].Fill((byte)'0');
        var actual = XxHash3.HashToUInt64(footer);
        if (actual != recorded)
        {
            throw DatasetFormatException.CorruptFooter(path,
                $"the footer ({footerLength:N0} bytes of metadata) does not match its recorded digest ({DatasetDigests.Algorithm} {DatasetDigests.Hex(recorded)} recorded, {DatasetDigests.Hex(actual)} computed): {Fix}");
        }

        return new ParquetFrame(length, footerStart, footerLength, FooterVerified: true);
    }

    /// <summary>
    /// Checks that the recorded chunks are exactly the file's row groups and columns and that they tile the file from
    /// the leading magic to the footer, so every byte is covered by a chunk digest, the footer digest or a magic.
    /// </summary>
    /// <returns>null when they do; otherwise what is wrong.</returns>
    public static string? CheckLayout(DatasetDigests digests, IReadOnlyList<string> columns, int rowGroups, ParquetFrame frame)
    {
        if (!digests.Columns.SequenceEqual(columns, StringComparer.Ordinal))
        {
            return $"the digest record lists columns [{string.Join(", ", digests.Columns)}], the schema [{string.Join(", ", columns)}]";
        }

        if (digests.RowGroups.Length != rowGroups)
        {
            return $"the digest record lists {digests.RowGroups.Length} row groups, the footer {rowGroups}";
        }

        long expected = Magic.Length;
        for (var g = 0; g < digests.RowGroups.Length; g++)
        {
            var chunks = digests.RowGroups[g];
            if (chunks.Length != columns.Count)
            {
                return $"the digest record lists {chunks.Length} chunks in row group {g}, the schema {columns.Count} columns";
            }

            foreach (var chunk in chunks)
            {
                if (chunk.Offset != expected || chunk.Length <= 0)
                {
                    return $"the digest record's chunk at byte {chunk.Offset} ({chunk.Length} bytes) in row group {g} does not follow the previous one (byte {expected})";
                }

                expected += chunk.Length;
            }
        }

        return expected == frame.FooterStart
            ? null
            : $"the recorded chunks end at byte {expected}, the footer starts at byte {frame.FooterStart}";
    }

    /// <summary>Reads <paramref name="buffer"/>.Length bytes at <paramref name="offset"/>.</summary>
    /// <exception cref="EndOfStreamException">The file ends first.</exception>
    public static void ReadExactly(SafeFileHandle handle, Span<byte> buffer, long offset)
    {
        while (!buffer.IsEmpty)
        {
            var read = RandomAccess.Read(handle, buffer, offset);
            if (read <= 0)
            {
                throw new EndOfStreamException($"The file ended at byte {offset}.");
            }

            buffer = buffer[read..];
            offset += read;
        }
    }
}

/// <summary>Hashes column chunks of a file being read (one per decode buffer set: not shared between threads).</summary>
internal sealed class ChunkHasher
{
    private readonly byte[] _buffer = new byte[1 << 18];
    private readonly XxHash3 _hash = new();

    /// <summary>The XxHash3-64 of <paramref name="length"/> bytes at <paramref name="offset"/>.</summary>
    /// <exception cref="EndOfStreamException">The file ends inside the range.</exception>
    public ulong Hash(SafeFileHandle handle, long offset, long length)
    {
        _hash.Reset();
        while (length > 0)
        {
            var span = _buffer.AsSpan(0, (int)Math.Min(_buffer.Length, length));
            DatasetIntegrity.ReadExactly(handle, span, offset);
            _hash.Append(span);
            offset += span.Length;
            length -= span.Length;
        }

        return _hash.GetCurrentHashAsUInt64();
    }
}
