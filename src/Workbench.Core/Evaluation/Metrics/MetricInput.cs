namespace Workbench.Evaluation.Metrics;

/// <summary>Argument checks shared by the metric functions: every message names the parameter and the series.</summary>
internal static class MetricInput
{
    public static void CheckSeriesCount<T>(IReadOnlyList<bool[]> labels, IReadOnlyList<T>? other, string otherName)
    {
        if (other is not null && other.Count != labels.Count)
        {
            throw new ArgumentException(
                $"{otherName} has {other.Count} series but labels has {labels.Count}.", otherName);
        }
    }

    public static void CheckLength<T>(bool[] labels, T[]? other, int series, string otherName)
    {
        ArgumentNullException.ThrowIfNull(labels);
        if (other is not null && other.Length != labels.Length)
        {
            throw new ArgumentException(
                $"Series {series}: {otherName} has {other.Length} points but labels has {labels.Length}.", otherName);
        }
    }

    public static T[] NotNull<T>(IReadOnlyList<T[]> list, int series, string name) =>
        list[series] ?? throw new ArgumentException($"Series {series}: {name} is null.", name);
}
