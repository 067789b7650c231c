using System.Reactive.Concurrency;
using Workbench.Core;
using Workbench.Replay;

namespace Workbench.Testing;

/// <summary>
/// Runs a pipeline in virtual time and records everything it emits into a <see cref="PipelineTranscript"/>: a
/// stable, human-readable text for snapshot tests (<see cref="TranscriptSnapshot"/>, <see cref="SnapshotFile"/>).
/// </summary>
/// <remarks>
/// The source is replayed with <see cref="ObservationReplay.Virtual(IEnumerable{LabeledObservation}, ReplayScheduler)"/>
/// on a fresh <see cref="ReplayScheduler"/> whose clock starts at <see cref="RecordingOptions.StartClock"/> (default:
/// the first observation's timestamp); the pipeline's output is subscribed and the scheduler run to completion, so
/// the same source and pipeline give a byte-identical transcript. Each notification is stamped with the virtual
/// clock when it is delivered and formatted at once (<see cref="RecordingOptions.Formatters"/>); scrubbing and
/// layout happen when the run has ended. An exception thrown by a formatter, or a notification after the terminal
/// one, propagates out of <c>Record</c>.
/// </remarks>
public static class PipelineRecording
{
    /// <summary>Records <paramref name="pipeline"/> applied to a virtual-time replay of <paramref name="source"/>.</summary>
    /// <param name="source">The observations in time order (read into memory once).</param>
    /// <param name="pipeline">Builds the pipeline from the replayed stream.</param>
    /// <param name="options">Options; null = defaults.</param>
    public static PipelineTranscript Record<T>(
        IEnumerable<LabeledObservation> source,
        Func<IObservable<LabeledObservation>, IObservable<T>> pipeline,
        RecordingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(pipeline);
        return Record<T>(source, (replay, _) => pipeline(replay), options);
    }

    /// <summary>
    /// Records <paramref name="pipeline"/> applied to a virtual-time replay of <paramref name="source"/>; the pipeline
    /// also receives the replay's scheduler for its time-dependent operators (buffers, throttles, timers).
    /// </summary>
    /// <param name="source">The observations in time order (read into memory once).</param>
    /// <param name="pipeline">Builds the pipeline from the replayed stream and its virtual-time scheduler.</param>
    /// <param name="options">Options; null = defaults.</param>
    public static PipelineTranscript Record<T>(
        IEnumerable<LabeledObservation> source,
        Func<IObservable<LabeledObservation>, IScheduler, IObservable<T>> pipeline,
        RecordingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(pipeline);
        options ??= new RecordingOptions();
        options.Validate();
        var observations = source as IReadOnlyList<LabeledObservation> ?? source.ToArray();
        var start = options.StartClock
            ?? (observations.Count > 0 ? DateTime.SpecifyKind(observations[0].Timestamp, DateTimeKind.Utc) : new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc));
        var scheduler = new ReplayScheduler(start);
        var stream = pipeline(ObservationReplay.Virtual(observations, scheduler), scheduler)
            ?? throw new InvalidOperationException("The pipeline function returned null.");
        var recorder = new Recorder<T>(() => scheduler.UtcNow, options);
        using (stream.Subscribe(recorder))
        {
            scheduler.RunToCompletion();
        }

        return recorder.ToTranscript(scheduler.UtcNow);
    }

    /// <summary>
    /// Records <paramref name="stream"/>, whose time-dependent parts run on <paramref name="scheduler"/>: subscribes,
    /// runs the scheduler until its queue is empty (<c>RunToCompletion</c> for a <see cref="ReplayScheduler"/>,
    /// otherwise <c>Start</c>), then disposes the subscription.
    /// </summary>
    public static PipelineTranscript Record<T>(IObservable<T> stream, HistoricalScheduler scheduler, RecordingOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(stream);
        ArgumentNullException.ThrowIfNull(scheduler);
        options ??= new RecordingOptions();
        options.Validate();
        var recorder = new Recorder<T>(() => scheduler.Now.UtcDateTime, options);
        using (stream.Subscribe(recorder))
        {
            if (scheduler is ReplayScheduler replay)
            {
                replay.RunToCompletion();
            }
            else
            {
                scheduler.Start();
            }
        }

        return recorder.ToTranscript(scheduler.Now.UtcDateTime);
    }

    private sealed class Recorder<T>(Func<DateTime> clock, RecordingOptions options) : IObserver<T>
    {
        private readonly TranscriptFormat _format = new(options.SignificantDigits);
        private readonly List<RecordedEvent> _events = [];
        private RecordingEnd _end = RecordingEnd.NotTerminated;
        private Exception? _error;
        private DateTime? _endTime;

        public void OnNext(T value)
        {
            ThrowIfEnded("OnNext");
            var e = options.Formatters.Format(value, _format);
            if (e.Key is null || e.Text is null)
            {
                throw new InvalidOperationException($"The formatter for {value?.GetType().Name ?? "null"} returned an event without a key or text.");
            }

            _events.Add(new RecordedEvent(_events.Count + 1, clock(), e));
        }

        public void OnError(Exception error)
        {
            ThrowIfEnded("OnError");
            _end = RecordingEnd.Faulted;
            _error = error;
            _endTime = clock();
        }

        public void OnCompleted()
        {
            ThrowIfEnded("OnCompleted");
            _end = RecordingEnd.Completed;
            _endTime = clock();
        }

        public PipelineTranscript ToTranscript(DateTime finalClock) =>
            TranscriptRenderer.Render(options, _events, _end, _error, _endTime ?? finalClock);

        private void ThrowIfEnded(string what)
        {
            if (_end != RecordingEnd.NotTerminated)
            {
                throw new InvalidOperationException($"Rx grammar violation: {what} after the stream had ended ({_end}).");
            }
        }
    }
}
