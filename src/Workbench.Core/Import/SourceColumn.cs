namespace Workbench.Import;

/// <summary>The type family of a <see cref="SourceColumn"/>, which decides how its cells are coerced.</summary>
internal enum SourceColumnKind
{
    /// <summary>Text (CSV cells, Parquet strings): <c>string?[]</c>.</summary>
    Text,

    /// <summary>Floating point (float32 widened exactly, float64): <c>double?[]</c>.</summary>
    Float,

    /// <summary>Integers of any width: <c>long?[]</c>.</summary>
    Integer,

    /// <summary>Parquet DECIMAL: <c>decimal?[]</c>.</summary>
    Decimal,

    /// <summary>Booleans: <c>bool?[]</c>.</summary>
    Boolean,

    /// <summary>Instants (Parquet TIMESTAMP adjusted to UTC): <c>DateTime?[]</c> in UTC ticks.</summary>
    Instant,

    /// <summary>Wall-clock times without a zone (TIMESTAMP not adjusted to UTC, INT96, DATE): <c>DateTime?[]</c>.</summary>
    LocalDateTime,

    /// <summary>A type import cannot coerce (lists, structs, binary, TIME); an error if mapped.</summary>
    Unsupported,
}

/// <summary>One column of a chunk of input rows: its name, type family and values (null = missing cell).</summary>
/// <param name="Name">The column name as in the file.</param>
/// <param name="Kind">The type family.</param>
/// <param name="Values">The typed array (see <see cref="SourceColumnKind"/>); null for <see cref="SourceColumnKind.Unsupported"/>.</param>
/// <param name="TypeName">The file's type, for messages (<c>float</c>, <c>TIMESTAMP(MICROS, local)</c>, <c>text</c>).</param>
internal sealed record SourceColumn(string Name, SourceColumnKind Kind, Array? Values, string TypeName);

/// <summary>A block of rows read from one input file, column by column.</summary>
/// <param name="Columns">The columns that were asked for, by name.</param>
/// <param name="Count">Rows in the block.</param>
/// <param name="Locate">The row's location for messages and reports: its CSV line number or Parquet row index.</param>
/// <param name="IsCsv">Whether <paramref name="Locate"/> gives CSV line numbers (<c>line N</c>) or Parquet row indexes (<c>row N</c>).</param>
internal sealed record SourceChunk(IReadOnlyDictionary<string, SourceColumn> Columns, int Count, long[] Locate, bool IsCsv)
{
    /// <summary>The location of row <paramref name="i"/> as text: <c>line 7</c> or <c>row 6</c>.</summary>
    public string Where(int i) => ImportLocation.Format(IsCsv, Locate[i]);
}

/// <summary>Formats a row location: CSV lines are 1-based (the header is line 1), Parquet rows 0-based.</summary>
internal static class ImportLocation
{
    /// <summary><c>line N</c> or <c>row N</c>.</summary>
    public static string Format(bool csv, long n) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{(csv ? "line" : "row")} {n}");
}
