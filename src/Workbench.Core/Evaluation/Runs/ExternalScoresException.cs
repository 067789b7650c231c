namespace Workbench.Evaluation.Runs;

/// <summary>Scores computed elsewhere could not be read or aligned to the dataset (<see cref="ExternalScores"/>).</summary>
/// <param name="filePath">The score file (or folder).</param>
/// <param name="line">1-based line (CSV) or row (Parquet) of the problem; null when it concerns the whole file.</param>
/// <param name="column">The column concerned, or null.</param>
/// <param name="reason">What is wrong and how to fix it.</param>
public sealed class ExternalScoresException(string filePath, long? line, string? column, string reason)
    : Exception($"{filePath}{(line is { } l ? $", line {l}" : "")}{(column is { } c ? $", column '{c}'" : "")}: {reason}")
{
    /// <summary>The score file (or folder).</summary>
    public string FilePath { get; } = filePath;

    /// <summary>1-based line or row, or null.</summary>
    public long? Line { get; } = line;

    /// <summary>The column concerned, or null.</summary>
    public string? Column { get; } = column;
}
