using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Workbench.Kernel;

namespace Workbench.Cli.Commands;

/// <summary>
/// <c>workbench bench kernel</c>: the Jupyter kernel as a front end meets it, in its own process (started as the
/// kernelspec starts it): process start to the first kernel_info reply, the first cell, later cells, completion
/// through the protocol, an interrupt of a tight loop, and shutdown to process exit. Wall times in milliseconds.
/// </summary>
public static class KernelBench
{
    /// <summary>The figures.</summary>
    public sealed record Result(double StartToReadyMs, double FirstCellMs, int LaterCells, double LaterCellP50Ms, double LaterCellP95Ms,
        int Completions, double CompletionP50Ms, double CompletionP95Ms, double InterruptMs, double ShutdownToExitMs);

    /// <summary>Runs the measurement (one kernel process).</summary>
    public static Result Run()
    {
        var connection = KernelClient.NewConnection();
        var file = Path.Combine(Path.GetTempPath(), $"workbench-bench-kernel-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, JsonSerializer.Serialize(connection));
        var argv = KernelSpec.Argv().Select(a => a == "{connection_file}" ? file : a).ToList();
        var start = new ProcessStartInfo(argv[0]) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var a in argv.Skip(1))
        {
            start.ArgumentList.Add(a);
        }

        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException("the kernel process did not start");
        process.ErrorDataReceived += (_, _) => { };
        process.OutputDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        process.BeginOutputReadLine();
        try
        {
            using var client = new KernelClient(connection);
            client.WaitForIOPub();
            var ready = clock.Elapsed.TotalMilliseconds;

            double Time(string code)
            {
                var t = Stopwatch.StartNew();
                client.Execute(code);
                var reply = client.ReceiveShell(TimeSpan.FromMinutes(2));
                if (reply.GetString("status") != "ok")
                {
                    throw new InvalidOperationException($"bench cell failed: {reply.GetString("evalue")}");
                }

                return t.Elapsed.TotalMilliseconds;
            }

            var first = Time("var x = 1;\nx + 1");
            var later = Enumerable.Range(0, 30).Select(i => Time($"x += {i};\nConsole.WriteLine(x);\nx * 2")).ToList();

            var completion = new List<double>();
            const string typed = "var s = x.ToString();\ns.Sub";
            client.SendShell("complete_request", new JsonObject { ["code"] = typed, ["cursor_pos"] = typed.Length });
            client.ReceiveShell(TimeSpan.FromMinutes(2));
            for (var pass = 0; pass < 3; pass++)
            {
                for (var i = 1; i <= typed.Length; i++)
                {
                    var t = Stopwatch.StartNew();
                    client.SendShell("complete_request", new JsonObject { ["code"] = typed[..i], ["cursor_pos"] = i });
                    client.ReceiveShell();
                    completion.Add(t.Elapsed.TotalMilliseconds);
                }
            }

            var loop = client.Execute("Console.WriteLine(\"looping\");\nwhile (true) { }");
            client.WaitForStream(loop, "looping");
            var interrupt = Stopwatch.StartNew();
            client.SendControl("interrupt_request", []);
            var interrupted = client.ReceiveShell();
            var interruptMs = interrupt.Elapsed.TotalMilliseconds;
            if (interrupted.GetString("ename") != "CellInterruptedException")
            {
                throw new InvalidOperationException($"the loop was not interrupted: {interrupted.GetString("status")} {interrupted.GetString("ename")}");
            }

            var shutdown = Stopwatch.StartNew();
            client.SendControl("shutdown_request", new JsonObject { ["restart"] = false });
            client.ReceiveControl();
            if (!process.WaitForExit(TimeSpan.FromSeconds(30)))
            {
                throw new InvalidOperationException("the kernel process did not exit within 30 s of shutdown");
            }

            return new Result(ready, first, later.Count, Percentile(later, 0.5), Percentile(later, 0.95),
                completion.Count, Percentile(completion, 0.5), Percentile(completion, 0.95), interruptMs, shutdown.Elapsed.TotalMilliseconds);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            File.Delete(file);
        }
    }

    private static double Percentile(List<double> values, double p)
    {
        var sorted = values.Order().ToList();
        return sorted[(int)Math.Min(sorted.Count - 1, Math.Ceiling(p * sorted.Count) - 1)];
    }
}
