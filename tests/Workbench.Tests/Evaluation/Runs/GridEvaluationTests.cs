using Workbench.Data;
using Workbench.Evaluation.Leaderboards;
using Workbench.Evaluation.Runs;
using Workbench.Generation;
using Workbench.Operators.Specs;
using Workbench.Tests.Support;

namespace Workbench.Tests.Evaluation.Runs;

/// <summary>A grid evaluated on 1, 2 and 4 workers gives byte-identical leaderboard files (issue 13, part 2).</summary>
public sealed class GridEvaluationTests
{
    [Theory]
    [InlineData("zscore(window=[30,60],threshold=[3,4])")]   // fewer detectors than some worker counts: series split too
    [InlineData("mad(window=20..60:10,threshold=[3,4,5])")]  // more detectors than workers
    public async Task AGrid_GivesTheSameLeaderboardFiles_OnOneTwoAndFourWorkers(string grid)
    {
        var data = LabeledSeriesSet.FromObservations("grid", new DatasetGenerator(Presets.Get(Presets.OpsMetrics) with { Sources = 6, Points = 720 }).GenerateObservations());
        var detectors = SpecGrid.Expand(grid).Select(p => OperatorCatalog.BuiltIn.ParseDetector(p.Spec)).ToArray();
        using var dir = new TempDirectory();
        var files = new List<(string Csv, string Json, byte[] Parquet)>();
        foreach (var workers in new[] { 1, 2, 4 })
        {
            var board = Leaderboard.Create(DetectorEvaluator.Evaluate(data, detectors, new EvaluationOptions { MaxDegreeOfParallelism = workers }));
            var parquet = dir.File($"board-{workers}.parquet");
            await board.WriteParquetAsync(parquet);
            files.Add((board.ToCsv(), board.ToJson(), await File.ReadAllBytesAsync(parquet)));
        }

        Assert.Equal(detectors.Length, files[0].Csv.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length - 1);
        Assert.All(files.Skip(1), f =>
        {
            Assert.Equal(files[0].Csv, f.Csv);
            Assert.Equal(files[0].Json, f.Json);
            Assert.Equal(files[0].Parquet, f.Parquet);
        });
    }

    [Fact]
    public async Task GridLeaderboards_ShowTheVariedParametersAsColumns_AndTheBestPointPerFamily()
    {
        var data = LabeledSeriesSet.FromObservations("grid", new DatasetGenerator(Presets.Get(Presets.OpsMetrics) with { Sources = 4, Points = 720 }).GenerateObservations());
        var detectors = SpecGrid.Expand("zscore(window=[30,60],threshold=[3,4])").Concat(SpecGrid.Expand("mad(window=30)"))
            .Select(p => OperatorCatalog.BuiltIn.ParseDetector(p.Spec)).ToArray();
        var board = Leaderboard.Create(DetectorEvaluator.Evaluate(data, detectors));
        Assert.Equal(["window", "threshold"], board.ParameterKeys);
        var header = board.ToCsv().Split('\n')[0];
        Assert.EndsWith(",param:window,param:threshold", header.TrimEnd('\r'), StringComparison.Ordinal);
        for (var i = 0; i < board.Rows.Count; i++)
        {
            var spec = Workbench.Operators.Specs.SpecParameters.Flatten(board.Rows[i].Detector).ToDictionary();
            Assert.Equal(spec["window"], board.Parameter(i, "window"));
        }

        using var doc = System.Text.Json.JsonDocument.Parse(board.ToJson());
        Assert.All(doc.RootElement.GetProperty("detectors").EnumerateArray(), d => Assert.True(d.TryGetProperty("parameters", out _)));

        var best = board.BestPerFamily();
        Assert.Equal(["mad", "zscore"], best.Rows.Select(r => r.Name).Order(StringComparer.Ordinal));
        Assert.Equal(board.Rows.First(r => r.Name == "zscore").Detector, best.Rows.Single(r => r.Name == "zscore").Detector);
        Assert.Empty(best.ParameterKeys); // one row per family: nothing varies

        // An ordinary leaderboard (one spec per family) has no parameter columns: its files are unchanged.
        var plain = Leaderboard.Create(DetectorEvaluator.Evaluate(data, [detectors[0], detectors[^1]]));
        Assert.Empty(plain.ParameterKeys);
        Assert.DoesNotContain("param:", plain.ToCsv(), StringComparison.Ordinal);
        using var dir = new TempDirectory();
        await board.WriteParquetAsync(dir.File("b.parquet"));
        await using var reader = await Parquet.ParquetReader.CreateAsync(dir.File("b.parquet"));
        Assert.Contains(reader.Schema.DataFields, f => f.Name == "param:threshold");
    }

    [Fact]
    public void ParallelSeriesScoring_EqualsSequential()
    {
        var data = LabeledSeriesSet.FromObservations("grid", new DatasetGenerator(Presets.Get(Presets.OpsMetrics) with { Sources = 5, Points = 500 }).GenerateObservations());
        var detector = OperatorCatalog.BuiltIn.ParseDetector("cusum(window=60)");
        var one = DetectorEvaluator.Score(detector, data);
        var four = DetectorEvaluator.Score(detector, data, workers: 4);
        Assert.Equal(one.Length, four.Length);
        for (var s = 0; s < one.Length; s++)
        {
            Assert.Equal(one[s], four[s]);
        }
    }
}
