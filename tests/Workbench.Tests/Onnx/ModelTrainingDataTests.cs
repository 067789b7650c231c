using System.Security.Cryptography;
using System.Text.Json;
using Workbench.Tests.Cli;
using Workbench.Tests.Support;
using static Workbench.Tests.Onnx.OnnxTestKit;

namespace Workbench.Tests.Onnx;

/// <summary>The committed model's training data is reproducible: spec → generate → export gives the CSV it was trained on.</summary>
public class ModelTrainingDataTests
{
    [Fact]
    public async Task TrainingParquet_RegeneratesByteIdentically_AndExportsToTheCsvTheSidecarRecords()
    {
        using var dir = new TempDirectory();
        var gen = await CliRunner.RunAsync("generate", "--spec", Path.Combine(ModelDirectory, "train.spec.json"), "--out", dir.File("train.parquet"));
        Assert.True(gen.ExitCode == 0, gen.Error);
        Assert.Equal(File.ReadAllBytes(Path.Combine(ModelDirectory, "train.parquet")), File.ReadAllBytes(dir.File("train.parquet")));

        var export = await CliRunner.RunAsync("export", dir.File("train.parquet"), "--csv", dir.File("train.csv"));
        Assert.True(export.ExitCode == 0, export.Error);

        using var sidecar = JsonDocument.Parse(File.ReadAllText(Path.Combine(ModelDirectory, "model.json")));
        var training = sidecar.RootElement.GetProperty("training");
        Assert.Equal(training.GetProperty("csvSha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(dir.File("train.csv")))));
        Assert.Equal(training.GetProperty("modelSha256").GetString(), Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(ModelPath))));
    }
}
