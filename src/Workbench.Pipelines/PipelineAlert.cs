using Workbench.Operators.Alerting;

namespace Workbench.Pipelines;

/// <summary>
/// One alert a reference pipeline raised: what an operator of the original system would be paged with.
/// </summary>
/// <param name="Scope">What the alert is about, in the pipeline's evaluation scope (<see cref="ReferencePipeline.ScopeOf"/>):
/// a series id, a meter, a symbol, a plant. Evaluation matches it against the labelled events of the same scope.</param>
/// <param name="Timestamp">Event time of the alert: the timestamp of the observation (or window end) that raised it.</param>
/// <param name="Kind">The pipeline's name for the condition, e.g. <c>ratio</c>, <c>spike</c>, <c>outage</c>, <c>risk</c>.</param>
/// <param name="Level">Severity.</param>
/// <param name="Score">The value that crossed the alert's threshold (the pipeline documents its meaning).</param>
/// <param name="Message">One line for people, invariant culture.</param>
public sealed record PipelineAlert(string Scope, DateTime Timestamp, string Kind, AlertLevel Level, double Score, string Message);
