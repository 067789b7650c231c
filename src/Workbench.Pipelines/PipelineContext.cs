using System.Reactive.Concurrency;

namespace Workbench.Pipelines;

/// <summary>
/// What a pipeline run gives the pipeline: the replay's scheduler, whether time is virtual, and the run's figures and
/// traces. One context per run; <see cref="ReferencePipeline.Build"/> is called once per context and its stream is
/// subscribed once, so state captured in <c>Build</c> belongs to that run alone.
/// </summary>
public sealed class PipelineContext
{
    /// <summary>A context for one run on <paramref name="scheduler"/>.</summary>
    public PipelineContext(IScheduler scheduler, bool isVirtualTime, int maxPointsPerTrace = 200_000)
    {
        ArgumentNullException.ThrowIfNull(scheduler);
        Scheduler = scheduler;
        IsVirtualTime = isVirtualTime;
        Traces = new PipelineTraces(maxPointsPerTrace);
    }

    /// <summary>
    /// The replay's scheduler: the <c>ReplayScheduler</c> (clock = each observation's timestamp) in virtual time, the
    /// wall clock in a scaled replay. Pipelines decide on <b>event time</b> (the observations' timestamps), never on
    /// this clock, so that a virtual-time run and a scaled run give the same alerts; the scheduler is for operators that
    /// must schedule work (and for the run-time monitor).
    /// </summary>
    public IScheduler Scheduler { get; }

    /// <summary>True for a virtual-time replay.</summary>
    public bool IsVirtualTime { get; }

    /// <summary>The run's named figures (deterministic: they go into snapshots).</summary>
    public PipelineFigures Figures { get; } = new();

    /// <summary>The run's traces for charts.</summary>
    public PipelineTraces Traces { get; }
}
