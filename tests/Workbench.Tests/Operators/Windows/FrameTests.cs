using System.Reactive.Linq;
using System.Reactive.Subjects;
using Workbench.Core;
using Workbench.Operators.Hygiene;
using Workbench.Operators.Windows;

namespace Workbench.Tests.Operators.Windows;

/// <summary>The frame operator (one frame per timestamp) and its batch twin.</summary>
public sealed class FrameTests
{
    private static readonly DateTime T0 = new(2024, 6, 1, 0, 0, 0, DateTimeKind.Utc);

    private static LabeledObservation O(string series, int second, double? value) => LabeledObservation.Normal(series, T0.AddSeconds(second), value);

    [Fact]
    public void Frames_ArgumentChecks()
    {
        Assert.Throws<ArgumentNullException>(() => FrameObservable.Frames(null!));
        Assert.Throws<ArgumentNullException>(() => FrameBatch.Frames(null!));
    }

    [Fact]
    public void Frames_GroupEqualTimestamps_InArrivalOrder_TheLastOnCompletion()
    {
        LabeledObservation[] data = [O("a", 0, 1), O("b", 0, 2), O("a", 1, 3), O("a", 3, null), O("c", 3, 5), O("b", 3, 6)];
        var frames = data.ToObservable().Frames().ToList().Wait();
        Assert.Equal([T0, T0.AddSeconds(1), T0.AddSeconds(3)], frames.Select(f => f.Timestamp));
        Assert.Equal([2, 1, 3], frames.Select(f => f.Observations.Count));
        Assert.Equal(data, frames.SelectMany(f => f.Observations));
        Assert.Empty(Observable.Empty<LabeledObservation>().Frames().ToList().Wait());
    }

    [Fact]
    public void Frames_StreamingAndBatch_GiveIdenticalFrames()
    {
        var rng = new Random(3);
        var data = new List<LabeledObservation>();
        for (var t = 0; t < 500; t++)
        {
            foreach (var s in new[] { "p/a", "p/b", "q/c" }.Where(_ => rng.NextDouble() < 0.7))
            {
                data.Add(O(s, t * 2, rng.NextDouble() < 0.1 ? null : rng.NextDouble()));
            }
        }

        var streamed = data.ToObservable().Frames().ToList().Wait();
        var batch = FrameBatch.Frames(data);
        Assert.Equal(batch.Length, streamed.Count);
        for (var i = 0; i < batch.Length; i++)
        {
            Assert.Equal(batch[i].Timestamp, streamed[i].Timestamp);
            Assert.Equal(batch[i].Observations, streamed[i].Observations);
        }
    }

    [Fact]
    public void Frames_AnEarlierTimestamp_IsAnOrderError_InBothTwins()
    {
        LabeledObservation[] data = [O("a", 0, 1), O("a", 2, 1), O("b", 1, 1)];
        var error = Assert.Throws<ObservationOrderException>(() => FrameBatch.Frames(data));
        Assert.Equal("b", error.Series);
        var frames = new List<ObservationFrame>();
        Exception? streamed = null;
        data.ToObservable().Frames().Subscribe(frames.Add, e => streamed = e);
        Assert.IsType<ObservationOrderException>(streamed);
        Assert.Single(frames); // the frame at 0 closed before the error
    }

    [Fact]
    public void Frames_SourceErrorPassesThrough_WithoutTheOpenFrame()
    {
        using var source = new Subject<LabeledObservation>();
        var frames = new List<ObservationFrame>();
        Exception? error = null;
        using var sub = source.Frames().Subscribe(frames.Add, e => error = e);
        source.OnNext(O("a", 0, 1));
        source.OnNext(O("a", 1, 1));
        source.OnError(new InvalidOperationException("boom"));
        Assert.Equal("boom", error!.Message);
        Assert.Single(frames);
    }
}
