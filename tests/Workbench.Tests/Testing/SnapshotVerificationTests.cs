using System.Reactive.Linq;
using Snapshooter;
using Workbench.Core;
using Workbench.Operators.Detection;
using Workbench.Testing;
using Workbench.Tests.Support;

namespace Workbench.Tests.Testing;

/// <summary>
/// Verification routes: <see cref="SnapshotFile"/> (by path, no xunit) and <see cref="TranscriptSnapshot"/>
/// (Snapshooter). Every test that provokes a mismatch works on a copy in a temporary folder, so no
/// <c>__mismatch__</c> file is left in the repository.
/// </summary>
public sealed class SnapshotVerificationTests
{
    private const string StatisticalSnapshot = "DetectorFamilySnapshotTests.Statistical_ZScoreMadIqr_MatchesSnapshot.snap";

    private static readonly string[] StatisticalSpecs = ["zscore(window=36)", "mad(window=36)", "iqr(window=36)"];

    private static string Committed(string file) => Path.Combine(TranscriptFixture.SnapshotFolder(), file);

    [Fact]
    public void SnapshotFile_CommittedStatisticalSnapshot_MatchesFreshRecording()
    {
        var comparison = SnapshotFile.Verify(Committed(StatisticalSnapshot), TranscriptFixture.RecordFamily("statistical", StatisticalSpecs));
        Assert.True(comparison.Matches, comparison.Message);
        Assert.Null(comparison.FirstDifferentLine);
        Assert.Equal(string.Empty, comparison.Diff);
    }

    /// <summary>A deliberate change of a detector parameter is caught: the diff names the changed spec and the new flags.</summary>
    [Fact]
    public void DeliberateChange_ZScoreThreshold_CaughtWithDiffNamingChangedLines()
    {
        var perturbed = TranscriptFixture.RecordFamily("statistical", "zscore(window=36,threshold=3)", "mad(window=36)", "iqr(window=36)");
        var comparison = SnapshotFile.Verify(Committed(StatisticalSnapshot), perturbed);

        Assert.True(comparison.SnapshotExists);
        Assert.False(comparison.Matches);
        var headerLine = perturbed.Lines.ToList().FindIndex(l => l.StartsWith("source:  detector zscore:", StringComparison.Ordinal)) + 1;
        Assert.Equal(headerLine, comparison.FirstDifferentLine);
        Assert.Contains("- source:  detector zscore: zscore(window=36,threshold=4) (threshold 4)\n", comparison.Diff, StringComparison.Ordinal);
        Assert.Contains("+ source:  detector zscore: zscore(window=36,threshold=3) (threshold 3)\n", comparison.Diff, StringComparison.Ordinal);
        // A flag that only the lower threshold raises appears as an added event line.
        var newFlags = perturbed.Lines.Where(l => l.Contains(" zscore:", StringComparison.Ordinal) && l.Contains(" FLAG ", StringComparison.Ordinal))
            .Except(comparison.Expected).ToList();
        Assert.NotEmpty(newFlags);
        Assert.Contains("+ " + newFlags[0] + "\n", comparison.Diff, StringComparison.Ordinal);
    }

    /// <summary>One score changed in the 4th significant digit, on a printed (flagged) line: the diff shows that line before and after.</summary>
    [Fact]
    public void DeliberateChange_OneScoreOnPrintedLine_DiffShowsOldAndNewLine()
    {
        var original = TranscriptFixture.RecordFamily("statistical", StatisticalSpecs);
        var target = original.Events.First(e => e.Event.Key.StartsWith("mad:", StringComparison.Ordinal) && e.Event.Mark is TranscriptMarks.Hit or TranscriptMarks.FalseAlarm);
        var perturbed = RecordStatisticalWithOneScoreScaled(target.Event.Key, target.VirtualTime, 1.001);
        var comparison = SnapshotFile.Verify(Committed(StatisticalSnapshot), perturbed);

        Assert.False(comparison.Matches);
        var oldLine = original.Lines.Single(l => l.StartsWith($"{target.Sequence,8}  ", StringComparison.Ordinal));
        var newLine = perturbed.Lines.Single(l => l.StartsWith($"{target.Sequence,8}  ", StringComparison.Ordinal));
        Assert.NotEqual(oldLine, newLine);
        Assert.Contains("- " + oldLine + "\n", comparison.Diff, StringComparison.Ordinal);
        Assert.Contains("+ " + newLine + "\n", comparison.Diff, StringComparison.Ordinal);
        // The key's digest changes too, so its stats line is the first difference.
        Assert.StartsWith("mad:", comparison.Actual[comparison.FirstDifferentLine!.Value - 1], StringComparison.Ordinal);
    }

