using System.Globalization;
using System.Text;

namespace Workbench.Import;

/// <summary>
/// Turns timestamp cells into UTC ticks. Instants (an offset or <c>Z</c> in the text, a Parquet TIMESTAMP adjusted to
/// UTC, Unix times) are taken as they are; wall-clock times (no offset, TIMESTAMP not adjusted to UTC, INT96, DATE)
/// are read in <see cref="Zone"/> (UTC by default). Formats (<see cref="ImportOptions.TimestampFormat"/>):
/// <list type="bullet">
/// <item><c>null</c> (auto): ISO 8601 text (<c>2024-06-01</c>, <c>2024-06-01 12:00</c>, <c>2024-06-01T12:00:00.123456789+02:00</c>,
/// <c>…Z</c>, <c>… UTC</c>; any number of fraction digits), or a number read as Unix time whose unit is chosen once per
/// file from the magnitude of the first value: below 10^11 seconds, below 10^14 milliseconds, below 10^17
/// microseconds, else nanoseconds.</item>
/// <item><c>iso</c> (ISO text only), <c>unix-s</c>, <c>unix-ms</c>, <c>unix-us</c>, <c>unix-ns</c> (fixed unit; fractions allowed).</item>
/// <item>A strftime format when it contains <c>%</c>: <c>%Y %y %m %d %H %I %M %S %f %p %b %B %z %%</c>.</item>
/// <item>Otherwise a .NET custom date and time format (<c>dd/MM/yyyy HH:mm:ss.fff</c>); with <c>z</c> or <c>K</c> in it the
/// text carries its offset.</item>
/// </list>
/// Fractional Unix times are rounded to the microsecond first (binary floating point cannot hold the exact decimal).
/// </summary>
internal sealed class TimestampParser
{
    private readonly Mode _mode;
    private readonly string? _exact;
    private readonly bool _exactHasOffset;
    private readonly bool _normalizeOffset;
    private UnixUnit? _unit;

    /// <summary>Creates a parser for <paramref name="format"/> in <paramref name="zone"/>.</summary>
    /// <exception cref="ArgumentException">The format uses a strftime directive that is not supported.</exception>
    public TimestampParser(string? format, TimeZoneInfo zone)
    {
        Zone = zone;
        switch (format)
        {
            case null or "":
                _mode = Mode.Auto;
                break;
            case "iso":
                _mode = Mode.Iso;
                break;
            case "unix-s" or "unix-ms" or "unix-us" or "unix-ns":
                _mode = Mode.Unix;
                _unit = format switch { "unix-s" => UnixUnit.Seconds, "unix-ms" => UnixUnit.Milliseconds, "unix-us" => UnixUnit.Microseconds, _ => UnixUnit.Nanoseconds };
                break;
            default:
                _mode = Mode.Exact;
                _normalizeOffset = format.Contains("%z", StringComparison.Ordinal);
                _exact = format.Contains('%', StringComparison.Ordinal) ? FromStrftime(format) : format;
                _exactHasOffset = _normalizeOffset || HasOffsetSpecifier(_exact);
                break;
        }
    }

    /// <summary>The zone of wall-clock times.</summary>
    public TimeZoneInfo Zone { get; }

    /// <summary>The Unix unit in use (chosen from the first value in auto mode), or null when none was needed yet.</summary>
    public UnixUnit? Unit => _unit;

    /// <summary>Forgets an automatically chosen Unix unit (at the start of each file).</summary>
    public void ResetAutoUnit()
    {
        if (_mode == Mode.Auto)
        {
            _unit = null;
        }
    }

    /// <summary>How timestamps are read, for the report: <c>auto (Unix milliseconds), UTC</c>.</summary>
    public string Describe()
    {
        var how = _mode switch
        {
            Mode.Auto => _unit is { } u ? $"auto, Unix {u.ToString().ToLowerInvariant()}" : "auto",
            Mode.Iso => "iso",
            Mode.Unix => $"Unix {_unit!.Value.ToString().ToLowerInvariant()}",
            _ => $"format '{_exact}'",
        };
        return $"{how}, wall-clock times in {Zone.Id}";
    }

