using System.Globalization;
using System.Reactive.Linq;
using Workbench.Core;
using Workbench.Operators.Alerting;
using Workbench.Operators.Detection;
using Workbench.Operators.Forecasting;
using Workbench.Testing;

namespace Workbench.Tests.Testing;

public sealed class PipelineRecordingTests
{
    private static readonly DateTime T0 = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>threshold(upper=10): score 0 inside, 1 + distance outside; flagged at ≥ 1. Values 1, 12, null, 5, 20 (spike#1).</summary>
    private static LabeledObservation[] FivePoints() =>
    [
        LabeledObservation.Normal("s", T0, 1),
        LabeledObservation.Normal("s", T0.AddMinutes(1), 12),
        LabeledObservation.Normal("s", T0.AddMinutes(2), null),
        LabeledObservation.Normal("s", T0.AddMinutes(3), 5),
        new("s", T0.AddMinutes(4), 20, AnomalyLabel.Anomaly(AnomalyKind.Spike, 1)),
    ];

    private static readonly RecordingOptions Full = new() { Name = "five", Detail = TranscriptDetail.Full, MarbleWidth = 10 };

    [Fact]
    public void Record_FlaggedStream_EventLinesMarbleAndStatsAsHandComputed()
    {
        var t = PipelineRecording.Record(FivePoints(), r => r.DetectAndFlag(new StaticThresholdDetector(Upper: 10)), Full);

        Assert.Equal(RecordingEnd.Completed, t.End);
        Assert.Equal(5, t.Events.Count);
        Assert.Equal(Enumerable.Range(0, 5).Select(i => T0.AddMinutes(i)), t.Events.Select(e => e.VirtualTime));
        Assert.Contains("name:    five", t.Lines);
        Assert.Contains("run:     5 events, 1 keys, completed", t.Lines);
        Assert.Contains("time:    2024-01-01T00:00:00.000Z .. 2024-01-01T00:04:00.000Z, marble column = 24s", t.Lines);
        // Columns: (t - t0) * 10 / (4 min + 1 tick) → 0, 2, 4, 7, 9.
        Assert.Contains("s      - x ?  - !|", t.Lines);
        Assert.Single(t.Lines, l => l.StartsWith("s      events=5 lines=5  !=1 x=1 ?=1 -=2  digest=", StringComparison.Ordinal));
        string[] expectedEvents =
        [
            "       1  2024-01-01T00:00:00.000Z  s      v=           1 s=           0      -",
            "       2  2024-01-01T00:01:00.000Z  s      v=          12 s=           3 FLAG -",
            "       3  2024-01-01T00:02:00.000Z  s      v=        null s=        null      -",
            "       4  2024-01-01T00:03:00.000Z  s      v=           5 s=           0      -",
            "       5  2024-01-01T00:04:00.000Z  s      v=          20 s=          11 FLAG spike#1",
            "       6  2024-01-01T00:04:00.000Z  (end)  completed",
        ];
        Assert.Equal(expectedEvents, t.Lines.Skip(t.Lines.Count - 6));
        Assert.Equal(string.Join('\n', t.Lines) + "\n", t.Text);
        Assert.DoesNotContain(t.Lines, l => l.EndsWith(' '));
    }

    [Fact]
    public void Record_Summary_HeadNotableAndLabelBoundariesOnly_CappedPerKey()
    {
        // 40 points, values 0..39; threshold(upper=29.5) flags the last 10; points 15..17 labelled (event 3).
        var source = Enumerable.Range(0, 40).Select(i => new LabeledObservation(
            "s", T0.AddMinutes(i), i, i is >= 15 and <= 17 ? AnomalyLabel.Anomaly(AnomalyKind.LevelShift, 3) : AnomalyLabel.Normal)).ToArray();
        var options = new RecordingOptions { HeadLines = 2, MaxLinesPerKey = 8 };
        var t = PipelineRecording.Record(source, r => r.DetectAndFlag(new StaticThresholdDetector(Upper: 29.5)), options);

        var shown = t.Lines.Where(l => l.Length > 8 && char.IsDigit(l[7])).Select(l => int.Parse(l.AsSpan(0, 8), CultureInfo.InvariantCulture)).ToArray();
        // Head 1, 2; boundaries 15 (normal→labelled: 15 and its predecessor 14), 17 and 18; flags from 31 until the cap of 8.
        Assert.Equal([1, 2, 15, 16, 18, 19, 31, 32, 41], shown);
        Assert.Single(t.Lines, l => l.StartsWith("s      events=40 lines=8 notable-not-shown=8  ", StringComparison.Ordinal));
    }

    [Fact]
    public void Record_PipelineError_EndsWithTypeAndScrubbedMessage()
    {
        var message = $"failed reading {Path.Combine(Path.GetTempPath(), "x.parquet")} run 1B4E28BA-2FA1-11D2-883F-0016D3CCA427 at 2031-05-06T07:08:09Z, again 1b4e28ba-2fa1-11d2-883f-0016d3cca427\nsecond line";
        var t = PipelineRecording.Record(
            FivePoints(),
            r => r.DetectAndFlag(new StaticThresholdDetector(Upper: 10)).Take(2).Concat(Observable.Throw<FlaggedObservation>(new InvalidOperationException(message))),
            Full);

        Assert.Equal(RecordingEnd.Faulted, t.End);
        Assert.IsType<InvalidOperationException>(t.Error);
        var sep = Path.DirectorySeparatorChar;
        Assert.Equal(
            $"       3  2024-01-01T00:01:00.000Z  (end)  error System.InvalidOperationException: failed reading {{TempPath}}{sep}x.parquet run {{Guid_1}} at {{WallClock_1}}, again {{Guid_1}}\\nsecond line",
            t.Lines[^1]);
        Assert.EndsWith("#", t.Lines.Single(l => l.StartsWith("s  ", StringComparison.Ordinal) && !l.Contains("events=", StringComparison.Ordinal)), StringComparison.Ordinal);
    }

    [Fact]
    public void Record_PipelineThatNeverEnds_ReportedNotTerminated()
    {
        var t = PipelineRecording.Record(FivePoints(), r => r.Concat(Observable.Never<LabeledObservation>()), Full);
        Assert.Equal(RecordingEnd.NotTerminated, t.End);
        Assert.EndsWith("(end)  not terminated (the virtual clock ran out of work)", t.Lines[^1], StringComparison.Ordinal);
        Assert.Contains(t.Lines, l => l.StartsWith("s  ", StringComparison.Ordinal) && l.EndsWith('~'));
    }

    [Fact]
    public void Record_SchedulerOverload_TimersRunInVirtualTime()
    {
        // Tumbling 2-minute buffers over points at minutes 0..4: closed at 2 and 4 by the timer; the last at completion.
        var t = PipelineRecording.Record(FivePoints(), (r, scheduler) => r.Buffer(TimeSpan.FromMinutes(2), scheduler).Select(b => b.Count), Full);
        Assert.Equal(
            [(T0.AddMinutes(2), "2"), (T0.AddMinutes(4), "2"), (T0.AddMinutes(4), "1")],
            t.Events.Select(e => (e.VirtualTime, e.Event.Text)));
        Assert.All(t.Events, e => Assert.Equal(string.Empty, e.Event.Key));
        Assert.Contains("       1  2024-01-01T00:02:00.000Z  *      2", t.Lines);
    }

    [Fact]
    public void Record_HistoricalSchedulerOverload_StampsSchedulerTime()
    {
        var scheduler = new System.Reactive.Concurrency.HistoricalScheduler(new DateTimeOffset(T0));
        var stream = Observable.Interval(TimeSpan.FromSeconds(30), scheduler).Take(3);
        var t = PipelineRecording.Record(stream, scheduler, Full);
        Assert.Equal([T0.AddSeconds(30), T0.AddSeconds(60), T0.AddSeconds(90)], t.Events.Select(e => e.VirtualTime));
        Assert.Equal(["0", "1", "2"], t.Events.Select(e => e.Event.Text));
        Assert.Equal(RecordingEnd.Completed, t.End);
    }

    [Fact]
    public void Record_TaggedForecastsAndAlerts_UseTheirFormatters()
    {
        var source = Enumerable.Range(0, 6).Select(i => LabeledObservation.Normal("s", T0.AddMinutes(i), i < 3 ? 1 : 50)).ToArray();
        var t = PipelineRecording.Record(
            source,
            r => r.Publish(s => Observable.Merge(
                s.Forecast(new NaiveForecaster()).Tag("naive"),
                s.Detect(new StaticThresholdDetector(Upper: 10)).Alert(new AlertOptions(Warning: 1, MinCount: 2)).Tag("th"))),
            Full);

        Assert.Contains(t.Events, e => e.Event.Key == "naive:s" && e.Event.Text.StartsWith("v=           1 f=        null", StringComparison.Ordinal));
        var alert = Assert.Single(t.Events, e => e.Event.Key == "th:alert:s");
        Assert.Equal("alert #1 raised       warning  peak=41 at 2024-01-01T00:04:00.000Z", alert.Event.Text);
        Assert.Equal(TranscriptMarks.AlertRaised, alert.Event.Mark);
        Assert.True(alert.Event.Notable);
    }

    [Fact]
    public void Formatters_With_CustomTypeReplacesFallback()
    {
        var formatters = TranscriptFormatters.Default.With<int>((v, f) => new TranscriptEvent("count", $"n={f.Number(v)}", TranscriptMarks.Normal, Notable: v > 1));
        var t = PipelineRecording.Record(FivePoints(), (r, s) => r.Buffer(TimeSpan.FromMinutes(2), s).Select(b => b.Count), Full with { Formatters = formatters });
        Assert.Equal(["n=2", "n=2", "n=1"], t.Events.Select(e => e.Event.Text));
        Assert.All(t.Events, e => Assert.Equal("count", e.Event.Key));
        // Unregistered types still use the fallback.
        Assert.Equal(TranscriptMarks.Other, formatters.Format(1.5, new TranscriptFormat()).Mark);
    }

    [Fact]
    public void GenericFallback_UsesInvariantCulture()
    {
        var previous = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("de-DE");
            Assert.Equal("1.5", TranscriptFormatters.GenericFallback(1.5, new TranscriptFormat()).Text);
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Theory]
    [InlineData(1234567.891, "1.23457E+06")]
    [InlineData(0.1 + 0.2, "0.3")]
    [InlineData(-0.0, "0")]
    [InlineData(-1e-320, "-9.99989E-321")]
    [InlineData(-4.0000001, "-4")]
    [InlineData(123.4565, "123.457")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.NegativeInfinity, "-Infinity")]
    public void Number_SixSignificantDigitsInvariant(double value, string expected)
    {
        var previous = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = new CultureInfo("fr-FR");
            Assert.Equal(expected, new TranscriptFormat().Number(value));
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }
    }

    [Fact]
    public void Number_RoundsToZero_NeverMinusZero()
    {
        Assert.Equal("0", new TranscriptFormat(3).Number(-0.0));
        Assert.Equal("-0.001", new TranscriptFormat(3).Number(-0.001));
        Assert.Equal("null", new TranscriptFormat().Number(null));
    }

    [Fact]
    public void Scrubbers_GuidsNumberedStably_WallClockOutsideSpanOnly()
    {
        var context = new ScrubContext(T0, T0.AddDays(1));
        var text = "a 1b4e28ba-2fa1-11d2-883f-0016d3cca427 b {0f8fad5b-d9cb-469f-a165-70867728950e} c 1B4E28BA-2FA1-11D2-883F-0016D3CCA427 "
            + "data 2024-01-01T12:00:00Z wall 2026-11-23T04:14:51.123Z again 2026-11-23T04:14:51.123Z";
        var scrubbed = Scrubbers.Apply(Scrubbers.Default, text, context);
        Assert.Equal("a {Guid_1} b {Guid_2} c {Guid_1} data 2024-01-01T12:00:00Z wall {WallClock_1} again {WallClock_1}", scrubbed);
    }

    [Fact]
    public void Scrubbers_PathRegexAndTokens()
    {
        var context = new ScrubContext(T0, T0);
        Assert.Equal("at {Repo}/data/x.parquet", Scrubbers.Path("/home/me/repo/", "{Repo}")("at /home/me/repo/data/x.parquet", context));
        Assert.Equal("took #ms", Scrubbers.Regex(@"\d+", "#")("took 15ms", context));
        Assert.Equal("pid {Pid_1} {Pid_2} {Pid_1}", Scrubbers.Tokens(@"\d+", "Pid")("pid 17 23 17", context));
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        Assert.Equal("{CurrentDirectory}/f", Scrubbers.MachinePaths(Environment.CurrentDirectory.TrimEnd('/') + "/f", context));
        Assert.DoesNotContain(home, Scrubbers.MachinePaths(home + "/x", context), StringComparison.Ordinal);
    }

    [Fact]
    public void Record_CustomScrubbersAndHeader_AppliedToHeaderAndText()
    {
        var options = Full with { Header = ["built on box-42"], Scrubbers = [Scrubbers.Regex(@"box-\d+", "{Host}")] };
        var t = PipelineRecording.Record(FivePoints(), r => r.Select(o => $"on box-7: {o.Value}"), options);
        Assert.Contains("source:  built on {Host}", t.Lines);
        Assert.Contains(t.Lines, l => l.EndsWith("*      on {Host}: 12", StringComparison.Ordinal));
    }

    [Fact]
    public void Tag_Validation()
    {
        var source = Observable.Empty<int>();
        Assert.Throws<ArgumentException>(() => source.Tag(" "));
        Assert.Throws<ArgumentException>(() => source.Tag("a\nb"));
        Assert.Throws<ArgumentNullException>(() => ((IObservable<int>)null!).Tag("a"));
    }

    public static TheoryData<RecordingOptions, string> InvalidOptions => new()
    {
        { new RecordingOptions { Name = "" }, "Name" },
        { new RecordingOptions { Name = "a\nb" }, "Name" },
        { new RecordingOptions { SignificantDigits = 0 }, "SignificantDigits" },
        { new RecordingOptions { HeadLines = -1 }, "HeadLines" },
        { new RecordingOptions { MaxLinesPerKey = 0 }, "MaxLinesPerKey" },
        { new RecordingOptions { MarbleWidth = 9 }, "MarbleWidth" },
        { new RecordingOptions { StartClock = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Local) }, "StartClock" },
        { new RecordingOptions { Detail = (TranscriptDetail)7 }, "Detail" },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Record_InvalidOptions_ThrowNamingTheOption(RecordingOptions options, string name)
    {
        var e = Assert.ThrowsAny<ArgumentException>(() => PipelineRecording.Record(FivePoints(), r => r, options));
        Assert.Equal(name, e.ParamName);
    }

    [Fact]
    public void Record_EmptySource_CompletesWithEndLineOnly()
    {
        var t = PipelineRecording.Record([], r => r, Full with { StartClock = T0 });
        Assert.Empty(t.Events);
        Assert.Equal(RecordingEnd.Completed, t.End);
        Assert.Equal("       1  2024-01-01T00:00:00.000Z  (end)  completed", t.Lines[^1]);
    }
}
