using System.Reactive.Linq;
using Workbench.Core;
using Workbench.Operators.Hygiene;
using Workbench.Operators.Windows;
using static Workbench.Tests.Operators.Windows.WindowTestKit;

namespace Workbench.Tests.Operators.Windows;

public class CandleTests
{
    private static readonly TimeSpan M1 = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan M5 = TimeSpan.FromMinutes(5);

    // Prices: 0:00 10, 0:20 12, 0:40 9, 1:10 missing, 1:30 11, 5:05 13.
    private static readonly List<LabeledObservation> Ticks =
    [
        At("x", 0, 10), At("x", 20 / 60.0, 12), At("x", 40 / 60.0, 9), At("x", 70 / 60.0, null), At("x", 1.5, 11), At("x", 305 / 60.0, 13),
    ];

    [Fact]
    public void Candles_OneAndFiveMinutes_HandComputed_VolumeIsCount()
    {
        var result = Candles(Ticks, new CandleOptions([M1, M5]));
        Assert.Equal(
        [
            new Candle("x", M1, T0, 10, 12, 9, 9, 3, 3, 0, 0),                          // closed by 1:10
            new Candle("x", M1, T0.AddMinutes(1), 11, 11, 11, 11, 1, 1, 1, 0),          // closed by 5:05
            new Candle("x", M5, T0, 10, 12, 9, 11, 4, 4, 1, 0),                         // closed by 5:05
            new Candle("x", M1, T0.AddMinutes(5), 13, 13, 13, 13, 1, 1, 0, 0),          // flush, timeframes in order
            new Candle("x", M5, T0.AddMinutes(5), 13, 13, 13, 13, 1, 1, 0, 0),
        ], result.Windows);
        Assert.Equal(T0.AddMinutes(5), result.Windows[2].End);
        Assert.Equal("candles", result.Report.Stage);
    }

    [Fact]
    public void Candles_ParamsOverload_EqualsOptions()
    {
        var streamed = Ticks.ToObservable().ToCandles(M1, M5).ToList().Wait();
        Assert.Equal(WindowBatch.ToCandles(Ticks, new CandleOptions([M1, M5])).Windows, streamed);
    }

    [Fact]
    public void Candles_VolumeSelector_SumsOverPresentValues()
    {
        var options = new CandleOptions([M5]) { Volume = o => o.Value!.Value * 2 };
        var result = Candles(Ticks, options);
        Assert.Equal((10 + 12 + 9 + 11) * 2, result.Windows[0].Volume);

        var bad = new CandleOptions([M5]) { Volume = _ => double.NaN };
        var e = Assert.Throws<InvalidObservationException>(() => WindowBatch.ToCandles(Ticks, bad));
        Assert.Equal(("x", T0), (e.Series, e.Timestamp));
        Exception? error = null;
        Ticks.ToObservable().ToCandles(bad).Subscribe(_ => { }, ex => error = ex);
        Assert.IsType<InvalidObservationException>(error);

        Exception? thrown = null;
        Ticks.ToObservable().ToCandles(new CandleOptions([M5]) { Volume = _ => throw new FormatException("no volume") }).Subscribe(_ => { }, ex => thrown = ex);
        Assert.IsType<FormatException>(thrown);
    }

    [Fact]
    public void Candles_EmptyAndLate_FollowTheTumblingRules()
    {
        var empty = Candles(Ticks, new CandleOptions([M1]) { EmitEmpty = true });
        Assert.Equal(6, empty.Windows.Count); // minutes 0..5, 2-4 empty
        Assert.All(empty.Windows.Where(c => c.Count == 0 && c.Missing == 0), c => Assert.Equal((null, 0.0), (c.Open, c.Volume)));

        // A 0:50 tick after 5:05: late for both timeframes without lateness; within 5 minutes' lateness for M5 only.
        var input = Ticks.Append(At("x", 50 / 60.0, 20)).ToList();
        var strict = Candles(input, new CandleOptions([M1, M5]));
        Assert.Equal((2L, 1L), (strict.Report.Total.Late, strict.Report.Total.Dropped));

        var lenient = Candles(input, new CandleOptions([M1, M5]) { AllowedLateness = TimeSpan.FromMinutes(1) });
        var revised = Assert.Single(lenient.Windows, c => c.Revision == 1);
        Assert.Equal((M5, 20.0, 11.0), (revised.Timeframe, revised.High!.Value, revised.Close!.Value));
        Assert.Equal((1L, 0L, 7L), (lenient.Report.Total.Late, lenient.Report.Total.Dropped, lenient.Report.Total.Emitted));
    }

    [Fact]
    public void Candles_AreConsistentWithTumble()
    {
        var rng = new Random(8);
        var input = Enumerable.Range(0, 2000).Select(i => At("s" + (i % 2), i * 0.13, rng.NextDouble() < 0.05 ? null : 100 + rng.Next(10))).ToList();
        var candles = Candles(input, new CandleOptions([TimeSpan.FromMinutes(15)])).Windows;
        var windows = Tumble(input, new TumblingOptions(TimeSpan.FromMinutes(15))).Windows;
        Assert.Equal(
            windows.Select(w => (w.Series, w.Start, w.Stats.First, w.Stats.Max, w.Stats.Min, w.Stats.Last, (double)w.Stats.Count)).OrderBy(t => (t.Series, t.Start)),
            candles.Select(c => (c.Series, c.Start, c.Open, c.High, c.Low, c.Close, c.Volume)).OrderBy(t => (t.Series, t.Start)));
    }

    [Fact]
    public void Options_Invalid_Throw()
    {
        var source = Observable.Empty<LabeledObservation>();
        Assert.Throws<ArgumentOutOfRangeException>(() => source.ToCandles());
        Assert.Throws<ArgumentOutOfRangeException>(() => source.ToCandles(M1, M1));
        Assert.Throws<ArgumentOutOfRangeException>(() => source.ToCandles(TimeSpan.FromMinutes(7)));
        Assert.Throws<ArgumentOutOfRangeException>(() => source.ToCandles(new CandleOptions([M1]) { AllowedLateness = TimeSpan.FromMinutes(-1) }));
        Assert.Throws<ArgumentOutOfRangeException>(() => source.ToCandles(new CandleOptions([M1]) { Origin = DateTime.SpecifyKind(T0, DateTimeKind.Local) }));
    }
}
