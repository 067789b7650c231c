namespace Workbench.Replay;

/// <summary>Where a chunked replay (<see cref="ObservationReplay.VirtualChunks(IEnumerable{Workbench.Core.LabeledObservation}, ReplayScheduler, ChunkOptions?)"/>) may cut its chunks.</summary>
public enum ChunkBoundary
{
    /// <summary>
    /// A chunk holds observations of ONE timestamp only, and is delivered with the scheduler's clock equal to that
    /// timestamp: the clock is exact for every row (the default).
    /// </summary>
    Instant,

    /// <summary>
    /// Under <see cref="ReplayScheduler.RunToCompletion"/>, a chunk may span several timestamps as long as nothing
    /// else on the scheduler is due before its last row; it is delivered with the clock at its last row's timestamp
    /// (every row's timestamp ≤ the clock). Under the plain dispatch loop it cuts like <see cref="Instant"/>.
    /// </summary>
    Run,
}

/// <summary>Settings of a chunked virtual-time replay.</summary>
/// <param name="MaxRows">The most rows in one chunk (≥ 1; default 1024).</param>
/// <param name="Boundary">Where chunks may be cut (default <see cref="ChunkBoundary.Instant"/>).</param>
public sealed record ChunkOptions(int MaxRows = 1024, ChunkBoundary Boundary = ChunkBoundary.Instant)
{
    /// <summary>The defaults: up to 1024 rows, one timestamp per chunk.</summary>
    public static ChunkOptions Default { get; } = new();

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> when a setting is out of range.</summary>
    public void Validate()
    {
        if (MaxRows < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxRows), MaxRows, "a chunk holds at least one row");
        }

        if (Boundary is not (ChunkBoundary.Instant or ChunkBoundary.Run))
        {
            throw new ArgumentOutOfRangeException(nameof(Boundary), Boundary, "unknown chunk boundary");
        }
    }
}
