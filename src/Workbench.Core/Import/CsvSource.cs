using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text;

namespace Workbench.Import;

/// <summary>
/// Reads a CSV file (RFC 4180: quoted fields with <c>""</c> escapes and embedded line breaks, CRLF or LF, a UTF-8 BOM)
/// whose first record is the header. The delimiter is given or detected from the header line (the most frequent of
/// comma, semicolon, tab and pipe outside quotes; comma when none occurs). Every cell is text; blank lines are skipped.
/// </summary>
internal sealed class CsvSource : IImportSource
{
    private const int ChunkRows = 1 << 16;
    private static readonly char[] Candidates = [',', ';', '\t', '|'];

    private readonly StreamReader _reader;
    private readonly char _delimiter;
    private readonly StringBuilder _field = new();
    private long _line = 1; // the line the reader is on (1-based)

    private CsvSource(string path, StreamReader reader, char delimiter, string[] header)
    {
        FilePath = path;
        _reader = reader;
        _delimiter = delimiter;
        ColumnNames = header;
    }

    /// <inheritdoc/>
    public string FilePath { get; }

    /// <inheritdoc/>
    public IReadOnlyList<string> ColumnNames { get; }

    /// <inheritdoc/>
    public bool IsCsv => true;

    /// <summary>The delimiter in use.</summary>
    public char Delimiter => _delimiter;

    /// <summary>Opens <paramref name="path"/> and reads its header.</summary>
    /// <exception cref="ImportException">The file is empty or its header is unusable.</exception>
    public static CsvSource Open(string path, char? delimiter)
    {
        var reader = new StreamReader(path, Encoding.UTF8, detectEncodingFromByteOrderMarks: true, bufferSize: 1 << 16);
        try
        {
            var delim = delimiter ?? Detect(reader);
            var source = new CsvSource(path, reader, delim, []);
            var header = source.ReadRecord(out _)
                ?? throw new ImportException(path, null, null, "the file is empty (no header line)", "give a CSV file whose first line names the columns");
            var names = header.Select(h => h.Trim()).ToArray();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var name in names)
            {
                if (name.Length > 0 && !seen.Add(name))
                {
                    throw new ImportException(path, "line 1", name, "the header names this column twice", "rename one of the columns");
                }
            }

            return new CsvSource(path, reader, delim, names) { _line = source._line };
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public async IAsyncEnumerable<SourceChunk> ReadAsync(IReadOnlyCollection<string> columns, [EnumeratorCancellation] CancellationToken ct)
    {
        await Task.Yield();
        var wanted = columns.Select(c => (Name: c, Index: IndexOf(c))).ToArray();
        var cells = wanted.Select(_ => new string?[ChunkRows]).ToArray();
        var lines = new long[ChunkRows];
        var n = 0;
        while (true)
        {
            var record = ReadRecord(out var line);
            if (record is null)
            {
                break;
            }

            if (record.Count == 1 && record[0].Length == 0)
            {
                continue; // a blank line
            }

            if (record.Count != ColumnNames.Count)
            {
                throw new ImportException(FilePath, ImportLocation.Format(true, line), null,
                    string.Create(CultureInfo.InvariantCulture, $"{record.Count} fields, but the header has {ColumnNames.Count} (delimiter '{Printable(_delimiter)}')"),
                    "quote fields that contain the delimiter, give --delimiter, or remove the stray field");
            }

            for (var c = 0; c < wanted.Length; c++)
            {
                cells[c][n] = record[wanted[c].Index];
            }

            lines[n++] = line;
            if (n == ChunkRows)
            {
                ct.ThrowIfCancellationRequested();
                yield return Chunk(wanted, cells, lines, n);
                cells = wanted.Select(_ => new string?[ChunkRows]).ToArray();
                lines = new long[ChunkRows];
                n = 0;
            }
        }

        if (n > 0)
        {
            yield return Chunk(wanted, cells, lines, n);
        }
    }

    /// <inheritdoc/>
    public ValueTask DisposeAsync()
    {
        _reader.Dispose();
        return ValueTask.CompletedTask;
    }

    private static SourceChunk Chunk((string Name, int Index)[] wanted, string?[][] cells, long[] lines, int n)
    {
        var map = new Dictionary<string, SourceColumn>(StringComparer.Ordinal);
        for (var c = 0; c < wanted.Length; c++)
        {
            map[wanted[c].Name] = new SourceColumn(wanted[c].Name, SourceColumnKind.Text, cells[c], "text");
        }

        return new SourceChunk(map, n, lines, IsCsv: true);
    }

    private int IndexOf(string column)
    {
        for (var i = 0; i < ColumnNames.Count; i++)
        {
            if (string.Equals(ColumnNames[i], column, StringComparison.Ordinal))
            {
                return i;
            }
        }

        throw new InvalidOperationException($"column '{column}' is not in {FilePath}");
    }

    private static string Printable(char c) => c == '\t' ? "\\t" : c.ToString();

    // Peeks at the header line (outside quotes) without consuming it.
    private static char Detect(StreamReader reader)
    {
        var buffer = new char[1 << 16];
        var read = reader.Read(buffer, 0, buffer.Length);
        var counts = new int[Candidates.Length];
        var quoted = false;
        for (var i = 0; i < read; i++)
        {
            var ch = buffer[i];
            if (ch == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && ch is '\n' or '\r')
            {
                break;
            }
            else if (!quoted)
            {
                var k = Array.IndexOf(Candidates, ch);
                if (k >= 0)
                {
                    counts[k]++;
                }
            }
        }

        reader.BaseStream.Position = 0;
        reader.DiscardBufferedData();
        var best = 0;
        for (var k = 1; k < counts.Length; k++)
        {
            if (counts[k] > counts[best])
            {
                best = k;
            }
        }

        return counts[best] == 0 ? ',' : Candidates[best];
    }

    // One record, or null at the end of the file. line = the line the record starts on.
    private List<string>? ReadRecord(out long line)
    {
        line = _line;
        var ch = _reader.Read();
        if (ch < 0)
        {
            return null;
        }

        var fields = new List<string>();
        _field.Clear();
        var quoted = false;
        var wasQuoted = false;
        while (true)
        {
            if (ch < 0)
            {
                if (quoted)
                {
                    throw new ImportException(FilePath, ImportLocation.Format(true, line), null, "a quoted field is not closed before the end of the file",
                        "close the quote (a quote inside a quoted field is written twice: \"\")");
                }

                fields.Add(_field.ToString());
                return fields;
            }

            var c = (char)ch;
            if (quoted)
            {
                if (c == '"')
                {
                    if (_reader.Peek() == '"')
                    {
                        _reader.Read();
                        _field.Append('"');
                    }
                    else
                    {
                        quoted = false;
                    }
                }
                else
                {
                    if (c == '\n')
                    {
                        _line++;
                    }

                    _field.Append(c);
                }
            }
            else if (c == '"' && _field.Length == 0 && !wasQuoted)
            {
                quoted = wasQuoted = true;
            }
            else if (c == _delimiter)
            {
                fields.Add(_field.ToString());
                _field.Clear();
                wasQuoted = false;
            }
            else if (c is '\n' or '\r')
            {
                if (c == '\r' && _reader.Peek() == '\n')
                {
                    _reader.Read();
                }

                _line++;
                fields.Add(_field.ToString());
                return fields;
            }
            else
            {
                _field.Append(c);
            }

            ch = _reader.Read();
        }
    }
}
