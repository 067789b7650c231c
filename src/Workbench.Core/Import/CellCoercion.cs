using System.Globalization;

namespace Workbench.Import;

/// <summary>
/// Coerces value, label, series, kind and event-id cells of any <see cref="SourceColumnKind"/>. Each method returns
/// null on success, else the problem (the caller adds file, row, column and fix).
/// </summary>
internal static class CellCoercion
{
    /// <summary>Texts read as a missing value (case-insensitive), besides the empty cell.</summary>
    public static readonly IReadOnlySet<string> MissingTexts = new HashSet<string>(StringComparer.OrdinalIgnoreCase)
    {
        "NA", "N/A", "NaN", "null", "None", "nil", "-",
    };

    /// <summary>A value: any number (float32 widened exactly, integers, DECIMAL, numeric text with '.' as the decimal
    /// point); missing for null, an empty cell, <see cref="MissingTexts"/> or NaN (flagged); ±∞ is an error.</summary>
    public static string? Value(SourceColumn column, int i, out double? value, out bool wasNaN)
    {
        value = null;
        wasNaN = false;
        double v;
        switch (column.Kind)
        {
            case SourceColumnKind.Float:
                if (((double?[])column.Values!)[i] is not { } f)
                {
                    return null;
                }

                v = f;
                break;
            case SourceColumnKind.Integer:
                if (((long?[])column.Values!)[i] is not { } n)
                {
                    return null;
                }

                v = n;
                break;
            case SourceColumnKind.Decimal:
                if (((decimal?[])column.Values!)[i] is not { } d)
                {
                    return null;
                }

                v = (double)d;
                break;
            case SourceColumnKind.Boolean:
                if (((bool?[])column.Values!)[i] is not { } b)
                {
                    return null;
                }

                v = b ? 1 : 0;
                break;
            case SourceColumnKind.Text:
                var text = ((string?[])column.Values!)[i]?.Trim();
                if (string.IsNullOrEmpty(text) || (MissingTexts.Contains(text) && !text.Equals("NaN", StringComparison.OrdinalIgnoreCase)))
                {
                    return null;
                }

                if (text.TrimStart('+', '-').ToLowerInvariant() is "inf" or "infinity" or "∞")
                {
                    v = text.StartsWith('-') ? double.NegativeInfinity : double.PositiveInfinity;
                }
                else if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out v))
                {
                    return text.Contains(',', StringComparison.Ordinal)
                        ? $"'{text}' is not a number (the decimal point must be '.')"
                        : $"'{text}' is not a number";
                }

