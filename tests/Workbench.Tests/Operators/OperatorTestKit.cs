using System.Reactive.Linq;
using Workbench.Core;
using Workbench.Operators.Detection;
using Workbench.Operators.Forecasting;

namespace Workbench.Tests.Operators;

/// <summary>Shared checks every operator's tests use: streaming = batch, observations of small series.</summary>
internal static class OperatorTestKit
{
    public static readonly DateTime T0 = new(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>One series at 1-minute steps.</summary>
    public static List<LabeledObservation> Series(string name, params double?[] values) =>
        values.Select((v, i) => LabeledObservation.Normal(name, T0.AddMinutes(i), v)).ToList();

    /// <summary>Several series interleaved in timestamp order (ties by argument order).</summary>
    public static List<LabeledObservation> Interleave(params List<LabeledObservation>[] series) =>
        series.SelectMany((s, k) => s.Select((o, i) => (o, i, k))).OrderBy(t => t.o.Timestamp).ThenBy(t => t.k).Select(t => t.o).ToList();

    /// <summary>Runs the detector through Rx (synchronously) and through the batch twin; asserts identical output.</summary>
    public static ScoredObservation[] AssertStreamEqualsBatch(IDetector detector, IReadOnlyList<LabeledObservation> input)
    {
        var streamed = input.ToObservable().Detect(detector).ToList().Wait().ToArray();
        var batch = DetectorBatch.Score(detector, input);
        Assert.Equal(batch, streamed);
        foreach (var group in input.Select((o, i) => (o, i)).GroupBy(t => t.o.Series))
        {
            var idx = group.Select(t => t.i).ToArray();
            var spanScores = DetectorBatch.Score(detector, idx.Select(i => input[i].Timestamp).ToArray(), idx.Select(i => input[i].Value).ToArray());
            Assert.Equal(idx.Select(i => batch[i].Score), spanScores);
        }

        return batch;
    }

    /// <summary>Runs the forecaster through Rx and the batch twin; asserts identical output.</summary>
    public static ForecastedObservation[] AssertStreamEqualsBatch(IForecaster forecaster, IReadOnlyList<LabeledObservation> input, int horizon = 1)
    {
        var streamed = input.ToObservable().Forecast(forecaster, horizon).ToList().Wait().ToArray();
        var batch = ForecasterBatch.Forecast(forecaster, input, horizon);
        Assert.Equal(batch, streamed);
        return batch;
    }
}
