using System.Collections;
using System.Reactive;
using System.Reactive.Concurrency;
using System.Reactive.Disposables;
using Workbench.Core;
using Workbench.Replay;

namespace Workbench.Tests.Replay;

/// <summary>Shared fixtures for the replay tests: sources that count what is pulled, recording observers, schedulers.</summary>
internal static class ReplayTestKit
{
    public static readonly DateTime T0 = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>
    /// A multi-series source in canonical order with ties: at each minute m, series "a" (value m) and, every other
    /// minute, series "b" (value -m, anomalous on odd-numbered events, missing every 5th).
    /// </summary>
    public static LabeledObservation[] MixedSeries(int minutes)
    {
        var list = new List<LabeledObservation>();
        for (var m = 0; m < minutes; m++)
        {
            var t = T0.AddMinutes(m);
            list.Add(LabeledObservation.Normal("a", t, m));
            if (m % 2 == 0)
            {
                var label = m % 4 == 2 ? AnomalyLabel.Anomaly(AnomalyKind.Spike, m) : AnomalyLabel.Normal;
                list.Add(new LabeledObservation("b", t, m % 5 == 0 ? null : -m, label));
            }
        }

        return [.. list];
    }

    /// <summary>One series "s" with values 0..count-1, <paramref name="step"/> apart from <see cref="T0"/>.</summary>
    public static LabeledObservation[] Regular(int count, TimeSpan step, string series = "s") =>
        [.. Enumerable.Range(0, count).Select(i => LabeledObservation.Normal(series, T0 + (step * i), i))];

    /// <summary>(series, timestamp, value, label) of each observation: what equivalence compares.</summary>
    public static (string, DateTime, double?, AnomalyLabel)[] Key(IEnumerable<LabeledObservation> items) =>
        [.. items.Select(o => (o.Series, o.Timestamp, o.Value, o.Label))];
}

/// <summary>An observation source that counts enumerations, reads and disposals, and can fail at a given read.</summary>
internal sealed class CountingSource(IReadOnlyList<LabeledObservation> items, int failAt = -1) : IEnumerable<LabeledObservation>
{
    public int Enumerations { get; private set; }

    public int Reads { get; private set; }

    public int Disposals { get; private set; }

    public IEnumerator<LabeledObservation> GetEnumerator()
    {
        Enumerations++;
        return Iterate();
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private IEnumerator<LabeledObservation> Iterate()
    {
        try
        {
            for (var i = 0; i < items.Count; i++)
            {
                if (i == failAt)
                {
                    throw new InvalidOperationException($"source failed at {i}");
                }

                Reads++;
                yield return items[i];
            }
        }
        finally
        {
            Disposals++;
        }
    }
}

/// <summary>
/// A batch producer like a file reader: ONE batch object, refilled on every MoveNext. Before refilling it scribbles
/// garbage over every column, so a consumer that kept references into the previous batch sees wrong data.
/// </summary>
internal sealed class ReusingBatchSource(IReadOnlyList<LabeledObservation> items, int batchSize) : IEnumerable<ObservationBatch>
{
    public int BatchesPulled { get; private set; }

    public IEnumerator<ObservationBatch> GetEnumerator()
    {
        var names = items.Select(o => o.Series).Distinct().Order(StringComparer.Ordinal).ToList();
        var batch = new ObservationBatch(names, batchSize);
        for (var start = 0; start < items.Count; start += batchSize)
        {
            Scribble(batch);
            batch.Clear();
            for (var i = start; i < Math.Min(items.Count, start + batchSize); i++)
            {
                var o = items[i];
                batch.Add(names.IndexOf(o.Series), o.Timestamp, o.Value, o.Label);
            }

            BatchesPulled++;
            yield return batch;
        }

        Scribble(batch);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    private static void Scribble(ObservationBatch batch)
    {
        Array.Fill(batch.SeriesIds, 0);
        Array.Fill(batch.Timestamps, DateTime.SpecifyKind(DateTime.MaxValue, DateTimeKind.Utc));
        Array.Fill(batch.Values, -999_999);
        Array.Fill(batch.IsAnomaly, true);
        Array.Fill(batch.Kinds, AnomalyKind.FromName("garbage"));
        Array.Fill(batch.AnomalyIds, -1);
    }
}

/// <summary>
/// Records every notification with the scheduler's time, and fails the test on any call after a terminal one.
/// </summary>
internal sealed class Recorder<T>(IScheduler scheduler) : IObserver<T>
{
    public List<(DateTimeOffset Time, Notification<T> Notification)> Log { get; } = [];

