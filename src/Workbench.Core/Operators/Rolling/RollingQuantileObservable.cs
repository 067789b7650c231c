using System.Reactive.Linq;
using Workbench.Core;
using Workbench.Operators.Chunked;
using Workbench.Replay;

namespace Workbench.Operators.Rolling;

/// <summary>Rolling quantile, median and MAD operators on observation streams (exact; see <see cref="RollingQuantile"/>).</summary>
public static class RollingQuantileObservable
{
    /// <summary>
    /// One output per input: the rolling statistic of the observation's series over its last
    /// <see cref="RollingQuantileOptions.Window"/> present values, the current one included. State per series,
    /// created per subscription. A missing value yields null and leaves the window unchanged.
    /// </summary>
    public static IObservable<RollingQuantileObservation> RollingQuantile(this IObservable<LabeledObservation> source, RollingQuantileOptions options)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        if (source is IFusableReplay replay)
        {
            // Straight on a virtual replay: replay and kernel fused, same notifications (see FusedReplay).
            return ChunkedRollingObservable.Fused(replay, options);
        }

        return Observable.Defer(() =>
        {
            var states = new SeriesState<RollingQuantileSeries>(() => new RollingQuantileSeries(options));
            return source.Select(o => new RollingQuantileObservation(o, states.For(o.Series).Next(o.Value)));
        });
    }

    /// <summary>The rolling median over <paramref name="window"/> present values (emitted once the window is full).</summary>
    public static IObservable<RollingQuantileObservation> RollingMedian(this IObservable<LabeledObservation> source, int window) =>
        source.RollingQuantile(new RollingQuantileOptions(window));

    /// <summary>The rolling unscaled MAD over <paramref name="window"/> present values (emitted once the window is full).</summary>
    public static IObservable<RollingQuantileObservation> RollingMad(this IObservable<LabeledObservation> source, int window) =>
        source.RollingQuantile(new RollingQuantileOptions(window, Statistic: RollingQuantileStatistic.Mad));
}
