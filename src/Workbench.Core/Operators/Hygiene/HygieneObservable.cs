using System.Reactive.Linq;
using Workbench.Core;

namespace Workbench.Operators.Hygiene;

/// <summary>
/// The input-hygiene operators on observation streams. Each counts what it drops, repairs, reorders or inserts in a
/// <see cref="HygieneReport"/> (per series and in total) and delivers it to the optional <c>report</c> observer: a
/// snapshot every <c>reportEvery</c> input events when that is &gt; 0, and always a final snapshot followed by
/// OnCompleted (or OnError) when the source terminates. Pass a <c>Subject&lt;HygieneReport&gt;</c> to get the side
/// channel as an <see cref="IObservable{T}"/>. State (buffers, counts) is created per subscription, so each
/// subscription reports its own counts; give each subscription its own report observer. Disposal stops all work
/// and sends nothing more. Bad input under a Throw policy or an ordering violation fails the stream with an
/// <see cref="ObservationException"/> naming the series and timestamp. Batch twins: <see cref="HygieneBatch"/>.
/// </summary>
public static class HygieneObservable
{
    /// <summary>
    /// Validates raw values (NaN/∞ and ranges, see <see cref="ValidationOptions"/>) and turns them into model
    /// observations; stage <c>validate</c>.
    /// </summary>
    public static IObservable<LabeledObservation> Validate(
        this IObservable<RawObservation> source, ValidationOptions options, IObserver<HygieneReport>? report = null, long reportEvery = 0)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return Run<RawObservation, LabeledObservation>(source, "validate", report, reportEvery, null, (ledger, emit) =>
        {
            var validator = new Validator(options, ledger, emit);
            return new Kernel<RawObservation>(r => validator.Process(r.Series, r.Timestamp, r.Value, r.Label), null);
        });
    }

    /// <summary>
    /// Projects any source item to a <see cref="RawObservation"/> (an exception thrown by
    /// <paramref name="project"/> fails the stream) and validates it; stage <c>validate</c>.
    /// </summary>
    public static IObservable<LabeledObservation> Validate<T>(
        this IObservable<T> source, Func<T, RawObservation> project, ValidationOptions options, IObserver<HygieneReport>? report = null, long reportEvery = 0)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(project);
        return source.Select(project).Validate(options, report, reportEvery);
    }

    /// <summary>
    /// Validates model observations (ranges; and NaN/∞, which the model forbids but a hand-built observation can
    /// still carry); stage <c>validate</c>.
    /// </summary>
    public static IObservable<LabeledObservation> Validate(
        this IObservable<LabeledObservation> source, ValidationOptions options, IObserver<HygieneReport>? report = null, long reportEvery = 0)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return Run<LabeledObservation, LabeledObservation>(source, "validate", report, reportEvery, null, (ledger, emit) =>
        {
            var validator = new Validator(options, ledger, emit);
            return new Kernel<LabeledObservation>(o => validator.Process(o.Series, o.Timestamp, o.Value, o.Label), null);
        });
    }

    /// <summary>
    /// Removes repeated (series, timestamp) events (see <see cref="DeduplicateOptions"/>; default keep-first);
    /// stage <c>deduplicate</c>.
    /// </summary>
    public static IObservable<LabeledObservation> Deduplicate(
        this IObservable<LabeledObservation> source, DeduplicateOptions? options = null, IObserver<HygieneReport>? report = null, long reportEvery = 0)
    {
        ArgumentNullException.ThrowIfNull(source);
        options ??= new DeduplicateOptions();
        options.Validate();
        return Run<LabeledObservation, LabeledObservation>(source, "deduplicate", report, reportEvery, null, (ledger, emit) =>
        {
            var dedup = new Deduplicator(options, ledger, emit);
            return new Kernel<LabeledObservation>(dedup.Process, dedup.Release);
        });
    }

    /// <summary>
    /// Puts events back in timestamp order within a bounded lateness (see <see cref="ReorderOptions"/>). Late events
    /// are counted and discarded, or, when <paramref name="late"/> is given, passed to it (it completes or fails
    /// with the source); stage <c>reorder</c>.
    /// </summary>
    public static IObservable<LabeledObservation> Reorder(
        this IObservable<LabeledObservation> source, ReorderOptions options, IObserver<LabeledObservation>? late = null,
        IObserver<HygieneReport>? report = null, long reportEvery = 0)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return Run<LabeledObservation, LabeledObservation>(source, "reorder", report, reportEvery, late, (ledger, emit) =>
        {
            var reorder = new Reorderer(options, ledger, emit, late is null ? null : late.OnNext);
            return new Kernel<LabeledObservation>(reorder.Process, reorder.Flush);
        });
    }

    /// <summary>Emits one <see cref="GapEvent"/> per gap found (see <see cref="GapOptions"/>), and nothing else.</summary>
    public static IObservable<GapEvent> DetectGaps(this IObservable<LabeledObservation> source, GapOptions options)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return Run<LabeledObservation, GapEvent>(source, "detect-gaps", null, 0, null, (ledger, emit) =>
        {
            var tracker = new GapTracker(options, ledger, emit, null, fill: false);
            return new Kernel<LabeledObservation>(tracker.Process, null);
        });
    }

    /// <summary>
    /// Passes every observation on and fills each gap (see <see cref="GapOptions"/>) with missing observations
    /// (null value, normal label) at LastBefore + k·Cadence for k = 1 … MissingPoints, just before the observation
    /// that closes it. Gaps, missing points, gap time and fills are counted; stage <c>fill-gaps</c>.
    /// </summary>
    public static IObservable<LabeledObservation> FillGaps(
        this IObservable<LabeledObservation> source, GapOptions options, IObserver<HygieneReport>? report = null, long reportEvery = 0)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        return Run<LabeledObservation, LabeledObservation>(source, "fill-gaps", report, reportEvery, null, (ledger, emit) =>
        {
            var tracker = new GapTracker(options, ledger, null, emit, fill: true);
            return new Kernel<LabeledObservation>(tracker.Process, null);
        });
    }

    private static IObservable<TOut> Run<TIn, TOut>(
        IObservable<TIn> source,
        string stage,
        IObserver<HygieneReport>? report,
        long reportEvery,
        IObserver<LabeledObservation>? side,
        Func<HygieneLedger, Action<TOut>, Kernel<TIn>> create)
    {
        ReportChannel.ValidateEvery(reportEvery);
        return Observable.Create<TOut>(observer =>
        {
            var channel = new ReportChannel(new HygieneLedger(stage), report, reportEvery);
            var kernel = create(channel.Ledger, observer.OnNext);
            var done = false;

            void Fail(Exception error)
            {
                done = true;
                channel.Fail(error);
                side?.OnError(error);
                observer.OnError(error);
            }

            return source.Subscribe(
                item =>
                {
                    if (done)
                    {
                        return;
                    }

                    try
                    {
                        kernel.Process(item);
                    }
                    catch (ObservationException e)
                    {
                        Fail(e);
                        return;
                    }

                    channel.Tick();
                },
                error =>
                {
                    if (!done)
                    {
                        Fail(error);
                    }
                },
                () =>
                {
                    if (done)
                    {
                        return;
                    }

                    done = true;
                    kernel.Flush?.Invoke();
                    channel.Complete();
                    side?.OnCompleted();
                    observer.OnCompleted();
                });
        });
    }

    /// <summary>A hygiene kernel seen by the Rx and batch drivers: per-item work and an optional completion flush.</summary>
    internal sealed class Kernel<TIn>(Action<TIn> process, Action? flush)
    {
        public Action<TIn> Process { get; } = process;

        public Action? Flush { get; } = flush;
    }
}
