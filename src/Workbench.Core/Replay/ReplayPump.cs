using System.Reactive.Concurrency;

namespace Workbench.Replay;

/// <summary>
/// A replay subscribed to a <see cref="ReplayScheduler"/>: one reusable scheduled item whose due time is its next
/// notification's virtual time, offered to the dispatch loop beside the scheduler's queue. The cursor replays derive
/// from it through <see cref="CursorReplayPump{TOut}"/>.
/// </summary>
internal abstract class ReplayPump : IScheduledItem<DateTimeOffset>
{
    /// <summary>The virtual time (UTC ticks) of the next notification.</summary>
    public long DueTicks;

    public DateTimeOffset DueTime => new(DueTicks, TimeSpan.Zero);

    public abstract void Invoke();
}
