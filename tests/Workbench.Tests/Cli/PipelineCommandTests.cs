using System.Text.Json;
using Workbench.Data;
using Workbench.Pipelines;
using Workbench.Tests.Support;

namespace Workbench.Tests.Cli;

/// <summary><c>workbench pipeline list|run</c> and <c>generate --preset</c> for the pipelines' own presets.</summary>
public sealed class PipelineCommandTests
{
    [Fact]
    public async Task List_Json_NamesEveryCataloguedPipelineWithItsPreset()
    {
        var r = await CliRunner.RunAsync("pipeline", "list", "--json");
        Assert.True(r.ExitCode == 0, r.Error);
        using var doc = JsonDocument.Parse(r.Out);
        var names = doc.RootElement.EnumerateArray().Select(e => e.GetProperty("name").GetString()).ToArray();
        Assert.Equal(PipelineCatalog.All.Select(p => p.Name), names);
    }

    [Fact]
    public async Task Generate_HourlyLoadPreset_WritesTheRowsThePresetGenerates()
    {
        using var dir = new TempDirectory();
        var path = dir.File("load.parquet");
        var r = await CliRunner.RunAsync("generate", "--preset", "hourly-load", "--out", path);
        Assert.True(r.ExitCode == 0, r.Error);
        var dataset = PipelineCatalog.FindDataset("hourly-load")!;
        using var reader = LabeledDatasetReader.Open(path);
        Assert.Equal(dataset.Generate(dataset.DefaultSeed), reader.ReadObservations());
    }

    [Fact]
    public async Task Run_OnAGeneratedFile_GivesTheAlertsOfTheDefaultRun()
    {
        using var dir = new TempDirectory();
        var path = dir.File("load.parquet");
        Assert.Equal(0, (await CliRunner.RunAsync("generate", "--preset", "hourly-load", "--out", path)).ExitCode);
        var fromFile = await CliRunner.RunAsync("pipeline", "run", "power-grid", "--data", path, "--json");
        var builtIn = await CliRunner.RunAsync("pipeline", "run", "power-grid", "--json");
        Assert.True(fromFile.ExitCode == 0, fromFile.Error);
        Assert.True(builtIn.ExitCode == 0, builtIn.Error);
        static string Alerts(string json)
        {
            using var doc = JsonDocument.Parse(json);
            return doc.RootElement.GetProperty("alerts").GetRawText();
        }

        Assert.Equal(Alerts(builtIn.Out), Alerts(fromFile.Out));
    }

    [Fact]
    public void MarketTicks_KeepsItsResentTicks_WhenWritten()
    {
        var dataset = PipelineCatalog.FindDataset("market-ticks")!;
        Assert.Equal(DuplicateTimestampPolicy.Keep, dataset.WriterOptions!.DuplicateTimestamps);
    }
}
