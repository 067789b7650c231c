using Workbench.Core;
using Workbench.Data;
using Workbench.Generation;
using Workbench.Import;
using Workbench.Tests.Generation;
using Workbench.Tests.Support;

namespace Workbench.Tests.Data;

public class LabeledSeriesSetTests
{
    [Fact]
    public async Task LoadAsync_GivesEverySeriesRowsInOrder_SameAsTheObservations()
    {
        using var dir = new TempDirectory();
        var path = dir.File("small.parquet");
        var rows = new DatasetGenerator(DatasetGeneratorTests.SmallSpec(3)).GenerateObservations().ToList();
        await LabeledDatasetWriter.WriteAsync(path, rows, Samples.Recipe, new DatasetWriterOptions { RowGroupSize = 1000 });

        var set = await LabeledSeriesSet.LoadAsync(path);

        Assert.Equal("small", set.Name);
        Assert.Equal(rows.Count, set.RowCount);
        Assert.Equal(rows.Select(r => r.Series).Distinct(), set.Series.Select(s => s.Name));
        foreach (var s in set.Series)
        {
            Assert.Equal(rows.Where(r => r.Series == s.Name), s.Observations());
            Assert.Equal(s.Labels.Select(l => l.IsAnomaly), s.IsAnomaly);
            Assert.Equal(s.Labels.Select(l => l.EventId), s.EventIds);
        }

        var expected = LabeledSeriesSet.FromObservations("small", rows);
        Assert.Equal(expected.Series.SelectMany(s => s.Observations()), set.Series.SelectMany(s => s.Observations()));
    }

    [Fact]
    public void Constructors_RejectMismatchedColumnsAndDuplicateNames()
    {
        var ts = new[] { DateTime.UnixEpoch };
        var e = Assert.Throws<ArgumentException>(() => new LabeledSeries("x", ts, [1, 2], [AnomalyLabel.Normal]));
        Assert.Contains("Series 'x': 1 timestamps, 2 values and 1 labels", e.Message, StringComparison.Ordinal);
        var one = new LabeledSeries("x", ts, [1], [AnomalyLabel.Normal]);
        var dup = Assert.Throws<ArgumentException>(() => new LabeledSeriesSet("d", [one, one]));
        Assert.Contains("series 'x' appears twice", dup.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public void NabToSeriesSet_KeepsEveryRowInTimeOrder_WithWindowLabels()
    {
        var corpus = NabCorpus.Load(TestPaths.RequireNab());
        var set = corpus.ToSeriesSet();
        Assert.Equal(58, set.Series.Count);
        Assert.Equal(365_558, set.RowCount);
        Assert.Equal(33_495, set.Series.Sum(s => s.IsAnomaly.Count(a => a)));
        foreach (var (s, f) in set.Series.Zip(corpus.Files))
        {
            Assert.Equal(f.Series, s.Name);
            Assert.True(s.Timestamps.Zip(s.Timestamps.Skip(1)).All(p => p.First <= p.Second), s.Name);
            Assert.Equal(f.Values.Order(), s.Values.Select(v => v!.Value).Order());
            Assert.Equal(f.Windows.Count, s.Labels.Where(l => l.IsAnomaly).Select(l => l.EventId).Distinct().Count());
        }
    }
}
