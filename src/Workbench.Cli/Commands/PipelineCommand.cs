using System.CommandLine;
using System.Globalization;
using Workbench.Reports;
using Workbench.Cli.Infrastructure;
using Workbench.Core;
using Workbench.Data;
using Workbench.Pipelines;

namespace Workbench.Cli.Commands;

/// <summary><c>workbench pipeline list|run</c>: the reference pipelines (docs/PIPELINES.md).</summary>
public static class PipelineCommand
{
    /// <summary>One pipeline in <c>pipeline list --json</c>.</summary>
    public sealed record PipelineInfo(string Name, string Title, string Summary, string Preset);

    /// <summary>What <c>pipeline run --json</c> prints.</summary>
    public sealed record RunResult(
        string Pipeline, string Data, string Mode, long Observations, DateTime? First, DateTime? Last,
        IReadOnlyList<PipelineAlert> Alerts, EvaluationResult Evaluation, IReadOnlyList<PipelineFigure> Figures,
        PipelineRunStats Monitor, string? Report);

    /// <summary>The evaluation in <c>--json</c>: totals and per kind (the per-event outcomes are left out).</summary>
    public sealed record EvaluationResult(
        bool HasLabels, int Events, int Detected, double Recall, int Alerts, int FalseAlarms, double Precision,
        double? FalseAlarmsPerDay, double? MeanDelaySeconds, double? MedianDelaySeconds, IReadOnlyList<KindResult> ByKind);

    /// <summary>One kind in <see cref="EvaluationResult"/>.</summary>
    public sealed record KindResult(string Kind, int Events, int Detected, double Recall, double? MeanDelaySeconds);

    public static Command Build(CliContext context)
    {
        var command = new Command("pipeline", "The reference pipelines: real streaming-anomaly systems rebuilt on Workbench (docs/PIPELINES.md).");
        command.Subcommands.Add(BuildList(context));
        command.Subcommands.Add(BuildRun(context));
        return command;
    }

    private static Command BuildList(CliContext context)
    {
        var json = new Option<bool>("--json") { Description = "Print the pipelines as a JSON array." };
        var list = new Command("list", "List the reference pipelines with their default data preset.") { json };
        list.SetAction(async (parse, ct) =>
        {
            var infos = PipelineCatalog.All.Select(p => new PipelineInfo(p.Name, p.Title, p.Summary, p.Preset)).ToArray();
            if (parse.GetValue(json))
            {
                JsonOutput.Write(context.Out, infos);
            }
            else
            {
                foreach (var p in infos)
                {
                    await context.Out.WriteLineAsync($"{p.Name,-14} {p.Title} (data: preset {p.Preset})\n{string.Empty,-14} {p.Summary}").ConfigureAwait(false);
                }
            }

            return ExitCodes.Success;
        });
        return list;
    }

    private static Command BuildRun(CliContext context)
    {
        var name = new Argument<string>("name") { Description = "The pipeline (see 'workbench pipeline list')." };
        var data = new Option<FileInfo?>("--data") { Description = "A labelled Parquet file to replay instead of the pipeline's default data (its generator preset)." };
        var virtualTime = new Option<bool>("--virtual") { Description = "Replay in virtual time, as fast as possible (the default)." };
        var speed = new Option<double?>("--speed") { Description = "Replay on the wall clock at this speed factor (data time per wall time)." };
        var limit = new Option<long?>("--limit") { Description = "Replay only the first N observations." };
        var report = new Option<FileInfo?>("--report") { Description = "Write an offline HTML page with the pipeline's charts, alerts and evaluation." };
        var alertsShown = new Option<int>("--alerts") { Description = "Alerts printed in the text output (all are in --json).", DefaultValueFactory = _ => 20 };
        var json = new Option<bool>("--json") { Description = "Print the run (alerts, evaluation, figures, monitor) as one JSON object." };
        var run = new Command("run", "Run a reference pipeline on its default data (or --data) and print its alerts, evaluation and monitor figures.")
        {
            name, data, virtualTime, speed, limit, report, alertsShown, json,
        };
        run.Validators.Add(r =>
        {
            if (r.GetResult(virtualTime) is not null && r.GetResult(speed) is not null)
            {
                r.AddError("give at most one of --virtual or --speed <factor>");
            }

            if (r.GetValue(speed) is { } s && !(s > 0 && double.IsFinite(s)))
            {
                r.AddError("--speed must be a positive number");
            }

            if (r.GetValue(limit) is < 1)
            {
                r.AddError("--limit must be at least 1");
            }

            if (r.GetValue(alertsShown) < 0)
            {
                r.AddError("--alerts must be 0 or more");
            }
        });
        run.SetAction(async (parse, ct) =>
        {
            var pipelineName = parse.GetValue(name)!;
            ReferencePipeline pipeline;
            try
            {
                pipeline = PipelineCatalog.Get(pipelineName);
            }
            catch (ArgumentException e)
            {
                throw new CommandFailedException(e.Message);
            }

            var dataFile = parse.GetValue(data);
            var reportFile = parse.GetValue(report);
            OutputGuard.Check([dataFile?.FullName], ("--report", reportFile?.FullName));
            var result = await RunAsync(context, pipeline, dataFile?.FullName, parse.GetValue(speed), parse.GetValue(limit), ct).ConfigureAwait(false);
            if (reportFile is not null)
            {
                WriteReport(pipeline, result, reportFile.FullName, dataFile?.FullName);
            }

            if (parse.GetValue(json))
            {
                JsonOutput.Write(context.Out, ToJson(result, dataFile?.FullName ?? $"preset {pipeline.Preset}", reportFile?.FullName));
            }
            else
            {
                foreach (var line in result.Describe(parse.GetValue(alertsShown)))
                {
                    await context.Out.WriteLineAsync(line).ConfigureAwait(false);
                }

                await context.Out.WriteLineAsync($"mode: {result.Mode}").ConfigureAwait(false);
                await context.Out.WriteLineAsync(result.Stats.ToString()).ConfigureAwait(false);
                if (reportFile is not null)
                {
                    await context.Out.WriteLineAsync($"report: {reportFile.FullName}").ConfigureAwait(false);
                }
            }

            return ExitCodes.Success;
        });
        return run;
    }

