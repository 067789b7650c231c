using Plotly.NET;
using Workbench.Core;

namespace Workbench.Pipelines;

/// <summary>
/// A reference pipeline: a real streaming-anomaly system rebuilt as a short, documented composition of Workbench
/// operators over replayed labelled observations. The same object is what <c>workbench pipeline run</c>, the numbered
/// notebook and the snapshot test use (<see cref="PipelineRunner"/> runs it), so the three cannot drift apart.
/// </summary>
/// <remarks>
/// <see cref="Build"/> must decide on event time (the observations' timestamps), not on the scheduler's clock, so a
/// virtual-time run and a scaled wall-clock run give identical alerts; it is called once per run with a fresh
/// <see cref="PipelineContext"/>, and all state of the run lives inside the stream it returns (created at subscription).
/// </remarks>
public abstract class ReferencePipeline
{
    /// <summary>Stable, lower-case name (<c>power-grid</c>): the <c>workbench pipeline run</c> argument.</summary>
    public abstract string Name { get; }

    /// <summary>A short title, e.g. "Power-grid load monitor".</summary>
    public abstract string Title { get; }

    /// <summary>One line: what the pipeline does.</summary>
    public abstract string Summary { get; }

    /// <summary>The generator preset of its default data (<c>workbench generate --preset</c>).</summary>
    public abstract string Preset { get; }

    /// <summary>
    /// How long after an event's last labelled row an alert still counts as detecting it (a pipeline that aggregates
    /// into windows or smooths needs a window's worth). Default zero.
    /// </summary>
    public virtual TimeSpan DetectionTolerance => TimeSpan.Zero;

    /// <summary>The evaluation scope of a series: what alerts name (a meter, a symbol, a plant). Default: the series itself.</summary>
    public virtual string ScopeOf(string series) => series;

    /// <summary>The default data: the pipeline's preset, generated with its seed (deterministic).</summary>
    public abstract IEnumerable<LabeledObservation> DefaultData();

    /// <summary>The pipeline over <paramref name="observations"/> (in timestamp order): its alerts, in event-time order.</summary>
    public abstract IObservable<PipelineAlert> Build(IObservable<LabeledObservation> observations, PipelineContext context);

    /// <summary>Charts of a finished run (from its traces, alerts and evaluation); default none.</summary>
    public virtual IReadOnlyList<GenericChart> Charts(PipelineRun run) => [];

    /// <summary>The name.</summary>
    public override string ToString() => Name;
}
