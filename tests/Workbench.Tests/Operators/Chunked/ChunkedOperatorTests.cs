using System.Reactive.Linq;
using Workbench.Core;
using Workbench.Operators.Chunked;
using Workbench.Operators.Detection;
using Workbench.Operators.Forecasting;
using Workbench.Operators.Rolling;
using Workbench.Operators.Specs;
using Workbench.Replay;
using Workbench.Tests.Replay;
using static Workbench.Tests.Replay.ChunkedTestData;

namespace Workbench.Tests.Operators.Chunked;

/// <summary>
/// Every chunk-aware operator: chunked output flattened = per-event Rx output = array twin, on every data shape and
/// seed, chunk sizes 1 to 1024 with both boundaries and a reused-batch source; and the same Rx grammar (errors after
/// the right prefix, disposal, per-subscription state).
/// </summary>
public sealed class ChunkedOperatorTests
{
    /// <summary>Detector specs: every built-in detector with its defaults, plus the bench's extra specs and small windows for the test data.</summary>
    public static TheoryData<string> DetectorSpecs()
    {
        var data = new TheoryData<string>();
        foreach (var d in OperatorCatalog.BuiltIn.Descriptors.Where(d => d.Kind == OperatorKind.Detector && d.Name is not ("threshold" or "scaling-ratio" or "ensemble")))
        {
            data.Add(d.Name);
        }

        foreach (var spec in new[]
        {
            "threshold(upper=300)", "threshold(upper=300,lower=10)", "scaling-ratio(forecaster=naive,benchmark=moving-average)",
            "ensemble(members=zscore+mad+cusum,combine=max)", "mad(window=30,threshold=3.5)", "zscore(window=20,threshold=3)",
            "iqr(window=25)", "windowed-gaussian(window=64,step=8)", "flatline(window=5,tolerance=0)", "outage(below=1,run=2,missing=true)",
        })
        {
            data.Add(spec);
        }

        return data;
    }

    public static TheoryData<string> ForecasterSpecs()
    {
        var data = new TheoryData<string>();
        foreach (var d in OperatorCatalog.BuiltIn.Descriptors.Where(d => d.Kind == OperatorKind.Forecaster))
        {
            data.Add(d.Name);
        }

        data.Add("seasonal-naive(period=7)");
        data.Add("holt-winters(period=12)");
        return data;
    }

    /// <summary>The chunk settings every equivalence runs with; null batch size = array source.</summary>
    private static readonly (ChunkOptions Options, int? SourceBatch)[] Settings =
    [
        (new ChunkOptions(1, ChunkBoundary.Instant), null),
        (new ChunkOptions(7, ChunkBoundary.Instant), null),
        (new ChunkOptions(13, ChunkBoundary.Run), null),
        (new ChunkOptions(1024, ChunkBoundary.Run), null),
        (new ChunkOptions(64, ChunkBoundary.Run), 17),
    ];

    [Theory]
    [MemberData(nameof(DetectorSpecs))]
    public void Detect_Chunked_EqualsPerEventAndTwin(string spec)
    {
        var detector = OperatorCatalog.BuiltIn.ParseDetector(spec);
        AssertAllPathsEqual(
            o => o.Detect(detector),
            c => c.Detect(detector).ToScored(),
            data => DetectorBatch.Score(detector, data));
    }

    [Theory]
    [MemberData(nameof(ForecasterSpecs))]
    public void Forecast_Chunked_EqualsPerEventAndTwin(string spec)
    {
        var forecaster = OperatorCatalog.BuiltIn.ParseForecaster(spec);
        foreach (var horizon in new[] { 1, 3 })
        {
            AssertAllPathsEqual(
                o => o.Forecast(forecaster, horizon),
                c => c.Forecast(forecaster, horizon).ToForecasted(),
                data => ForecasterBatch.Forecast(forecaster, data, horizon));
        }
    }

