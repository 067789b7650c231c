using System.Globalization;
using System.Text;
using Workbench.Evaluation.Nab;
using Workbench.Import;
using Workbench.Operators.Detection;
using Workbench.Operators.Specs;

namespace Workbench.Tests.Evaluation.Nab;

/// <summary>A small NAB-shaped corpus written to a temp folder: data/, labels/combined_windows.json, and results folders.</summary>
internal sealed class NabSyntheticCorpus : IDisposable
{
    /// <summary>Key, row count, windows in rows.</summary>
    public static readonly (string Key, int Rows, (int Start, int End)[] Windows)[] Layout =
    [
        ("catA/alpha.csv", 300, [(120, 140)]),
        ("catA/beta_two.csv", 200, [(60, 70), (150, 165)]),
        ("catB/gamma.csv", 150, []),
    ];

    public NabSyntheticCorpus()
    {
        Root = Path.Combine(Path.GetTempPath(), "wb-nab-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(Root, "labels"));
        var labels = new StringBuilder("{\n");
        foreach (var (key, rows, windows) in Layout)
        {
            var ts = NabTestData.Timestamps(rows);
            var path = Path.Combine(Root, "data", key);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var csv = new StringBuilder("timestamp,value\n");
            for (var i = 0; i < rows; i++)
            {
                csv.Append(CultureInfo.InvariantCulture, $"{ts[i]:yyyy-MM-dd HH:mm:ss},{Value(key, i)}\n");
            }

            File.WriteAllText(path, csv.ToString());
            var pairs = windows.Select(w => $"[\"{ts[w.Start]:yyyy-MM-dd HH:mm:ss.ffffff}\", \"{ts[w.End]:yyyy-MM-dd HH:mm:ss.ffffff}\"]");
            labels.Append(CultureInfo.InvariantCulture, $"  \"{key}\": [{string.Join(", ", pairs)}]{(key == Layout[^1].Key ? "" : ",")}\n");
        }

        File.WriteAllText(LabelsPath, labels.Append('}').ToString());
    }

    public string Root { get; }

    public string LabelsPath => Path.Combine(Root, "labels", "combined_windows.json");

    /// <summary>A deterministic value with a spike inside every window.</summary>
    public static double Value(string key, int row)
    {
        var spike = Layout.Single(l => l.Key == key).Windows.Any(w => row == w.Start + 2) ? 40.0 : 0.0;
        return 10.0 + ((row * 7) % 11) + spike;
    }

    /// <summary>The windows of each file as NAB inputs, with the given score per (key, row).</summary>
    public static NabFileInput[] Inputs(Func<string, int, double> score) =>
        Layout.Select(l =>
        {
            var ts = NabTestData.Timestamps(l.Rows);
            return new NabFileInput(l.Key, ts, Enumerable.Range(0, l.Rows).Select(i => score(l.Key, i)).ToArray(), NabTestData.Windows(ts, l.Windows));
        }).ToArray();

    /// <summary>Writes <c>&lt;dir&gt;/&lt;category&gt;/&lt;detector&gt;_&lt;file&gt;.csv</c> for every file with the given scores (extra columns around anomaly_score).</summary>
    public string WriteResults(string detector, Func<string, int, double> score, string folder = "results")
    {
        var dir = Path.Combine(Root, folder);
        foreach (var (key, rows, _) in Layout)
        {
            var ts = NabTestData.Timestamps(rows);
            var slash = key.IndexOf('/', StringComparison.Ordinal);
            var path = Path.Combine(dir, key[..slash], $"{detector}_{key[(slash + 1)..]}");
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            var csv = new StringBuilder("timestamp,value,anomaly_score,label\n");
            for (var i = 0; i < rows; i++)
            {
                csv.Append(CultureInfo.InvariantCulture, $"{ts[i]:yyyy-MM-dd HH:mm:ss},{Value(key, i)},{score(key, i).ToString("R", CultureInfo.InvariantCulture)},0\n");
            }

            File.WriteAllText(path, csv.ToString());
        }

        return dir;
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}

public sealed class NabRunTests : IDisposable
{
    private readonly NabSyntheticCorpus _corpus = new();

    public void Dispose() => _corpus.Dispose();

    /// <summary>Scores the value itself; null on the first row a kernel sees and on a missing value.</summary>
    private sealed class EchoDetector : IDetector
    {
        public string Name => "echo";

        public string Spec => "echo()";

        public double Threshold => 0.5;

        public IDetectorKernel CreateKernel() => new Kernel();

        private sealed class Kernel : IDetectorKernel
        {
            private long _seen;

            public double? Update(DateTime timestamp, double? value) => _seen++ == 0 ? null : value;
        }
    }

    [Fact]
    public void Run_EchoDetector_ScoresAreValues_NullAsZero_FreshKernelPerFile()
    {
        var files = NabCorpus.Load(_corpus.Root).Files;
        var inputs = NabRun.Run([new EchoDetector()], files)[0];
        Assert.Equal(files.Select(f => f.Key), inputs.Select(i => i.Name));
        foreach (var input in inputs)
        {
            // A kernel shared across files would score the first row of the later files.
            Assert.Equal(0.0, input.Scores[0]);
            for (var i = 1; i < input.Scores.Length; i++)
            {
                Assert.Equal(NabSyntheticCorpus.Value(input.Name, i), input.Scores[i]);
            }
        }
    }

    [Fact]
    public void Evaluate_EchoDetector_EqualsScorerOnHandBuiltInputs_AnyParallelism()
    {
        var files = NabCorpus.Load(_corpus.Root).Files;
        var expected = NabScorer.ScoreCorpus(NabSyntheticCorpus.Inputs((k, i) => i == 0 ? 0.0 : NabSyntheticCorpus.Value(k, i)), NabProfile.All);
        var parallel = NabRun.Evaluate([new EchoDetector(), new EchoDetector()], files);
        var serial = NabRun.Evaluate([new EchoDetector()], files, maxDegreeOfParallelism: 1);
        foreach (var result in parallel.Append(serial[0]))
        {
            Assert.Equal("echo()", result.Detector);
            Assert.Equal(expected.Select(e => e.Profile.Name), result.Profiles.Select(p => p.Profile.Name));
            Assert.Equal(expected.Select(e => e.Threshold), result.Profiles.Select(p => p.Threshold));
            Assert.Equal(expected.Select(e => e.NormalizedScore), result.Profiles.Select(p => p.NormalizedScore));
            Assert.All(result.Profiles, p => Assert.True(p.Optimized));
        }
    }

    [Fact]
    public void ScoreFile_Random_ReseededPerFile_FirstRowIsNabsFirstDraw()
    {
        var random = OperatorCatalog.BuiltIn.ParseDetector("random");
        foreach (var file in NabCorpus.Load(_corpus.Root).Files)
        {
            var scores = NabRun.ScoreFile(random, file);
            Assert.Equal(0.6394267984578837, scores[0], 1e-15); // nab-scoring.md section 10
            Assert.All(scores, s => Assert.InRange(s, 0.0, 1.0));
        }
    }

    [Fact]
    public void Score_FixedThresholds_UsedPerProfileName_MissingProfileThrows()
    {
        var inputs = NabSyntheticCorpus.Inputs((k, i) => NabSyntheticCorpus.Value(k, i) / 100.0);
        var given = new Dictionary<string, double> { ["standard"] = 0.2, ["reward_low_FP_rate"] = 0.45, ["reward_low_FN_rate"] = 0.15 };
        var result = NabRun.Score("det", inputs, NabProfile.All, given);
        var expected = NabScorer.ScoreCorpus(inputs, NabProfile.All, [0.2, 0.45, 0.15]);
        Assert.Equal(expected.Select(e => e.NormalizedScore), result.Profiles.Select(p => p.NormalizedScore));
        Assert.Equal([0.2, 0.45, 0.15], result.Profiles.Select(p => p.Threshold));
        Assert.All(result.Profiles, p => Assert.False(p.Optimized));
        given.Remove("reward_low_FN_rate");
        var e = Assert.Throws<ArgumentException>(() => NabRun.Score("det", inputs, NabProfile.All, given));
        Assert.Contains("'det', profile 'reward_low_FN_rate'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ResultsReader_GroupsByDetectorPrefix_UnderscoresInNames()
    {
        // Detector and file names both contain underscores: x_beta_two.csv is detector "x", key catA/beta_two.csv.
        _corpus.WriteResults("x", (k, i) => 0.25);
        _corpus.WriteResults("my_det", (k, i) => i % 2);
        var read = NabResultsReader.Read(Path.Combine(_corpus.Root, "results"), NabCorpus.ReadWindows(_corpus.LabelsPath));
        Assert.Equal(["my_det", "x"], read.Select(r => r.Detector));
        Assert.All(read, r => Assert.Equal(NabSyntheticCorpus.Layout.Select(l => l.Key), r.Files.Select(f => f.Name)));
        Assert.Equal(NabSyntheticCorpus.Layout.Select(l => l.Rows), read[0].Files.Select(f => f.Scores.Length));
        Assert.All(read[1].Files, f => Assert.All(f.Scores, s => Assert.Equal(0.25, s)));
        Assert.Equal(NabTestData.Timestamps(300), read[0].Files[0].Timestamps);
        Assert.Equal(DateTimeKind.Utc, read[0].Files[0].Timestamps[0].Kind);
    }

    [Fact]
    public void ResultsReader_BadFiles_ThrowNamingFileLineAndColumn()
    {
        var windows = NabCorpus.ReadWindows(_corpus.LabelsPath);
        var dir = _corpus.WriteResults("d", (k, i) => 0.1);
        var alpha = Path.Combine(dir, "catA", "d_alpha.csv");

        var stray = Path.Combine(dir, "catB", "d_delta.csv");
        File.Copy(alpha, stray);
        var e = Assert.Throws<NabFormatException>(() => NabResultsReader.Read(dir, windows));
        Assert.Equal(stray, e.FilePath);
        Assert.Contains("matches no labels key", e.Message, StringComparison.Ordinal);
        File.Delete(stray);

        var lines = File.ReadAllLines(alpha);
        lines[5] = lines[5].Replace(",0.1,", ",high,", StringComparison.Ordinal);
        File.WriteAllLines(alpha, lines);
        e = Assert.Throws<NabFormatException>(() => NabResultsReader.Read(dir, windows));
        Assert.Equal((alpha, 6L, "anomaly_score"), (e.FilePath, e.Line!.Value, e.Field));

        lines[0] = "timestamp,value,score,label";
        File.WriteAllLines(alpha, lines);
        e = Assert.Throws<NabFormatException>(() => NabResultsReader.Read(dir, windows));
        Assert.Equal((alpha, "anomaly_score"), (e.FilePath, e.Field));
        Assert.Contains("missing column 'anomaly_score'", e.Message, StringComparison.Ordinal);

        File.Delete(alpha);
        e = Assert.Throws<NabFormatException>(() => NabResultsReader.Read(dir, windows));
        Assert.Contains("detector 'd' has no results file for labels key 'catA/alpha.csv'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadThresholds_NabLayout_AndBadShapeNamesKey()
    {
        var path = Path.Combine(_corpus.Root, "thresholds.json");
        File.WriteAllText(path, """{"det": {"standard": {"score": 12.5, "threshold": 0.75}, "reward_low_FP_rate": {"threshold": 1}}}""");
        var t = NabResultsReader.ReadThresholds(path);
        Assert.Equal(0.75, t["det"]["standard"]);
        Assert.Equal(1.0, t["det"]["reward_low_FP_rate"]);
        File.WriteAllText(path, """{"det": {"standard": {"score": 12.5}}}""");
        var e = Assert.Throws<NabFormatException>(() => NabResultsReader.ReadThresholds(path));
        Assert.Equal("det.standard", e.Field);
    }
}
