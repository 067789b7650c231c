using Workbench.Core;
using Workbench.Generation;

namespace Workbench.Tests.Generation;

public class DatasetGeneratorTests
{
    /// <summary>6 sources × 3 metrics × 600 points, every source anomalous with 3–5 events of all kinds.</summary>
    internal static DatasetSpec SmallSpec(long seed = 5) => Presets.Get(Presets.DefaultSmall) with
    {
        Seed = seed,
        Sources = 6,
        Points = 600,
        Anomalies = Presets.Get(Presets.DefaultSmall).Anomalies with
        {
            SourceRatio = 1,
            EventsPerSource = new IntRange(3, 5),
            MinGap = 10,
            EdgeMargin = 20,
            Kinds = new AnomalyKindsSpec
            {
                Spike = new SpikeSpec { Magnitude = new(5, 10), Length = new(1, 3) },
                LevelShift = new LevelShiftSpec { Length = new(20, 60) },
                Drift = new DriftSpec { Length = new(10, 30), HoldLength = new(0, 20) },
                Missing = new MissingSpec { Length = new(3, 10) },
                Seasonal = new SeasonalChangeSpec { Length = new(30, 90), AmplitudeFactor = new(2, 3) },
            },
        },
    };

    private static List<LabeledObservation> Rows(DatasetGenerator generator, int batchRows) =>
        generator.Generate(batchRows).SelectMany(b => b.AsObservations()).ToList();

    [Fact]
    public void Generate_YieldsCanonicalOrder_EverySeriesAtEveryInstantOnce()
    {
        var generator = new DatasetGenerator(SmallSpec());
        var batches = generator.Generate(1000).ToList();
        Assert.All(batches.SkipLast(1), b => Assert.Equal(1000, b.Count));
        Assert.Same(generator.SeriesNames, batches[0].SeriesNames);

        var rows = batches.SelectMany(b => b.AsObservations()).ToList();
        Assert.Equal(generator.TotalRows, rows.Count);
        Assert.Equal(6 * 3 * 600, generator.TotalRows);
        var ids = batches.SelectMany(b => b.SeriesIds.Take(b.Count)).ToArray();
        for (var r = 0; r < rows.Count; r++)
        {
            Assert.Equal(r % 18, ids[r]);
            Assert.Equal(generator.TimestampAt(r / 18), rows[r].Timestamp);
            Assert.Equal(DateTimeKind.Utc, rows[r].Timestamp.Kind);
            Assert.Equal(generator.SeriesNames[r % 18], rows[r].Series);
        }
    }

    [Fact]
    public void Generate_BatchSize_DoesNotChangeTheRows()
    {
        var generator = new DatasetGenerator(SmallSpec());
        var reference = Rows(generator, 1 << 20);
        Assert.Equal(reference, Rows(generator, 1));
        Assert.Equal(reference, Rows(generator, 7));
        Assert.Equal(reference, Rows(generator, 1000));
        Assert.Equal(reference, generator.GenerateObservations().ToList());

        var reused = new List<LabeledObservation>();
        var objects = new HashSet<ObservationBatch>(ReferenceEqualityComparer.Instance);
        foreach (var batch in generator.Generate(333, reuseBatch: true))
        {
            objects.Add(batch);
            reused.AddRange(batch.AsObservations());
        }

        Assert.Equal(reference, reused);
        Assert.InRange(objects.Count, 1, 2);
    }

    [Fact]
    public void Generate_Parallelism_DoesNotChangeTheRows()
    {
        // 200 sources × 3 metrics = 600 series: enough for two partitions per batch.
        var spec = SmallSpec() with { Sources = 200, Points = 120, Anomalies = SmallSpec().Anomalies with { EdgeMargin = 5, MinGap = 2, EventsPerSource = new(1, 1),
            Kinds = SmallSpec().Anomalies.Kinds with { LevelShift = new LevelShiftSpec { Length = new(5, 20) }, Drift = new DriftSpec { Length = new(5, 20), HoldLength = new(0, 10) }, Seasonal = new SeasonalChangeSpec { Length = new(10, 40) } } } };
        var sequential = Rows(new DatasetGenerator(spec, 1), 40_000);
        var parallel = Rows(new DatasetGenerator(spec, 2), 40_000);
        Assert.Equal(sequential, parallel);
        Assert.Contains(sequential, o => o.Label.IsAnomaly);
    }

