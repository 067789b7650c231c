using System.Globalization;

namespace Workbench.Testing;

/// <summary>
/// Number and time formatting for transcripts: invariant culture, a fixed number of significant digits, "-0"
/// printed as "0", so a transcript is byte-identical on every machine for the same run.
/// </summary>
public sealed class TranscriptFormat
{
    private readonly string _numberFormat;

    /// <summary>Creates a format rounding to <paramref name="significantDigits"/> (1–17; default 6).</summary>
    public TranscriptFormat(int significantDigits = 6)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(significantDigits, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(significantDigits, 17);
        SignificantDigits = significantDigits;
        _numberFormat = "G" + significantDigits.ToString(CultureInfo.InvariantCulture);
    }

    /// <summary>Significant digits numbers are rounded to.</summary>
    public int SignificantDigits { get; }

    /// <summary>
    /// <paramref name="value"/> rounded to <see cref="SignificantDigits"/> (round-half-even on the binary value, as
    /// .NET's "G" format), invariant culture; <c>null</c> for no value; <c>NaN</c>, <c>Infinity</c>,
    /// <c>-Infinity</c>; a result that rounds to zero is printed <c>0</c> (never <c>-0</c>).
    /// </summary>
    public string Number(double? value)
    {
        if (!value.HasValue)
        {
            return "null";
        }

        var v = value.Value;
        if (double.IsNaN(v))
        {
            return "NaN";
        }

        if (double.IsInfinity(v))
        {
            return v > 0 ? "Infinity" : "-Infinity";
        }

        var s = v.ToString(_numberFormat, CultureInfo.InvariantCulture);
        return s == "-0" ? "0" : s;
    }

    /// <summary>A UTC timestamp as <c>yyyy-MM-ddTHH:mm:ss.fffZ</c> (the model's timestamps are UTC).</summary>
    public static string Time(DateTime utc) => utc.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture);

    /// <summary>A duration as <c>1d02h03m04s</c>, omitting leading zero units (<c>24m</c>, <c>1h30m</c>, <c>250ms</c>).</summary>
    public static string Duration(TimeSpan span)
    {
        if (span < TimeSpan.Zero)
        {
            return "-" + Duration(-span);
        }

        if (span < TimeSpan.FromSeconds(1))
        {
            return span.TotalMilliseconds.ToString("0.###", CultureInfo.InvariantCulture) + "ms";
        }

        var parts = new List<string>(4);
        if (span.Days > 0)
        {
            parts.Add(span.Days.ToString(CultureInfo.InvariantCulture) + "d");
        }

        if (span.Hours > 0)
        {
            parts.Add(span.Hours.ToString("00", CultureInfo.InvariantCulture) + "h");
        }

        if (span.Minutes > 0)
        {
            parts.Add(span.Minutes.ToString("00", CultureInfo.InvariantCulture) + "m");
        }

        var seconds = span.Seconds + (span.Milliseconds / 1000.0);
        if (seconds > 0)
        {
            parts.Add(seconds.ToString("00.###", CultureInfo.InvariantCulture) + "s");
        }

        var text = string.Concat(parts);
        return text.TrimStart('0');
    }
}
