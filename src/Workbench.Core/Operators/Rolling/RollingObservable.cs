using System.Reactive.Linq;
using Workbench.Core;
using Workbench.Operators.Chunked;
using Workbench.Replay;

namespace Workbench.Operators.Rolling;

/// <summary>The rolling-statistic operators on observation streams (one output per input observation).</summary>
public static class RollingObservable
{
    /// <summary>
    /// Runs <paramref name="statistic"/> over every series of the stream (state per series id, created for each
    /// subscription) and emits each observation with its statistic. Missing values never enter the state; what is
    /// emitted for them is chosen by <paramref name="missing"/> (default: null).
    /// </summary>
    public static IObservable<RolledObservation<TStat>> Rolling<TStat>(
        this IObservable<LabeledObservation> source, IRollingStatistic<TStat> statistic, MissingOutput missing = MissingOutput.Null)
        where TStat : struct
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(statistic);
        statistic.Validate();
        ValidateMissing(missing);
        if (source is IFusableReplay replay)
        {
            // Straight on a virtual replay: replay and kernel fused, same notifications (see FusedReplay).
            return ChunkedRollingObservable.Fused(replay, statistic, missing);
        }

        // A dedicated observer instead of Select: one layer less per event (kernels never throw, so there is no
        // selector exception to route; downstream exceptions propagate to the source as with Select).
        return Observable.Create<RolledObservation<TStat>>(observer =>
            source.Subscribe(new RollingObserver<TStat>(observer, new RollingRunner<TStat>(statistic, missing))));
    }

    /// <summary>Rolling mean and variance of the last <paramref name="window"/> present values (see <see cref="RollingMomentsOptions"/>).</summary>
    public static IObservable<RolledObservation<Moments>> MeanVariance(this IObservable<LabeledObservation> source, int window) =>
        source.Rolling(new RollingMomentsOptions(window));

    /// <summary>Exponentially weighted mean and variance (see <see cref="EwmaOptions"/>).</summary>
    public static IObservable<RolledObservation<EwMoments>> Ewma(this IObservable<LabeledObservation> source, EwmaOptions options) =>
        source.Rolling(options);

    /// <summary>Minimum and maximum of the last <paramref name="window"/> present values (see <see cref="RollingMinMaxOptions"/>).</summary>
    public static IObservable<RolledObservation<MinMax>> MinMax(this IObservable<LabeledObservation> source, int window) =>
        source.Rolling(new RollingMinMaxOptions(window));

    /// <summary>Signed z-score against the previous <paramref name="window"/> present values (see <see cref="RollingZScoreOptions"/>).</summary>
    public static IObservable<RolledObservation<double>> ZScore(this IObservable<LabeledObservation> source, int window) =>
        source.Rolling(new RollingZScoreOptions(window));

    internal static void ValidateMissing(MissingOutput missing)
    {
        if (missing is not (MissingOutput.Null or MissingOutput.CarryLast))
        {
            throw new ArgumentOutOfRangeException(nameof(missing), missing, "unknown missing-value output");
        }
    }
}

/// <summary>Forwards each observation with its statistic; terminal messages pass through.</summary>
internal sealed class RollingObserver<TStat>(IObserver<RolledObservation<TStat>> downstream, RollingRunner<TStat> runner) : IObserver<LabeledObservation>
    where TStat : struct
{
    public void OnNext(LabeledObservation value) => downstream.OnNext(runner.Next(value));

    public void OnError(Exception error) => downstream.OnError(error);

    public void OnCompleted() => downstream.OnCompleted();
}

/// <summary>
/// Steps a rolling statistic over a multi-series stream: one kernel per series, the missing-output rule applied on
/// top. Shared by the Rx operator and the batch twin so both give identical results. Not thread-safe.
/// </summary>
internal sealed class RollingRunner<TStat>
    where TStat : struct
{
    private readonly SeriesState<Cell> _cells;
    private readonly MissingOutput _missing;

    public RollingRunner(IRollingStatistic<TStat> statistic, MissingOutput missing)
    {
        _cells = new SeriesState<Cell>(() => new Cell(statistic.CreateKernel()));
        _missing = missing;
    }

    public RolledObservation<TStat> Next(LabeledObservation observation)
    {
        var cell = _cells.For(observation.Series);
        var stat = cell.Kernel.Update(observation.Value);
        if (observation.Value.HasValue)
        {
            cell.Last = stat;
        }
        else if (_missing == MissingOutput.CarryLast)
        {
            stat = cell.Last;
        }

        return new RolledObservation<TStat>(observation, stat);
    }

    private sealed class Cell(IRollingKernel<TStat> kernel)
    {
        public readonly IRollingKernel<TStat> Kernel = kernel;
        public TStat? Last;
    }
}
