using System.Reactive.Subjects;

namespace Workbench.Replay;

/// <summary>
/// Publishes progress snapshots in the order they were taken, one at a time, without holding the session's lock
/// while observers run: a snapshot is queued under the session's lock and whoever finds the queue idle drains it
/// (a re-entrant or concurrent publisher only queues). New subscribers get the latest snapshot first.
/// </summary>
internal sealed class ProgressPublisher : IObservable<ReplayProgress>
{
    private readonly BehaviorSubject<ReplayProgress> _subject;
    private readonly Queue<ReplayProgress> _queue = new();
    private bool _draining;
    private bool _completeQueued;
    private bool _completed;

    public ProgressPublisher(ReplayProgress initial) => _subject = new BehaviorSubject<ReplayProgress>(initial);

    public IDisposable Subscribe(IObserver<ReplayProgress> observer) => _subject.Subscribe(observer);

    /// <summary>Queues a snapshot (call under the session's lock); then call <see cref="Drain"/> after releasing it.</summary>
    public void Enqueue(ReplayProgress progress, bool complete = false)
    {
        lock (_queue)
        {
            if (_completeQueued)
            {
                return;
            }

            _queue.Enqueue(progress);
            _completeQueued = complete;
        }
    }

    /// <summary>Delivers the queued snapshots unless another call is already delivering them.</summary>
    public void Drain()
    {
        lock (_queue)
        {
            if (_draining)
            {
                return;
            }

            _draining = true;
        }

        while (true)
        {
            ReplayProgress next;
            bool last;
            lock (_queue)
            {
                if (!_queue.TryDequeue(out next))
                {
                    _draining = false;
                    return;
                }

                last = _queue.Count == 0 && _completeQueued && !_completed;
                if (last)
                {
                    _completed = true;
                }
            }

            try
            {
                _subject.OnNext(next);
                if (last)
                {
                    _subject.OnCompleted();
                }
            }
            catch
            {
                // A progress observer threw: let it propagate, but do not leave the queue marked as being drained.
                lock (_queue)
                {
                    _draining = false;
                }

                throw;
            }
        }
    }
}