    [Fact]
    public void Generate_StoppingEarly_ThenStartingOver_GivesTheSameRows()
    {
        var generator = new DatasetGenerator(SmallSpec(), 2);
        var first = generator.Generate(100).Take(3).SelectMany(b => b.AsObservations()).ToList();
        Assert.Equal(300, first.Count);
        Assert.Equal(first, Rows(generator, 100).Take(300));
    }

    [Fact]
    public void Generate_SameSeed_Identical_DifferentSeed_Different()
    {
        var a = Rows(new DatasetGenerator(SmallSpec(seed: 5)), 4096);
        var b = Rows(new DatasetGenerator(SmallSpec(seed: 5)), 4096);
        var c = Rows(new DatasetGenerator(SmallSpec(seed: 6)), 4096);
        Assert.Equal(a, b);
        Assert.True(a.Zip(c).Count(p => p.First.Value != p.Second.Value) > a.Count * 0.9);
        Assert.NotEqual(new DatasetGenerator(SmallSpec(seed: 5)).Events, new DatasetGenerator(SmallSpec(seed: 6)).Events);
    }

    [Fact]
    public void GenerateSeries_EqualsTheSeriesRowsOfGenerate()
    {
        var generator = new DatasetGenerator(SmallSpec());
        var rows = Rows(generator, 5000);
        for (var s = 0; s < generator.SeriesNames.Count; s++)
        {
            var series = generator.GenerateSeries(s);
            var mine = rows.Where(o => o.Series == generator.SeriesNames[s]).ToList();
            Assert.Equal(series.Values, mine.Select(o => o.Value));
            Assert.Equal(series.Labels, mine.Select(o => o.Label));
            Assert.Equal(series.Timestamps, mine.Select(o => o.Timestamp));
        }
    }

    [Fact]
    public void Labels_AreExactlyThePointsThatDifferFromTheBaseSignal()
    {
        var generator = new DatasetGenerator(SmallSpec());
        var labelled = 0;
        for (var s = 0; s < generator.SeriesNames.Count; s++)
        {
            var clean = generator.GenerateSeries(s, withAnomalies: false);
            var injected = generator.GenerateSeries(s);
            Assert.All(clean.Labels, l => Assert.False(l.IsAnomaly));
            Assert.All(clean.Values, v => Assert.NotNull(v));
            for (var t = 0; t < clean.Values.Length; t++)
            {
                Assert.Equal(clean.Values[t] != injected.Values[t], injected.Labels[t].IsAnomaly);
                labelled += injected.Labels[t].IsAnomaly ? 1 : 0;
            }
        }

        Assert.True(labelled > 500, $"{labelled} labelled points");
    }

    [Fact]
    public void Events_ChangeTheirPointsAsDocumented_AndNotTheNeighbours()
    {
        var generator = new DatasetGenerator(SmallSpec());
        var seen = new HashSet<AnomalyKind>();
        for (var s = 0; s < generator.SeriesNames.Count; s++)
        {
            var clean = generator.GenerateSeries(s, withAnomalies: false);
            var injected = generator.GenerateSeries(s);
            foreach (var e in generator.EventsOf(s))
            {
                seen.Add(e.Kind);
                var range = e.Options.Range;
                var before = e.Start - 1;
                Assert.Equal(clean.Values[before], injected.Values[before]);
                Assert.False(injected.Labels[before].IsAnomaly);
                if (e.End < clean.Values.Length)
                {
                    Assert.Equal(clean.Values[e.End], injected.Values[e.End]);
                    Assert.False(injected.Labels[e.End].IsAnomaly);
                }

                for (var t = e.Start; t < e.End; t++)
                {
                    var k = t - e.Start;
                    var baseValue = clean.Values[t]!.Value;
                    double? expected = e.Options switch
                    {
                        SpikeOptions o => range.Clamp(baseValue + (Sign(o.Direction) * o.Magnitude * o.Sigma)),
                        LevelShiftOptions o => range.Clamp(baseValue + (Sign(o.Direction) * o.Magnitude * o.Sigma)),
                        DriftOptions o => range.Clamp(baseValue + (Sign(o.Direction) * o.Magnitude * o.Sigma * Math.Min(k + 1, o.RampLength) / o.RampLength)),
                        MissingOptions => null,
                        SeasonalOptions o => baseValue + (o.ChangedComponent.ValueAt(t) - o.Component.ValueAt(t)),
                        _ => throw new InvalidOperationException(),
                    };
                    if (expected is double x)
                    {
                        Assert.Equal(x, injected.Values[t]!.Value, Math.Abs(x) * 1e-12);
                    }
                    else
                    {
                        Assert.Null(injected.Values[t]);
                    }

                    if (injected.Values[t] != clean.Values[t])
                    {
                        Assert.Equal(e.Label, injected.Labels[t]);
                    }
                }
            }
        }

        Assert.Equal(AnomalyKind.Injected.ToHashSet(), seen);
    }

