using System.Collections.Concurrent;
using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using Workbench.Replay;

namespace Workbench.Tests.Replay;

/// <summary>
/// The high-resolution clock on the real wall clock. Only facts that do not depend on how late a wake-up is are
/// asserted (order, thread, cancellation, disposal); accuracy is measured by <c>bench replay-timing</c>.
/// </summary>
public class HighResolutionSchedulerTests
{
    /// <summary>A guard against a hang, never an assertion on time.</summary>
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(60);

    [Fact]
    public void Constructor_SpinLeadOutOfRange_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new HighResolutionScheduler(TimeSpan.FromTicks(-1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HighResolutionScheduler(HighResolutionScheduler.MaxSpinLead + TimeSpan.FromTicks(1)));
        using var zero = new HighResolutionScheduler(TimeSpan.Zero);
        Assert.Equal(TimeSpan.Zero, zero.SpinLead);
        using var standard = new HighResolutionScheduler();
        Assert.Equal(HighResolutionScheduler.DefaultSpinLead, standard.SpinLead);
    }

    [Fact]
    public void Constructor_StartsNoThread()
    {
        using var clock = new HighResolutionScheduler();
        Assert.Null(clock.Thread);
        Assert.False(clock.IsThreadAlive);
    }

    [Fact]
    public async Task Schedule_ItemsRunInDueTimeOrder_TiesInScheduleOrder_OnOneDedicatedThread()
    {
        using var clock = new HighResolutionScheduler();
        var order = new ConcurrentQueue<(string Name, Thread Thread)>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var scheduled = new ManualResetEventSlim();
        var start = clock.Now;

        // The thread is held until everything is scheduled, so no item can run before a later-scheduled earlier one.
        clock.Schedule(0, (_, _) => { scheduled.Wait(); return Disposable.Empty; });

        // Scheduled in an order unlike their due times; "d1" and "d2" are due at the same instant.
        IDisposable Add(string name, DateTimeOffset due) => clock.Schedule(name, due, (_, n) =>
        {
            order.Enqueue((n, Thread.CurrentThread));
            if (n == "last")
            {
                done.SetResult();
            }

            return Disposable.Empty;
        });

        Add("last", start.AddMilliseconds(40));
        Add("d1", start.AddMilliseconds(20));
        Add("b", start.AddMilliseconds(10));
        Add("d2", start.AddMilliseconds(20));
        Add("a", start.AddMilliseconds(5));
        Add("e", start.AddMilliseconds(30));
        scheduled.Set();
        await done.Task.WaitAsync(Guard);

        Assert.Equal(["a", "b", "d1", "d2", "e", "last"], order.Select(o => o.Name));
        Assert.All(order, o => Assert.Same(clock.Thread, o.Thread));
        Assert.NotSame(Thread.CurrentThread, clock.Thread);
    }

    [Fact]
    public async Task Schedule_EarlierItemArrivingWhileWaiting_RunsFirst()
    {
        using var clock = new HighResolutionScheduler();
        var order = new ConcurrentQueue<string>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        clock.Schedule(0, TimeSpan.FromHours(1), (_, _) => { order.Enqueue("hour"); return Disposable.Empty; });
        var far = clock.Schedule(0, TimeSpan.FromMinutes(10), (_, _) => { order.Enqueue("ten minutes"); return Disposable.Empty; });
        clock.Schedule(0, TimeSpan.FromMilliseconds(1), (_, _) =>
        {
            order.Enqueue("soon");
            done.SetResult();
            return Disposable.Empty;
        });
        await done.Task.WaitAsync(Guard);
        far.Dispose();
        Assert.Equal(["soon"], order);
    }

    [Fact]
    public async Task Schedule_CancelledItem_NeverRuns_RecursiveWorkIsDisposedWithIt()
    {
        using var clock = new HighResolutionScheduler();
        var ran = new ConcurrentQueue<string>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var gate = new ManualResetEventSlim();

        // The thread is held while the item (due at once) is cancelled, so the cancellation surely comes first.
        clock.Schedule(0, (_, _) => { gate.Wait(); return Disposable.Empty; });
        var cancelled = clock.Schedule(0, (_, _) => { ran.Enqueue("cancelled"); return Disposable.Empty; });
        cancelled.Dispose();
        gate.Set();

        var innerDisposed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        IDisposable? outer = null;
        outer = clock.Schedule(0, TimeSpan.FromMilliseconds(10), (self, _) =>
        {
            ran.Enqueue("outer");
            done.SetResult();

            // The returned disposable is disposed with the outer item (Rx's recursive scheduling contract).
            return Disposable.Create(() => innerDisposed.SetResult());
        });
        await done.Task.WaitAsync(Guard);
        outer.Dispose();
        await innerDisposed.Task.WaitAsync(Guard);
        Assert.Equal(["outer"], ran);
    }

    [Fact]
    public void Dispose_EndsTheThreadPromptly_PendingAndLaterWorkNeverRuns()
    {
        var clock = new HighResolutionScheduler();
        var ran = 0;
        clock.Schedule(0, TimeSpan.FromHours(1), (_, _) => { Interlocked.Increment(ref ran); return Disposable.Empty; });
        var thread = clock.Thread;
        Assert.NotNull(thread);

        clock.Dispose();
        Assert.True(thread.Join(Guard));
        Assert.False(clock.IsThreadAlive);

        var late = clock.Schedule(0, (_, _) => { Interlocked.Increment(ref ran); return Disposable.Empty; });
        late.Dispose();
        clock.Dispose(); // idempotent
        Assert.Same(thread, clock.Thread); // no new thread was started
        Assert.Equal(0, Volatile.Read(ref ran));
    }

    [Fact]
    public async Task Dispose_FromAnItemOnItsOwnThread_EndsTheThreadAfterTheItem()
    {
        var clock = new HighResolutionScheduler();
        var ran = new ConcurrentQueue<string>();
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        clock.Schedule(0, (_, _) =>
        {
            clock.Dispose();
            ran.Enqueue("disposing item finished");
            done.SetResult();
            return Disposable.Empty;
        });
        clock.Schedule(0, TimeSpan.FromMilliseconds(1), (_, _) => { ran.Enqueue("after"); return Disposable.Empty; });
        await done.Task.WaitAsync(Guard);
        Assert.True(clock.Thread!.Join(Guard));
        Assert.Equal(["disposing item finished"], ran);
    }

    [Fact]
    public void Now_IsUtcAndNeverGoesBack()
    {
        using var clock = new HighResolutionScheduler();
        var previous = clock.Now;
        Assert.Equal(TimeSpan.Zero, previous.Offset);
        for (var i = 0; i < 10_000; i++)
        {
            var now = clock.Now;
            Assert.True(now >= previous);
            previous = now;
        }
    }
}