    /// <summary>
    /// Converts cell <paramref name="i"/> of <paramref name="column"/>. Returns null on success, else the problem.
    /// </summary>
    /// <param name="column">A timestamp column.</param>
    /// <param name="i">The row in the chunk.</param>
    /// <param name="utcTicks">The instant in UTC ticks (100 ns), rounded down.</param>
    /// <param name="subMillisecond">Whether the input had any precision below the millisecond.</param>
    /// <param name="ambiguous">Whether a wall-clock time fell in a fall-back hour (taken as standard time).</param>
    public string? TryConvert(SourceColumn column, int i, out long utcTicks, out bool subMillisecond, out bool ambiguous)
    {
        utcTicks = 0;
        subMillisecond = false;
        ambiguous = false;
        switch (column.Kind)
        {
            case SourceColumnKind.Instant:
                if (((DateTime?[])column.Values!)[i] is not { } instant)
                {
                    return "the timestamp is missing";
                }

                utcTicks = instant.Ticks;
                subMillisecond = utcTicks % TimeSpan.TicksPerMillisecond != 0;
                return null;
            case SourceColumnKind.LocalDateTime:
                if (((DateTime?[])column.Values!)[i] is not { } local)
                {
                    return "the timestamp is missing";
                }

                subMillisecond = local.Ticks % TimeSpan.TicksPerMillisecond != 0;
                return FromLocal(local.Ticks, out utcTicks, out ambiguous);
            case SourceColumnKind.Integer:
                if (((long?[])column.Values!)[i] is not { } whole)
                {
                    return "the timestamp is missing";
                }

                if (_mode is Mode.Iso or Mode.Exact)
                {
                    return $"the timestamp is the number {whole.ToString(CultureInfo.InvariantCulture)}, not text in the given format";
                }

                return FromUnix(whole, out utcTicks, out subMillisecond);
            case SourceColumnKind.Float or SourceColumnKind.Decimal:
                double? real = column.Kind == SourceColumnKind.Float ? ((double?[])column.Values!)[i] : (double?)((decimal?[])column.Values!)[i];
                if (real is not { } r || double.IsNaN(r))
                {
                    return "the timestamp is missing";
                }

                if (_mode is Mode.Iso or Mode.Exact)
                {
                    return $"the timestamp is the number {r.ToString("R", CultureInfo.InvariantCulture)}, not text in the given format";
                }

                return FromUnix(r, out utcTicks, out subMillisecond);
            case SourceColumnKind.Text:
                var text = ((string?[])column.Values!)[i]?.Trim();
                if (string.IsNullOrEmpty(text))
                {
                    return "the timestamp is missing";
                }

                return FromText(text, out utcTicks, out subMillisecond, out ambiguous);
            default:
                return $"a {column.TypeName} column cannot hold timestamps";
        }
    }

    private string? FromText(string text, out long utcTicks, out bool subMs, out bool ambiguous)
    {
        utcTicks = 0;
        subMs = false;
        ambiguous = false;
        if (_mode is Mode.Unix or Mode.Auto && LooksNumeric(text))
        {
            if (long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var whole))
            {
                return FromUnix(whole, out utcTicks, out subMs);
            }

            if (double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var real) && double.IsFinite(real))
            {
                return FromUnix(real, out utcTicks, out subMs);
            }