    /// <summary>A change on a line the summary does not print is still caught, by the key's digest on its stats line.</summary>
    [Fact]
    public void DeliberateChange_OneScoreOnUnprintedLine_CaughtByDigest()
    {
        var original = TranscriptFixture.RecordFamily("statistical", StatisticalSpecs);
        var printed = original.Lines.Where(l => l.Length > 8 && char.IsDigit(l[7])).Select(l => long.Parse(l.AsSpan(0, 8), System.Globalization.CultureInfo.InvariantCulture)).ToHashSet();
        var target = original.Events.First(e => e.Event.Key.StartsWith("zscore:", StringComparison.Ordinal) && e.Event.Mark == TranscriptMarks.Normal && !printed.Contains(e.Sequence) && e.Sequence > 1000);
        var perturbed = RecordStatisticalWithOneScoreScaled(target.Event.Key, target.VirtualTime, 1.001);
        var comparison = SnapshotFile.Verify(Committed(StatisticalSnapshot), perturbed);

        Assert.False(comparison.Matches);
        var changed = comparison.Actual[comparison.FirstDifferentLine!.Value - 1];
        Assert.StartsWith("zscore:host-0000/latency", changed, StringComparison.Ordinal);
        Assert.Contains("digest=", changed, StringComparison.Ordinal);
        Assert.Equal(2, comparison.Diff.Split('\n').Count(l => l.StartsWith("- ", StringComparison.Ordinal) || l.StartsWith("+ ", StringComparison.Ordinal)));
    }

    [Fact]
    public void TranscriptSnapshot_MismatchAgainstCopyOfCommitted_ThrowsWithDiffAndWritesReceivedThere()
    {
        using var temp = new TempDirectory();
        Directory.CreateDirectory(Path.Combine(temp.Path, "__snapshots__"));
        File.Copy(Committed(StatisticalSnapshot), Path.Combine(temp.Path, "__snapshots__", StatisticalSnapshot));
        var perturbed = TranscriptFixture.RecordFamily("statistical", "zscore(window=36,threshold=3)", "mad(window=36)", "iqr(window=36)");
        var name = new SnapshotFullName(StatisticalSnapshot, temp.Path);

        var e = Assert.Throws<SnapshotMismatchException>(() => TranscriptSnapshot.Match(perturbed, name, strict: true));

        Assert.Contains("first difference at transcript line", e.Message, StringComparison.Ordinal);
        Assert.Contains("+ source:  detector zscore: zscore(window=36,threshold=3) (threshold 3)", e.Message, StringComparison.Ordinal);
        Assert.NotNull(e.InnerException); // Snapshooter's own assertion failure
        Assert.Equal(TranscriptSnapshot.MismatchPath(name), e.ReceivedPath);
        Assert.Equal(perturbed.Lines, SnapshotFile.Read(e.ReceivedPath));
        Assert.StartsWith(temp.Path, e.ReceivedPath, StringComparison.Ordinal);
    }

    [Fact]
    public void TranscriptSnapshot_MatchingCopy_Passes()
    {
        using var temp = new TempDirectory();
        var transcript = SmallTranscript();
        SnapshotFile.Write(Path.Combine(temp.Path, "__snapshots__", "Small.snap"), transcript);
        TranscriptSnapshot.Match(transcript, new SnapshotFullName("Small.snap", temp.Path), strict: true);
        Assert.False(File.Exists(Path.Combine(temp.Path, "__snapshots__", "__mismatch__", "Small.snap")));
    }

    [Fact]
    public void TranscriptSnapshot_MissingInStrictMode_ThrowsAndWritesNothing()
    {
        using var temp = new TempDirectory();
        var name = new SnapshotFullName("Missing.snap", temp.Path);
        var e = Assert.Throws<SnapshotMissingException>(() => TranscriptSnapshot.Match(SmallTranscript(), name, strict: true));
        Assert.Equal(TranscriptSnapshot.SnapshotPath(name), e.Path);
        Assert.Contains("SNAPSHOOTER_STRICT_MODE=true", e.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(temp.Path, "*", SearchOption.AllDirectories));
    }

    /// <summary>
    /// Not strict: Snapshooter creates the missing snapshot, byte-identical to <see cref="SnapshotFile.Write(string, PipelineTranscript)"/>.
    /// Under SNAPSHOOTER_STRICT_MODE=true (CI) Snapshooter itself must refuse, even when this API is told not to be strict.
    /// </summary>
    [Fact]
    public void TranscriptSnapshot_MissingNotStrict_SnapshooterCreatesOrRefusesPerEnvironment()
    {
        using var temp = new TempDirectory();
        var transcript = SmallTranscript();
        var name = new SnapshotFullName("Created.snap", temp.Path);
        if (TranscriptSnapshot.StrictModeFromEnvironment)
        {
            Assert.ThrowsAny<Exception>(() => TranscriptSnapshot.Match(transcript, name, strict: false));
            Assert.False(File.Exists(TranscriptSnapshot.SnapshotPath(name)));
            return;
        }

        TranscriptSnapshot.Match(transcript, name, strict: false);
        var created = File.ReadAllBytes(TranscriptSnapshot.SnapshotPath(name));
        var ours = temp.File("ours.snap");
        SnapshotFile.Write(ours, transcript);
        Assert.Equal(File.ReadAllBytes(ours), created);
        Assert.Equal(transcript.Lines, SnapshotFile.Read(TranscriptSnapshot.SnapshotPath(name)));
    }

