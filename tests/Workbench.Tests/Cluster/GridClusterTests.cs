using Orleans.TestingHost;
using Workbench.Cluster;
using Workbench.Data;
using Workbench.Evaluation.Leaderboards;
using Workbench.Evaluation.Runs;
using Workbench.Evaluation.Thresholds;
using Workbench.Operators.Specs;
using Workbench.Tests.Cli;
using Workbench.Tests.Support;

namespace Workbench.Tests.Cluster;

/// <summary>Two in-process silos (Orleans TestCluster, development clustering): the same leaderboard files as a local run.</summary>
public sealed class GridClusterTests : IClassFixture<GridClusterTests.Silos>
{
    private readonly Silos _silos;

    public GridClusterTests(Silos silos) => _silos = silos;

    [Theory]
    [InlineData("fixed")]
    [InlineData("best-f1")]
    public async Task TestCluster_GivesTheSameLeaderboardFiles_AsOneLocalWorker(string threshold)
    {
        using var dir = new TempDirectory();
        var data = dir.File("d.parquet");
        var generated = await CliRunner.RunAsync("generate", "--preset", "default-small", "--series", "4", "--points", "1200", "--out", data);
        Assert.True(generated.ExitCode == 0, generated.Error);
        var specs = SpecGrid.Expand("zscore(window=[36,72],threshold=3..4:0.5)").Concat(SpecGrid.Expand("mad(window=[36,72])")).Select(p => p.Spec).ToArray();
        var detectors = specs.Select(OperatorCatalog.BuiltIn.ParseDetector).ToArray();
        ThresholdStrategy? strategy = threshold == "fixed" ? null : new BestF1Threshold();

        var set = await LabeledSeriesSet.LoadAsync(data);
        var local = Leaderboard.Create(DetectorEvaluator.Evaluate(set, detectors, new EvaluationOptions { Threshold = strategy, MaxDegreeOfParallelism = 1 }));
        var progress = new List<GridProgress>();
        var remote = Leaderboard.Create(await GridScheduler.RunAsync(
            _silos.Cluster.Client, data, await GridScheduler.FingerprintAsync(data), [.. detectors.Select(d => d.Spec)], ThresholdChoice.Of(strategy),
            new GridSchedulerOptions { ChunkSize = 2, MaxInFlight = 3 }, new SyncList(progress)));

        Assert.Equal(local.ToCsv(), remote.ToCsv());
        Assert.Equal(local.ToJson(), remote.ToJson());
        await local.WriteParquetAsync(dir.File("local.parquet"));
        await remote.WriteParquetAsync(dir.File("cluster.parquet"));
        Assert.Equal(await File.ReadAllBytesAsync(dir.File("local.parquet")), await File.ReadAllBytesAsync(dir.File("cluster.parquet")));
        Assert.Equal(specs.Length, progress[^1].Done);
        Assert.Equal(specs.Length / 2, progress.Count(p => p.Silo is not null));
        Assert.True(progress.Max(p => p.InFlight) <= 3, "the client bounds the chunks in flight");
    }

    [Fact]
    public async Task ASiloWhoseFileDiffers_RefusesTheChunk_WithOneClearLine()
    {
        using var dir = new TempDirectory();
        var data = dir.File("d.parquet");
        var generated = await CliRunner.RunAsync("generate", "--preset", "default-small", "--series", "2", "--points", "1200", "--out", data);
        Assert.True(generated.ExitCode == 0, generated.Error);
        var wrong = new string('0', 64);
        var e = await Assert.ThrowsAsync<GridClusterException>(() => GridScheduler.RunAsync(
            _silos.Cluster.Client, data, wrong, ["zscore"], ThresholdChoice.Of(null)));
        Assert.Contains("is not the client's file", e.Message, StringComparison.Ordinal);
        var missing = await Assert.ThrowsAsync<GridClusterException>(() => GridScheduler.RunAsync(
            _silos.Cluster.Client, dir.File("none.parquet"), wrong, ["zscore"], ThresholdChoice.Of(null)));
        Assert.Contains("does not exist here", missing.Message, StringComparison.Ordinal);
    }

    /// <summary>Two silos in this process with the grid workers (development clustering: unit tests only).</summary>
    public sealed class Silos : IAsyncLifetime
    {
        public TestCluster Cluster { get; } = new TestClusterBuilder(2).AddSiloBuilderConfigurator<Configurator>().Build();

        public Task InitializeAsync() => Cluster.DeployAsync();

        public async Task DisposeAsync()
        {
            await Cluster.StopAllSilosAsync();
            await Cluster.DisposeAsync();
        }
    }

    private sealed class Configurator : ISiloConfigurator
    {
        public void Configure(ISiloBuilder siloBuilder) => siloBuilder.AddGridWorkers(OperatorCatalog.BuiltIn, workers: 2);
    }

    private sealed class SyncList(List<GridProgress> list) : IProgress<GridProgress>
    {
        public void Report(GridProgress value)
        {
            lock (list) { list.Add(value); }
        }
    }
}
