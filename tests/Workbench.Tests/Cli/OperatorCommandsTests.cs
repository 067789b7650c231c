using System.Text.Json;
using Workbench.Cli.Commands;
using Workbench.Data;
using Workbench.Operators.Detection;
using Workbench.Operators.Forecasting;
using Workbench.Operators.Specs;
using Workbench.Tests.Support;

namespace Workbench.Tests.Cli;

public class OperatorCommandsTests
{
    private static string DefaultData => Path.Combine(TestPaths.RepoRoot, "data", "default.parquet");

    [Fact]
    public async Task List_Json_HasEveryOperatorWithParametersAndDefaults()
    {
        var r = await CliRunner.RunAsync("list", "--json");
        Assert.True(r.ExitCode == 0, r.Error);
        var entries = r.Json().EnumerateArray().ToList();
        Assert.Equal(OperatorCatalogs.Cli.Descriptors.Count, entries.Count);
        Assert.Contains(entries, e => e.GetProperty("name").GetString() == "onnx");
        var zscore = entries.Single(e => e.GetProperty("name").GetString() == "zscore");
        Assert.Equal("detector", zscore.GetProperty("kind").GetString());
        var window = zscore.GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "window");
        Assert.Equal("int", window.GetProperty("type").GetString());
        Assert.Equal("288", window.GetProperty("default").GetString());
        Assert.False(string.IsNullOrWhiteSpace(window.GetProperty("description").GetString()));
        Assert.Contains(entries, e => e.GetProperty("kind").GetString() == "forecaster");
        // Every listed operator parses from its bare name (defaults) and prints back to a spec that parses again,
        // except the three whose required parameter has no sensible default; they say what they need.
        var required = new Dictionary<string, string>
        {
            ["threshold"] = "needs an upper and/or a lower bound",
            ["scaling-ratio"] = "needs forecaster=<spec>",
            ["ensemble"] = "needs at least one member",
        };
        foreach (var (name, message) in required)
        {
            Assert.Contains(message, Assert.Throws<OperatorSpecException>(() => OperatorCatalogs.Cli.ParseDetector(name)).Message, StringComparison.Ordinal);
        }

