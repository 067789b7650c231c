using Workbench.Core;
using Workbench.Generation;
using static Workbench.Tests.Generation.InjectionTestData;

namespace Workbench.Tests.Generation;

public class AnomalyInjectorTests
{
    private const string Series = "host-0001/latency";

    private static (double?[] Values, AnomalyLabel[] Labels, InjectionResult Result) Run(
        double?[] values, InjectionOptions options, InjectionTrigger trigger, AnomalyLabel[]? labels = null, ConflictPolicy policy = ConflictPolicy.Fail)
    {
        labels ??= Normal(values.Length);
        var result = AnomalyInjector.Inject(Series, Timestamps(values.Length), values, labels, new AnomalyInjection(options, trigger), policy);
        return (values, labels, result);
    }

    [Fact]
    public void Spike_Burst_ChangesAndLabelsExactlyItsPoints()
    {
        var (values, labels, result) = Run(Constant(10, 10), new SpikeOptions { Magnitude = 3, Sigma = 2, Length = 2 }, InjectionTrigger.AtIndex(5));

        Assert.Equal([10, 10, 10, 10, 10, 16, 16, 10, 10, 10], values);
        Assert.Equal([5, 6], LabelledIndices(labels));
        Assert.Equal(AnomalyLabel.Anomaly(AnomalyKind.Spike, 0), labels[5]);
        Assert.Equal(AnomalyLabel.Anomaly(AnomalyKind.Spike, 0), labels[6]);
        var e = Assert.Single(result.Events);
        Assert.Equal((5L, 2L, 0), (e.Start, e.Length, e.EventId));
        Assert.Equal(2, result.PointsLabelled);
    }

    [Fact]
    public void Spike_Down_SubtractsMagnitudeTimesSigma()
    {
        var (values, labels, _) = Run(Constant(5, 10), new SpikeOptions { Magnitude = 2.5, Sigma = 2, Direction = InjectionDirection.Down }, InjectionTrigger.AtIndex(2));
        Assert.Equal([10, 10, 5, 10, 10], values);
        Assert.Equal([2], LabelledIndices(labels));
    }

    [Fact]
    public void Spike_ClampedToRange_NeverExceedsMax_AndUnchangedPointIsNotLabelled()
    {
        double?[] input = [0.5, 0.9, 1.0, 0.2];
        var options = new SpikeOptions { Magnitude = 5, Sigma = 0.1, Length = 3, Range = ValueRange.UnitInterval };
        var (values, labels, result) = Run(input, options, InjectionTrigger.AtIndex(0));

        Assert.Equal([1.0, 1.0, 1.0, 0.2], values);
        // index 2 was already at the bound: clamping leaves it unchanged, so it is not labelled.
        Assert.Equal([0, 1], LabelledIndices(labels));
        Assert.Equal(2, result.PointsLabelled);
        Assert.Equal(3, Assert.Single(result.Events).Length);
    }

    [Fact]
    public void Spike_RandomDirection_IsDrawnPerEventAndReproducible()
    {
        var options = new SpikeOptions { Magnitude = 1, Direction = InjectionDirection.Random };
        var directions = new HashSet<InjectionDirection>();
        for (ulong seed = 0; seed < 16; seed++)
        {
            var a = Run(Constant(4, 0), options, InjectionTrigger.AtIndex(1, seed: seed));
            var b = Run(Constant(4, 0), options, InjectionTrigger.AtIndex(1, seed: seed));
            Assert.Equal(a.Values, b.Values);
            var drawn = ((SpikeOptions)Assert.Single(a.Result.Events).Options).Direction;
            Assert.Equal(drawn == InjectionDirection.Up ? 1.0 : -1.0, a.Values[1]);
            directions.Add(drawn);
        }

        Assert.Equal(2, directions.Count);
    }

    [Fact]
    public void LevelShift_WithDuration_ShiftsThenReturns()
    {
        var (values, labels, _) = Run(Constant(8, 10), new LevelShiftOptions { Magnitude = 2, Sigma = 1.5, Duration = 3 }, InjectionTrigger.AtIndex(2));
        Assert.Equal([10, 10, 13, 13, 13, 10, 10, 10], values);
        Assert.Equal([2, 3, 4], LabelledIndices(labels));
        Assert.All(new[] { 2, 3, 4 }, i => Assert.Equal(AnomalyLabel.Anomaly(AnomalyKind.LevelShift, 0), labels[i]));
    }

