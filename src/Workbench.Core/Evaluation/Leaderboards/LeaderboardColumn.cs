using Workbench.Evaluation.Runs;

namespace Workbench.Evaluation.Leaderboards;

/// <summary>Whether a metric can be trusted as a fair comparison.</summary>
public enum MetricMark
{
    /// <summary>A fair figure.</summary>
    None,

    /// <summary>Known to flatter detectors (point adjustment): shown, but marked † and never the default sort.</summary>
    Optimistic,

    /// <summary>Uses the labels to choose the threshold: marked ‡; an upper bound, not an achievable result.</summary>
    Oracle,
}

/// <summary>One metric column of a leaderboard.</summary>
/// <param name="Key">The JSON key, also the sort key (e.g. <c>f1</c>, <c>rocAuc</c>).</param>
/// <param name="Header">The short header for tables (e.g. <c>ROC-AUC</c>).</param>
/// <param name="Mark">Optimistic or oracle marking.</param>
/// <param name="HigherIsBetter">Sort direction: true for scores, false for delay and false-alarm rate.</param>
/// <param name="FlagBased">True when the figure depends on the threshold (so it becomes an oracle result under an oracle threshold).</param>
/// <param name="Format">.NET format string for tables (e.g. <c>F3</c>).</param>
/// <param name="Value">Reads the figure; null = not defined (e.g. no event detected, so no delay).</param>
public sealed record LeaderboardColumn(
    string Key, string Header, MetricMark Mark, bool HigherIsBetter, bool FlagBased, string Format, Func<DetectorEvaluation, double?> Value)
{
    /// <summary>The header with its mark: † optimistic, ‡ oracle.</summary>
    public string MarkedHeader => Mark switch
    {
        MetricMark.Optimistic => Header + " †",
        MetricMark.Oracle => Header + " ‡",
        _ => Header,
    };

    /// <summary>The key with its mark for flat files, e.g. <c>pointAdjustedF1[optimistic]</c>.</summary>
    public string MarkedKey => Mark switch
    {
        MetricMark.Optimistic => Key + "[optimistic]",
        MetricMark.Oracle => Key + "[oracle]",
        _ => Key,
    };

    /// <summary>Every metric column, in display order.</summary>
    public static IReadOnlyList<LeaderboardColumn> All { get; } =
    [
        new("f1", "F1", MetricMark.None, true, true, "F3", e => e.F1),
        new("precision", "P", MetricMark.None, true, true, "F3", e => e.Precision),
        new("recall", "R", MetricMark.None, true, true, "F3", e => e.Recall),
        new("rocAuc", "ROC-AUC", MetricMark.None, true, false, "F3", e => e.RocAuc),
        new("prAuc", "PR-AUC", MetricMark.None, true, false, "F3", e => e.PrAuc),
        new("rangePrecision", "Range-P", MetricMark.None, true, true, "F3", e => e.RangePrecision),
        new("rangeRecall", "Range-R", MetricMark.None, true, true, "F3", e => e.RangeRecall),
        new("rangeF1", "Range-F1", MetricMark.None, true, true, "F3", e => e.RangeF1),
        new("vusRoc", "VUS-ROC", MetricMark.None, true, false, "F3", e => e.VusRoc),
        new("vusPr", "VUS-PR", MetricMark.None, true, false, "F3", e => e.VusPr),
        new("affiliationPrecision", "Aff-P", MetricMark.None, true, true, "F3", e => e.AffiliationPrecision),
        new("affiliationRecall", "Aff-R", MetricMark.None, true, true, "F3", e => e.AffiliationRecall),
        new("eventRecall", "Event-R", MetricMark.None, true, true, "F3", e => e.EventRecall),
        new("meanDelay", "Delay", MetricMark.None, false, true, "F1", e => e.MeanDelay),
        new("falseAlarmsPer1k", "FA/1k", MetricMark.None, false, true, "F2", e => e.FalseAlarmsPer1k),
        new("pointAdjustedF1", "PA-F1", MetricMark.Optimistic, true, true, "F3", e => e.PointAdjustedF1),
        new("oracleF1", "Best-F1", MetricMark.Oracle, true, false, "F3", e => e.OracleF1),
        new("nabStandard", "NAB", MetricMark.Oracle, true, false, "F2", e => e.Nab?.Scores.GetValueOrDefault("standard")),
        new("nabLowFP", "NAB-lowFP", MetricMark.Oracle, true, false, "F2", e => e.Nab?.Scores.GetValueOrDefault("reward_low_FP_rate")),
        new("nabLowFN", "NAB-lowFN", MetricMark.Oracle, true, false, "F2", e => e.Nab?.Scores.GetValueOrDefault("reward_low_FN_rate")),
    ];

    /// <summary>True when the column has a value for at least one of <paramref name="rows"/> (NAB columns only exist on the NAB corpus).</summary>
    public bool AppliesTo(IEnumerable<DetectorEvaluation> rows) => !Key.StartsWith("nab", StringComparison.Ordinal) || rows.Any(r => r.Nab is not null);

    /// <summary>The columns of the console table (a readable subset; Markdown, CSV, JSON and Parquet carry all).</summary>
    public static IReadOnlyList<LeaderboardColumn> Console { get; } =
        All.Where(c => c.Key is not ("rangePrecision" or "rangeRecall" or "affiliationPrecision" or "affiliationRecall" or "nabLowFP" or "nabLowFN")).ToList();

    /// <summary>Finds a column by key (case-insensitive).</summary>
    /// <exception cref="ArgumentException">No metric has that key; the message lists the keys.</exception>
    public static LeaderboardColumn ByKey(string key)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(key);
        return All.FirstOrDefault(c => string.Equals(c.Key, key, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"Unknown metric '{key}'; use one of: {string.Join(", ", All.Select(c => c.Key))}.", nameof(key));
    }
}