        foreach (var e in entries.Where(e => !required.ContainsKey(e.GetProperty("name").GetString()!)))
        {
            var name = e.GetProperty("name").GetString()!;
            if (e.GetProperty("kind").GetString() == "detector")
            {
                var d = OperatorCatalogs.Cli.ParseDetector(name);
                Assert.Equal(d, OperatorCatalogs.Cli.ParseDetector(d.Spec));
            }
            else
            {
                var f = OperatorCatalogs.Cli.ParseForecaster(name);
                Assert.Equal(f, OperatorCatalogs.Cli.ParseForecaster(f.Spec));
            }
        }
    }

    [Fact]
    public async Task Detect_DefaultDataset_WritesScoreAndFlagColumnsPerDetector_MatchingTheBatchTwin()
    {
        using var dir = new TempDirectory();
        var r = await CliRunner.RunAsync("detect", DefaultData, "--detector", "zscore(window=60,threshold=4)", "--detector", "mad", "--detector", "zscore",
            "--out", dir.File("scores.parquet"), "--json");
        Assert.True(r.ExitCode == 0, r.Error);
        var detectors = r.Json().GetProperty("detectors").EnumerateArray().ToList();
        Assert.Equal(["zscore_score", "mad_score", "zscore_2_score"], detectors.Select(d => d.GetProperty("scoreColumn").GetString()));

        // The output is still a labelled dataset with the same rows, and its score columns equal the batch twin's.
        using var reader = LabeledDatasetReader.Open(dir.File("scores.parquet"));
        var rows = reader.ReadObservations().ToList();
        Assert.Equal(172_800, rows.Count);
        var frame = LabeledDataset.ReadDataFrame(DefaultData);
        Assert.Equal(frame.Rows.Count, rows.Count);
        var expected = DetectorBatch.Score(new ZScoreDetector(60, 4), rows);
        var scores = await ReadDoubleColumnAsync(dir.File("scores.parquet"), "zscore_score");
        var flags = await ReadBoolColumnAsync(dir.File("scores.parquet"), "zscore_flag");
        Assert.Equal(expected.Select(s => s.Score), scores);
        Assert.Equal(expected.Select(s => s.Score >= 4), flags);
        Assert.Equal(flags.Count(f => f), detectors[0].GetProperty("flagged").GetInt64());
    }

    [Fact]
    public async Task Forecast_DefaultDataset_OneStep_IsMadeFromRowsBeforeT()
    {
        using var dir = new TempDirectory();
        var r = await CliRunner.RunAsync("forecast", DefaultData, "--forecaster", "naive", "--out", dir.File("f.parquet"), "--json");
        Assert.True(r.ExitCode == 0, r.Error);

        using var reader = LabeledDatasetReader.Open(dir.File("f.parquet"));
        var rows = reader.ReadObservations().ToList();
        var forecast = await ReadDoubleColumnAsync(dir.File("f.parquet"), "forecast");
        var expected = ForecasterBatch.Forecast(new NaiveForecaster(), rows);
        Assert.Equal(expected.Select(f => f.Forecast.Value), forecast);
        // Naive: the forecast at row t is the previous present value of the same series.
        var first = rows.Select((o, i) => (o, i)).Where(t => t.o.Series == rows[0].Series).Take(3).ToList();
        Assert.Null(forecast[first[0].i]);
        Assert.Equal(first[0].o.Value, forecast[first[1].i]);
        Assert.Equal(first[1].o.Value, forecast[first[2].i]);
    }

    [Theory]
    [InlineData(new[] { "detect", "DATA", "--detector", "nosuch", "--out", "x.parquet" }, "unknown detector 'nosuch'")]
    [InlineData(new[] { "detect", "DATA", "--detector", "zscore(window=1)", "--out", "x.parquet" }, "window must be >= 2")]
    [InlineData(new[] { "detect", "DATA", "--out", "x.parquet" }, "--detector")]
    [InlineData(new[] { "forecast", "DATA", "--forecaster", "zscore", "--out", "x.parquet" }, "unknown forecaster 'zscore'")]
    [InlineData(new[] { "forecast", "DATA", "--forecaster", "naive", "--horizon", "0", "--out", "x.parquet" }, "--horizon must be at least 1")]
    public async Task BadOperatorArguments_FailWithOneLine(string[] args, string expected)
    {
        using var dir = new TempDirectory();
        var r = await CliRunner.RunAsync(args.Select(a => a == "DATA" ? DefaultData : a == "x.parquet" ? dir.File(a) : a).ToArray());
        Assert.NotEqual(0, r.ExitCode);
        Assert.Single(r.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(expected, r.Error, StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("x.parquet")));
    }

    [SkippableFact]
    public async Task DetectAndForecast_OnImportedNab()
    {
        var root = TestPaths.RequireNab();
        using var dir = new TempDirectory();
        Assert.Equal(0, (await CliRunner.RunAsync("import", "nab", "--root", root, "--out", dir.File("nab.parquet"))).ExitCode);

        var d = await CliRunner.RunAsync("detect", dir.File("nab.parquet"), "--detector", "windowed-gaussian", "--detector", "zscore", "--out", dir.File("s.parquet"), "--json");
        Assert.True(d.ExitCode == 0, d.Error);
        Assert.Equal(365_558, d.Json().GetProperty("rows").GetInt64());

        var f = await CliRunner.RunAsync("forecast", dir.File("nab.parquet"), "--forecaster", "naive", "--horizon", "3", "--out", dir.File("f.parquet"), "--json");
        Assert.True(f.ExitCode == 0, f.Error);
        Assert.Equal(365_558 - (58 * 3), f.Json().GetProperty("forecasts").GetInt64());
    }

    private static async Task<double?[]> ReadDoubleColumnAsync(string path, string name)
    {
        await using var reader = await Parquet.ParquetReader.CreateAsync(path);
        var field = reader.Schema.DataFields.Single(f => f.Name == name);
        var all = new List<double?>();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var rg = reader.OpenRowGroupReader(g);
            var values = new double?[rg.RowCount];
            await rg.ReadAsync<double>(field, values);
            all.AddRange(values);
        }

        return [.. all];
    }

    private static async Task<bool[]> ReadBoolColumnAsync(string path, string name)
    {
        await using var reader = await Parquet.ParquetReader.CreateAsync(path);
        var field = reader.Schema.DataFields.Single(f => f.Name == name);
        var all = new List<bool>();
        for (var g = 0; g < reader.RowGroupCount; g++)
        {
            using var rg = reader.OpenRowGroupReader(g);
            var values = new bool[rg.RowCount];
            await rg.ReadAsync<bool>(field, values);
            all.AddRange(values);
        }

        return [.. all];
    }
}