                break;
            default:
                return $"a {column.TypeName} column cannot hold values";
        }

        if (double.IsNaN(v))
        {
            wasNaN = true;
            return null;
        }

        if (double.IsInfinity(v))
        {
            return $"the value is {(v > 0 ? "+" : "-")}infinity; the format allows finite values and missing ones only";
        }

        value = v;
        return null;
    }

    /// <summary>A label: boolean; integer or number 0/1; text <c>true/false</c>, <c>t/f</c>, <c>yes/no</c>, <c>y/n</c>,
    /// <c>1/0</c>, <c>1.0/0.0</c>, <c>anomaly/normal</c>, <c>anomalous/normal</c> (case-insensitive). Missing is an error.</summary>
    public static string? Label(SourceColumn column, int i, out bool anomalous)
    {
        anomalous = false;
        switch (column.Kind)
        {
            case SourceColumnKind.Boolean:
                if (((bool?[])column.Values!)[i] is not { } b)
                {
                    return "the label is missing";
                }

                anomalous = b;
                return null;
            case SourceColumnKind.Integer:
                if (((long?[])column.Values!)[i] is not { } n)
                {
                    return "the label is missing";
                }

                anomalous = n == 1;
                return n is 0 or 1 ? null : string.Create(CultureInfo.InvariantCulture, $"the label is {n}, not 0 or 1");
            case SourceColumnKind.Float or SourceColumnKind.Decimal:
                double? real = column.Kind == SourceColumnKind.Float ? ((double?[])column.Values!)[i] : (double?)((decimal?[])column.Values!)[i];
                if (real is not { } r || double.IsNaN(r))
                {
                    return "the label is missing";
                }

                anomalous = r == 1;
                return r is 0 or 1 ? null : string.Create(CultureInfo.InvariantCulture, $"the label is {r:R}, not 0 or 1");
            case SourceColumnKind.Text:
                var text = ((string?[])column.Values!)[i]?.Trim();
                if (string.IsNullOrEmpty(text))
                {
                    return "the label is missing";
                }

                switch (text.ToLowerInvariant())
                {
                    case "true" or "t" or "yes" or "y" or "1" or "1.0" or "anomaly" or "anomalous":
                        anomalous = true;
                        return null;
                    case "false" or "f" or "no" or "n" or "0" or "0.0" or "normal":
                        return null;
                    default:
                        return $"the label '{text}' is not one of true/false, 1/0, yes/no, anomaly/normal";
                }

            default:
                return $"a {column.TypeName} column cannot hold labels";
        }
    }

    /// <summary>A series name: text as is, numbers in invariant form. Missing or empty is an error.</summary>
    public static string? SeriesName(SourceColumn column, int i, out string name)
    {
        name = column.Kind switch
        {
            SourceColumnKind.Text => ((string?[])column.Values!)[i] ?? string.Empty,
            SourceColumnKind.Integer => ((long?[])column.Values!)[i]?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
            SourceColumnKind.Float => ((double?[])column.Values!)[i]?.ToString("R", CultureInfo.InvariantCulture) ?? string.Empty,
            SourceColumnKind.Decimal => ((decimal?[])column.Values!)[i]?.ToString(CultureInfo.InvariantCulture) ?? string.Empty,
            SourceColumnKind.Boolean => ((bool?[])column.Values!)[i]?.ToString() ?? string.Empty,
            _ => string.Empty,
        };
        if (column.Kind is SourceColumnKind.Unsupported or SourceColumnKind.Instant or SourceColumnKind.LocalDateTime)
        {
            return $"a {column.TypeName} column cannot name series";
        }

        return string.IsNullOrWhiteSpace(name) ? "the series name is missing or empty" : null;
    }

    /// <summary>An anomaly kind: text; empty, missing or <c>normal</c> = none.</summary>
    public static string? Kind(SourceColumn column, int i, out string? kind)
    {
        kind = null;
        if (column.Kind != SourceColumnKind.Text)
        {
            return $"a {column.TypeName} column cannot hold anomaly kinds (text)";
        }

        var text = ((string?[])column.Values!)[i]?.Trim();
        kind = string.IsNullOrEmpty(text) || text.Equals("normal", StringComparison.OrdinalIgnoreCase) ? null : text;
        return null;
    }

    /// <summary>An event id: an integer from 0 to 2^31-1 (integers, whole numbers or digits); null when missing.</summary>
    public static string? EventId(SourceColumn column, int i, out int? id)
    {
        id = null;
        long? n = column.Kind switch
        {
            SourceColumnKind.Integer => ((long?[])column.Values!)[i],
            SourceColumnKind.Float => ((double?[])column.Values!)[i] is { } d && !double.IsNaN(d) && d == Math.Floor(d) && Math.Abs(d) < 1e15 ? (long)d : null,
            SourceColumnKind.Text => long.TryParse(((string?[])column.Values!)[i]?.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var t) ? t : null,
            _ => null,
        };
        var missing = column.Kind switch
        {
            SourceColumnKind.Integer => n is null,
            SourceColumnKind.Float => ((double?[])column.Values!)[i] is not { } f || double.IsNaN(f),
            SourceColumnKind.Text => string.IsNullOrWhiteSpace(((string?[])column.Values!)[i]),
            _ => false,
        };
        if (missing)
        {
            return null;
        }

        if (n is not { } v || v is < 0 or > int.MaxValue)
        {
            return $"the event id is not an integer from 0 to {int.MaxValue}";
        }

        id = (int)v;
        return null;
    }
}
