using System.Reactive.Linq;
using Workbench.Core;
using Workbench.Operators.Hygiene;
using Workbench.Operators.Windows;
using Workbench.Tests.Operators.Hygiene;

namespace Workbench.Tests.Operators.Windows;

internal static class WindowTestKit
{
    public static readonly DateTime T0 = new(2024, 3, 1, 0, 0, 0, DateTimeKind.Utc);

    public static LabeledObservation At(string series, double minutes, double? value) =>
        LabeledObservation.Normal(series, T0.AddMinutes(minutes), value);

    /// <summary>Runs Tumble through Rx (no clock) and the batch twin; asserts identical windows and final reports.</summary>
    public static WindowResult<WindowAggregate> Tumble(IReadOnlyList<LabeledObservation> input, TumblingOptions options)
    {
        var recorder = new HygieneTestKit.ReportRecorder();
        var streamed = input.ToObservable().Tumble(options, report: recorder).ToList().Wait();
        var batch = WindowBatch.Tumble(input, options);
        Assert.Equal(batch.Windows, streamed);
        Assert.Equal(batch.Report, recorder.Final);
        var t = batch.Report.Total;
        Assert.Equal(input.Count, t.Seen);
        Assert.Equal(t.Seen - t.Dropped, t.Emitted);
        return batch;
    }

    /// <summary>Runs ToCandles through Rx (no clock) and the batch twin; asserts identical candles and final reports.</summary>
    public static WindowResult<Candle> Candles(IReadOnlyList<LabeledObservation> input, CandleOptions options)
    {
        var recorder = new HygieneTestKit.ReportRecorder();
        var streamed = input.ToObservable().ToCandles(options, report: recorder).ToList().Wait();
        var batch = WindowBatch.ToCandles(input, options);
        Assert.Equal(batch.Windows, streamed);
        Assert.Equal(batch.Report, recorder.Final);
        return batch;
    }

    public static WindowStats Stats(params double?[] values)
    {
        var present = values.Where(v => v.HasValue).Select(v => v!.Value).ToArray();
        return present.Length == 0
            ? new WindowStats(0, values.Length, 0, null, null, null, null, null)
            : new WindowStats(present.Length, values.Length - present.Length, present.Sum(), present.Average(), present.Min(), present.Max(), present[0], present[^1]);
    }
}
