using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.Json.Nodes;
using Workbench.Kernel;
using Workbench.Tests.Support;

namespace Workbench.Tests.Kernel;

/// <summary>The kernel as Jupyter runs it: <c>workbench kernel --connection-file f</c> in its own process.</summary>
public class KernelProcessTests
{
    private static readonly string Cli = Path.Combine(AppContext.BaseDirectory, "workbench.dll");

    private static Process StartKernel(string connectionFile, int? parentPid = null)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (var arg in new[] { Cli, "kernel", "--connection-file", connectionFile })
        {
            start.ArgumentList.Add(arg);
        }

        if (parentPid is { } pid)
        {
            start.Environment["JPY_PARENT_PID"] = pid.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return Process.Start(start)!;
    }

    private static string WriteConnection(TempDirectory temp, ConnectionInfo info)
    {
        var path = temp.File("kernel-test.json");
        File.WriteAllText(path, JsonSerializer.Serialize(info));
        return path;
    }

    [Fact]
    public async Task A_kernel_process_serves_cells_and_exits_cleanly_on_shutdown()
    {
        using var temp = new TempDirectory();
        var info = KernelClient.NewConnection();
        using var kernel = StartKernel(WriteConnection(temp, info));
        var stderr = kernel.StandardError.ReadToEndAsync();
        try
        {
            using var client = new KernelClient(info);
            client.WaitForIOPub();
            client.Execute("Environment.ProcessId");
            Assert.Equal("ok", client.ReceiveShell().GetString("status"));
            client.SendControl("shutdown_request", new JsonObject { ["restart"] = false });
            Assert.Equal("shutdown_reply", client.ReceiveControl().MessageType);
            await kernel.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
            Assert.Equal(0, kernel.ExitCode);
            Assert.Contains("shutting down (shutdown_request)", await stderr, StringComparison.Ordinal);
        }
        finally
        {
            if (!kernel.HasExited)
            {
                kernel.Kill(entireProcessTree: true);
            }
        }
    }

    [Fact]
    public async Task A_kernel_process_ends_when_its_parent_process_ends()
    {
        using var temp = new TempDirectory();
        var info = KernelClient.NewConnection();
        using var parent = Process.Start(new ProcessStartInfo("sleep", "600") { UseShellExecute = false })!;
        using var kernel = StartKernel(WriteConnection(temp, info), parent.Id);
        var stderr = kernel.StandardError.ReadToEndAsync();
        try
        {
            using (var client = new KernelClient(info))
            {
                client.WaitForIOPub();
            }

            parent.Kill();
            await parent.WaitForExitAsync();
            await kernel.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
            Assert.Contains($"the parent process {parent.Id} ended", await stderr, StringComparison.Ordinal);
        }
        finally
        {
            if (!kernel.HasExited)
            {
                kernel.Kill(entireProcessTree: true);
            }
        }
    }

    [Fact]
    public async Task A_bad_connection_file_or_a_taken_port_fails_with_one_clear_line()
    {
        using var temp = new TempDirectory();
        var unsigned = KernelClient.NewConnection() with { Key = "" };
        var (code, _, error) = await RunToEnd(WriteConnection(temp, unsigned));
        Assert.NotEqual(0, code);
        Assert.Contains("empty 'key'", error, StringComparison.Ordinal);
        Assert.Single(error.Trim().Split('\n'));

        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var clash = KernelClient.NewConnection() with { ShellPort = ((IPEndPoint)taken.LocalEndpoint).Port };
        (code, _, error) = await RunToEnd(WriteConnection(temp, clash));
        Assert.NotEqual(0, code);
        Assert.Contains("cannot bind the shell socket", error, StringComparison.Ordinal);
    }

    private static async Task<(int Code, string Out, string Error)> RunToEnd(string connectionFile)
    {
        using var kernel = StartKernel(connectionFile);
        var stdout = kernel.StandardOutput.ReadToEndAsync();
        var stderr = kernel.StandardError.ReadToEndAsync();
        try
        {
            await kernel.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }
        finally
        {
            if (!kernel.HasExited)
            {
                kernel.Kill(entireProcessTree: true);
            }
        }

        return (kernel.ExitCode, await stdout, await stderr);
    }
}
