using System.Reactive;
using System.Reactive.Disposables;
using System.Reactive.Linq;
using Workbench.Core;

namespace Workbench.Generation;

/// <summary>
/// Rx operators that inject labelled anomalies into any stream of <see cref="LabeledObservation"/> (live or
/// replayed). State (observation counters, active events, random streams, event ids) is kept per series id and
/// created afresh for each subscription; options are validated at the call. For the same observations and
/// injections the output equals <see cref="AnomalyInjector.Inject(string, ReadOnlySpan{DateTime}, Span{double?}, Span{AnomalyLabel}, IReadOnlyList{AnomalyInjection}, ConflictPolicy, int)"/>
/// applied to each series.
/// <para>
/// Only changed points are labelled (kind and a per-series event id, 0, 1, 2… in time order, continuing after the
/// largest id already seen upstream in that series). An already-labelled observation is never overwritten: under
/// <see cref="ConflictPolicy.Fail"/> the operator sends <see cref="InjectionConflictException"/> through OnError and
/// unsubscribes from the source; under <see cref="ConflictPolicy.Skip"/> it passes the point through and counts the
/// skipped or truncated event in <see cref="InjectionCounters"/>. An upstream label reusing an event id the operator
/// already gave in that series is always an error (<see cref="InjectionConflictReason.EventIdClash"/>): on an input
/// that is already labelled, pass a <c>firstEventId</c> above its ids; to combine kinds on the same series, prefer one
/// <see cref="InjectAnomalies"/> with several injections (or give chained operators disjoint <c>firstEventId</c>s).
/// An observation without a series id ends the stream with <see cref="ArgumentException"/>.
/// </para>
/// </summary>
public static class InjectionObservableExtensions
{
    /// <summary>Injects spikes (see <see cref="SpikeOptions"/>) where <paramref name="trigger"/> fires.</summary>
    public static IObservable<LabeledObservation> InjectSpike(
        this IObservable<LabeledObservation> source, SpikeOptions options, InjectionTrigger trigger,
        ConflictPolicy policy = ConflictPolicy.Fail, InjectionCounters? counters = null, int firstEventId = 0) =>
        source.InjectOne(options, trigger, policy, counters, firstEventId);

    /// <summary>Injects level shifts (see <see cref="LevelShiftOptions"/>) where <paramref name="trigger"/> fires.</summary>
    public static IObservable<LabeledObservation> InjectLevelShift(
        this IObservable<LabeledObservation> source, LevelShiftOptions options, InjectionTrigger trigger,
        ConflictPolicy policy = ConflictPolicy.Fail, InjectionCounters? counters = null, int firstEventId = 0) =>
        source.InjectOne(options, trigger, policy, counters, firstEventId);

    /// <summary>Injects drifts (see <see cref="DriftOptions"/>) where <paramref name="trigger"/> fires.</summary>
    public static IObservable<LabeledObservation> InjectDrift(
        this IObservable<LabeledObservation> source, DriftOptions options, InjectionTrigger trigger,
        ConflictPolicy policy = ConflictPolicy.Fail, InjectionCounters? counters = null, int firstEventId = 0) =>
        source.InjectOne(options, trigger, policy, counters, firstEventId);

    /// <summary>Injects gaps of missing values (see <see cref="MissingOptions"/>) where <paramref name="trigger"/> fires.</summary>
    public static IObservable<LabeledObservation> InjectMissing(
        this IObservable<LabeledObservation> source, MissingOptions options, InjectionTrigger trigger,
        ConflictPolicy policy = ConflictPolicy.Fail, InjectionCounters? counters = null, int firstEventId = 0) =>
        source.InjectOne(options, trigger, policy, counters, firstEventId);

    /// <summary>Injects seasonal changes (see <see cref="SeasonalOptions"/>) where <paramref name="trigger"/> fires.</summary>
    public static IObservable<LabeledObservation> InjectSeasonal(
        this IObservable<LabeledObservation> source, SeasonalOptions options, InjectionTrigger trigger,
        ConflictPolicy policy = ConflictPolicy.Fail, InjectionCounters? counters = null, int firstEventId = 0) =>
        source.InjectOne(options, trigger, policy, counters, firstEventId);

    /// <summary>
    /// Injects several kinds at once with one shared per-series state: at each observation the injections are
    /// evaluated in list order, at most one event is active per series, and event ids follow time order across all
    /// of them.
    /// </summary>
    /// <param name="source">The observations (any order across series; each series in time order).</param>
    /// <param name="injections">The injections; at least one, each validated now.</param>
    /// <param name="policy">What to do when an event meets an already-labelled observation.</param>
    /// <param name="counters">Optional counters the subscription adds to.</param>
    /// <param name="firstEventId">The smallest event id to assign in each series (≥ 0, default 0); ids also stay
    /// above every id seen so far upstream in the series. Set it above the ids of an already-labelled input.</param>
    public static IObservable<LabeledObservation> InjectAnomalies(
        this IObservable<LabeledObservation> source, IEnumerable<AnomalyInjection> injections,
        ConflictPolicy policy = ConflictPolicy.Fail, InjectionCounters? counters = null, int firstEventId = 0)
    {
        ArgumentNullException.ThrowIfNull(source);
        var checkedInjections = AnomalyInjector.CheckInjections(injections, nameof(injections));
        AnomalyInjector.CheckPolicy(policy);
        ArgumentOutOfRangeException.ThrowIfNegative(firstEventId);
        return Observable.Create<LabeledObservation>(observer =>
        {
            var tally = counters ?? new InjectionCounters();
            var states = new Dictionary<string, SeriesInjector>(StringComparer.Ordinal);
            var subscription = new SingleAssignmentDisposable();
            var stopped = false;

            void Fail(Exception error)
            {
                stopped = true;
                observer.OnError(error);
                subscription.Dispose();
            }

            subscription.Disposable = source.SubscribeSafe(Observer.Create<LabeledObservation>(
                observation =>
                {
                    if (stopped)
                    {
                        return;
                    }

                    if (observation.Series is null)
                    {
                        Fail(new ArgumentException($"An observation has no series id: {observation}.", nameof(source)));
                        return;
                    }

                    if (!states.TryGetValue(observation.Series, out var state))
                    {
                        state = new SeriesInjector(observation.Series, checkedInjections, policy, firstEventId, tally, null);
                        states.Add(observation.Series, state);
                    }

                    var value = observation.Value;
                    var label = observation.Label;
                    try
                    {
                        state.Process(observation.Timestamp, ref value, ref label);
                    }
                    catch (InjectionConflictException conflict)
                    {
                        Fail(conflict);
                        return;
                    }

                    observer.OnNext(observation with { Value = value, Label = label });
                },
                error =>
                {
                    if (!stopped)
                    {
                        stopped = true;
                        observer.OnError(error);
                    }
                },
                () =>
                {
                    if (!stopped)
                    {
                        stopped = true;
                        observer.OnCompleted();
                    }
                }));
            return subscription;
        });
    }

    private static IObservable<LabeledObservation> InjectOne(
        this IObservable<LabeledObservation> source, InjectionOptions options, InjectionTrigger trigger,
        ConflictPolicy policy, InjectionCounters? counters, int firstEventId)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(trigger);
        return source.InjectAnomalies([new AnomalyInjection(options, trigger)], policy, counters, firstEventId);
    }
}