    public List<T> Values => [.. Log.Where(e => e.Notification.Kind == NotificationKind.OnNext).Select(e => e.Notification.Value)];

    public List<DateTimeOffset> Times => [.. Log.Where(e => e.Notification.Kind == NotificationKind.OnNext).Select(e => e.Time)];

    public int Terminals => Log.Count(e => e.Notification.Kind != NotificationKind.OnNext);

    public bool Completed => Log.Count > 0 && Log[^1].Notification.Kind == NotificationKind.OnCompleted;

    public Exception? Error => Log.Count > 0 && Log[^1].Notification.Kind == NotificationKind.OnError ? Log[^1].Notification.Exception : null;

    public Action<T>? OnNextHook { get; set; }

    public void OnNext(T value)
    {
        AssertOpen();
        Log.Add((scheduler.Now, Notification.CreateOnNext(value)));
        OnNextHook?.Invoke(value);
    }

    public void OnError(Exception error)
    {
        AssertOpen();
        Log.Add((scheduler.Now, Notification.CreateOnError<T>(error)));
    }

    public void OnCompleted()
    {
        AssertOpen();
        Log.Add((scheduler.Now, Notification.CreateOnCompleted<T>()));
    }

    private void AssertOpen() => Assert.True(Terminals == 0, "A notification arrived after the terminal one.");
}

/// <summary>A historical scheduler whose pending work can be inspected (cancelled items are dropped on inspection).</summary>
internal sealed class InspectableScheduler(DateTimeOffset start) : HistoricalScheduler(start)
{
    public bool HasPendingWork => GetNext() is not null;
}

/// <summary>
/// A wall clock for tests: wraps a <see cref="HistoricalScheduler"/>, counts scheduling calls, and can make every
/// timed action run late by a fixed amount (like a coarse system timer).
/// </summary>
internal sealed class TestWallClock(HistoricalScheduler inner, TimeSpan lateness = default) : IScheduler
{
    public int ImmediateCalls { get; private set; }

    public int TimedCalls { get; private set; }

    public DateTimeOffset Now => inner.Now;

    public IDisposable Schedule<TState>(TState state, Func<IScheduler, TState, IDisposable> action)
    {
        ImmediateCalls++;
        return inner.Schedule(state, (_, s) => action(this, s));
    }

    public IDisposable Schedule<TState>(TState state, TimeSpan dueTime, Func<IScheduler, TState, IDisposable> action)
    {
        TimedCalls++;
        return inner.Schedule(state, dueTime + lateness, (_, s) => action(this, s));
    }

    public IDisposable Schedule<TState>(TState state, DateTimeOffset dueTime, Func<IScheduler, TState, IDisposable> action)
    {
        TimedCalls++;
        return inner.Schedule(state, dueTime + lateness, (_, s) => action(this, s));
    }
}

/// <summary>Subscribes and keeps the subscription for disposal in the test.</summary>
internal static class ObservableTestExtensions
{
    public static (Recorder<T> Recorder, IDisposable Subscription) Record<T>(this IObservable<T> source, IScheduler scheduler)
    {
        var recorder = new Recorder<T>(scheduler);
        var subscription = new SingleAssignmentDisposable { Disposable = source.Subscribe(recorder) };
        return (recorder, subscription);
    }
}
