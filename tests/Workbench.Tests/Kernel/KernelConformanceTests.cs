using System.Globalization;
using System.Text.Json;
using Workbench.Tests.Support;
using Xunit.Abstractions;

namespace Workbench.Tests.Kernel;

/// <summary>
/// jupyter_kernel_test's conformance suite (the one Jupyter kernels are checked with) against our kernel, started by
/// jupyter_client from the kernelspec that <c>workbench kernel install</c> writes: kernel_info, stdout and stderr streams,
/// completion, is_complete, errors, execute_result, display_data, history (tail, range, search), inspection and
/// clear_output. The C# samples are in <c>Kernel/python/kernel_conformance.py</c>. Only the pager test may skip (the
/// kernel has no pager); every test of the base class must have run.
/// </summary>
public class KernelConformanceTests(ITestOutputHelper output)
{
    private const string Script = "kernel_conformance.py";
    private const string Pager = "test_pager";
    private const string PagerReason = "the Workbench kernel has no pager (no page payloads)";
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(5);

    private sealed record Outcome(string Test, string Kind, string Detail)
    {
        /// <summary>The test method, without a subtest's parameters.</summary>
        public string Method => Test.Split(' ', 2)[0].Split('.')[^1];
    }

    [SkippableFact]
    public async Task Kernel_PassesJupyterKernelTestSuite()
    {
        JupyterEnvironment.Require();
        using var temp = new TempDirectory();
        var kernel = await JupyterEnvironment.InstallKernelAsync(temp.Path);
        JupyterEnvironment.CopyScript(Script, temp.Path);
        var results = temp.File("results.jsonl");

        var run = await ChildProcess.RunAsync(JupyterEnvironment.Python, ["-m", "unittest", "-v", Script], Timeout, temp.Path,
            kernel.With(("WB_KERNEL_NAME", kernel.Name), ("WB_RESULTS_JSON", results)));
        output.WriteLine($"python3 -m unittest -v {Script}: {run.Elapsed.TotalSeconds.ToString("F1", CultureInfo.InvariantCulture)} s, exit code {run.ExitCode}");
        Assert.False(run.TimedOut, $"the conformance suite did not finish within {Timeout.TotalMinutes} min: {run.Describe()}");
        Assert.True(File.Exists(results), "the script wrote no results (it did not import?): " + run.Describe());

        var lines = await File.ReadAllLinesAsync(results);
        using var head = JsonDocument.Parse(lines[0]);
        var inventory = head.RootElement.GetProperty("inventory").EnumerateArray().Select(e => e.GetString()!).ToArray();
        output.WriteLine($"jupyter_kernel_test {head.RootElement.GetProperty("jupyter_kernel_test").GetString()}: {inventory.Length} tests in KernelTests");
        var outcomes = lines.Skip(1).Where(l => l.Length > 0).Select(l =>
        {
            using var doc = JsonDocument.Parse(l);
            var r = doc.RootElement;
            return new Outcome(r.GetProperty("test").GetString()!, r.GetProperty("outcome").GetString()!, r.GetProperty("detail").GetString()!);
        }).ToArray();

        foreach (var o in outcomes)
        {
            output.WriteLine($"  {o.Kind,-5} {o.Test}{(o.Kind == "skip" ? " — skipped: " + o.Detail : string.Empty)}");
        }

        var problems = new List<string>();
        problems.AddRange(outcomes.Where(o => o.Kind is "fail" or "error").Select(o => $"{o.Kind.ToUpperInvariant()}: {o.Test}\n{o.Detail.TrimEnd()}"));
        problems.AddRange(outcomes.Where(o => o.Kind == "skip" && !(o.Method == Pager && o.Detail == PagerReason))
            .Select(o => $"SKIPPED (only {Pager} may skip): {o.Test}: '{o.Detail}'"));
        problems.AddRange(inventory.Where(name => !outcomes.Any(o => o.Method == name)).Select(name => $"DID NOT RUN: {name} (a test of jupyter_kernel_test.KernelTests)"));
        if (!inventory.Contains(Pager) || !outcomes.Any(o => o.Method == Pager && o.Kind == "skip"))
        {
            problems.Add($"{Pager} was expected to be reported skipped ('{PagerReason}')");
        }

        if (run.ExitCode != 0 && problems.Count == 0)
        {
            problems.Add("unittest failed outside any test (setUpClass / import?): " + run.Describe());
        }

        Assert.True(problems.Count == 0,
            $"{problems.Count} problem(s) in jupyter_kernel_test against kernel '{kernel.Name}':\n\n{string.Join("\n\n", problems)}\n\n--- unittest stderr (tail; the kernel logs here too) ---\n{ChildProcess.Tail(run.Stderr)}");

        var leftovers = await JupyterEnvironment.WaitForNoProcessesMentioning(kernel.RuntimeDirectory, TimeSpan.FromSeconds(20));
        Assert.True(leftovers.Count == 0, "kernel processes left running after the suite:\n" + string.Join('\n', leftovers));
    }
}
