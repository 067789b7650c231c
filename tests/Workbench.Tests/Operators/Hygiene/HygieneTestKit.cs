using System.Reactive.Linq;
using Workbench.Core;
using Workbench.Operators.Hygiene;

namespace Workbench.Tests.Operators.Hygiene;

internal static class HygieneTestKit
{
    public static readonly DateTime T0 = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public static LabeledObservation Obs(string series, int minute, double? value) =>
        LabeledObservation.Normal(series, T0.AddMinutes(minute), value);

    /// <summary>A recorder for a report side channel.</summary>
    public sealed class ReportRecorder : IObserver<HygieneReport>
    {
        public List<HygieneReport> Reports { get; } = [];

        public int Completed { get; private set; }

        public Exception? Error { get; private set; }

        public HygieneReport Final => Assert.Single(Reports, r => r.IsFinal);

        public void OnNext(HygieneReport value) => Reports.Add(value);

        public void OnCompleted() => Completed++;

        public void OnError(Exception error) => Error = error;
    }

    /// <summary>
    /// Runs a hygiene operator through Rx with a report recorder and compares its output and final report with the
    /// batch twin's; returns the batch result.
    /// </summary>
    public static HygieneResult AssertStreamEqualsBatch<TIn>(
        IReadOnlyList<TIn> input,
        Func<IObservable<TIn>, IObserver<HygieneReport>, IObservable<LabeledObservation>> stream,
        Func<IReadOnlyList<TIn>, HygieneResult> batch)
    {
        var recorder = new ReportRecorder();
        var streamed = stream(input.ToObservable(), recorder).ToList().Wait();
        var result = batch(input);
        Assert.Equal(result.Output, streamed);
        Assert.Equal(result.Report, recorder.Final);
        Assert.Equal(1, recorder.Completed);
        var t = result.Report.Total;
        Assert.Equal(t.Seen - t.Dropped + t.Filled, t.Emitted);
        Assert.Equal(result.Output.Count, t.Emitted);
        return result;
    }
}
