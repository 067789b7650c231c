using Workbench.Core;
using Workbench.Data;
using Workbench.Generation;
using Workbench.Tests.Support;

namespace Workbench.Tests.Cli;

/// <summary>
/// Part folders on the command line (issue 12.1): <c>generate --parts</c> / <c>--out dir/</c> writes one;
/// <c>inspect</c>, <c>replay</c>, <c>detect</c> and <c>evaluate</c> take a folder or a quoted glob and give the single
/// file's results; a broken folder exits 1 with one line.
/// </summary>
public class PartFolderCommandTests
{
    private static readonly DatasetSpec Spec = Presets.Get("default-small").WithOverrides(sources: 2, points: 1440, seed: 5);

    /// <summary>The same rows as one file and as a folder of several parts (row groups of 1,000 rows, 2 per part).</summary>
    private static async Task<(string Single, string Folder)> WriteBothAsync(TempDirectory dir)
    {
        var recipe = DatasetRecipe.Create("generate", Spec.ToJson(), Spec.Seed);
        var options = new DatasetWriterOptions { RowGroupSize = 1000, PartRowGroups = 2 };
        var g = new DatasetGenerator(Spec);
        await LabeledDatasetWriter.WriteAsync(dir.File("single.parquet"), g.SeriesNames, g.Generate(), recipe, options);
        await LabeledDatasetPartsWriter.WriteAsync(dir.File("parts"), g.SeriesNames, g.Generate(), recipe, options);
        Assert.True(Directory.GetFiles(dir.File("parts")).Length >= 3);
        return (dir.File("single.parquet"), dir.File("parts"));
    }

    [Fact]
    public async Task Generate_Parts_WritesAFolder_ThatInspectReadsAsTheSingleFile()
    {
        using var dir = new TempDirectory();
        var args = new[] { "generate", "--preset", "default-small", "--series", "2", "--points", "1440", "--seed", "3" };
        var single = await CliRunner.RunAsync([.. args, "--out", dir.File("g.parquet"), "--json"]);
        Assert.True(single.ExitCode == 0, single.Error);
        var parts = await CliRunner.RunAsync([.. args, "--out", dir.File("g") + "/", "--json"]);
        Assert.True(parts.ExitCode == 0, parts.Error);
        Assert.Equal(1, parts.Json().GetProperty("parts").GetInt32());
        Assert.Equal(single.Json().GetProperty("rows").GetInt64(), parts.Json().GetProperty("rows").GetInt64());
        Assert.True(File.Exists(dir.File("g/part-00000.parquet")));

        var flag = await CliRunner.RunAsync([.. args, "--out", dir.File("h"), "--parts"]);
        Assert.True(flag.ExitCode == 0, flag.Error);
        Assert.Contains("(1 parts, ", flag.Out, StringComparison.Ordinal);
        Assert.Equal(await File.ReadAllBytesAsync(dir.File("g/part-00000.parquet")), await File.ReadAllBytesAsync(dir.File("h/part-00000.parquet")));

        var a = (await CliRunner.RunAsync("inspect", dir.File("g.parquet"), "--json")).Json();
        var b = (await CliRunner.RunAsync("inspect", dir.File("g"), "--json")).Json();
        Assert.Equal(a.GetProperty("rows").GetInt64(), b.GetProperty("rows").GetInt64());
        Assert.Equal(a.GetProperty("anomalyPoints").GetRawText(), b.GetProperty("anomalyPoints").GetRawText());
    }

