namespace Workbench.Import;

/// <summary>
/// Parses ISO 8601 date-times as written by pandas, polars, DuckDB, spreadsheets and logs:
/// <c>YYYY-MM-DD</c>, then optionally <c>T</c> or a space, <c>hh:mm</c>, <c>:ss</c>, a fraction after <c>.</c> or <c>,</c>
/// with any number of digits, and an optional zone: <c>Z</c>, <c>±hh:mm</c>, <c>±hhmm</c>, <c>±hh</c> or <c> UTC</c>/<c> GMT</c>.
/// Digits below 100 ns are not lost silently: they set the sub-millisecond flag.
/// </summary>
internal static class IsoParser
{
    /// <summary>Parses <paramref name="s"/>; returns null on success, else the problem.</summary>
    /// <param name="s">The trimmed text.</param>
    /// <param name="ticks">The wall-clock time in ticks (rounded down to 100 ns).</param>
    /// <param name="offset">The offset given in the text; null for a wall-clock time without a zone.</param>
    /// <param name="subMillisecond">Whether the fraction has non-zero digits below the millisecond.</param>
    public static string? TryParse(string s, out long ticks, out TimeSpan? offset, out bool subMillisecond)
    {
        ticks = 0;
        offset = null;
        subMillisecond = false;
        var p = 0;
        if (!Digits(s, ref p, 4, out var year) || !Char(s, ref p, '-') || !Digits(s, ref p, 2, out var month) || !Char(s, ref p, '-') ||
            !Digits(s, ref p, 2, out var day))
        {
            return $"'{s}' is not an ISO 8601 date-time (yyyy-MM-dd[ HH:mm[:ss[.fff]]][Z|±hh:mm]); give --format for other layouts";
        }

        int hour = 0, minute = 0, second = 0;
        long fractionTicks = 0;
        if (p < s.Length && s[p] is 'T' or 't' or ' ')
        {
            p++;
            if (!Digits(s, ref p, 2, out hour) || !Char(s, ref p, ':') || !Digits(s, ref p, 2, out minute))
            {
                return $"'{s}' has a date but no valid time of day (HH:mm); give --format for other layouts";
            }

            if (p < s.Length && s[p] == ':')
            {
                p++;
                if (!Digits(s, ref p, 2, out second))
                {
                    return $"'{s}' has invalid seconds";
                }

                if (p < s.Length && s[p] is '.' or ',')
                {
                    p++;
                    var start = p;
                    var scale = TimeSpan.TicksPerSecond;
                    while (p < s.Length && char.IsAsciiDigit(s[p]))
                    {
                        var digit = s[p] - '0';
                        var place = p - start; // 0 = tenths
                        if (place < 7)
                        {
                            scale /= 10;
                            fractionTicks += digit * scale;
                        }

                        if (place >= 3 && digit != 0)
                        {
                            subMillisecond = true;
                        }

                        p++;
                    }

                    if (p == start)
                    {
                        return $"'{s}' has a decimal point without digits";
                    }
                }
            }
        }

        if (p < s.Length)
        {
            var rest = s.AsSpan(p).TrimStart(' ');
            if (rest is "Z" or "z" or "UTC" or "GMT" or "+00:00" or "-00:00")
            {
                offset = TimeSpan.Zero;
            }
            else if (rest.Length >= 3 && rest[0] is '+' or '-' && char.IsAsciiDigit(rest[1]) && char.IsAsciiDigit(rest[2]))
            {
                var sign = rest[0] == '-' ? -1 : 1;
                var oh = ((rest[1] - '0') * 10) + (rest[2] - '0');
                var om = 0;
                var tail = rest[3..];
                if (tail.Length > 0 && tail[0] == ':')
                {
                    tail = tail[1..];
                }

                if (tail.Length == 2 && char.IsAsciiDigit(tail[0]) && char.IsAsciiDigit(tail[1]))
                {
                    om = ((tail[0] - '0') * 10) + (tail[1] - '0');
                }
                else if (tail.Length != 0)
                {
                    return $"'{s}' has an invalid UTC offset";
                }

                if (oh > 18 || om > 59)
                {
                    return $"'{s}' has an invalid UTC offset";
                }

                offset = TimeSpan.FromMinutes(sign * ((oh * 60) + om));
            }
            else
            {
                return $"'{s}' has unexpected text after the time ('{rest}'); give --format for other layouts";
            }
        }

        try
        {
            ticks = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).Ticks + fractionTicks;
            return null;
        }
        catch (ArgumentOutOfRangeException)
        {
            return $"'{s}' is not a valid date or time (month, day, hour, minute or second out of range)";
        }
    }

    private static bool Digits(string s, ref int p, int count, out int value)
    {
        value = 0;
        if (p + count > s.Length)
        {
            return false;
        }

        for (var k = 0; k < count; k++)
        {
            var c = s[p + k];
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }

            value = (value * 10) + (c - '0');
        }

        p += count;
        return true;
    }

    private static bool Char(string s, ref int p, char c)
    {
        if (p < s.Length && s[p] == c)
        {
            p++;
            return true;
        }

        return false;
    }
}
