using System.Reactive.Linq;
using System.Reactive.Subjects;
using Workbench.Core;
using Workbench.Onnx;
using Workbench.Operators.Forecasting;
using static Workbench.Tests.Onnx.OnnxTestKit;
using static Workbench.Tests.Operators.OperatorTestKit;

namespace Workbench.Tests.Onnx;

public class OnnxForecasterTests
{
    /// <summary>Streaming (one window per call) and batched inference agree to this, in series units.</summary>
    private const double PathTolerance = 1e-6;

    private static readonly int W = Sidecar.Window;

    [Fact]
    public void WarmUp_NoForecastUntilTheWindowIsFull_ThenIntervalIsZTimesSigma()
    {
        var output = AssertPathsAgree(Forecaster(), Latency("s", W + 3, seed: 1));

        Assert.All(output.Take(W), o => Assert.Equal(ForecastPoint.None, o.Forecast));
        var sigma = Sidecar.ResidualSigma[0];
        foreach (var o in output.Skip(W))
        {
            var f = o.Forecast;
            Assert.InRange(f.Value!.Value, 50, 150);
            Assert.Equal(f.Value.Value - (1.96 * sigma), f.Lower!.Value, 9);
            Assert.Equal(f.Value.Value + (1.96 * sigma), f.Upper!.Value, 9);
        }
    }

    [Fact]
    public void Interval_NoneWithZZero_AndNoneBeyondTheStepsTheSidecarLists()
    {
        var noInterval = AssertPathsAgree(Forecaster(z: 0), Latency("s", W + 2, seed: 2));
        Assert.All(noInterval.Skip(W), o => Assert.True(o.Forecast.Value.HasValue && o.Forecast.Lower is null && o.Forecast.Upper is null));

        var steps = Sidecar.ResidualSigma.Count;
        var kernel = Forecaster().CreateKernel();
        foreach (var o in Latency("s", W, seed: 3))
        {
            kernel.Update(o.Timestamp, o.Value);
        }

        var ahead = new ForecastPoint[steps + 1];
        kernel.Forecast(ahead);
        Assert.Equal(ahead[steps - 1].Value!.Value + (1.96 * Sidecar.ResidualSigma[steps - 1]), ahead[steps - 1].Upper!.Value, 9);
        Assert.NotNull(ahead[steps].Value);
        Assert.Null(ahead[steps].Lower);
    }

    [Fact]
    public void Forecast_IsNotARepeatOfTheInput_AndFollowsTheLevel()
    {
        // A constant window at 100 forecasts close to 100; the same shape 50 higher forecasts about 50 higher.
        var low = AssertPathsAgree(Forecaster(), Series("s", [.. Enumerable.Repeat<double?>(100, W + 1)]))[W].Forecast.Value!.Value;
        var high = AssertPathsAgree(Forecaster(), Series("s", [.. Enumerable.Repeat<double?>(150, W + 1)]))[W].Forecast.Value!.Value;
        Assert.InRange(low, 95, 105);
        Assert.InRange(high - low, 40, 60);
    }

    [Fact]
    public void Missing_AfterWarmUp_IsImputedWithTheOwnForecast()
    {
        // Row W+5 is missing: the window takes the forecast made for it, so the next forecast equals the one made
        // when that forecast is fed as if observed.
        var gappy = Latency("s", W + 8, seed: 4, missing: W + 5);
        var output = AssertPathsAgree(Forecaster(), gappy);
        var imputed = output[W + 5].Forecast.Value!.Value;

        var filled = gappy.ToList();
        filled[W + 5] = filled[W + 5] with { Value = imputed };
        var reference = AssertPathsAgree(Forecaster(), filled);

        Assert.All(output, o => Assert.True(o.Observation.Timestamp < T0.AddMinutes(W) || o.Forecast.Value.HasValue));
        for (var t = W + 6; t < gappy.Count; t++)
        {
            Assert.Equal(reference[t].Forecast.Value!.Value, output[t].Forecast.Value!.Value, 6);
        }
    }

    [Fact]
    public void Missing_DuringWarmUp_RestartsWarmUp()
    {
        // Row 10 missing before the window is full: warm-up restarts at row 11, first forecast for row 11 + W.
        var output = AssertPathsAgree(Forecaster(), Latency("s", W + 20, seed: 5, missing: 10));
        var first = Array.FindIndex(output, o => o.Forecast.Value.HasValue);
        Assert.Equal(11 + W, first);
    }