    [Theory]
    [InlineData("folder")]
    [InlineData("glob")]
    public async Task InspectReplayDetectEvaluate_TakeAFolderOrGlob_AndAgreeWithTheSingleFile(string form)
    {
        using var dir = new TempDirectory();
        var (single, folder) = await WriteBothAsync(dir);
        var location = form == "glob" ? Path.Combine(folder, "part-*.parquet") : folder;

        var inspectSingle = (await CliRunner.RunAsync("inspect", single, "--json", "--full")).Json();
        var inspect = await CliRunner.RunAsync("inspect", location, "--json", "--full");
        Assert.True(inspect.ExitCode == 0, inspect.Error);
        var ij = inspect.Json();
        foreach (var p in new[] { "rows", "series", "missingValues", "anomalyPoints", "anomalyEvents", "first", "last", "rowGroups" })
        {
            Assert.Equal(inspectSingle.GetProperty(p).GetRawText(), ij.GetProperty(p).GetRawText());
        }

        Assert.StartsWith("verified (", ij.GetProperty("integrity").GetString(), StringComparison.Ordinal);

        var replaySingle = (await CliRunner.RunAsync("replay", single, "--virtual", "--json")).Json();
        var replay = await CliRunner.RunAsync("replay", location, "--virtual", "--json");
        Assert.True(replay.ExitCode == 0, replay.Error);
        foreach (var p in new[] { "events", "firstTimestamp", "lastTimestamp" })
        {
            Assert.Equal(replaySingle.GetProperty(p).GetRawText(), replay.Json().GetProperty(p).GetRawText());
        }

        var detectSingle = await CliRunner.RunAsync("detect", single, "--detector", "zscore", "--out", dir.File("d1.parquet"), "--json");
        Assert.True(detectSingle.ExitCode == 0, detectSingle.Error);
        var detect = await CliRunner.RunAsync("detect", location, "--detector", "zscore", "--out", dir.File("d2.parquet"), "--json");
        Assert.True(detect.ExitCode == 0, detect.Error);
        Assert.Equal(detectSingle.Json().GetProperty("detectors").GetRawText(), detect.Json().GetProperty("detectors").GetRawText());

        var evalSingle = await CliRunner.RunAsync("evaluate", single, "--detector", "zscore", "--json", "-");
        Assert.True(evalSingle.ExitCode == 0, evalSingle.Error);
        var eval = await CliRunner.RunAsync("evaluate", location, "--detector", "zscore", "--json", "-");
        Assert.True(eval.ExitCode == 0, eval.Error);
        var x = evalSingle.Json().GetProperty("detectors")[0];
        var y = eval.Json().GetProperty("detectors")[0];
        foreach (var p in new[] { "rows", "scored", "flagged", "precision", "recall", "f1", "rocAuc" })
        {
            Assert.Equal(x.GetProperty(p).GetRawText(), y.GetProperty(p).GetRawText());
        }
    }

    [Fact]
    public async Task BrokenFolders_ExitOne_WithOneLine()
    {
        using var dir = new TempDirectory();
        var (_, folder) = await WriteBothAsync(dir);
        Directory.CreateDirectory(dir.File("empty"));

        async Task<string> FailAsync(params string[] args)
        {
            var r = await CliRunner.RunAsync(args);
            Assert.Equal(1, r.ExitCode);
            var line = r.Error.TrimEnd('\n');
            Assert.DoesNotContain('\n', line);
            return line;
        }

        Assert.Equal($"workbench inspect: error: {dir.File("empty")}: the folder holds no .parquet part file, so it is not a dataset (names starting with '.' or '_' are not parts)",
            await FailAsync("inspect", dir.File("empty")));
        Assert.Contains("the pattern matches no part file", await FailAsync("replay", dir.File("empty/*.parquet"), "--virtual"), StringComparison.Ordinal);

        File.Copy(Path.Combine(folder, "part-00001.parquet"), Path.Combine(folder, "part-00001a.parquet"));
        foreach (var command in new[] { "inspect", "evaluate" })
        {
            var line = await FailAsync(command, folder);
            Assert.Contains($"{Path.Combine(folder, "part-00001a.parquet")}, row 0, series '", line, StringComparison.Ordinal);
            Assert.Contains("the part does not follow part-00001.parquet", line, StringComparison.Ordinal);
        }

        File.Delete(Path.Combine(folder, "part-00001a.parquet"));
        var other = new DatasetGenerator(Spec.WithOverrides(sources: 3));
        await LabeledDatasetWriter.WriteAsync(Path.Combine(folder, "part-00099.parquet"), other.SeriesNames, other.Generate(),
            DatasetRecipe.Create("generate", Spec.ToJson(), Spec.Seed));
        Assert.Contains("differs from that of the first part part-00000.parquet", await FailAsync("detect", folder, "--detector", "zscore", "--out", dir.File("d.parquet")), StringComparison.Ordinal);
        Assert.False(File.Exists(dir.File("d.parquet")));
    }
}
