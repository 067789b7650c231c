using System.Diagnostics;
using Workbench.Notebooks;

namespace Workbench.Cli.Commands;

/// <summary>
/// <c>workbench bench notebook-language</c>: latency of the notebook language service. A session runs four cells
/// (a <c>#r</c> of Workbench.Core, a list, a record, a LINQ query, a function); then a few lines are typed one character
/// at a time with a completion request after each keystroke, as a Jupyter front end would send them. The first request
/// (MEF composition, the submission compilations) is reported alone; the typing is done three times and the last two
/// passes give the warm percentiles (wall time) and the mean process CPU time per request (less sensitive to a busy machine). Inspection and the completeness check are measured the same way.
/// </summary>
public static class NotebookLanguageBench
{
    private const string Typed =
        "var total = samples.Where(s => s.Value > 1).Sum(s => s.Value);\nConsole.WriteLine(Twice(list.Count));\n"
        + "System.Collections.Generic.Dictionary<string, Sample> d = new();\nd.Add(\"x\", samples[0]);\nvar o = new LabeledObservation(\"s\", default, 1, default);\no.";

    /// <summary>The figures, in milliseconds.</summary>
    public sealed record Result(double FirstCompletionMs, int Keystrokes, double CompletionP50Ms, double CompletionP95Ms, double CompletionP99Ms, double CompletionMaxMs, double CompletionCpuMeanMs,
        double InspectP50Ms, double InspectP95Ms, double IsCompleteP95Ms);

    /// <summary>Runs the measurement.</summary>
    public static async Task<Result> RunAsync(CancellationToken cancellationToken)
    {
        var session = new NotebookSession();
        string[] cells =
        [
            $"#r \"{typeof(Core.LabeledObservation).Assembly.Location}\"\nusing Workbench.Core;",
            "var list = new List<int> { 1, 2, 3 };\nrecord Sample(double Value, string Name);",
            "var samples = list.Select(i => new Sample(i, i.ToString())).ToList();",
            "int Twice(int v) => 2 * v;",
        ];
        foreach (var cell in cells)
        {
            var r = await session.ExecuteAsync(cell, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (r.Status != CellStatus.Ok)
            {
                throw new InvalidOperationException($"bench cell failed: {r.Error?.EValue}");
            }
        }

        var clock = Stopwatch.StartNew();
        await session.CompleteAsync("list.", 5, cancellationToken).ConfigureAwait(false);
        var first = clock.Elapsed.TotalMilliseconds;

        var completion = new List<double>();
        var cpu = TimeSpan.Zero;
        for (var pass = 0; pass < 3; pass++)
        {
            var cpuStart = Process.GetCurrentProcess().TotalProcessorTime;
            for (var i = 1; i <= Typed.Length; i++)
            {
                clock.Restart();
                await session.CompleteAsync(Typed[..i], i, cancellationToken).ConfigureAwait(false);
                if (pass > 0)
                {
                    completion.Add(clock.Elapsed.TotalMilliseconds);
                }
            }

            if (pass > 0)
            {
                cpu += Process.GetCurrentProcess().TotalProcessorTime - cpuStart;
            }
        }

        var inspect = new List<double>();
        const string line = "Console.WriteLine(list.Count);";
        for (var i = 0; i < 200; i++)
        {
            clock.Restart();
            await session.InspectAsync(line, 10 + (i % 16), cancellationToken: cancellationToken).ConfigureAwait(false);
            inspect.Add(clock.Elapsed.TotalMilliseconds);
        }

        var complete = new List<double>();
        for (var i = 0; i < 2000; i++)
        {
            clock.Restart();
            session.IsComplete("for (int i = 0; i < 3; i++) {\n    Console.WriteLine(i);");
            complete.Add(clock.Elapsed.TotalMilliseconds);
        }

        return new Result(first, completion.Count, Percentile(completion, 0.50), Percentile(completion, 0.95), Percentile(completion, 0.99), completion.Max(), cpu.TotalMilliseconds / completion.Count,
            Percentile(inspect, 0.50), Percentile(inspect, 0.95), Percentile(complete, 0.95));
    }

    private static double Percentile(List<double> samples, double q)
    {
        var sorted = samples.Order().ToList();
        return sorted[(int)Math.Clamp(Math.Ceiling(q * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}