    private static double Sign(InjectionDirection direction) => direction == InjectionDirection.Up ? 1 : -1;

    [Fact]
    public void Events_PerSeries_HaveTimeOrderedIds_RespectGapsAndMargins()
    {
        var spec = SmallSpec();
        var generator = new DatasetGenerator(spec);
        Assert.NotEmpty(generator.Events);
        for (var s = 0; s < generator.SeriesNames.Count; s++)
        {
            var events = generator.EventsOf(s);
            for (var i = 0; i < events.Count; i++)
            {
                Assert.Equal(i, events[i].EventId);
                Assert.Equal(generator.SeriesNames[s], events[i].Series);
                Assert.True(events[i].Start >= spec.Anomalies.EdgeMargin);
                Assert.True(events[i].End <= spec.Points - spec.Anomalies.EdgeMargin);
                Assert.Equal(events[i].Options.Span, events[i].Length);
                Assert.Equal(spec.Metrics[s % 3].Range, events[i].Options.Range);
                if (i > 0)
                {
                    Assert.True(events[i].Start - events[i - 1].End >= spec.Anomalies.MinGap, "events overlap or are closer than minGap");
                }
            }
        }

        var perSource = generator.Events.GroupBy(e => e.Series.Split('/')[0]).Select(g => g.Count()).ToList();
        Assert.Equal(spec.Sources, perSource.Count);
        Assert.All(perSource, n => Assert.InRange(n, 3, 5));
    }

    [Fact]
    public void Events_Permanent_RunToTheEnd_AndAreLastInTheirSeries()
    {
        var spec = SmallSpec() with
        {
            Anomalies = SmallSpec().Anomalies with
            {
                Kinds = SmallSpec().Anomalies.Kinds with
                {
                    LevelShift = new LevelShiftSpec { Length = new(20, 40), PermanentProbability = 1 },
                    Drift = new DriftSpec { Length = new(10, 30), PermanentProbability = 1 },
                },
            },
        };
        var generator = new DatasetGenerator(spec);
        var permanent = generator.Events.Where(e => e.Options.Span is null).ToList();
        Assert.NotEmpty(permanent);
        foreach (var e in permanent)
        {
            Assert.Equal(spec.Points, e.End);
            Assert.Same(e, generator.Events.Where(x => x.Series == e.Series).MaxBy(x => x.Start));
            Assert.True(e.Start <= spec.Points - spec.Anomalies.EdgeMargin - 10);
            var series = generator.GenerateSeries(generator.SeriesNames.ToList().IndexOf(e.Series));
            Assert.True(series.Labels[^1].IsAnomaly || series.Values[^1] == spec.Metrics[0].Min);
        }

        Assert.All(generator.Events.GroupBy(e => e.Series), g => Assert.True(g.Count(e => e.Options.Span is null) <= 1));
    }

