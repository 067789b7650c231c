using System.Reactive.Concurrency;
using Workbench.Replay;

namespace Workbench.Tests.Replay;

public class ReplayTimingTests
{
    private static readonly DateTimeOffset W0 = new(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task MeasureAsync_OnAnExactClock_ReportsNoLateness()
    {
        var wall = new HistoricalScheduler(W0);
        var task = ReplayTiming.MeasureAsync(wall, new ReplayTimingOptions { Count = 200 });
        Assert.False(task.IsCompleted);
        wall.Start();
        var report = await task;

        Assert.Equal(200, report.Count);
        Assert.Equal(100, report.Speed);
        Assert.Equal(TimeSpan.FromMilliseconds(10), report.Interval);
        Assert.Equal(TimeSpan.Zero, report.MaxAbsolute);
        Assert.Equal(TimeSpan.Zero, report.MostEarly);
        Assert.Equal(TimeSpan.FromSeconds(1.99), report.WallDuration);
        Assert.Equal(0, report.MaxPercentOfInterval);
    }

    [Fact]
    public async Task MeasureAsync_OnAClockWithLateTimers_ReportsTheLateness()
    {
        var inner = new HistoricalScheduler(W0);
        var wall = new TestWallClock(inner, lateness: TimeSpan.FromMilliseconds(3));
        var task = ReplayTiming.MeasureAsync(wall, new ReplayTimingOptions { Count = 100, Spacing = TimeSpan.FromSeconds(2), Speed = 200 });
        inner.Start();
        var report = await task;

        // The first observation needs no timer (on time); each later one waits for a timer that fires 3 ms late.
        Assert.Equal(100, report.Count);
        Assert.Equal(TimeSpan.FromMilliseconds(10), report.Interval);
        Assert.Equal(TimeSpan.FromMilliseconds(3), report.MaxAbsolute);
        Assert.Equal(TimeSpan.FromMilliseconds(3), report.P99Absolute);
        Assert.Equal(TimeSpan.FromMilliseconds(3), report.P50Absolute);
        Assert.Equal(TimeSpan.FromMilliseconds(2.97), report.MeanAbsolute);
        Assert.Equal(TimeSpan.FromMilliseconds(2.97), report.MeanSigned);
        Assert.Equal(TimeSpan.Zero, report.MostEarly);
        Assert.Equal(30, report.MaxPercentOfInterval, 9);
        Assert.Equal(29.7, report.MeanPercentOfInterval, 9);
        Assert.Contains("p99 3000.0 µs (30 %)", report.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MeasureAsync_Cancelled_StopsTheReplay()
    {
        var wall = new HistoricalScheduler(W0);
        using var cts = new CancellationTokenSource();
        var task = ReplayTiming.MeasureAsync(wall, null, cts.Token);
        wall.AdvanceBy(TimeSpan.FromSeconds(1));
        await cts.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => task);
    }

    [Fact]
    public async Task MeasureAsync_InvalidOptions_Throw()
    {
        var wall = new HistoricalScheduler(W0);
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ReplayTiming.MeasureAsync(wall, new ReplayTimingOptions { Count = 0 }));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ReplayTiming.MeasureAsync(wall, new ReplayTimingOptions { Spacing = TimeSpan.Zero }));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => ReplayTiming.MeasureAsync(wall, new ReplayTimingOptions { Speed = -2 }));
        await Assert.ThrowsAsync<ArgumentNullException>(() => ReplayTiming.MeasureAsync(null!));
    }
}
