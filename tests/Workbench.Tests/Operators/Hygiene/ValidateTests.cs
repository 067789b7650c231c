using System.Reactive.Linq;
using System.Reactive.Subjects;
using Workbench.Core;
using Workbench.Operators.Hygiene;
using static Workbench.Tests.Operators.Hygiene.HygieneTestKit;

namespace Workbench.Tests.Operators.Hygiene;

public class ValidateTests
{
    private static readonly RawObservation[] Raw =
    [
        new("a", T0, 1),
        new("a", T0.AddMinutes(1), double.NaN),
        new("b", T0.AddMinutes(1), 50),
        new("a", T0.AddMinutes(2), double.PositiveInfinity, AnomalyLabel.Anomaly(AnomalyKind.Spike, 3)),
        new("b", T0.AddMinutes(2), -5),
        new("a", T0.AddMinutes(3), 12),
        new("b", T0.AddMinutes(3), 7),
    ];

    private static HygieneResult Run(ValidationOptions options) =>
        AssertStreamEqualsBatch(Raw, (s, r) => s.Validate(options, r), i => HygieneBatch.Validate(i, options));

    [Fact]
    public void Validate_Defaults_MarkNonFiniteMissing_NoRangeCheck()
    {
        var result = Run(new ValidationOptions());
        Assert.Equal([1, null, 50, null, -5, 12, 7], result.Output.Select(o => o.Value));
        Assert.Equal(Raw.Select(r => (r.Series, r.Timestamp, r.Label)), result.Output.Select(o => (o.Series, o.Timestamp, o.Label)));
        var a = result.Report.For("a");
        Assert.Equal((4L, 4L, 2L, 2L, 0L), (a.Seen, a.Emitted, a.NonFinite, a.MarkedMissing, a.Dropped));
        Assert.Equal(0, result.Report.For("b").NonFinite);
        Assert.Equal("validate", result.Report.Stage);
    }

    [Fact]
    public void Validate_DropNonFinite_CountsDropped()
    {
        var result = Run(new ValidationOptions(InvalidValuePolicy.Drop));
        Assert.Equal([1, 50, -5, 12, 7], result.Output.Select(o => o.Value));
        Assert.Equal((7L, 5L, 2L, 2L), (result.Report.Total.Seen, result.Report.Total.Emitted, result.Report.Total.Dropped, result.Report.Total.NonFinite));
    }

    public static TheoryData<OutOfRangePolicy, double?[]> RangeCases => new()
    {
        // Values in order: 1, NaN, 50, +inf, -5, 12, 7. Range [0, 10]: 50, -5 and 12 are out of range; NaN and +inf
        // are marked missing first and never range-checked.
        { OutOfRangePolicy.MarkMissing, [1, null, null, null, null, null, 7] },
        { OutOfRangePolicy.Clamp, [1, null, 10, null, 0, 10, 7] },
        { OutOfRangePolicy.Drop, [1, null, null, 7] },
    };

    [Theory]
    [MemberData(nameof(RangeCases))]
    public void Validate_GlobalRange_EachPolicy(OutOfRangePolicy policy, double?[] expected)
    {
        var result = Run(new ValidationOptions(Range: new ValueRange(0, 10), OutOfRange: policy));
        Assert.Equal(expected, result.Output.Select(o => o.Value));
        var t = result.Report.Total;
        Assert.Equal(3, t.OutOfRange);
        Assert.Equal(2, t.NonFinite);
        Assert.Equal(policy == OutOfRangePolicy.Clamp ? 3 : 0, t.Clamped);
        Assert.Equal(policy == OutOfRangePolicy.Drop ? 3 : 0, t.Dropped);
        Assert.Equal(2 + (policy == OutOfRangePolicy.MarkMissing ? 3 : 0), t.MarkedMissing);
        Assert.Equal(2, result.Report.For("b").OutOfRange);
    }

    [Fact]
    public void Validate_SeriesRange_OverridesGlobal()
    {
        var options = new ValidationOptions(
            Range: new ValueRange(0, 10),
            OutOfRange: OutOfRangePolicy.Clamp,
            SeriesRanges: new Dictionary<string, ValueRange> { ["b"] = new(-10, double.PositiveInfinity) });
        var result = Run(options);
        Assert.Equal([50.0, -5, 7], result.Output.Where(o => o.Series == "b").Select(o => o.Value!.Value));
        Assert.Equal(10, result.Output.Single(o => o.Series == "a" && o.Timestamp == T0.AddMinutes(3)).Value);
        Assert.Equal(0, result.Report.For("b").OutOfRange);
        Assert.Equal(1, result.Report.For("a").Clamped);
    }

    [Fact]
    public void Validate_ThrowPolicies_NameSeriesAndTimestamp()
    {
        var e = Assert.Throws<InvalidObservationException>(() => HygieneBatch.Validate(Raw, new ValidationOptions(InvalidValuePolicy.Throw)));
        Assert.Equal(("a", T0.AddMinutes(1)), (e.Series, e.Timestamp));
        Assert.Contains("'a'", e.Message, StringComparison.Ordinal);

        var recorder = new ReportRecorder();
        Exception? error = null;
        var seen = new List<LabeledObservation>();
        Raw.ToObservable().Validate(new ValidationOptions(Range: new ValueRange(0, 10), OutOfRange: OutOfRangePolicy.Throw), recorder)
            .Subscribe(seen.Add, ex => error = ex);
        var rangeError = Assert.IsType<InvalidObservationException>(error);
        Assert.Equal(("b", 50.0), (rangeError.Series, rangeError.Value));
        Assert.Equal(2, seen.Count); // 1 and the NaN marked missing, then the stream fails at 50
        Assert.Same(error, recorder.Error);
        Assert.True(recorder.Final.IsFinal);
    }

