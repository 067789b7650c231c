using System.Reactive.Disposables;
using System.Reactive.Linq;
using Workbench.Operators.Detection;

namespace Workbench.Operators.Alerting;

/// <summary>The alerting operator: turns scored streams into alert lifecycle events.</summary>
public static class AlertObservable
{
    /// <summary>
    /// Emits <see cref="AlertEvent"/>s (raised, escalated, acknowledged, resolved) per series from the scores of
    /// <paramref name="source"/>, with the levels, hysteresis, minimum duration and cooldown of
    /// <paramref name="options"/> (see <see cref="AlertTracker"/>). Acknowledgements arrive on
    /// <paramref name="acknowledgements"/>; both inputs are serialised, so in virtual time the order is that of the
    /// scheduler. The output completes or fails with <paramref name="source"/>; an error of the acknowledgement input,
    /// or an acknowledgement of an alert never raised, fails the output; completion of the acknowledgement input is
    /// not an end. State is created per subscription. Time is event time only, so no scheduler is needed.
    /// </summary>
    public static IObservable<AlertEvent> Alert(
        this IObservable<ScoredObservation> source,
        AlertOptions options,
        IObservable<Acknowledgement>? acknowledgements = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var acks = acknowledgements ?? Observable.Never<Acknowledgement>();
        return Observable.Create<AlertEvent>(observer =>
        {
            var tracker = new AlertTracker(options);
            var gate = new object();
            var done = false;
            var subscriptions = new CompositeDisposable(2);

            void Fail(Exception e)
            {
                if (!done)
                {
                    done = true;
                    observer.OnError(e);
                    subscriptions.Dispose();
                }
            }

            subscriptions.Add(source.Subscribe(
                s =>
                {
                    lock (gate)
                    {
                        if (done)
                        {
                            return;
                        }

                        if (tracker.Observe(s.Observation.Series, s.Observation.Timestamp, s.Score) is { } e)
                        {
                            observer.OnNext(e);
                        }
                    }
                },
                e =>
                {
                    lock (gate)
                    {
                        Fail(e);
                    }
                },
                () =>
                {
                    lock (gate)
                    {
                        if (!done)
                        {
                            done = true;
                            observer.OnCompleted();
                            subscriptions.Dispose();
                        }
                    }
                }));

            subscriptions.Add(acks.Subscribe(
                a =>
                {
                    lock (gate)
                    {
                        if (done)
                        {
                            return;
                        }

                        AlertEvent? e;
                        try
                        {
                            e = tracker.Acknowledge(a);
                        }
                        catch (ArgumentException ex)
                        {
                            Fail(ex);
                            return;
                        }

                        if (e is { } ev)
                        {
                            observer.OnNext(ev);
                        }
                    }
                },
                e =>
                {
                    lock (gate)
                    {
                        Fail(e);
                    }
                },
                static () => { }));

            return subscriptions;
        });
    }

    /// <summary>As <see cref="Alert(IObservable{ScoredObservation}, AlertOptions, IObservable{Acknowledgement})"/> on flagged streams (the score is used; the flag is not).</summary>
    public static IObservable<AlertEvent> Alert(
        this IObservable<FlaggedObservation> source,
        AlertOptions options,
        IObservable<Acknowledgement>? acknowledgements = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        return source.Select(f => new ScoredObservation(f.Observation, f.Score)).Alert(options, acknowledgements);
    }
}
