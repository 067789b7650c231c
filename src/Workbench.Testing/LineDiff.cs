using System.Globalization;
using System.Text;

namespace Workbench.Testing;

/// <summary>A line diff for failure messages: unified-style hunks with context, computed without any external tool.</summary>
public static class LineDiff
{
    /// <summary>Above this many cells (middle lines expected × actual) the middle is shown as one replaced block.</summary>
    private const long MaxCells = 4_000_000;

    /// <summary>The 1-based number of the first line where <paramref name="expected"/> and <paramref name="actual"/> differ; null when equal.</summary>
    public static int? FirstDifference(IReadOnlyList<string> expected, IReadOnlyList<string> actual)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        var n = Math.Min(expected.Count, actual.Count);
        for (var i = 0; i < n; i++)
        {
            if (!string.Equals(expected[i], actual[i], StringComparison.Ordinal))
            {
                return i + 1;
            }
        }

        return expected.Count == actual.Count ? null : n + 1;
    }

    /// <summary>
    /// Hunks of the form <c>@@ -a,b +c,d @@</c> (1-based line numbers in expected and actual), then lines prefixed
    /// <c>"  "</c> (context), <c>"- "</c> (only in expected) and <c>"+ "</c> (only in actual); empty when equal.
    /// </summary>
    /// <param name="expected">The snapshot's lines.</param>
    /// <param name="actual">The received lines.</param>
    /// <param name="context">Unchanged lines shown around each change (≥ 0; default 3).</param>
    /// <param name="maxChangedLines">Stop after this many changed lines (≥ 1; default 40) and say how many more there are.</param>
    public static string Unified(IReadOnlyList<string> expected, IReadOnlyList<string> actual, int context = 3, int maxChangedLines = 40)
    {
        ArgumentNullException.ThrowIfNull(expected);
        ArgumentNullException.ThrowIfNull(actual);
        ArgumentOutOfRangeException.ThrowIfNegative(context);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxChangedLines, 1);
        var ops = Edits(expected, actual);
        if (ops.All(o => o.Kind == ' '))
        {
            return string.Empty;
        }

        var sb = new StringBuilder();
        var changedTotal = ops.Count(o => o.Kind != ' ');
        var changedShown = 0;
        var i = 0;
        while (i < ops.Count && changedShown < maxChangedLines)
        {
            // Next change.
            while (i < ops.Count && ops[i].Kind == ' ')
            {
                i++;
            }

            if (i == ops.Count)
            {
                break;
            }

            var hunkStart = Math.Max(0, i - context);
            var hunkEnd = i;
            var j = i;
            while (j < ops.Count)
            {
                if (ops[j].Kind != ' ')
                {
                    hunkEnd = j;
                    j++;
                    continue;
                }

                // A run of equal lines longer than 2 × context ends the hunk.
                var k = j;
                while (k < ops.Count && ops[k].Kind == ' ')
                {
                    k++;
                }

                if (k == ops.Count || k - j > 2 * context)
                {
                    break;
                }

                j = k;
            }

            var end = Math.Min(ops.Count - 1, hunkEnd + context);
            var a = ops[hunkStart].ExpectedLine;
            var c = ops[hunkStart].ActualLine;
            var b = 0;
            var d = 0;
            for (var t = hunkStart; t <= end; t++)
            {
                b += ops[t].Kind != '+' ? 1 : 0;
                d += ops[t].Kind != '-' ? 1 : 0;
            }

            sb.Append(CultureInfo.InvariantCulture, $"@@ -{a},{b} +{c},{d} @@\n");
            for (var t = hunkStart; t <= end; t++)
            {
                if (ops[t].Kind != ' ')
                {
                    if (changedShown == maxChangedLines)
                    {
                        break;
                    }

                    changedShown++;
                }

                sb.Append(ops[t].Kind).Append(' ').Append(ops[t].Text).Append('\n');
            }

            i = end + 1;
        }

        if (changedShown < changedTotal)
        {
            sb.Append(CultureInfo.InvariantCulture, $"... {changedTotal - changedShown} more changed lines not shown\n");
        }

        return sb.ToString();
    }

    private readonly record struct Op(char Kind, string Text, int ExpectedLine, int ActualLine);

    private static List<Op> Edits(IReadOnlyList<string> x, IReadOnlyList<string> y)
    {
        var prefix = 0;
        while (prefix < x.Count && prefix < y.Count && string.Equals(x[prefix], y[prefix], StringComparison.Ordinal))
        {
            prefix++;
        }

        var suffix = 0;
        while (suffix < x.Count - prefix && suffix < y.Count - prefix
            && string.Equals(x[x.Count - 1 - suffix], y[y.Count - 1 - suffix], StringComparison.Ordinal))
        {
            suffix++;
        }

        var ops = new List<Op>(x.Count + y.Count);
        for (var i = 0; i < prefix; i++)
        {
            ops.Add(new Op(' ', x[i], i + 1, i + 1));
        }

        var n = x.Count - prefix - suffix;
        var m = y.Count - prefix - suffix;
        if ((long)n * m > MaxCells)
        {
            for (var i = 0; i < n; i++)
            {
                ops.Add(new Op('-', x[prefix + i], prefix + i + 1, prefix + 1));
            }

            for (var j = 0; j < m; j++)
            {
                ops.Add(new Op('+', y[prefix + j], prefix + n + 1, prefix + j + 1));
            }
        }
        else
        {
            // Longest common subsequence of the middle, by dynamic programming from the end.
            var lcs = new int[n + 1, m + 1];
            for (var i = n - 1; i >= 0; i--)
            {
                for (var j = m - 1; j >= 0; j--)
                {
                    lcs[i, j] = string.Equals(x[prefix + i], y[prefix + j], StringComparison.Ordinal)
                        ? lcs[i + 1, j + 1] + 1
                        : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
                }
            }

            int ii = 0, jj = 0;
            while (ii < n || jj < m)
            {
                if (ii < n && jj < m && string.Equals(x[prefix + ii], y[prefix + jj], StringComparison.Ordinal))
                {
                    ops.Add(new Op(' ', x[prefix + ii], prefix + ii + 1, prefix + jj + 1));
                    ii++;
                    jj++;
                }
                else if (ii < n && (jj == m || lcs[ii + 1, jj] >= lcs[ii, jj + 1]))
                {
                    ops.Add(new Op('-', x[prefix + ii], prefix + ii + 1, prefix + jj + 1));
                    ii++;
                }
                else
                {
                    ops.Add(new Op('+', y[prefix + jj], prefix + ii + 1, prefix + jj + 1));
                    jj++;
                }
            }
        }

        for (var s = suffix; s > 0; s--)
        {
            ops.Add(new Op(' ', x[x.Count - s], x.Count - s + 1, y.Count - s + 1));
        }

        return ops;
    }
}