    [Fact]
    public void Validate_Projection_AndModelOverload_AgreeWithRaw()
    {
        var options = new ValidationOptions(InvalidValuePolicy.Drop, new ValueRange(0, 10), OutOfRangePolicy.Clamp);
        var expected = HygieneBatch.Validate(Raw, options);
        var tuples = Raw.Select(r => (r.Series, r.Timestamp, r.Value, r.Label)).ToArray();
        var projected = tuples.ToObservable().Validate(t => new RawObservation(t.Series, t.Timestamp, t.Value, t.Label), options).ToList().Wait();
        Assert.Equal(expected.Output, projected);

        // A hand-built model observation can still carry NaN; the model overload applies the same policy.
        var model = Raw.Select(r => new LabeledObservation(r.Series, r.Timestamp, r.Value, r.Label)).ToList();
        var modelResult = AssertStreamEqualsBatch(model, (s, r) => s.Validate(options, r), i => HygieneBatch.Validate(i, options));
        Assert.Equal(expected.Output, modelResult.Output);
        Assert.Equal(expected.Report, modelResult.Report);

        // Missing values pass unchanged.
        var missing = HygieneBatch.Validate([Obs("a", 0, null)], options);
        Assert.Null(Assert.Single(missing.Output).Value);
    }

    [Fact]
    public void Validate_ProjectionException_FailsTheStream()
    {
        Exception? error = null;
        new[] { 1, 2 }.ToObservable()
            .Validate<int>(i => i == 2 ? throw new FormatException("bad row") : new RawObservation("a", T0, i), new ValidationOptions())
            .Subscribe(_ => { }, e => error = e);
        Assert.IsType<FormatException>(error);
    }

    [Fact]
    public void Validate_PeriodicReports_AndIndependentSubscriptions()
    {
        var subject = new Subject<RawObservation>();
        var r1 = new ReportRecorder();
        var r2 = new ReportRecorder();
        var validated = subject.Validate(new ValidationOptions(InvalidValuePolicy.Drop), r1, reportEvery: 2);
        using var s1 = validated.Subscribe(_ => { });
        foreach (var r in Raw[..4])
        {
            subject.OnNext(r);
        }

        var validated2 = subject.Validate(new ValidationOptions(InvalidValuePolicy.Drop), r2);
        using var s2 = validated2.Subscribe(_ => { });
        foreach (var r in Raw[4..])
        {
            subject.OnNext(r);
        }

        subject.OnCompleted();
        Assert.Equal([false, false, false, true], r1.Reports.Select(r => r.IsFinal));
        Assert.Equal([2L, 4, 6, 7], r1.Reports.Select(r => r.Total.Seen));
        Assert.Equal(3, r2.Final.Total.Seen); // the second subscription counts only what it saw
        Assert.Equal(0, r2.Final.Total.Dropped);
        Assert.Equal((1, 1), (r1.Completed, r2.Completed));
    }

    [Fact]
    public void Validate_Dispose_StopsOutputAndReports()
    {
        var subject = new Subject<RawObservation>();
        var recorder = new ReportRecorder();
        var seen = 0;
        var sub = subject.Validate(new ValidationOptions(), recorder, reportEvery: 1).Subscribe(_ => seen++);
        subject.OnNext(Raw[0]);
        sub.Dispose();
        subject.OnNext(Raw[1]);
        subject.OnCompleted();
        Assert.Equal(1, seen);
        Assert.Single(recorder.Reports);
        Assert.Equal(0, recorder.Completed);
        Assert.False(subject.HasObservers);
    }

    [Fact]
    public void Options_Invalid_Throw()
    {
        var source = Observable.Empty<RawObservation>();
        Assert.Throws<ArgumentOutOfRangeException>(() => source.Validate(new ValidationOptions(Range: new ValueRange(5, 1))));
        Assert.Throws<ArgumentOutOfRangeException>(() => source.Validate(new ValidationOptions(Range: new ValueRange(double.NaN, 1))));
        Assert.Throws<ArgumentOutOfRangeException>(() => source.Validate(new ValidationOptions((InvalidValuePolicy)9)));
        Assert.Throws<ArgumentOutOfRangeException>(() => source.Validate(new ValidationOptions(OutOfRange: (OutOfRangePolicy)9)));
        Assert.Throws<ArgumentOutOfRangeException>(() => source.Validate(new ValidationOptions(
            SeriesRanges: new Dictionary<string, ValueRange> { ["x"] = new(2, 1) })));
        Assert.Throws<ArgumentOutOfRangeException>(() => source.Validate(new ValidationOptions(), reportEvery: -1));
        Assert.Throws<ArgumentNullException>(() => source.Validate((ValidationOptions)null!));
    }
}
