using Workbench.Evaluation.Runs;
using Workbench.Evaluation.Thresholds;

namespace Workbench.Cluster;

/// <summary>
/// A chunk of grid items for one worker call: which dataset (by path, with the client's fingerprint of the file), how
/// scores become flags, and the items — each a detector spec with its index in the whole list of specs.
/// </summary>
/// <remarks>
/// An item is a pure function of (dataset file, spec, threshold): the same <see cref="DetectorEvaluation"/> as the local
/// run's, whatever silo computes it and however often. That is what makes a retry safe and the merged leaderboard
/// byte-identical to <c>evaluate --workers 1</c>.
/// </remarks>
[GenerateSerializer]
[Alias("Workbench.Cluster.GridChunk")]
public sealed record GridChunk
{
    /// <summary>The labelled Parquet file, as every silo sees it (a shared folder).</summary>
    [Id(0)]
    public required string DatasetPath { get; init; }

    /// <summary>SHA-256 of the file as the client read it (lower-case hex); a silo whose file differs refuses the chunk.</summary>
    [Id(1)]
    public required string Fingerprint { get; init; }

    /// <summary>How scores become flags.</summary>
    [Id(2)]
    public required ThresholdChoice Threshold { get; init; }

    /// <summary>Each item's index in the whole list of specs.</summary>
    [Id(3)]
    public required int[] Indices { get; init; }

    /// <summary>Each item's canonical detector spec (same length as <see cref="Indices"/>).</summary>
    [Id(4)]
    public required string[] Specs { get; init; }
}

/// <summary>What a worker returns for a <see cref="GridChunk"/>.</summary>
[GenerateSerializer]
[Alias("Workbench.Cluster.GridChunkResult")]
public sealed record GridChunkResult
{
    /// <summary>The item indices, as in the request.</summary>
    [Id(0)]
    public required int[] Indices { get; init; }

    /// <summary>One evaluation per item, in the request's order; empty when <see cref="Error"/> is set.</summary>
    [Id(1)]
    public required DetectorEvaluation[] Evaluations { get; init; }

    /// <summary>The silo that computed the chunk (its address).</summary>
    [Id(2)]
    public required string Silo { get; init; }

    /// <summary>
    /// A problem that no retry can cure (the dataset is missing or differs from the client's, a spec does not parse);
    /// null on success.
    /// </summary>
    [Id(3)]
    public string? Error { get; init; }
}

/// <summary>A threshold strategy as it travels to the silos: <c>fixed</c> (each detector's own), <c>percentile</c>, <c>top-k</c> or <c>best-f1</c>.</summary>
/// <param name="Kind">The strategy.</param>
/// <param name="Value">Its parameter (percent or K); 0 for the others.</param>
[GenerateSerializer]
[Alias("Workbench.Cluster.ThresholdChoice")]
public sealed record ThresholdChoice([property: Id(0)] string Kind, [property: Id(1)] double Value)
{
    /// <summary>The choice that gives <paramref name="strategy"/> back on the silo; null = each detector's own threshold.</summary>
    /// <exception cref="ArgumentException">A strategy the cluster does not know.</exception>
    public static ThresholdChoice Of(ThresholdStrategy? strategy) => strategy switch
    {
        null => new("fixed", 0),
        PercentileThreshold p => new("percentile", p.Percent),
        TopKThreshold k => new("top-k", k.K),
        BestF1Threshold => new("best-f1", 0),
        _ => throw new ArgumentException($"The cluster cannot send the threshold strategy {strategy.Describe()}.", nameof(strategy)),
    };

    /// <summary>The strategy this stands for; null = each detector's own fixed threshold.</summary>
    public ThresholdStrategy? ToStrategy() => Kind switch
    {
        "fixed" => null,
        "percentile" => new PercentileThreshold(Value),
        "top-k" => new TopKThreshold(checked((int)Value)),
        "best-f1" => new BestF1Threshold(),
        _ => throw new ArgumentException($"Unknown threshold kind '{Kind}'."),
    };
}