    [Fact]
    public void Rolling_Chunked_EqualsPerEventAndTwin()
    {
        AssertAllPathsEqual(o => o.MeanVariance(20), c => c.MeanVariance(20).ToRolled(), d => RollingBatch.Compute(new RollingMomentsOptions(20), d));
        AssertAllPathsEqual(o => o.Ewma(new EwmaOptions(0.2)), c => c.Ewma(new EwmaOptions(0.2)).ToRolled(), d => RollingBatch.Compute(new EwmaOptions(0.2), d));
        AssertAllPathsEqual(o => o.MinMax(15), c => c.MinMax(15).ToRolled(), d => RollingBatch.Compute(new RollingMinMaxOptions(15), d));
        AssertAllPathsEqual(o => o.ZScore(10), c => c.ZScore(10).ToRolled(), d => RollingBatch.Compute(new RollingZScoreOptions(10), d));
        AssertAllPathsEqual(
            o => o.Rolling(new RollingMomentsOptions(10, 3), MissingOutput.CarryLast),
            c => c.Rolling(new RollingMomentsOptions(10, 3), MissingOutput.CarryLast).ToRolled(),
            d => RollingBatch.Compute(new RollingMomentsOptions(10, 3), d, MissingOutput.CarryLast));
        AssertAllPathsEqual(
            o => o.Rolling(new EmaBaselineOptions(0.3, 4), MissingOutput.CarryLast),
            c => c.Rolling(new EmaBaselineOptions(0.3, 4), MissingOutput.CarryLast).ToRolled(),
            d => RollingBatch.Compute(new EmaBaselineOptions(0.3, 4), d, MissingOutput.CarryLast));
    }

    [Fact]
    public void RollingQuantile_Chunked_EqualsPerEventAndTwin()
    {
        var options = new[]
        {
            new RollingQuantileOptions(25),
            new RollingQuantileOptions(25, Statistic: RollingQuantileStatistic.Mad),
            new RollingQuantileOptions(40, Probability: 0.9, MinCount: 5),
        };
        foreach (var o in options)
        {
            AssertAllPathsEqual(s => s.RollingQuantile(o), c => c.RollingQuantile(o).ToQuantiles(), d => RollingQuantileBatch.Compute(o, d));
        }

        AssertAllPathsEqual(s => s.RollingMedian(9), c => c.RollingMedian(9).ToQuantiles(), d => RollingQuantileBatch.Compute(new RollingQuantileOptions(9), d));
        AssertAllPathsEqual(
            s => s.RollingMad(9), c => c.RollingMad(9).ToQuantiles(),
            d => RollingQuantileBatch.Compute(new RollingQuantileOptions(9, Statistic: RollingQuantileStatistic.Mad), d));
    }