    [Fact]
    public void Missing_LongerThanMaxGap_ClearsTheWindow()
    {
        // max-gap 2: rows W+1 and W+2 are imputed (their successors still get forecasts); row W+3, the third missing
        // in a row, clears the window; forecasts resume W present rows later, at row W+4+W.
        var gappy = Latency("s", (3 * W) + 10, seed: 6, missing: [W + 1, W + 2, W + 3]);
        var output = AssertPathsAgree(Forecaster(maxGap: 2), gappy);

        Assert.True(output[W + 2].Forecast.Value.HasValue);
        Assert.True(output[W + 3].Forecast.Value.HasValue);
        Assert.All(output.Skip(W + 4).Take(W), o => Assert.Null(o.Forecast.Value));
        Assert.True(output[W + 4 + W].Forecast.Value.HasValue);
    }

    [Fact]
    public void MaxGapZero_SuspendsUntilTheWindowIsFullOfPresentValues()
    {
        var output = AssertPathsAgree(Forecaster(maxGap: 0), Latency("s", (2 * W) + 10, seed: 7, missing: W + 2));
        Assert.True(output[W + 2].Forecast.Value.HasValue);
        Assert.All(output.Skip(W + 3).Take(W), o => Assert.Null(o.Forecast.Value));
        Assert.True(output[W + 3 + W].Forecast.Value.HasValue);
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void NonFiniteValue_IsAnError_InBothPaths(double bad)
    {
        var input = Latency("s", 10, seed: 14);
        input[4] = input[4] with { Value = bad };

        var streaming = Assert.Throws<ArgumentOutOfRangeException>(() => ForecasterBatch.Forecast(Forecaster(), input));
        var batch = Assert.Throws<ArgumentOutOfRangeException>(() => Forecaster().ForecastBatch(input));

        Assert.Contains("2024-01-01T00:04:00.000Z is not finite", streaming.Message, StringComparison.Ordinal);
        Assert.Contains("input row 4 is not finite", batch.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(1, 1024)]
    [InlineData(1, 7)]
    [InlineData(3, 1024)]
    [InlineData(4, 5)]
    public void StreamingEqualsBatch_ManySeriesWithGaps(int horizon, int batch)
    {
        // Three interleaved series with gaps inside and beyond max-gap, batch sizes that split and fill unevenly.
        var input = Interleave(
            Latency("a", 400, seed: 8, missing: [60, 61, 62, 200, 201, 202, 203, 204, 205, 206, 207, 208, 209, 210, 211, 212, 300]),
            Latency("b", 350, seed: 9, missing: [5, 100]),
            Latency("c", 380, seed: 10));

        var output = AssertPathsAgree(Forecaster(batch), input, horizon);

        Assert.True(output.Count(o => o.Forecast.Value.HasValue) > 800);
        Assert.True(output.Count(o => !o.Forecast.Value.HasValue) > 3 * W);
    }

    [Fact]
    public void PerSeries_StateIsIsolated_ThroughTheRxOperator()
    {
        var a = Latency("a", W + 30, seed: 11, missing: W + 10);
        var b = Series("b", [.. Enumerable.Range(0, W + 30).Select(i => (double?)(200 + (i % 7)))]);
        var forecaster = Forecaster();

        var mixed = Interleave(a, b).ToObservable().Forecast(forecaster).ToList().Wait();
        var alone = a.ToObservable().Forecast(forecaster).ToList().Wait();

        Assert.Equal(alone, mixed.Where(o => o.Observation.Series == "a"));
        Assert.Equal(a, alone.Select(o => o.Observation));
        Assert.NotEqual(
            mixed.Where(o => o.Observation.Series == "a").Select(o => o.Forecast).Skip(W),
            mixed.Where(o => o.Observation.Series == "b").Select(o => o.Forecast).Skip(W));
    }

    [Fact]
    public void Rx_SubscriptionsAreIndependent_ErrorsPassThroughOnce_DisposeStops()
    {
        var subject = new Subject<LabeledObservation>();
        var forecast = subject.Forecast(Forecaster());
        var first = new List<ForecastPoint>();
        var second = new List<ForecastPoint>();
        Exception? error = null;
        var completed = 0;
        var s1 = forecast.Subscribe(f => first.Add(f.Forecast), e => error = e, () => completed++);
        var rows = Latency("s", W + 2, seed: 12);
        foreach (var o in rows.Take(W))
        {
            subject.OnNext(o);
        }

        using var s2 = forecast.Subscribe(f => second.Add(f.Forecast));
        subject.OnNext(rows[W]);
        subject.OnNext(rows[W + 1]);

        // The first subscription has a full window; the second started late and is still warming up.
        Assert.True(first[W].Value.HasValue);
        Assert.All(second, f => Assert.Equal(ForecastPoint.None, f));

        s1.Dispose();
        subject.OnNext(rows[0]);
        Assert.Equal(W + 2, first.Count);

        var failing = new Subject<LabeledObservation>();
        using var s3 = failing.Forecast(Forecaster()).Subscribe(_ => { }, e => error = e, () => completed++);
        failing.OnError(new InvalidOperationException("boom"));
        Assert.Equal("boom", error?.Message);
        Assert.Equal(0, completed);
    }

    [Fact]
    public void StreamingKernel_AllocatesNothingPerEvent()
    {
        var kernel = Forecaster().CreateKernel();
        var rows = Latency("s", W + 600, seed: 13, missing: W + 300);
        var ahead = new ForecastPoint[1];
        foreach (var o in rows.Take(W + 100))
        {
            kernel.Forecast(ahead);
            kernel.Update(o.Timestamp, o.Value);
        }

        var before = GC.GetAllocatedBytesForCurrentThread();
        for (var i = W + 100; i < rows.Count; i++)
        {
            kernel.Forecast(ahead);
            kernel.Update(rows[i].Timestamp, rows[i].Value);
        }

        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Assert.NotNull(ahead[0].Value);
    }

    /// <summary>
    /// Runs the kernel path (<see cref="ForecasterBatch"/>, the same as Rx) and the batched path (whole input, and
    /// per series through the span twin); asserts same rows, same presence of forecasts, values within
    /// <see cref="PathTolerance"/>. Returns the kernel path's output.
    /// </summary>
    private static ForecastedObservation[] AssertPathsAgree(OnnxForecaster forecaster, IReadOnlyList<LabeledObservation> input, int horizon = 1)
    {
        var streamed = AssertStreamEqualsBatch(forecaster, input, horizon);
        var batched = forecaster.ForecastBatch(input, horizon);
        Assert.Equal(streamed.Length, batched.Length);
        for (var i = 0; i < streamed.Length; i++)
        {
            Assert.Equal(streamed[i].Observation, batched[i].Observation);
            AssertClose(streamed[i].Forecast, batched[i].Forecast, i);
        }

        foreach (var group in input.Select((o, i) => (o, i)).GroupBy(t => t.o.Series))
        {
            var idx = group.Select(t => t.i).ToArray();
            var spans = new ForecastPoint[idx.Length];
            forecaster.ForecastSeries(idx.Select(i => input[i].Value).ToArray(), spans, horizon);
            for (var j = 0; j < idx.Length; j++)
            {
                AssertClose(streamed[idx[j]].Forecast, spans[j], idx[j]);
            }
        }

        return streamed;
    }

    private static void AssertClose(ForecastPoint expected, ForecastPoint actual, int row)
    {
        Assert.True(expected.Value.HasValue == actual.Value.HasValue, $"row {row}: {expected} vs {actual}");
        Assert.True(expected.Lower.HasValue == actual.Lower.HasValue, $"row {row}: {expected} vs {actual}");
        if (expected.Value is { } e)
        {
            Assert.True(Math.Abs(e - actual.Value!.Value) <= PathTolerance, $"row {row}: streaming {e} batch {actual.Value}");
            if (expected.Lower is { } lower)
            {
                Assert.True(Math.Abs(lower - actual.Lower!.Value) <= PathTolerance, $"row {row}: lower {lower} vs {actual.Lower}");
                Assert.True(Math.Abs(expected.Upper!.Value - actual.Upper!.Value) <= PathTolerance, $"row {row}: upper");
            }
        }
    }
}
