using Workbench.Core;
using Workbench.Replay;
using static Workbench.Tests.Replay.ReplayTestKit;

namespace Workbench.Tests.Replay;

public class ObservationSourceTests
{
    [Fact]
    public void FromSeries_BuildsRegularTimestampsValuesAndLabels()
    {
        var spike = AnomalyLabel.Anomaly(AnomalyKind.Spike, 3);
        var s = ObservationSource.FromSeries("cpu", T0, TimeSpan.FromSeconds(15), [1.5, null, 3], [AnomalyLabel.Normal, AnomalyLabel.Normal, spike]);
        Assert.Equal(3, s.Count);
        Assert.Equal(new LabeledObservation("cpu", T0, 1.5, AnomalyLabel.Normal), s[0]);
        Assert.Equal(new LabeledObservation("cpu", T0.AddSeconds(15), null, AnomalyLabel.Normal), s[1]);
        Assert.Equal(new LabeledObservation("cpu", T0.AddSeconds(30), 3, spike), s[2]);
        Assert.All(s, o => Assert.Equal(DateTimeKind.Utc, o.Timestamp.Kind));
        Assert.Equal(s, s.ToList()); // enumerable again, same content
    }

    [Fact]
    public void FromSeries_InvalidArguments_Throw()
    {
        Assert.Throws<ArgumentException>(() => ObservationSource.FromSeries("", T0, TimeSpan.FromSeconds(1), [1.0]));
        Assert.Throws<ArgumentException>(() => ObservationSource.FromSeries("s", DateTime.SpecifyKind(T0, DateTimeKind.Unspecified), TimeSpan.FromSeconds(1), [1.0]));
        Assert.Throws<ArgumentOutOfRangeException>(() => ObservationSource.FromSeries("s", T0, TimeSpan.Zero, [1.0]));
        var nan = Assert.Throws<ArgumentException>(() => ObservationSource.FromSeries("s", T0, TimeSpan.FromSeconds(1), [1.0, double.NaN]));
        Assert.Contains("Value 1", nan.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => ObservationSource.FromSeries("s", T0, TimeSpan.FromSeconds(1), [1.0, 2.0], [AnomalyLabel.Normal]));
        Assert.Throws<ArgumentException>(() => ObservationSource.FromSeries("s", DateTime.SpecifyKind(DateTime.MaxValue.AddDays(-1), DateTimeKind.Utc), TimeSpan.FromDays(1), [1.0, 2.0, 3.0]));
    }

    [Fact]
    public void FromArray_ValidSource_WrapsWithoutCopying()
    {
        var data = MixedSeries(5);
        var s = ObservationSource.FromArray(data);
        Assert.Equal(data.Length, s.Count);
        Assert.Equal(data, s);
    }

    [Fact]
    public void FromArray_InvalidSource_ThrowsTyped()
    {
        var error = Assert.Throws<ObservationOrderException>(() => ObservationSource.FromArray([LabeledObservation.Normal("a", T0.AddMinutes(1), 1), LabeledObservation.Normal("b", T0, 2)]));
        Assert.Equal(("b", 1L, "a"), (error.Series, error.Index, error.PreviousSeries));
        Assert.Throws<ReplaySourceException>(() => ObservationSource.FromArray([LabeledObservation.Normal("a", DateTime.SpecifyKind(T0, DateTimeKind.Local), 1)]));
    }

    [Fact]
    public void ToBatches_ReusesOneBatch_AndFromBatchesRoundTrips()
    {
        var data = MixedSeries(11);
        var seenBatches = new HashSet<ObservationBatch>(ReferenceEqualityComparer.Instance);
        var counts = new List<int>();
        foreach (var batch in ObservationSource.ToBatches(data, 4))
        {
            seenBatches.Add(batch);
            counts.Add(batch.Count);
            Assert.Equal(["a", "b"], batch.SeriesNames.Take(2));
        }

        Assert.Single(seenBatches);
        Assert.Equal(Enumerable.Repeat(4, data.Length / 4).Append(data.Length % 4).Where(c => c > 0), counts);
        Assert.Equal(Key(data), Key(ObservationSource.FromBatches(ObservationSource.ToBatches(data, 4))));
        Assert.Throws<ArgumentOutOfRangeException>(() => ObservationSource.ToBatches(data, 0));
    }
}
