using Workbench.Data;
using Workbench.Tests.Data;
using Workbench.Tests.Support;

namespace Workbench.Tests.Cli;

/// <summary>
/// <c>inspect</c>, <c>replay</c> and <c>evaluate</c> on damaged files (issue 11, part 5 and the corrupt footer of part 6):
/// exit 1 with one line on stderr naming the file and the row group and column, or the footer; intact files report
/// "integrity verified", files without digests "not recorded".
/// </summary>
public class IntegrityCommandTests
{
    public static TheoryData<string, string> Damages()
    {
        var data = new TheoryData<string, string>();
        foreach (var command in new[] { "inspect", "replay", "evaluate" })
        {
            foreach (var damage in new[] { "value", "timestamp", "is_anomaly", "footer", "footer-length", "truncated" })
            {
                data.Add(command, damage);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Damages))]
    public async Task DamagedFile_ExitsOne_WithOneLineNamingFileAndRowGroupOrFooter(string command, string damage)
    {
        using var dir = new TempDirectory();
        var path = dir.File("damaged.parquet");
        await IntegrityTests.WriteGeneratedAsync(path);
        string expected;
        switch (damage)
        {
            case "value" or "timestamp" or "is_anomaly":
                {
                    var (_, dataPage, end) = await IntegrityTests.ChunkRangeAsync(path, 2, damage);
                    var count = (int)Math.Min(64, (end - dataPage) / 2);
                    IntegrityTests.FlipBytes(path, end - count, count);
                    expected = $"{path}, row group 2 (rows 4096–6143), field '{damage}': the column chunk (bytes ";
                    break;
                }

            case "footer":
                {
                    var (start, length) = IntegrityTests.Footer(path);
                    IntegrityTests.FlipBytes(path, start + (length / 2), 1, mask: 0x01);
                    expected = $"{path}, footer: the footer ({length:N0} bytes of metadata) does not match its recorded digest";
                    break;
                }

            case "footer-length":
                IntegrityTests.WriteFooterLength(path, (uint)new FileInfo(path).Length);
                expected = $"{path}, footer: the footer length {new FileInfo(path).Length:N0} bytes does not fit the file";
                break;
            default:
                await using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write))
                {
                    stream.SetLength(stream.Length * 2 / 3);
                }

                expected = $"{path}, footer: the file does not end with the Parquet magic 'PAR1'";
                break;
        }

        string[] args = command switch
        {
            "replay" => ["replay", path, "--virtual"],
            "evaluate" => ["evaluate", path, "--detector", "zscore"],
            _ => [command, path],
        };
        var r = await CliRunner.RunAsync(args);

        Assert.Equal(1, r.ExitCode);
        Assert.Equal(string.Empty, r.Out);
        var line = r.Error.TrimEnd('\n');
        Assert.DoesNotContain('\n', line);
        Assert.StartsWith($"workbench {command}: error: {expected}", line, StringComparison.Ordinal);
        Assert.EndsWith("regenerate or re-export it", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task IntactFile_InspectReportsVerified_TextAndJson()
    {
        using var dir = new TempDirectory();
        var path = dir.File("intact.parquet");
        await IntegrityTests.WriteGeneratedAsync(path);

        var text = await CliRunner.RunAsync("inspect", path);
        Assert.True(text.ExitCode == 0, text.Error);
        Assert.Contains("integrity       verified (35 column chunks and the footer, xxh3-64)\n", text.Out, StringComparison.Ordinal);

        var json = await CliRunner.RunAsync("inspect", path, "--json", "--full");
        Assert.True(json.ExitCode == 0, json.Error);
        Assert.Equal("verified (35 column chunks and the footer, xxh3-64)", json.Json().GetProperty("integrity").GetString());
    }

    [Fact]
    public async Task GeneratedFile_IsVerified_AndReplays()
    {
        using var dir = new TempDirectory();
        var gen = await CliRunner.RunAsync("generate", "--preset", "default-small", "--series", "2", "--points", "1440", "--seed", "3", "--out", dir.File("g.parquet"));
        Assert.True(gen.ExitCode == 0, gen.Error);

        var inspect = await CliRunner.RunAsync("inspect", dir.File("g.parquet"), "--json");
        Assert.Equal("verified (7 column chunks and the footer, xxh3-64)", inspect.Json().GetProperty("integrity").GetString());
        var replay = await CliRunner.RunAsync("replay", dir.File("g.parquet"), "--virtual", "--json");
        Assert.True(replay.ExitCode == 0, replay.Error);
        Assert.Equal(8_640, replay.Json().GetProperty("events").GetInt64());
    }

    [Fact]
    public async Task PreDigestFile_InspectsAndReplays_AndSaysNotRecorded()
    {
        var inspect = await CliRunner.RunAsync("inspect", IntegrityTests.PreDigestFixture);
        Assert.True(inspect.ExitCode == 0, inspect.Error);
        Assert.Contains("integrity       not recorded\n", inspect.Out, StringComparison.Ordinal);

        var replay = await CliRunner.RunAsync("replay", IntegrityTests.PreDigestFixture, "--virtual", "--json");
        Assert.True(replay.ExitCode == 0, replay.Error);
        Assert.Equal(8_640, replay.Json().GetProperty("events").GetInt64());
    }

    [Fact]
    public async Task PreDigestFile_WithItsFooterStopByteFlipped_ExitsOneInsteadOfHanging()
    {
        using var dir = new TempDirectory();
        var path = dir.File("old.parquet");
        File.Copy(IntegrityTests.PreDigestFixture, path);
        var (start, length) = IntegrityTests.Footer(path);
        IntegrityTests.FlipBytes(path, start + length - 1, 1, mask: 0x01);

        var r = await CliRunner.RunAsync("inspect", path).WaitAsync(TimeSpan.FromSeconds(60));
        Assert.Equal(1, r.ExitCode);
        Assert.StartsWith($"workbench inspect: error: {path}, footer: the footer ({length:N0} bytes) is not well-formed Parquet metadata", r.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ForeignCsv_ImportedOnTheFly_SaysNotRecorded()
    {
        using var dir = new TempDirectory();
        File.WriteAllText(dir.File("m.csv"), "timestamp,value\n2024-01-01T00:00:00Z,1\n2024-01-01T00:01:00Z,2\n");
        var r = await CliRunner.RunAsync("inspect", dir.File("m.csv"), "--json");
        Assert.True(r.ExitCode == 0, r.Error);
        Assert.StartsWith("not recorded (imported on the fly", r.Json().GetProperty("integrity").GetString(), StringComparison.Ordinal);
    }
}