    [Fact]
    public void Placement_EventsThatCannotFit_ThrowTypedError()
    {
        var spec = SmallSpec() with
        {
            Points = 200,
            Anomalies = SmallSpec().Anomalies with
            {
                EventsPerSource = new(10, 10),
                EdgeMargin = 10,
                MinGap = 10,
                Kinds = new AnomalyKindsSpec { Spike = new SpikeSpec { Weight = 0 }, LevelShift = new LevelShiftSpec { Weight = 0 }, Drift = new DriftSpec { Weight = 0 }, Missing = new MissingSpec { Weight = 0 }, Seasonal = new SeasonalChangeSpec { Length = new(100, 100) } },
            },
        };
        var error = Assert.Throws<AnomalyPlacementException>(() => new DatasetGenerator(spec));
        Assert.Equal("anomalies", error.KeyPath);
        Assert.StartsWith("host-", error.Source, StringComparison.Ordinal);
        Assert.Contains("seasonal", error.Reason, StringComparison.Ordinal);
        Assert.IsAssignableFrom<DatasetSpecException>(error);

        // the same request fits when the series are long enough
        Assert.NotEmpty(new DatasetGenerator(spec.WithOverrides(points: 2000)).Events);
    }

    [Fact]
    public void Clamping_KeepsBaseAndInjectedValuesInTheMetricRange()
    {
        // Huge downward spikes and shifts: error rate and throughput must stay ≥ 0, error rate ≤ 1.
        var spec = SmallSpec() with
        {
            Anomalies = SmallSpec().Anomalies with
            {
                Kinds = SmallSpec().Anomalies.Kinds with
                {
                    Spike = new SpikeSpec { Magnitude = new(1000, 2000), Direction = InjectionDirection.Down },
                    LevelShift = new LevelShiftSpec { Magnitude = new(1000, 2000), Length = new(20, 40), Direction = InjectionDirection.Up },
                },
            },
        };
        var generator = new DatasetGenerator(spec);
        var rows = generator.GenerateObservations().ToList();
        var clampedToBound = 0;
        foreach (var o in rows.Where(o => o.Value.HasValue))
        {
            var metric = spec.Metrics[generator.SeriesNames.ToList().IndexOf(o.Series) % 3];
            Assert.True(metric.Range.Contains(o.Value!.Value), $"{o} outside {metric.Range}");
            if (o.Label.IsAnomaly && (o.Value == metric.Min || o.Value == metric.Max))
            {
                clampedToBound++;
            }
        }

        Assert.True(clampedToBound > 10, $"only {clampedToBound} injected points hit a bound");
        Assert.Contains(rows, o => o.Series.EndsWith("/error_rate", StringComparison.Ordinal) && o.Label.Kind == AnomalyKind.LevelShift && o.Value == 1.0);
    }

    [Fact]
    public void Generate_HugeSpec_PlansUpFrontAndStreamsWithFlatMemory()
    {
        // 70 000 sources × 3 metrics × 1440 points = 302.4 M rows (≈ 13.6 GB if materialised as batches).
        var spec = Presets.Get(Presets.OpsMetrics).WithOverrides(sources: 70_000);
        var before = GC.GetAllocatedBytesForCurrentThread();
        var generator = new DatasetGenerator(spec, 1);
        var rows = 0L;
        foreach (var batch in generator.Generate(1 << 16, reuseBatch: true).Take(8))
        {
            rows += batch.Count;
        }

        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(302_400_000, generator.TotalRows);
        Assert.Equal(8 << 16, rows);
        Assert.Equal(21_000, generator.Events.Select(e => e.Series.Split('/')[0]).Distinct().Count());
        Assert.True(allocated < 250_000_000, $"allocated {allocated:N0} bytes");
    }

    [Fact]
    public void Constructor_InvalidSpec_ThrowsSpecException()
    {
        Assert.Equal("points", Assert.Throws<DatasetSpecException>(() => new DatasetGenerator(SmallSpec() with { Points = 0 })).KeyPath);
        Assert.Throws<ArgumentOutOfRangeException>(() => new DatasetGenerator(SmallSpec(), 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DatasetGenerator(SmallSpec()).Generate(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DatasetGenerator(SmallSpec()).GenerateSeries(18));
    }
}
