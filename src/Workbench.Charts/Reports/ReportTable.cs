using System.Globalization;

namespace Workbench.Reports;

/// <summary>How a report column's numbers were obtained, when that limits how far they can be trusted.</summary>
public enum ColumnMark
{
    /// <summary>An ordinary column.</summary>
    None,

    /// <summary>The value uses the labels to choose something (e.g. the best-F1 threshold): an upper bound that no
    /// online detector can reach. CSS class <c>oracle</c>, marked ‡ (as in the leaderboard).</summary>
    Oracle,

    /// <summary>The metric is known to overstate performance (e.g. point-adjusted F1). CSS class <c>optimistic</c>, marked † (as in the leaderboard).</summary>
    Optimistic,
}

/// <summary>One column of a <see cref="ReportTable"/>.</summary>
/// <param name="Header">The header text (HTML-escaped when written).</param>
/// <param name="Mark">Oracle / optimistic marking: a CSS class on the column's cells, a mark on the header, and a line in
/// the legend under the table.</param>
/// <param name="Numeric">Right-align the column's cells.</param>
public sealed record ReportColumn(string Header, ColumnMark Mark = ColumnMark.None, bool Numeric = false);

/// <summary>
/// A table of a <see cref="HtmlReport"/>: columns and rows of already-formatted cell text (null = not available, shown as
/// an en dash). Every text is HTML-escaped when written.
/// </summary>
public sealed class ReportTable
{
    private readonly List<string?[]> _rows = [];

    /// <summary>A table with these columns.</summary>
    /// <exception cref="ArgumentException">No column.</exception>
    public ReportTable(IEnumerable<ReportColumn> columns, string? caption = null)
    {
        ArgumentNullException.ThrowIfNull(columns);
        Columns = [.. columns];
        if (Columns.Count == 0)
        {
            throw new ArgumentException("A table needs at least one column.", nameof(columns));
        }

        for (var i = 0; i < Columns.Count; i++)
        {
            if (Columns[i]?.Header is null) { throw new ArgumentException($"Column {i} or its header is null.", nameof(columns)); }
        }

        Caption = caption;
    }

    /// <summary>A table of plain (unmarked, left-aligned) columns.</summary>
    public ReportTable(params string[] headers)
        : this(headers.Select(h => new ReportColumn(h)))
    {
    }

    /// <summary>The columns, in order.</summary>
    public IReadOnlyList<ReportColumn> Columns { get; }

    /// <summary>The caption shown above the table; null = none.</summary>
    public string? Caption { get; }

    /// <summary>The rows added so far (each has one cell per column).</summary>
    public IReadOnlyList<IReadOnlyList<string?>> Rows => _rows;

    /// <summary>Appends a row of cell texts, one per column.</summary>
    /// <exception cref="ArgumentException">The cell count differs from the column count (the row is named).</exception>
    public ReportTable AddRow(params string?[] cells)
    {
        ArgumentNullException.ThrowIfNull(cells);
        if (cells.Length != Columns.Count)
        {
            throw new ArgumentException($"Row {_rows.Count} has {cells.Length} cells but the table has {Columns.Count} columns.", nameof(cells));
        }

        _rows.Add((string?[])cells.Clone());
        return this;
    }

    /// <summary>A number as cell text in the invariant culture; null and NaN give null (shown as –).</summary>
    public static string? Format(double? value, string format = "0.000") =>
        value is double v && !double.IsNaN(v) ? v.ToString(format, CultureInfo.InvariantCulture) : null;
}