            return $"'{text}' is not a Unix time";
        }

        if (_mode == Mode.Unix)
        {
            return $"'{text}' is not a Unix time (a number)";
        }

        if (_mode == Mode.Exact)
        {
            var input = _normalizeOffset ? NormalizeOffset(text) : text;
            if (_exactHasOffset)
            {
                if (!DateTimeOffset.TryParseExact(input, _exact, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var dto))
                {
                    return $"'{text}' does not match the format '{_exact}'";
                }

                utcTicks = dto.UtcTicks;
                subMs = utcTicks % TimeSpan.TicksPerMillisecond != 0;
                return null;
            }

            if (!DateTime.TryParseExact(input, _exact, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var dt))
            {
                return $"'{text}' does not match the format '{_exact}'";
            }

            subMs = dt.Ticks % TimeSpan.TicksPerMillisecond != 0;
            return FromLocal(dt.Ticks, out utcTicks, out ambiguous);
        }

        var problem = IsoParser.TryParse(text, out var ticks, out var offset, out subMs);
        if (problem is not null)
        {
            return problem;
        }

        if (offset is { } o)
        {
            utcTicks = ticks - o.Ticks;
            return utcTicks is < 0 or > 3155378975999999999 ? $"'{text}' is outside the years 0001..9999" : null;
        }

        return FromLocal(ticks, out utcTicks, out ambiguous);
    }

    private string? FromLocal(long ticks, out long utcTicks, out bool ambiguous)
    {
        ambiguous = false;
        utcTicks = ticks;
        if (Zone == TimeZoneInfo.Utc)
        {
            return null;
        }

        var local = new DateTime(ticks, DateTimeKind.Unspecified);
        if (Zone.IsInvalidTime(local))
        {
            utcTicks = 0;
            return string.Create(CultureInfo.InvariantCulture, $"{local:yyyy-MM-dd HH:mm:ss} does not exist in {Zone.Id} (skipped by a daylight-saving change)");
        }

        ambiguous = Zone.IsAmbiguousTime(local);
        try
        {
            utcTicks = TimeZoneInfo.ConvertTimeToUtc(local, Zone).Ticks;
            return null;
        }
        catch (ArgumentException)
        {
            utcTicks = 0;
            return string.Create(CultureInfo.InvariantCulture, $"{local:yyyy-MM-dd HH:mm:ss} in {Zone.Id} is outside the supported range");
        }
    }

    private string? FromUnix(long value, out long utcTicks, out bool subMs)
    {
        var unit = _unit ??= Choose(Math.Abs((double)value));
        subMs = unit switch
        {
            UnixUnit.Microseconds => value % 1000 != 0,
            UnixUnit.Nanoseconds => value % 1_000_000 != 0,
            _ => false,
        };
        utcTicks = 0;
        try
        {
            var ticks = unit switch
            {
                UnixUnit.Seconds => checked(value * TimeSpan.TicksPerSecond),
                UnixUnit.Milliseconds => checked(value * TimeSpan.TicksPerMillisecond),
                UnixUnit.Microseconds => checked(value * 10),
                _ => (value / 100) - (value % 100 < 0 ? 1 : 0), // rounded down to the 100 ns tick
            };
            utcTicks = checked(DateTime.UnixEpoch.Ticks + ticks);
        }
        catch (OverflowException)
        {
            return string.Create(CultureInfo.InvariantCulture, $"Unix time {value} ({unit.ToString().ToLowerInvariant()}) is outside the years 0001..9999");
        }

        return utcTicks is < 0 or > 3155378975999999999
            ? string.Create(CultureInfo.InvariantCulture, $"Unix time {value} ({unit.ToString().ToLowerInvariant()}) is outside the years 0001..9999")
            : null;
    }

    private string? FromUnix(double value, out long utcTicks, out bool subMs)
    {
        var unit = _unit ??= Choose(Math.Abs(value));
        var micros = Math.Round(unit switch
        {
            UnixUnit.Seconds => value * 1e6,
            UnixUnit.Milliseconds => value * 1e3,
            UnixUnit.Microseconds => value,
            _ => value / 1e3,
        });
        utcTicks = 0;
        subMs = false;
        if (!(Math.Abs(micros) < 2.5e17))
        {
            return string.Create(CultureInfo.InvariantCulture, $"Unix time {value:R} ({unit.ToString().ToLowerInvariant()}) is outside the years 0001..9999");
        }

        var us = (long)micros;
        subMs = us % 1000 != 0;
        utcTicks = DateTime.UnixEpoch.Ticks + (us * 10);
        return utcTicks is < 0 or > 3155378975999999999
            ? string.Create(CultureInfo.InvariantCulture, $"Unix time {value:R} ({unit.ToString().ToLowerInvariant()}) is outside the years 0001..9999")
            : null;
    }

    private static UnixUnit Choose(double magnitude) => magnitude switch
    {
        < 1e11 => UnixUnit.Seconds,
        < 1e14 => UnixUnit.Milliseconds,
        < 1e17 => UnixUnit.Microseconds,
        _ => UnixUnit.Nanoseconds,
    };

    private static bool LooksNumeric(string text)
    {
        var start = text[0] is '-' or '+' ? 1 : 0;
        if (start == text.Length)
        {
            return false;
        }

        var dots = 0;
        for (var k = start; k < text.Length; k++)
        {
            var c = text[k];
            if (c == '.')
            {
                dots++;
            }
            else if (c is < '0' or > '9' and not 'e' and not 'E')
            {
                return false;
            }
        }

        // "20240601" (8 digits, no separator) is still read as a number: give --format yyyyMMdd for such dates.
        return dots <= 1;
    }

    private static bool HasOffsetSpecifier(string format)
    {
        var quoted = false;
        foreach (var c in format)
        {
            if (c is '\'' or '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && c is 'z' or 'K')
            {
                return true;
            }
        }

        return false;
    }

    // "+0200" -> "+02:00" at the end of the text (strftime's %z).
    private static string NormalizeOffset(string text)
    {
        var n = text.Length;
        if (n >= 5 && text[n - 5] is '+' or '-' && char.IsAsciiDigit(text[n - 4]) && char.IsAsciiDigit(text[n - 3]) &&
            char.IsAsciiDigit(text[n - 2]) && char.IsAsciiDigit(text[n - 1]))
        {
            return string.Concat(text.AsSpan(0, n - 2), ":", text.AsSpan(n - 2));
        }

        return text.EndsWith('Z') ? string.Concat(text.AsSpan(0, n - 1), "+00:00") : text;
    }

    /// <summary>Translates a strftime format to a .NET custom format.</summary>
    /// <exception cref="ArgumentException">An unsupported directive.</exception>
    internal static string FromStrftime(string format)
    {
        var sb = new StringBuilder();
        for (var k = 0; k < format.Length; k++)
        {
            var c = format[k];
            if (c != '%')
            {
                sb.Append(char.IsAsciiLetter(c) || c is '\\' or '/' or ':' or '\'' or '"' ? $"\\{c}" : c.ToString());
                continue;
            }

            if (++k == format.Length)
            {
                throw new ArgumentException($"--format '{format}' ends with a lone '%'");
            }

            sb.Append(format[k] switch
            {
                'Y' => "yyyy",
                'y' => "yy",
                'm' => "MM",
                'd' => "dd",
                'H' => "HH",
                'I' => "hh",
                'M' => "mm",
                'S' => "ss",
                'f' => "FFFFFFF",
                'p' => "tt",
                'b' => "MMM",
                'B' => "MMMM",
                'z' => "zzz",
                '%' => "\\%",
                var d => throw new ArgumentException(
                    $"--format '{format}': the strftime directive %{d} is not supported (supported: %Y %y %m %d %H %I %M %S %f %p %b %B %z %%); give a .NET format instead"),
            });
        }

        return sb.ToString();
    }

    private enum Mode
    {
        Auto,
        Iso,
        Unix,
        Exact,
    }
}

/// <summary>The unit of a Unix timestamp.</summary>
internal enum UnixUnit
{
    /// <summary>Seconds since 1970-01-01T00:00:00Z.</summary>
    Seconds,

    /// <summary>Milliseconds.</summary>
    Milliseconds,

    /// <summary>Microseconds.</summary>
    Microseconds,

    /// <summary>Nanoseconds.</summary>
    Nanoseconds,
}
