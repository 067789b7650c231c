using System.Reactive.Concurrency;
using System.Reactive.Linq;
using Workbench.Core;
using Workbench.Generation;

namespace Workbench.Pipelines.Examples;

/// <summary>
/// Notebook 01 (replay): one generated day of three sources × three metrics, and the hourly buffer on the replay's
/// virtual clock. The notebook and its snapshot test both use these members, so they cannot drift apart.
/// </summary>
public static class ReplayExample
{
    /// <summary>The data: the <c>default-small</c> preset cut to 3 sources × 1440 one-minute points.</summary>
    public static DatasetSpec Spec() => Presets.Get(Presets.DefaultSmall) with { Sources = 3, Points = 1440 };

    /// <summary>The number of observations in each hour, as the scheduler's one-hour buffer closes it.</summary>
    public static IObservable<int> HourlyCounts(IObservable<LabeledObservation> replay, IScheduler scheduler) =>
        replay.Buffer(TimeSpan.FromHours(1), scheduler).Select(window => window.Count);
}
