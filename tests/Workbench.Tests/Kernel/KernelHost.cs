using Workbench.Kernel;

namespace Workbench.Tests.Kernel;

/// <summary>A <see cref="JupyterKernel"/> served in the test process on free loopback ports, with a connected client.</summary>
internal sealed class KernelHost : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly StringWriter _log = new();

    private KernelHost(ConnectionInfo connection, string baseDirectory)
    {
        Connection = connection;
        Kernel = new JupyterKernel(connection, new KernelOptions { BaseDirectory = baseDirectory, Log = TextWriter.Synchronized(_log) });
        Run = Task.Run(() => Kernel.RunAsync(_stop.Token));
        Client = new KernelClient(connection);
        Client.WaitForIOPub();
    }

    public ConnectionInfo Connection { get; }

    public JupyterKernel Kernel { get; }

    public KernelClient Client { get; }

    /// <summary>Completes with the restart flag when the kernel stops.</summary>
    public Task<bool> Run { get; }

    public string Log => _log.ToString();

    public static KernelHost Start(string? baseDirectory = null, string scheme = "hmac-sha256") =>
        new(KernelClient.NewConnection(scheme), baseDirectory ?? Directory.GetCurrentDirectory());

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Run.WaitAsync(TimeSpan.FromSeconds(30));
        Client.Dispose();
        Kernel.Dispose();
        _stop.Dispose();
    }
}
