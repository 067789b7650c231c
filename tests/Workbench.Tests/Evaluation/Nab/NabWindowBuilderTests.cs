using System.Globalization;
using System.Text.Json;
using Workbench.Evaluation.Nab;
using Workbench.Import;
using Workbench.Tests.Support;

namespace Workbench.Tests.Evaluation.Nab;

public class NabWindowBuilderTests
{
    // nab-scoring.md section 2 step 4: nyc_taxi, n = 10,320, k = 5 -> L = 206, h = 103, each window 207 rows.
    [Fact]
    public void WindowRows_Section2_NycTaxi_207RowsCentred()
    {
        var points = new[] { 5942, 7183, 8526, 8834, 10080 };
        var windows = NabWindowBuilder.WindowRows(10320, points);
        Assert.Equal([(5839, 6045), (7080, 7286), (8423, 8629), (8731, 8937), (9977, 10183)], windows);
        foreach (var (start, end) in windows)
        {
            Assert.Equal(207, end - start + 1);
        }
    }

    [Fact]
    public void WindowRows_ClippedAtFileEnd_MergedWhenTouching_FirstDroppedInProbation()
    {
        // n = 1000, k = 2 -> L = 50, h = 25.
        Assert.Equal([(300, 350), (974, 999)], NabWindowBuilder.WindowRows(1000, [999, 325]));
        // Touching windows (start == previous end) merge into one longer window.
        Assert.Equal([(300, 400)], NabWindowBuilder.WindowRows(1000, [325, 375]));
        // P = 150: a first window starting at row 100 is deleted.
        Assert.Equal([(475, 525)], NabWindowBuilder.WindowRows(1000, [125, 500]));
        Assert.Empty(NabWindowBuilder.WindowRows(1000, []));
        Assert.Throws<ArgumentOutOfRangeException>(() => NabWindowBuilder.WindowRows(1000, [1000]));
    }

    [Fact]
    public void Windows_PointNotARow_ThrowsNamingFile()
    {
        var ts = NabTestData.Timestamps(100);
        var ex = Assert.Throws<ArgumentException>(() => NabWindowBuilder.Windows(ts, [ts[50].AddMinutes(1)], "x.csv"));
        Assert.Contains("x.csv", ex.Message);
    }

    // nab-scoring.md section 2: rebuilding every window of the corpus from combined_labels.json (with the manual
    // override of step 2) gives combined_windows.json: 116 windows, four merges, three clipped at the end.
    [SkippableFact]
    public void Windows_RealCorpus_RebuildsCombinedWindows()
    {
        var root = TestPaths.RequireNab();
        var corpus = NabCorpus.Load(root);
        using var labels = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "labels", "combined_labels.json")));
        var total = 0;
        foreach (var file in corpus.Files)
        {
            NabWindow[] rebuilt;
            if (file.Key == "realAWSCloudwatch/iio_us-east-1_i-a2eb1cd9_NetworkIn.csv")
            {
                rebuilt = [.. Array.ConvertAll(NabWindowBuilder.WindowRows(file.Count, [249, 339]),
                    r => new NabWindow(file.Timestamps[r.Start], file.Timestamps[r.End]))];
            }
            else
            {
                var points = new List<DateTime>();
                foreach (var p in labels.RootElement.GetProperty(file.Key).EnumerateArray())
                {
                    points.Add(DateTime.ParseExact(p.GetString()!, NabCorpus.DataTimestampFormat, CultureInfo.InvariantCulture,
                        DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal));
                }

                rebuilt = NabWindowBuilder.Windows(file.Timestamps, points, file.Key);
            }

            Assert.True(file.Windows.SequenceEqual(rebuilt), $"{file.Key}: rebuilt windows differ");
            total += rebuilt.Length;
        }

        Assert.Equal(116, total);
    }
}