    [Fact]
    public void LevelShift_Permanent_LastsToTheEnd()
    {
        var (values, labels, result) = Run(Constant(6, 10), new LevelShiftOptions { Magnitude = 4, Direction = InjectionDirection.Down }, InjectionTrigger.AtIndex(3));
        Assert.Equal([10, 10, 10, 6, 6, 6], values);
        Assert.Equal([3, 4, 5], LabelledIndices(labels));
        Assert.Equal(3, Assert.Single(result.Events).Length);
    }

    [Fact]
    public void Drift_RampThenHold_LabelsRampAndHoldOnly()
    {
        var options = new DriftOptions { Magnitude = 4, Sigma = 2, RampLength = 4, HoldLength = 2 };
        var (values, labels, result) = Run(Constant(10, 100), options, InjectionTrigger.AtIndex(2));

        // D = 8: ramp 2, 4, 6, 8 then held 8, 8; the points before and after are on the base signal.
        Assert.Equal([100, 100, 102, 104, 106, 108, 108, 108, 100, 100], values);
        Assert.Equal([2, 3, 4, 5, 6, 7], LabelledIndices(labels));
        Assert.Equal(6, Assert.Single(result.Events).Length);
        Assert.All(LabelledIndices(labels), i => Assert.Equal(AnomalyKind.Drift, labels[i].Kind));
    }

    [Fact]
    public void Drift_HeldToEnd_CoversTheRest()
    {
        var (values, labels, _) = Run(Constant(6, 0), new DriftOptions { Magnitude = 2, RampLength = 2, HoldLength = null, Direction = InjectionDirection.Down }, InjectionTrigger.AtIndex(1));
        Assert.Equal([0, -1, -2, -2, -2, -2], values);
        Assert.Equal([1, 2, 3, 4, 5], LabelledIndices(labels));
    }

    [Fact]
    public void Missing_NullsTheGap_AndSkipsAlreadyMissingPoints()
    {
        double?[] input = [1, 2, 3, null, 5, 6];
        var (values, labels, result) = Run(input, new MissingOptions { Length = 3 }, InjectionTrigger.AtIndex(2));

        Assert.Equal([1, 2, null, null, null, 6], values);
        // index 3 was already null: unchanged, not labelled.
        Assert.Equal([2, 4], LabelledIndices(labels));
        Assert.Equal(AnomalyLabel.Anomaly(AnomalyKind.Missing, 0), labels[2]);
        Assert.Equal(2, result.PointsLabelled);
    }

    [Fact]
    public void Seasonal_AmplitudeChange_LabelsOnlyPointsWhoseValueChanges()
    {
        var component = new SeasonalComponent(Period: 4, Amplitude: 1, Phase: 0);
        var input = Enumerable.Range(0, 10).Select(t => (double?)(100 + component.ValueAt(t))).ToArray();
        var options = new SeasonalOptions { Component = component, AmplitudeFactor = 3, Length = 8 };
        var (values, labels, _) = Run((double?[])input.Clone(), options, InjectionTrigger.AtIndex(0));

        // sin is exactly 0 at t = 0, 4 and ≈ 1e-16 at t = 2, 6 (lost when added to 100): those keep their values.
        Assert.Equal([1, 3, 5, 7], LabelledIndices(labels));
        Assert.Equal(103, values[1]!.Value, 12);
        Assert.Equal(97, values[3]!.Value, 12);
        Assert.Equal(input[0], values[0]);
        Assert.Equal(input[2], values[2]);
        Assert.Equal(input[8], values[8]);
        Assert.Equal(input[9], values[9]);
    }

    [Fact]
    public void Seasonal_PeriodChange_UsesSeriesIndexAsTime()
    {
        var component = new SeasonalComponent(Period: 8, Amplitude: 2, Phase: 0.3);
        var input = Enumerable.Range(0, 30).Select(t => (double?)(10 + component.ValueAt(t))).ToArray();
        var options = new SeasonalOptions { Component = component, PeriodFactor = 0.5, PhaseShift = 0.1, Length = 12 };
        var (values, labels, _) = Run((double?[])input.Clone(), options, InjectionTrigger.AtIndex(10));

        var changed = options.ChangedComponent;
        for (var t = 0; t < 30; t++)
        {
            var expected = t is >= 10 and < 22 ? input[t]!.Value + (changed.ValueAt(t) - component.ValueAt(t)) : input[t]!.Value;
            Assert.Equal(expected, values[t]);
            Assert.Equal(values[t] != input[t], labels[t].IsAnomaly);
        }

        Assert.False(labels[9].IsAnomaly);
        Assert.False(labels[22].IsAnomaly);
    }

