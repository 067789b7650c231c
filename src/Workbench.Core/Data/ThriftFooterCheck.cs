namespace Workbench.Data;

/// <summary>
/// A structural walk over a Parquet footer in the Thrift compact protocol, building nothing: it checks that the bytes
/// are exactly one well-formed struct (valid field and element types, varints of legal length, lengths and counts
/// within the remaining bytes, bounded nesting) ending at the footer's last byte.
/// </summary>
/// <remarks>
/// Parquet.Net 6.1 loops forever on some damaged footers (e.g. the final STOP byte flipped), so a footer without a
/// digest to check goes through this walk before Parquet.Net parses it. It cannot see a damaged value (a number or a
/// string can take any bytes); only the digests do that.
/// </remarks>
internal static class ThriftFooterCheck
{
    private const int MaxDepth = 64;

    /// <summary>Null when <paramref name="footer"/> is one well-formed compact-protocol struct; otherwise what is wrong.</summary>
    public static string? Check(ReadOnlySpan<byte> footer)
    {
        var position = 0;
        var problem = SkipStruct(footer, ref position, 0);
        if (problem is not null)
        {
            return problem;
        }

        return position == footer.Length
            ? null
            : $"the footer's metadata ends at byte {position} of {footer.Length}";
    }

    private static string? SkipStruct(ReadOnlySpan<byte> data, ref int position, int depth)
    {
        if (depth > MaxDepth)
        {
            return $"the footer's metadata nests deeper than {MaxDepth} levels";
        }

        while (true)
        {
            if (position >= data.Length)
            {
                return "the footer's metadata ends inside a struct (no closing STOP)";
            }

            var header = data[position++];
            var type = header & 0x0F;
            if (type == 0)
            {
                return header == 0 ? null : $"malformed field header 0x{header:X2} at byte {position - 1}";
            }

            if ((header >> 4) == 0 && SkipVarint(data, ref position, 3) is { } idProblem)
            {
                return idProblem; // a long-form field id (zigzag i16)
            }

            // In a struct, booleans are carried in the type itself (1 = true, 2 = false).
            if (type is 1 or 2)
            {
                continue;
            }

            if (SkipValue(data, ref position, type, depth) is { } problem)
            {
                return problem;
            }
        }
    }

    private static string? SkipValue(ReadOnlySpan<byte> data, ref int position, int type, int depth)
    {
        switch (type)
        {
            case 1:
            case 2:
            case 3:
                // A bool as a list element, or a byte: one byte.
                return Advance(data, ref position, 1);
            case 4:
                return SkipVarint(data, ref position, 3);
            case 5:
                return SkipVarint(data, ref position, 5);
            case 6:
                return SkipVarint(data, ref position, 10);
            case 7:
                return Advance(data, ref position, 8);
            case 8:
                {
                    if (ReadLength(data, ref position, out var length) is { } problem)
                    {
                        return problem;
                    }

                    return Advance(data, ref position, length);
                }

            case 9:
            case 10:
                {
                    if (position >= data.Length)
                    {
                        return "the footer's metadata ends inside a list header";
                    }

                    var header = data[position++];
                    long size = header >> 4;
                    var elementType = header & 0x0F;
                    if (size == 15 && ReadLength(data, ref position, out size) is { } problem)
                    {
                        return problem;
                    }

                    return SkipElements(data, ref position, size, elementType, depth);
                }

            case 11:
                {
                    if (ReadLength(data, ref position, out var size) is { } problem)
                    {
                        return problem;
                    }

                    if (size == 0)
                    {
                        return null;
                    }

                    if (size > (data.Length - position) / 2)
                    {
                        return $"a map claims {size} entries with {data.Length - position} bytes left";
                    }

                    if (position >= data.Length)
                    {
                        return "the footer's metadata ends inside a map header";
                    }

                    var types = data[position++];
                    for (long i = 0; i < size; i++)
                    {
                        if ((SkipElement(data, ref position, types >> 4, depth) ?? SkipElement(data, ref position, types & 0x0F, depth)) is { } entry)
                        {
                            return entry;
                        }
                    }

                    return null;
                }

            case 12:
                return SkipStruct(data, ref position, depth + 1);
            case 13:
                return Advance(data, ref position, 16); // UUID (newer Thrift)
            default:
                return $"invalid field type {type} at byte {position - 1}";
        }
    }

    private static string? SkipElements(ReadOnlySpan<byte> data, ref int position, long size, int elementType, int depth)
    {
        // Every element takes at least one byte: a count beyond the remaining bytes is damage, not a long list.
        if (size > data.Length - position)
        {
            return $"a list claims {size} elements with {data.Length - position} bytes left";
        }

        for (long i = 0; i < size; i++)
        {
            if (SkipElement(data, ref position, elementType, depth) is { } problem)
            {
                return problem;
            }
        }

        return null;
    }

    private static string? SkipElement(ReadOnlySpan<byte> data, ref int position, int type, int depth) =>
        depth >= MaxDepth ? $"the footer's metadata nests deeper than {MaxDepth} levels"
        : type is >= 1 and <= 13 ? SkipValue(data, ref position, type, depth + 1)
        : $"invalid element type {type} at byte {position}";

    private static string? ReadLength(ReadOnlySpan<byte> data, ref int position, out long length)
    {
        length = 0;
        var shift = 0;
        for (var i = 0; i < 5; i++)
        {
            if (position >= data.Length)
            {
                return "the footer's metadata ends inside a number";
            }

            var b = data[position++];
            length |= (long)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return length <= data.Length - position ? null : $"a length of {length} bytes with {data.Length - position} bytes left";
            }

            shift += 7;
        }

        return $"a number longer than 5 bytes at byte {position - 5}";
    }

    private static string? SkipVarint(ReadOnlySpan<byte> data, ref int position, int maxBytes)
    {
        for (var i = 0; i < maxBytes; i++)
        {
            if (position >= data.Length)
            {
                return "the footer's metadata ends inside a number";
            }

            if ((data[position++] & 0x80) == 0)
            {
                return null;
            }
        }

        return $"a number longer than {maxBytes} bytes at byte {position - maxBytes}";
    }

    private static string? Advance(ReadOnlySpan<byte> data, ref int position, long count)
    {
        if (count > data.Length - position)
        {
            return $"a value of {count} bytes with {data.Length - position} bytes left";
        }

        position += (int)count;
        return null;
    }
}
