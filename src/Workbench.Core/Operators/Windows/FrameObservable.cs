using System.Reactive.Linq;
using Workbench.Core;
using Workbench.Operators.Hygiene;

namespace Workbench.Operators.Windows;

/// <summary>Groups a multi-series stream into frames of equal timestamp (one frame per tick). Batch twin: <see cref="FrameBatch"/>.</summary>
public static class FrameObservable
{
    /// <summary>
    /// One <see cref="ObservationFrame"/> per distinct timestamp of <paramref name="source"/>: a frame is emitted when the
    /// first observation of a later timestamp arrives (event time; no scheduler, no timer), and the last open frame
    /// when the source completes. The source must be in non-decreasing timestamp order: an earlier timestamp fails the
    /// output with <see cref="ObservationOrderException"/>. Errors of the source pass through (the open frame is
    /// not emitted). State is per subscription.
    /// </summary>
    public static IObservable<ObservationFrame> Frames(this IObservable<LabeledObservation> source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return Observable.Create<ObservationFrame>(observer =>
        {
            var assembler = new FrameAssembler();
            var done = false;
            return source.Subscribe(
                o =>
                {
                    if (done)
                    {
                        return;
                    }

                    ObservationFrame? frame;
                    try
                    {
                        frame = assembler.Add(o);
                    }
                    catch (ObservationOrderException e)
                    {
                        done = true;
                        observer.OnError(e);
                        return;
                    }

                    if (frame is not null)
                    {
                        observer.OnNext(frame);
                    }
                },
                e =>
                {
                    if (!done)
                    {
                        done = true;
                        observer.OnError(e);
                    }
                },
                () =>
                {
                    if (done)
                    {
                        return;
                    }

                    done = true;
                    if (assembler.Flush() is { } last)
                    {
                        observer.OnNext(last);
                    }

                    observer.OnCompleted();
                });
        });
    }
}