    [Fact]
    public void EventIds_FollowTimeOrder_AndContinueAfterUpstreamIds()
    {
        var labels = Normal(30);
        labels[3] = AnomalyLabel.Anomaly(AnomalyKind.LabelledWindow, 4);
        var injections = new[]
        {
            new AnomalyInjection(new SpikeOptions(), InjectionTrigger.AtIndex(20)),
            new AnomalyInjection(new MissingOptions { Length = 2 }, InjectionTrigger.AtIndex(10)),
        };
        var values = Constant(30, 1);
        var result = AnomalyInjector.Inject(Series, Timestamps(30), values, labels, injections);

        Assert.Equal([5, 6], result.Events.Select(e => e.EventId));
        Assert.Equal(AnomalyLabel.Anomaly(AnomalyKind.Missing, 5), labels[10]);
        Assert.Equal(AnomalyLabel.Anomaly(AnomalyKind.Spike, 6), labels[20]);
        Assert.Equal(AnomalyLabel.Anomaly(AnomalyKind.LabelledWindow, 4), labels[3]);
    }

    [Fact]
    public void Conflict_StartOnLabelledPoint_Fail_ThrowsAndLeavesArraysUntouched()
    {
        var values = Constant(10, 1);
        var labels = Normal(10);
        labels[6] = AnomalyLabel.Anomaly(AnomalyKind.Spike, 9);
        var injections = new[]
        {
            new AnomalyInjection(new SpikeOptions(), InjectionTrigger.AtIndex(2)),
            new AnomalyInjection(new SpikeOptions(), InjectionTrigger.AtIndex(6)),
        };

        var error = Assert.Throws<InjectionConflictException>(() => AnomalyInjector.Inject(Series, Timestamps(10), values, labels, injections));

        Assert.Equal((Series, 6L, InjectionConflictReason.LabelledPoint), (error.Series, error.Index, error.Reason));
        Assert.Equal(T0.AddMinutes(6), error.Timestamp);
        Assert.Contains("host-0001/latency", error.Message, StringComparison.Ordinal);
        Assert.Equal(Constant(10, 1), values);
        Assert.Equal([6], LabelledIndices(labels));
    }

    [Fact]
    public void Conflict_StartOnLabelledPoint_Skip_CountsAndKeepsLabel()
    {
        var labels = Normal(10);
        labels[6] = AnomalyLabel.Anomaly(AnomalyKind.Spike, 0);
        var (values, _, result) = Run(Constant(10, 1), new SpikeOptions(), InjectionTrigger.AtIndex(6), labels, ConflictPolicy.Skip);

        Assert.Equal(Constant(10, 1), values);
        Assert.Empty(result.Events);
        Assert.Equal(1, result.EventsSkipped);
        Assert.Equal(AnomalyLabel.Anomaly(AnomalyKind.Spike, 0), labels[6]);
    }

    [Fact]
    public void Conflict_MidEvent_Fail_Throws_Skip_Truncates()
    {
        AnomalyLabel[] Labels()
        {
            var l = Normal(10);
            l[4] = AnomalyLabel.Anomaly(AnomalyKind.Missing, 9);
            return l;
        }

        var options = new LevelShiftOptions { Magnitude = 1, Duration = 5 };
        var error = Assert.Throws<InjectionConflictException>(() => Run(Constant(10, 0), options, InjectionTrigger.AtIndex(2), Labels()));
        Assert.Equal(4, error.Index);

        var (values, labels, result) = Run(Constant(10, 0), options, InjectionTrigger.AtIndex(2), Labels(), ConflictPolicy.Skip);
        Assert.Equal([0, 0, 1, 1, 0, 0, 0, 0, 0, 0], values);
        Assert.Equal([2, 3, 4], LabelledIndices(labels));
        Assert.Equal(AnomalyLabel.Anomaly(AnomalyKind.Missing, 9), labels[4]);
        Assert.Equal(1, result.EventsTruncated);
        var e = Assert.Single(result.Events);
        Assert.Equal((2L, 2L, 0), (e.Start, e.Length, e.EventId));
    }