    [Fact]
    public void TranscriptSnapshot_FullName_PointsAtThisTestsCommittedFile()
    {
        // The name Snapshooter derives from the calling test, and the folder beside this source file.
        var name = TranscriptSnapshot.FullName();
        Assert.Equal(
            Path.Combine(TranscriptFixture.SnapshotFolder(), "SnapshotVerificationTests.TranscriptSnapshot_FullName_PointsAtThisTestsCommittedFile.snap"),
            TranscriptSnapshot.SnapshotPath(name));
        Assert.Equal(
            "SnapshotVerificationTests.TranscriptSnapshot_FullName_PointsAtThisTestsCommittedFile_case1.snap",
            Path.GetFileName(TranscriptSnapshot.SnapshotPath(TranscriptSnapshot.FullName("case1"))));
    }

    [Fact]
    public void SnapshotFile_WriteThenVerify_MatchesAndRoundTripsLines()
    {
        using var temp = new TempDirectory();
        var transcript = SmallTranscript();
        var path = Path.Combine(temp.Path, "nested", "small.snap");
        SnapshotFile.Write(path, transcript);
        Assert.Equal(transcript.Lines, SnapshotFile.Read(path));
        var comparison = SnapshotFile.Verify(path, transcript);
        Assert.True(comparison.Matches);
        Assert.Equal($"Transcript matches {path}", comparison.Message);
    }

    [Fact]
    public void SnapshotFile_VerifyChangedLine_ReportsLineAndHunk()
    {
        using var temp = new TempDirectory();
        var path = temp.File("s.snap");
        SnapshotFile.Write(path, ["a", "b", "c", "d", "e", "f", "g", "h"]);
        var comparison = SnapshotFile.Verify(path, ["a", "b", "c", "d", "E", "f", "g", "h"]);
        Assert.False(comparison.Matches);
        Assert.Equal(5, comparison.FirstDifferentLine);
        Assert.Equal("@@ -2,7 +2,7 @@\n  b\n  c\n  d\n- e\n+ E\n  f\n  g\n  h\n", comparison.Diff);
        Assert.Contains("first difference at transcript line 5", comparison.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SnapshotFile_VerifyMissing_ReportsAndWritesNothing()
    {
        using var temp = new TempDirectory();
        var path = temp.File("none.snap");
        var comparison = SnapshotFile.Verify(path, SmallTranscript());
        Assert.False(comparison.SnapshotExists);
        Assert.False(comparison.Matches);
        Assert.Equal($"Snapshot file not found: {path}", comparison.Message);
        Assert.False(File.Exists(path));
    }

    [Theory]
    [InlineData("{\"a\": 1}", "expected a JSON array")]
    [InlineData("[\"a\", 2]", "element 1 is Number")]
    [InlineData("[\"a\",", "not valid JSON")]
    public void SnapshotFile_ReadMalformed_ThrowsNamingFile(string content, string expected)
    {
        using var temp = new TempDirectory();
        var path = temp.File("bad.snap");
        File.WriteAllText(path, content);
        var e = Assert.Throws<InvalidDataException>(() => SnapshotFile.Read(path));
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
    }

    private static PipelineTranscript SmallTranscript()
    {
        var t0 = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var source = Enumerable.Range(0, 6).Select(i => LabeledObservation.Normal("s", t0.AddMinutes(i), i * 2.5)).ToArray();
        return PipelineRecording.Record(source, r => r.DetectAndFlag(new StaticThresholdDetector(Upper: 8)), new RecordingOptions { Name = "small" });
    }

    /// <summary>The statistical family with one score of one key, at one virtual time, multiplied by <paramref name="factor"/>.</summary>
    private static PipelineTranscript RecordStatisticalWithOneScoreScaled(string key, DateTime at, double factor)
    {
        var detectors = TranscriptFixture.Detectors(StatisticalSpecs);
        var tag = key[..key.IndexOf(':', StringComparison.Ordinal)];
        return PipelineRecording.Record(
            TranscriptFixture.Observations,
            replay => replay.Publish(shared => Observable.Merge(detectors.Select(d =>
                shared.DetectAndFlag(d)
                    .Select(f => d.Name == tag && f.Observation.Timestamp == at ? f with { Score = f.Score * factor } : f)
                    .Tag(d.Name)).ToArray())),
            TranscriptFixture.Options("statistical", detectors));
    }
}
