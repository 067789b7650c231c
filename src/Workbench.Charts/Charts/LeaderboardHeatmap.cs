using System.Globalization;
using Plotly.NET;
using Plotly.NET.LayoutObjects;
using Workbench.Core;

namespace Workbench.Charts;

/// <summary>
/// A leaderboard as a heatmap: rows (detectors) × columns (e.g. anomaly kinds), each cell a value in [0, 1] or null
/// (not available), coloured on a fixed 0–1 scale from light (0) to dark blue (1) and annotated with its value (<c>n/a</c> for null). The first row is
/// at the top.
/// </summary>
/// <remarks>Traces: one <c>heatmap</c> trace. Layout: one annotation per cell.</remarks>
public static class LeaderboardHeatmap
{
    /// <summary>Values above this are annotated in white (dark cells), others in black.</summary>
    public const double DarkCellFrom = 0.6;

    /// <summary>The heatmap of <paramref name="values"/>[row, column].</summary>
    /// <param name="rows">The row labels (e.g. detector specs); distinct.</param>
    /// <param name="columns">The column labels (e.g. anomaly kind names); distinct.</param>
    /// <param name="values">Values in [0, 1] or null, of size rows × columns.</param>
    /// <param name="metricName">What the values are, e.g. <c>event recall</c>; the colour bar's title.</param>
    /// <param name="title">The figure title; null = none.</param>
    /// <param name="valueFormat">The .NET numeric format of the annotations (invariant culture). Default <c>0.00</c>.</param>
    /// <exception cref="ArgumentException">Sizes disagree, a label repeats, or a value is NaN or outside [0, 1] (the cell is named).</exception>
    public static GenericChart Create(IReadOnlyList<string> rows, IReadOnlyList<string> columns, double?[,] values,
        string metricName, string? title = null, string valueFormat = "0.00")
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(columns);
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(metricName);
        ArgumentNullException.ThrowIfNull(valueFormat);
        if (values.GetLength(0) != rows.Count || values.GetLength(1) != columns.Count)
        {
            throw new ArgumentException($"values is {values.GetLength(0)} × {values.GetLength(1)} but there are {rows.Count} rows and {columns.Count} columns.", nameof(values));
        }

        var y = Labels(rows, nameof(rows));
        var x = Labels(columns, nameof(columns));
        var z = new double?[rows.Count][];
        var annotations = new List<Annotation>(rows.Count * columns.Count);
        for (var r = 0; r < rows.Count; r++)
        {
            z[r] = new double?[columns.Count];
            for (var c = 0; c < columns.Count; c++)
            {
                var v = values[r, c];
                if (v.HasValue && !(v.Value >= 0 && v.Value <= 1))
                {
                    throw new ArgumentException($"Cell (row '{rows[r]}', column '{columns[c]}'): value {v.Value.ToString(CultureInfo.InvariantCulture)} is not in [0, 1].", nameof(values));
                }

                z[r][c] = v;
                annotations.Add(new Annotation()
                    .With("x", x[c]).With("y", y[r]).With("xref", "x").With("yref", "y")
                    .With("text", v.HasValue ? v.Value.ToString(valueFormat, CultureInfo.InvariantCulture) : "n/a")
                    .With("showarrow", false)
                    .With("font", new Font().With("color", v > DarkCellFrom ? "#ffffff" : "#000000").With("size", 12)));
            }
        }

        var heatmap = new Trace2D("heatmap")
            .With("name", Fig.Text(metricName))
            .With("x", x).With("y", y).With("z", z)
            .With("zmin", 0.0).With("zmax", 1.0)
            .With("colorscale", new object[] { new object[] { 0.0, "#f7fbff" }, new object[] { 0.5, "#6baed6" }, new object[] { 1.0, "#08306b" } })
            .With("hoverongaps", false)
            .With("xgap", 2).With("ygap", 2)
            .With("colorbar", new DynamicObj.DynamicObj().With("title", Fig.Title(metricName)));
        var layout = Fig.Layout(title, Math.Max(260, 110 + (36 * rows.Count)))
            .With("plot_bgcolor", "#eeeeee")
            .With("xaxis", new LinearAxis().With("type", "category").With("side", "top"))
            .With("yaxis", new LinearAxis().With("type", "category").With("autorange", "reversed").With("automargin", true))
            .With("annotations", annotations);
        layout.With("margin", new DynamicObj.DynamicObj().With("l", 70).With("r", 30).With("t", title is null ? 60 : 100).With("b", 30));
        return Fig.Chart([heatmap], layout);
    }

    /// <summary>The heatmap with anomaly kinds as columns (labelled by kind name).</summary>
    /// <exception cref="ArgumentException">As for the string overload.</exception>
    public static GenericChart Create(IReadOnlyList<string> detectors, IReadOnlyList<AnomalyKind> kinds, double?[,] values,
        string metricName, string? title = null, string valueFormat = "0.00")
    {
        ArgumentNullException.ThrowIfNull(kinds);
        var names = new string[kinds.Count];
        for (var i = 0; i < names.Length; i++) { names[i] = kinds[i].Name; }
        return Create(detectors, names, values, metricName, title, valueFormat);
    }

    private static string[] Labels(IReadOnlyList<string> labels, string parameter)
    {
        var escaped = new string[labels.Count];
        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < labels.Count; i++)
        {
            var label = labels[i] ?? throw new ArgumentException($"{parameter}[{i}] is null.", parameter);
            if (!seen.Add(label))
            {
                throw new ArgumentException($"{parameter}[{i}] '{label}' repeats an earlier label; heatmap labels must be distinct.", parameter);
            }

            escaped[i] = Fig.Text(label);
        }

        return escaped;
    }
}
