using System.Globalization;
using System.Reactive.Linq;
using Workbench.Core;
using Workbench.Operators.Alerting;

namespace Workbench.Pipelines.MarketData;

/// <summary>
/// The stale-feed rule on event time: the feed's clock is the newest tick timestamp over all symbols; a symbol whose last
/// tick is <c>after</c> or more behind that clock is stale, and one alert is raised (at the tick that revealed it) until
/// the symbol ticks again. Checked at most once per second of event time. State per subscription.
/// </summary>
internal static class StaleFeedWatch
{
    /// <summary>Stale-feed alerts over <paramref name="ticks"/> (clean ticks in timestamp order). Score = silence in seconds.</summary>
    public static IObservable<PipelineAlert> Watch(IObservable<LabeledObservation> ticks, TimeSpan after, Func<string, string> scopeOf, Action? onAlert = null) =>
        Observable.Create<PipelineAlert>(observer =>
        {
            var index = new Dictionary<string, int>(StringComparer.Ordinal);
            var scopes = new List<string>();
            var last = new List<long>();
            var flagged = new List<bool>();
            var nextCheck = long.MinValue;
            var limit = after.Ticks;
            return ticks.Subscribe(
                o =>
                {
                    if (!index.TryGetValue(o.Series, out var i))
                    {
                        i = scopes.Count;
                        index.Add(o.Series, i);
                        scopes.Add(scopeOf(o.Series));
                        last.Add(0);
                        flagged.Add(false);
                    }

                    var now = o.Timestamp.Ticks;
                    last[i] = now;
                    flagged[i] = false;
                    if (now < nextCheck)
                    {
                        return;
                    }

                    nextCheck = now + TimeSpan.TicksPerSecond;
                    for (var s = 0; s < last.Count; s++)
                    {
                        var silence = now - last[s];
                        if (!flagged[s] && silence >= limit)
                        {
                            flagged[s] = true;
                            onAlert?.Invoke();
                            var seconds = silence / (double)TimeSpan.TicksPerSecond;
                            observer.OnNext(new PipelineAlert(scopes[s], o.Timestamp, "stale", AlertLevel.Critical, seconds,
                                string.Create(CultureInfo.InvariantCulture, $"stale feed: no tick for {seconds:F0} s (last {new DateTime(last[s], DateTimeKind.Utc):HH:mm:ss})")));
                        }
                    }
                },
                observer.OnError,
                observer.OnCompleted);
        });
}
