using System.Reactive.Linq;
using Workbench.Operators.Detection;

namespace Workbench.Evaluation.Online;

/// <summary>The online evaluation operator: metrics that update as a flagged stream flows.</summary>
public static class OnlineEvaluationObservable
{
    /// <summary>
    /// Evaluates a flagged stream as it flows: emits an <see cref="EvaluationSnapshot"/> after every input (or as
    /// <see cref="OnlineEvaluationOptions.EmitEvery"/> and <see cref="OnlineEvaluationOptions.EmitOnEventClose"/> say),
    /// synchronously on the thread that delivered the input, then one final snapshot
    /// (<see cref="EvaluationSnapshot.IsFinal"/>) when the source completes, then OnCompleted. The final snapshot equals
    /// <see cref="Metrics.PointMetrics"/>, <see cref="Metrics.EventMetrics"/> and <see cref="Metrics.RangeMetrics"/> on the
    /// whole input split per series. Needs no scheduler: snapshots are driven by inputs only (under a virtual-time
    /// replay they carry the replayed time in <see cref="EvaluationSnapshot.Time"/>).
    /// </summary>
    /// <remarks>
    /// State (per series, keyed by series id) is created for each subscription by a fresh <see cref="OnlineEvaluator"/>.
    /// A source error is passed on without a final snapshot. Bad input (see <see cref="OnlineEvaluator"/>) ends the stream
    /// with OnError (<see cref="ArgumentException"/> naming series and row) and unsubscribes from the source. Disposing
    /// the subscription unsubscribes from the source.
    /// </remarks>
    /// <param name="source">Flagged observations of one or several series, each series in timestamp order.</param>
    /// <param name="options">Null = <see cref="OnlineEvaluationOptions.Default"/>; validated here.</param>
    /// <exception cref="ArgumentNullException"><paramref name="source"/> is null.</exception>
    /// <exception cref="ArgumentException">Invalid options.</exception>
    public static IObservable<EvaluationSnapshot> EvaluateOnline(
        this IObservable<FlaggedObservation> source, OnlineEvaluationOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        options ??= OnlineEvaluationOptions.Default;
        options.Validate();
        return Observable.Create<EvaluationSnapshot>(observer =>
            source.Subscribe(new Sink(observer, new OnlineEvaluator(options))));
    }

    private sealed class Sink(IObserver<EvaluationSnapshot> downstream, OnlineEvaluator evaluator) : IObserver<FlaggedObservation>
    {
        private bool _stopped;

        public void OnNext(FlaggedObservation value)
        {
            if (_stopped)
            {
                return;
            }

            EvaluationSnapshot? snapshot;
            try
            {
                snapshot = evaluator.Add(value) ? evaluator.Snapshot() : null;
            }
            catch (Exception e)
            {
                _stopped = true;
                downstream.OnError(e);
                return;
            }

            if (snapshot is not null)
            {
                downstream.OnNext(snapshot);
            }
        }

        public void OnError(Exception error)
        {
            if (!_stopped)
            {
                _stopped = true;
                downstream.OnError(error);
            }
        }

        public void OnCompleted()
        {
            if (_stopped)
            {
                return;
            }

            _stopped = true;
            downstream.OnNext(evaluator.Complete());
            downstream.OnCompleted();
        }
    }
}
