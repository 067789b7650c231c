using Workbench.Core;
using Workbench.Operators.Rolling;
using Workbench.Replay;

namespace Workbench.Operators.Chunked;

/// <summary>The rolling-statistic operators on chunked streams (one result per input row).</summary>
public static class ChunkedRollingObservable
{
    /// <summary>
    /// Runs <paramref name="statistic"/> over every series of the chunks, with the missing-value rule of
    /// <see cref="RollingObservable.Rolling{TStat}"/>; flattened (<see cref="ChunkFlatten.ToRolled{TStat}"/>), the output
    /// equals the per-event operator's.
    /// </summary>
    public static IObservable<ResultChunk<TStat?>> Rolling<TStat>(
        this IObservable<ObservationBatch> source, IRollingStatistic<TStat> statistic, MissingOutput missing = MissingOutput.Null)
        where TStat : struct
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(statistic);
        statistic.Validate();
        RollingObservable.ValidateMissing(missing);
        return ChunkOperator.Create<RollingChunkKernel<TStat>, RollingCell<TStat>, TStat?>(source, new RollingChunkKernel<TStat>(statistic, missing));
    }

    /// <summary>Rolling mean and variance of the last <paramref name="window"/> present values (see <see cref="RollingMomentsOptions"/>).</summary>
    public static IObservable<ResultChunk<Moments?>> MeanVariance(this IObservable<ObservationBatch> source, int window) =>
        source.Rolling(new RollingMomentsOptions(window));

    /// <summary>Exponentially weighted mean and variance (see <see cref="EwmaOptions"/>).</summary>
    public static IObservable<ResultChunk<EwMoments?>> Ewma(this IObservable<ObservationBatch> source, EwmaOptions options) =>
        source.Rolling(options);

    /// <summary>Minimum and maximum of the last <paramref name="window"/> present values (see <see cref="RollingMinMaxOptions"/>).</summary>
    public static IObservable<ResultChunk<MinMax?>> MinMax(this IObservable<ObservationBatch> source, int window) =>
        source.Rolling(new RollingMinMaxOptions(window));

    /// <summary>Signed z-score against the previous <paramref name="window"/> present values (see <see cref="RollingZScoreOptions"/>).</summary>
    public static IObservable<ResultChunk<double?>> ZScore(this IObservable<ObservationBatch> source, int window) =>
        source.Rolling(new RollingZScoreOptions(window));

    /// <summary>
    /// The rolling quantile, median or MAD of every row's series (see <see cref="RollingQuantileObservable.RollingQuantile"/>);
    /// flattened (<see cref="ChunkFlatten.ToQuantiles"/>), the output equals the per-event operator's.
    /// </summary>
    public static IObservable<ResultChunk<double?>> RollingQuantile(this IObservable<ObservationBatch> source, RollingQuantileOptions options)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return ChunkOperator.Create<QuantileChunkKernel, RollingQuantileSeries, double?>(source, new QuantileChunkKernel(options));
    }

    /// <summary>The rolling median over <paramref name="window"/> present values.</summary>
    public static IObservable<ResultChunk<double?>> RollingMedian(this IObservable<ObservationBatch> source, int window) =>
        source.RollingQuantile(new RollingQuantileOptions(window));

    /// <summary>The rolling unscaled MAD over <paramref name="window"/> present values.</summary>
    public static IObservable<ResultChunk<double?>> RollingMad(this IObservable<ObservationBatch> source, int window) =>
        source.RollingQuantile(new RollingQuantileOptions(window, Statistic: RollingQuantileStatistic.Mad));

    /// <summary>Replay → <see cref="RollingObservable.Rolling{TStat}"/> fused (see <see cref="FusedReplay{TKernel, TState, TResult, TOut}"/>).</summary>
    internal static IObservable<RolledObservation<TStat>> Fused<TStat>(IFusableReplay replay, IRollingStatistic<TStat> statistic, MissingOutput missing)
        where TStat : struct =>
        replay.Fuse<RollingChunkKernel<TStat>, RollingCell<TStat>, TStat?, RolledObservation<TStat>>(
            new RollingChunkKernel<TStat>(statistic, missing));

    /// <summary>Replay → <see cref="RollingQuantileObservable.RollingQuantile"/> fused.</summary>
    internal static IObservable<RollingQuantileObservation> Fused(IFusableReplay replay, RollingQuantileOptions options) =>
        replay.Fuse<QuantileChunkKernel, RollingQuantileSeries, double?, RollingQuantileObservation>(
            new QuantileChunkKernel(options));

    /// <summary>One series' kernel and the last statistic emitted for a present value (for <see cref="MissingOutput.CarryLast"/>).</summary>
    private sealed class RollingCell<TStat>(IRollingKernel<TStat> kernel)
        where TStat : struct
    {
        public readonly IRollingKernel<TStat> Kernel = kernel;
        public TStat? Last;
    }

    /// <summary>The step of <c>RollingRunner</c> (the per-event operator's), per series.</summary>
    private readonly struct RollingChunkKernel<TStat>(IRollingStatistic<TStat> statistic, MissingOutput missing) : IFusedKernel<RollingCell<TStat>, TStat?, RolledObservation<TStat>>
        where TStat : struct
    {
        public RolledObservation<TStat> Output(in LabeledObservation observation, TStat? result) => new(observation, result);

        public RollingCell<TStat> Create(string series) => new(statistic.CreateKernel());

        public TStat? Next(RollingCell<TStat> state, DateTime timestamp, double? value)
        {
            var stat = state.Kernel.Update(value);
            if (value.HasValue)
            {
                state.Last = stat;
            }
            else if (missing == MissingOutput.CarryLast)
            {
                stat = state.Last;
            }

            return stat;
        }
    }

    private readonly struct QuantileChunkKernel(RollingQuantileOptions options) : IFusedKernel<RollingQuantileSeries, double?, RollingQuantileObservation>
    {
        public RollingQuantileObservation Output(in LabeledObservation observation, double? result) => new(observation, result);

        public RollingQuantileSeries Create(string series) => new(options);

        public double? Next(RollingQuantileSeries state, DateTime timestamp, double? value) => state.Next(value);
    }
}