    /// <summary>Runs <paramref name="pipeline"/> on a file or its default data, with a progress bar on a terminal.</summary>
    public static async Task<PipelineRun> RunAsync(CliContext context, ReferencePipeline pipeline, string? dataPath, double? speed, long? limit, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(pipeline);
        LabeledDatasetReader? reader = null;
        DatasetInput? input = null;
        try
        {
            IEnumerable<LabeledObservation> observations;
            double total;
            if (dataPath is null)
            {
                observations = pipeline.DefaultData();
                total = 0;
            }
            else
            {
                input = await DatasetInput.OpenAsync(context, dataPath, ct).ConfigureAwait(false);
                reader = await LabeledDatasetReader.OpenAsync(input.Path, ct: ct).ConfigureAwait(false);
                observations = reader.ReadObservations();
                total = reader.RowCount;
            }

            if (limit is { } l && total > 0)
            {
                total = Math.Min(total, l);
            }

            return await context.WithProgressAsync($"pipeline {pipeline.Name}", total, progress =>
                Task.Run(
                    () =>
                    {
                        try
                        {
                            return PipelineRunner.Run(pipeline, observations, new PipelineRunOptions { Speed = speed, Limit = limit, Progress = n => progress(n) }, ct);
                        }
                        catch (PipelineRunException e)
                        {
                            throw new CommandFailedException(dataPath is null ? e.Message : $"{dataPath}: {e.Message}");
                        }
                    },
                    ct)).ConfigureAwait(false);
        }
        finally
        {
            if (reader is not null)
            {
                await reader.DisposeAsync().ConfigureAwait(false);
            }

            if (input is not null)
            {
                await input.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static RunResult ToJson(PipelineRun run, string data, string? report)
    {
        var e = run.Evaluation;
        return new RunResult(
            run.Pipeline, data, run.Mode, run.Observations, run.First, run.Last, run.Alerts,
            new EvaluationResult(
                e.HasLabels, e.Events, e.Detected, e.Recall, e.Alerts, e.FalseAlarms, e.Precision, e.FalseAlarmsPerDay,
                e.MeanDelay?.TotalSeconds, e.MedianDelay?.TotalSeconds,
                [.. e.ByKind.Select(k => new KindResult(k.Kind, k.Events, k.Detected, k.Recall, k.MeanDelay?.TotalSeconds))]),
            run.Figures, run.Stats, report);
    }

    private static void WriteReport(ReferencePipeline pipeline, PipelineRun run, string path, string? dataPath)
    {
        var page = new HtmlReport($"Workbench pipeline: {pipeline.Title}")
            .Paragraph(pipeline.Summary)
            .Paragraph(string.Create(CultureInfo.InvariantCulture, $"Data: {dataPath ?? "preset " + pipeline.Preset}; replay {run.Mode}."));
        foreach (var chart in pipeline.Charts(run))
        {
            page.Chart(chart);
        }

        page.Heading("Alerts, evaluation and figures").Preformatted(string.Join('\n', run.Describe(maxAlerts: 200)));
        page.Heading("Run-time monitor").Paragraph(run.Stats.ToString());
        page.Write(path);
    }
}
