using Workbench.Core;

namespace Workbench.Tests.Core;

public class ObservationBatchTests
{
    private static readonly DateTime T0 = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    [Fact]
    public void Add_ThenIndex_RoundTripsEveryField()
    {
        var batch = new ObservationBatch(["a", "b"], 2);
        batch.Add(1, T0, 3.5, AnomalyLabel.Anomaly(AnomalyKind.Spike, 7));
        batch.Add(0, T0.AddMinutes(1), null, AnomalyLabel.Normal);

        Assert.Equal(new LabeledObservation("b", T0, 3.5, new AnomalyLabel(true, AnomalyKind.Spike, 7)), batch[0]);
        Assert.Equal(LabeledObservation.Normal("a", T0.AddMinutes(1), null), batch[1]);
        Assert.True(batch[1].IsMissing);
    }

    [Fact]
    public void Add_WhenFull_Throws()
    {
        var batch = new ObservationBatch(["a"], 1);
        batch.Add(0, T0, 1, AnomalyLabel.Normal);
        Assert.Throws<InvalidOperationException>(() => batch.Add(0, T0, 1, AnomalyLabel.Normal));
    }

    [Fact]
    public void Indexer_PastCount_Throws()
    {
        var batch = new ObservationBatch(["a"], 4);
        batch.Add(0, T0, 1, AnomalyLabel.Normal);
        Assert.Throws<ArgumentOutOfRangeException>(() => batch[1]);
    }
}