    [Fact]
    public void Overlap_TriggerWhileOwnEventActive_FailsOrSkips()
    {
        var injections = new[]
        {
            new AnomalyInjection(new LevelShiftOptions { Duration = 5 }, InjectionTrigger.AtIndex(2)),
            new AnomalyInjection(new SpikeOptions { Magnitude = 100 }, InjectionTrigger.AtIndex(4)),
        };
        var error = Assert.Throws<InjectionConflictException>(() =>
            AnomalyInjector.Inject(Series, Timestamps(10), Constant(10, 0), Normal(10), injections));
        Assert.Equal(InjectionConflictReason.EventActive, error.Reason);

        var values = Constant(10, 0);
        var result = AnomalyInjector.Inject(Series, Timestamps(10), values, Normal(10), injections, ConflictPolicy.Skip);
        Assert.Equal(1, result.EventsSkipped);
        Assert.Equal([0, 0, 4, 4, 4, 4, 4, 0, 0, 0], values);
    }

    [Fact]
    public void RandomTrigger_RespectsMinGap_AndIsSeeded()
    {
        var (values, labels, result) = Run(Constant(20, 0), new SpikeOptions { Magnitude = 1 }, InjectionTrigger.Random(rate: 1, seed: 1, minGap: 3));
        Assert.Equal([0, 4, 8, 12, 16], LabelledIndices(labels));
        Assert.Equal([0, 1, 2, 3, 4], result.Events.Select(e => e.EventId));
        Assert.Equal(5, values.Count(v => v == 1));

        var a = Run(Noisy(500, 3), new SpikeOptions(), InjectionTrigger.Random(0.02, seed: 7));
        var b = Run(Noisy(500, 3), new SpikeOptions(), InjectionTrigger.Random(0.02, seed: 7));
        var c = Run(Noisy(500, 3), new SpikeOptions(), InjectionTrigger.Random(0.02, seed: 8));
        Assert.Equal(a.Values, b.Values);
        Assert.Equal(a.Labels, b.Labels);
        Assert.NotEqual(LabelledIndices(a.Labels), LabelledIndices(c.Labels));
        Assert.InRange(a.Result.Events.Count, 2, 30);
    }

    [Fact]
    public void RandomTrigger_DoesNotStartOnOrRightAfterUpstreamLabels()
    {
        var labels = Normal(12);
        labels[0] = AnomalyLabel.Anomaly(AnomalyKind.Spike, 0);
        labels[5] = AnomalyLabel.Anomaly(AnomalyKind.Spike, 1);
        var result = AnomalyInjector.Inject(Series, Timestamps(12), Constant(12, 0), labels,
            new AnomalyInjection(new SpikeOptions(), InjectionTrigger.Random(1, seed: 0, minGap: 2)), firstEventId: 100);
        var after = labels;
        // 1, 2 are within the gap after 0; 6, 7 within the gap after the upstream label at 5; 9, 10 after 8.
        Assert.Equal([3, 8, 11], result.Events.Select(e => e.Start));
        Assert.Equal([100, 101, 102], result.Events.Select(e => e.EventId));
        Assert.Equal([0, 3, 5, 8, 11], LabelledIndices(after));
    }

    [Fact]
    public void EventIdClash_UpstreamReusesAnOwnId_AlwaysThrows()
    {
        var labels = Normal(10);
        labels[6] = AnomalyLabel.Anomaly(AnomalyKind.LabelledWindow, 0); // not yet seen when the spike at 2 takes id 0
        foreach (var policy in new[] { ConflictPolicy.Fail, ConflictPolicy.Skip })
        {
            var error = Assert.Throws<InjectionConflictException>(() =>
                AnomalyInjector.Inject(Series, Timestamps(10), Constant(10, 0), (AnomalyLabel[])labels.Clone(),
                    new AnomalyInjection(new SpikeOptions(), InjectionTrigger.AtIndex(2)), policy));
            Assert.Equal((6L, InjectionConflictReason.EventIdClash), (error.Index, error.Reason));
        }

        var ok = AnomalyInjector.Inject(Series, Timestamps(10), Constant(10, 0), labels,
            new AnomalyInjection(new SpikeOptions(), InjectionTrigger.AtIndex(2)), firstEventId: 10);
        Assert.Equal(10, Assert.Single(ok.Events).EventId);
    }