    [Fact]
    public void ChunkedOperators_NullOrBadArguments_Throw()
    {
        var source = Observable.Empty<ObservationBatch>();
        Assert.Throws<ArgumentNullException>(() => ((IObservable<ObservationBatch>)null!).Detect(new ZScoreDetector()));
        Assert.Throws<ArgumentNullException>(() => source.Detect(null!));
        Assert.Throws<ArgumentOutOfRangeException>(() => source.Forecast(new NaiveForecaster(), 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => source.MeanVariance(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => source.Rolling(new RollingMomentsOptions(5), (MissingOutput)7));
        Assert.Throws<ArgumentOutOfRangeException>(() => source.RollingMedian(0));
        Assert.Throws<ArgumentNullException>(() => source.Detect(new ZScoreDetector()).Flatten<double?, int>(null!));
    }

    [Theory]
    [InlineData(ChunkBoundary.Instant)]
    [InlineData(ChunkBoundary.Run)]
    public void Detect_Chunked_ResultChunksArriveWithTheReplayClock(ChunkBoundary boundary)
    {
        var data = Make(Shape.Irregular, 4);
        var scheduler = new ReplayScheduler();
        var rows = 0;
        using (ObservationReplay.VirtualChunks(data, scheduler, new ChunkOptions(9, boundary)).Detect(new ZScoreDetector()).Subscribe(c =>
        {
            var ts = c.Input.Timestamps;
            Assert.Equal(ts[c.Count - 1], scheduler.UtcNow);
            if (boundary == ChunkBoundary.Instant)
            {
                Assert.All(ts[..c.Count], t => Assert.Equal(scheduler.UtcNow, t));
            }

            rows += c.Count;
        }))
        {
            scheduler.RunToCompletion();
        }

        Assert.Equal(data.Length, rows);
    }

    [Theory]
    [InlineData(1, ChunkBoundary.Instant)]
    [InlineData(5, ChunkBoundary.Instant)]
    [InlineData(31, ChunkBoundary.Run)]
    [InlineData(1024, ChunkBoundary.Run)]
    public void Detect_KernelThrowsMidStream_PrefixThenSameError(int maxRows, ChunkBoundary boundary)
    {
        var detector = new ThrowingDetector(399);
        foreach (var shape in Shapes)
        {
            var data = Make(shape, 12);
            var failing = Array.FindIndex(data, o => o.Value >= 399);
            Assert.True(failing >= 0);
            var perEvent = PerEvent(data, o => o.Detect(detector));
            var chunked = Chunked(data, c => c.Detect(detector).ToScored(), new ChunkOptions(maxRows, boundary), null);
            Assert.Equal(failing, perEvent.Items.Count);
            Assert.Equal(perEvent, chunked);
            Assert.StartsWith("InvalidOperationException: kernel failed at", chunked.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Detect_KernelThrows_FailingChunkCarriesOnlyTheRowsBeforeIt()
    {
        var data = Make(Shape.Aligned, 12);
        var failing = Array.FindIndex(data, o => o.Value >= 399);
        var scheduler = new ReplayScheduler();
        var counts = new List<(int Rows, int Input)>();
        Exception? error = null;
        using (ObservationReplay.VirtualChunks(data, scheduler, new ChunkOptions(1024, ChunkBoundary.Run)).Detect(new ThrowingDetector(399))
            .Subscribe(c => counts.Add((c.Count, c.Input.Count)), e => error = e))
        {
            scheduler.RunToCompletion();
        }

        Assert.IsType<InvalidOperationException>(error);
        Assert.Equal(failing, counts.Sum(c => c.Rows));
        Assert.True(counts[^1].Rows < counts[^1].Input);
        Assert.Equal(0, scheduler.ActiveReplays);
    }

    [Fact]
    public void Forecast_KernelInputError_NamesTheSeriesLikePerEvent()
    {
        var forecaster = OperatorCatalog.BuiltIn.ParseForecaster("holt-winters(period=4,seasonality=multiplicative)");
        var data = Make(Shape.Irregular, 21);
        var perEvent = PerEvent(data, o => o.Forecast(forecaster));
        Assert.NotNull(perEvent.Error);
        Assert.Contains("ForecastInputException", perEvent.Error, StringComparison.Ordinal);
        foreach (var (options, batch) in Settings)
        {
            Assert.Equal(perEvent, Chunked(data, c => c.Forecast(forecaster).ToForecasted(), options, batch));
        }
    }

    [Fact]
    public void Detect_SourceOutOfOrder_PrefixThenSameError()
    {
        var data = Make(Shape.Aligned, 2);
        data[200] = data[200] with { Timestamp = data[199].Timestamp.AddMinutes(-5) };
        var detector = new ZScoreDetector();
        var perEvent = PerEvent(data, o => o.Detect(detector));
        Assert.Equal(200, perEvent.Items.Count);
        foreach (var (options, _) in Settings)
        {
            Assert.Equal(perEvent, Chunked(data, c => c.Detect(detector).ToScored(), options, null));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(13)]
    [InlineData(1024)]
    public void Detect_DisposedMidStream_StopsReplayAndKernels(int maxRows)
    {
        var data = Make(Shape.Aligned, 5, rows: 6000);
        var source = new CountingSource(data);
        var detector = new CountingDetector();
        var scheduler = new ReplayScheduler();
        var delivered = 0;
        var chunks = 0;
        IDisposable? subscription = null;
        subscription = ObservationReplay.VirtualChunks(source, scheduler, new ChunkOptions(maxRows, ChunkBoundary.Run)).Detect(detector).Subscribe(c =>
        {
            delivered += c.Count;
            if (++chunks == 2)
            {
                subscription!.Dispose();
            }
        });
        scheduler.RunToCompletion();

        Assert.Equal(2, chunks);
        Assert.Equal(delivered, detector.Updates);
        Assert.Equal(delivered + 1, source.Reads);
        Assert.Equal(1, source.Disposals);
        Assert.Equal(0, scheduler.ActiveReplays);
    }

    [Fact]
    public void Detect_TwoSubscriptions_ShareNoState()
    {
        var data = Make(Shape.Irregular, 9);
        var detector = new ZScoreDetector(15, 3);
        var expected = DetectorBatch.Score(detector, data);
        var scheduler = new ReplayScheduler();
        var chunked = ObservationReplay.VirtualChunks(data, scheduler, new ChunkOptions(8)).Detect(detector).ToScored();
        var first = new List<ScoredObservation>();
        var second = new List<ScoredObservation>();
        using (chunked.Subscribe(first.Add))
        using (chunked.Subscribe(second.Add))
        {
            scheduler.RunToCompletion();
        }

        Assert.Equal(expected, first);
        Assert.Equal(expected, second);
    }

    [Fact]
    public void Detect_ChunksWithDifferentSeriesTables_KeepStatePerSeriesName()
    {
        var data = Make(Shape.Aligned, 13, rows: 400);
        var detector = new ZScoreDetector(10, 3);
        var batches = new List<ObservationBatch>();
        for (var start = 0; start < data.Length; start += 37)
        {
            // Each batch has its own table, names in a different order each time.
            var rows = data.Skip(start).Take(37).ToArray();
            var names = rows.Select(o => o.Series).Distinct().OrderBy(n => (n.GetHashCode(StringComparison.Ordinal) ^ start) & 0xffff).ToList();
            var batch = new ObservationBatch(names, rows.Length);
            foreach (var o in rows)
            {
                batch.Add(names.IndexOf(o.Series), o.Timestamp, o.Value, o.Label);
            }

            batches.Add(batch);
        }

        var flat = batches.ToObservable().Detect(detector).ToScored().ToList().Wait();
        Assert.Equal(DetectorBatch.Score(detector, data), flat);
    }

    [Fact]
    public void Detect_RowWithSeriesIdOutsideTheTable_EndsWithTypedError()
    {
        var batch = new ObservationBatch(["a"], 4);
        batch.Add(0, T0, 1, AnomalyLabel.Normal);
        batch.Add(3, T0.AddMinutes(1), 2, AnomalyLabel.Normal);
        var items = new List<ScoredObservation>();
        Exception? error = null;
        Observable.Return(batch).Detect(new ZScoreDetector()).ToScored().Subscribe(items.Add, e => error = e);
        Assert.Single(items);
        var typed = Assert.IsType<ReplaySourceException>(error);
        Assert.Contains("series id 3", typed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Flatten_SelectorThrows_EndsWithOnError()
    {
        var data = Make(Shape.Single, 1, rows: 50);
        var scheduler = new ReplayScheduler();
        var items = new List<int>();
        Exception? error = null;
        var n = 0;
        using (ObservationReplay.VirtualChunks(data, scheduler, new ChunkOptions(1024, ChunkBoundary.Run)).Detect(new ZScoreDetector())
            .Flatten((o, s) => ++n == 10 ? throw new FormatException("selector") : n)
            .Subscribe(items.Add, e => error = e))
        {
            scheduler.RunToCompletion();
        }

        Assert.Equal(Enumerable.Range(1, 9), items);
        Assert.IsType<FormatException>(error);
    }

    [Fact]
    public void ResultChunk_Observation_IsTheInputRow()
    {
        var data = Make(Shape.Aligned, 3, rows: 60);
        var scheduler = new ReplayScheduler();
        var rows = new List<LabeledObservation>();
        using (ObservationReplay.VirtualChunks(data, scheduler).Detect(new ZScoreDetector()).Subscribe(c =>
        {
            for (var i = 0; i < c.Count; i++)
            {
                rows.Add(c.Observation(i));
            }

            Assert.Throws<ArgumentOutOfRangeException>(() => c.Observation(c.Count));
        }))
        {
            scheduler.RunToCompletion();
        }

        Assert.Equal(data, rows);
    }

    /// <summary>Per-event Rx (virtual replay) = chunked Rx flattened (every setting) = array twin, on every shape and seed.</summary>
    private static void AssertAllPathsEqual<T>(
        Func<IObservable<LabeledObservation>, IObservable<T>> perEvent,
        Func<IObservable<ObservationBatch>, IObservable<T>> chunked,
        Func<IReadOnlyList<LabeledObservation>, IReadOnlyList<T>> twin)
    {
        foreach (var shape in Shapes)
        {
            foreach (var seed in Seeds)
            {
                var data = Make(shape, seed);
                var expected = PerEvent(data, perEvent);
                Assert.Equal(Outcome<T>.Of(() => twin(data)), expected);
                foreach (var (options, batch) in Settings)
                {
                    var actual = Chunked(data, chunked, options, batch);
                    Assert.True(expected.Equals(actual), $"{shape} seed {seed} {options} batch {batch}: chunked differs from per-event");
                }
            }
        }
    }

    private static Outcome<T> PerEvent<T>(LabeledObservation[] data, Func<IObservable<LabeledObservation>, IObservable<T>> op)
    {
        var scheduler = new ReplayScheduler();
        var outcome = new Outcome<T>();
        using (op(ObservationReplay.Virtual(data, scheduler)).Subscribe(outcome.Items.Add, e => outcome.Error = Outcome<T>.Describe(e), () => outcome.Completed = true))
        {
            scheduler.RunToCompletion();
        }

        return outcome;
    }

    private static Outcome<T> Chunked<T>(LabeledObservation[] data, Func<IObservable<ObservationBatch>, IObservable<T>> op, ChunkOptions options, int? sourceBatch)
    {
        var scheduler = new ReplayScheduler();
        var outcome = new Outcome<T>();
        var chunks = sourceBatch is { } b
            ? ObservationReplay.VirtualChunks(new ReusingBatchSource(data, b), scheduler, options)
            : ObservationReplay.VirtualChunks(data, scheduler, options);
        using (op(chunks).Subscribe(outcome.Items.Add, e => outcome.Error = Outcome<T>.Describe(e), () => outcome.Completed = true))
        {
            scheduler.RunToCompletion();
        }

        return outcome;
    }

    /// <summary>What a stream did: its items, and how it ended (error type and message).</summary>
    private sealed class Outcome<T> : IEquatable<Outcome<T>>
    {
        public List<T> Items { get; } = [];

        public string? Error { get; set; }

        public bool Completed { get; set; }

        public static Outcome<T> Of(Func<IReadOnlyList<T>> run)
        {
            var outcome = new Outcome<T>();
            try
            {
                outcome.Items.AddRange(run());
                outcome.Completed = true;
            }
            catch (Exception e) when (e is not Xunit.Sdk.XunitException)
            {
                outcome.Error = Describe(e);
            }

            return outcome;
        }

        public static string Describe(Exception e) => $"{e.GetType().Name}: {e.Message}";

        public bool Equals(Outcome<T>? other) =>
            other is not null && Error == other.Error && Completed == other.Completed && Items.SequenceEqual(other.Items);

        public override bool Equals(object? obj) => Equals(obj as Outcome<T>);

        public override int GetHashCode() => HashCode.Combine(Items.Count, Error, Completed);

        public override string ToString() => $"{Items.Count} items, {(Completed ? "completed" : Error ?? "not ended")}";
    }

    /// <summary>A detector whose kernel fails on the first value ≥ the limit (score = value otherwise).</summary>
    private sealed class ThrowingDetector(double limit) : IDetector
    {
        public string Name => "throwing";

        public string Spec => "throwing";

        public double Threshold => 1;

        public IDetectorKernel CreateKernel() => new Kernel(limit);

        private sealed class Kernel(double limit) : IDetectorKernel
        {
            public double? Update(DateTime timestamp, double? value) =>
                value >= limit ? throw new InvalidOperationException($"kernel failed at {timestamp:O}") : value;
        }
    }

    /// <summary>A detector that counts kernel updates (over all its kernels).</summary>
    private sealed class CountingDetector : IDetector
    {
        public int Updates { get; private set; }

        public string Name => "counting";

        public string Spec => "counting";

        public double Threshold => 1;

        public IDetectorKernel CreateKernel() => new Kernel(this);

        private sealed class Kernel(CountingDetector owner) : IDetectorKernel
        {
            public double? Update(DateTime timestamp, double? value)
            {
                owner.Updates++;
                return value;
            }
        }
    }
}
