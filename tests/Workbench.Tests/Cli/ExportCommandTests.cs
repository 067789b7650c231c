using System.Globalization;
using Workbench.Cli.Commands;
using Workbench.Core;
using Workbench.Data;
using Workbench.Tests.Support;

namespace Workbench.Tests.Cli;

public class ExportCommandTests
{
    // Three series with spikes and gaps: the CSV must show labels and empty cells for missing values.
    private const string Spec = """
        {
          "seed": 5,
          "sources": 3,
          "points": 300,
          "start": "2024-02-29T23:00:00Z",
          "frequency": "1m",
          "metrics": [ { "name": "latency", "level": 100, "noise": { "sigma": 2 } } ],
          "anomalies": {
            "sourceRatio": 1.0, "eventsPerSource": { "min": 2, "max": 2 }, "minGap": 10, "edgeMargin": 10,
            "kinds": { "spike": { "weight": 1 }, "missing": { "weight": 1, "length": { "min": 3, "max": 6 } } }
          }
        }
        """;

    [Fact]
    public async Task Export_AllSeries_WritesEveryRowExactly_InFileOrder()
    {
        using var dir = new TempDirectory();
        var parquet = await GenerateAsync(dir);

        var r = await CliRunner.RunAsync("export", parquet, "--csv", dir.File("all.csv"), "--json");

        Assert.True(r.ExitCode == 0, r.Error);
        var lines = File.ReadAllLines(dir.File("all.csv"));
        Assert.Equal("series,timestamp,value,is_anomaly,anomaly_kind,anomaly_id", lines[0]);
        var expected = Read(parquet);
        Assert.Equal(expected.Count, lines.Length - 1);
        Assert.Equal(900, r.Json().GetProperty("rows").GetInt64());
        Assert.Equal(3, r.Json().GetProperty("series").GetInt32());
        for (var i = 0; i < expected.Count; i++)
        {
            Assert.Equal(expected[i], Parse(lines[i + 1]));
        }

        // The dataset has both kinds of rows this format must show: gaps (empty value) and labelled points.
        Assert.Contains(lines, l => l.Contains(",,true,missing,", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains(",true,spike,", StringComparison.Ordinal));
        Assert.Equal(expected.Count(o => o.IsMissing), r.Json().GetProperty("missingValues").GetInt64());
        // Hand-checked first row: ISO-8601 UTC with milliseconds and Z, normal row has empty kind and id.
        Assert.StartsWith("host-0000/latency,2024-02-29T23:00:00.000Z,", lines[1], StringComparison.Ordinal);
        Assert.EndsWith(",false,,", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_SelectedSeries_WritesOnlyThem()
    {
        using var dir = new TempDirectory();
        var parquet = await GenerateAsync(dir);

        var r = await CliRunner.RunAsync("export", parquet, "--csv", dir.File("two.csv"), "--series", "host-0002/latency", "--series", "host-0000/latency");

        Assert.True(r.ExitCode == 0, r.Error);
        Assert.Contains("wrote 600 rows (2 series", r.Out, StringComparison.Ordinal);
        var rows = File.ReadAllLines(dir.File("two.csv")).Skip(1).Select(Parse).ToList();
        var expected = Read(parquet).Where(o => o.Series != "host-0001/latency").ToList();
        Assert.Equal(expected, rows);
    }

    [Fact]
    public async Task Export_UnknownSeries_FailsWithOneLineNamingIt()
    {
        using var dir = new TempDirectory();
        var parquet = await GenerateAsync(dir);

        var r = await CliRunner.RunAsync("export", parquet, "--csv", dir.File("x.csv"), "--series", "host-0009/latency");

        Assert.Equal(1, r.ExitCode);
        Assert.Single(r.Error.TrimEnd().Split('\n'));
        Assert.Contains("series 'host-0009/latency' is not in", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Export_MissingFile_FailsWithOneLine_AndWithoutCsvIsAUsageError()
    {
        using var dir = new TempDirectory();
        var missing = await CliRunner.RunAsync("export", dir.File("nope.parquet"), "--csv", dir.File("x.csv"));
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("nope.parquet' does not exist", missing.Error, StringComparison.Ordinal);
        Assert.Single(missing.Error.TrimEnd().Split('\n'));

        var usage = await CliRunner.RunAsync("export", dir.File("nope.parquet"));
        Assert.Equal(2, usage.ExitCode);
        Assert.Contains("--csv", usage.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Help_PrintsUsage()
    {
        var r = await CliRunner.RunAsync("export", "--help");
        Assert.Equal(0, r.ExitCode);
        Assert.Contains("Usage:", r.Out, StringComparison.Ordinal);
        Assert.Contains("--series", r.Out, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("host-1/latency", "host-1/latency")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\nlines", "\"two\nlines\"")]
    public void Quote_QuotesOnlyWhenNeeded(string field, string expected) => Assert.Equal(expected, ExportCommand.Quote(field));

    private static async Task<string> GenerateAsync(TempDirectory dir)
    {
        File.WriteAllText(dir.File("spec.json"), Spec);
        var gen = await CliRunner.RunAsync("generate", "--spec", dir.File("spec.json"), "--out", dir.File("d.parquet"));
        Assert.True(gen.ExitCode == 0, gen.Error);
        return dir.File("d.parquet");
    }

    private static List<LabeledObservation> Read(string path)
    {
        using var reader = LabeledDatasetReader.Open(path);
        return reader.ReadObservations().ToList();
    }

    /// <summary>An independent reader of the CSV (the series names here need no quoting).</summary>
    private static LabeledObservation Parse(string line)
    {
        var f = line.Split(',');
        Assert.Equal(6, f.Length);
        var timestamp = DateTime.ParseExact(f[1], "yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal);
        double? value = f[2].Length == 0 ? null : double.Parse(f[2], NumberStyles.Float, CultureInfo.InvariantCulture);
        var isAnomaly = f[3] switch { "true" => true, "false" => false, _ => throw new FormatException(f[3]) };
        var kind = f[4].Length == 0 ? null : AnomalyKind.FromName(f[4]);
        int? id = f[5].Length == 0 ? null : int.Parse(f[5], CultureInfo.InvariantCulture);
        return new LabeledObservation(f[0], timestamp, value, new AnomalyLabel(isAnomaly, kind, id));
    }
}