    [Fact]
    public void AtTimestamp_FiresAtFirstObservationAtOrAfter()
    {
        var (_, labels, _) = Run(Constant(10, 0), new SpikeOptions(), InjectionTrigger.AtTimestamp(T0.AddSeconds(150)));
        Assert.Equal([3], LabelledIndices(labels));
    }

    [Fact]
    public void Trigger_SeriesFilter_SkipsOtherSeries()
    {
        var (values, labels, result) = Run(Constant(5, 0), new SpikeOptions(), InjectionTrigger.AtIndex(1, ["other"]));
        Assert.Empty(result.Events);
        Assert.Empty(LabelledIndices(labels));
        Assert.Equal(Constant(5, 0), values);
    }

    [Fact]
    public void Apply_PlacedEvent_OnAWindow_UsesSeriesIndices()
    {
        var e = new InjectedEvent(Series, 3, Start: 8, Length: 4, new LevelShiftOptions { Magnitude = 1, Duration = 4 });
        var values = Constant(6, 0); // series indices 5..10
        var labels = Normal(6);

        Assert.Equal(3, AnomalyInjector.Apply(e, values, labels, firstIndex: 5));
        Assert.Equal([0, 0, 0, 1, 1, 1], values);
        Assert.Equal(AnomalyLabel.Anomaly(AnomalyKind.LevelShift, 3), labels[5]);

        Assert.Throws<InjectionConflictException>(() => AnomalyInjector.Apply(e, values, labels, firstIndex: 5));
    }

    [Fact]
    public void Inject_LengthMismatch_Throws() =>
        Assert.Throws<ArgumentException>(() =>
            AnomalyInjector.Inject(Series, Timestamps(3), Constant(4, 0), Normal(4), new AnomalyInjection(new SpikeOptions(), InjectionTrigger.AtIndex(0))));

    public static TheoryData<InjectionOptions, string> InvalidOptions() => new()
    {
        { new SpikeOptions { Magnitude = 0 }, "Magnitude" },
        { new SpikeOptions { Magnitude = double.NaN }, "Magnitude" },
        { new SpikeOptions { Sigma = -1 }, "Sigma" },
        { new SpikeOptions { Length = 0 }, "Length" },
        { new SpikeOptions { Length = SpikeOptions.MaxLength + 1 }, "Length" },
        { new SpikeOptions { Direction = (InjectionDirection)7 }, "Direction" },
        { new SpikeOptions { Range = new ValueRange(1, 1) }, "Range" },
        { new SpikeOptions { Range = default }, "Range" },
        { new LevelShiftOptions { Duration = 0 }, "Duration" },
        { new LevelShiftOptions { Magnitude = -2 }, "Magnitude" },
        { new DriftOptions { RampLength = 0 }, "RampLength" },
        { new DriftOptions { HoldLength = -1 }, "HoldLength" },
        { new MissingOptions { Length = 0 }, "Length" },
        { new SeasonalOptions { AmplitudeFactor = 2, Length = 0 }, "Length" },
        { new SeasonalOptions(), "AmplitudeFactor" },
        { new SeasonalOptions { AmplitudeFactor = -1 }, "AmplitudeFactor" },
        { new SeasonalOptions { PeriodFactor = 0.001 }, "PeriodFactor" },
        { new SeasonalOptions { PhaseShift = 7 }, "PhaseShift" },
        { new SeasonalOptions { AmplitudeFactor = 2, Component = new SeasonalComponent(1, 1, 0) }, "Component" },
        { new SeasonalOptions { AmplitudeFactor = 2, Component = new SeasonalComponent(10, 0, 0) }, "Component" },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void Validate_OutOfRange_ThrowsNamingTheProperty(InjectionOptions options, string property)
    {
        var error = Assert.ThrowsAny<ArgumentException>(options.Validate);
        Assert.Equal(property, error.ParamName);
    }

    [Fact]
    public void Trigger_Factories_RejectBadArguments()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => InjectionTrigger.AtIndex(-1));
        Assert.Throws<ArgumentOutOfRangeException>(() => InjectionTrigger.Random(0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => InjectionTrigger.Random(1.5, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => InjectionTrigger.Random(0.5, 1, minGap: -1));
        Assert.Throws<ArgumentException>(() => InjectionTrigger.AtTimestamp(new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Local)));
    }
}
