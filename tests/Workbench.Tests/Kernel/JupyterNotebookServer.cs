using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;

namespace Workbench.Tests.Kernel;

/// <summary>
/// Classic Jupyter Notebook 6 (<c>python3 -m notebook</c>) on a free loopback port with a random token, serving
/// <see cref="NotebookDirectory"/> and starting kernels from an <see cref="InstalledKernel"/>'s environment.
/// </summary>
internal sealed class JupyterNotebookServer : IAsyncDisposable
{
    private readonly ChildProcess _process;
    private readonly HttpClient _http;

    private JupyterNotebookServer(ChildProcess process, int port, string token, string notebookDirectory)
    {
        _process = process;
        Port = port;
        Token = token;
        NotebookDirectory = notebookDirectory;
        _http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(10) };
        _http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("token", token);
    }

    public int Port { get; }

    public string Token { get; }

    public string NotebookDirectory { get; }

    /// <summary>The server's log (Notebook 6 logs to stderr).</summary>
    public string Log => _process.Stderr + _process.Stdout;

    /// <summary>The address of <paramref name="path"/> (starting with '/') with the token in the query.</summary>
    public Uri Url(string path) => new($"http://127.0.0.1:{Port}{path}?token={Token}");

    /// <summary>Starts the server and waits (bounded by <paramref name="timeout"/>) until <c>/api/status</c> answers.</summary>
    public static async Task<JupyterNotebookServer> StartAsync(InstalledKernel kernel, string notebookDirectory, TimeSpan timeout)
    {
        var port = FreePort();
        var token = RandomNumberGenerator.GetHexString(32, lowercase: true);
        string[] args =
        [
            "-m", "notebook", "--no-browser", "--ip=127.0.0.1", $"--port={port}", "--port-retries=0",
            $"--NotebookApp.token={token}", $"--notebook-dir={notebookDirectory}", "--NotebookApp.open_browser=False",
        ];
        if (Environment.IsPrivilegedProcess)
        {
            args = [.. args, "--allow-root"]; // CI containers run as root; Notebook 6 refuses that otherwise
        }

        var process = ChildProcess.Start(JupyterEnvironment.Python, args, notebookDirectory, kernel.Environment);
        var server = new JupyterNotebookServer(process, port, token, notebookDirectory);
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (process.HasExited)
            {
                var log = server.Log;
                await server.DisposeAsync();
                throw new InvalidOperationException($"the notebook server exited at start:\n{ChildProcess.Tail(log)}");
            }

            try
            {
                using var status = await server._http.GetAsync(new Uri($"api/status?token={token}", UriKind.Relative));
                if (status.StatusCode == HttpStatusCode.OK)
                {
                    return server;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            if (clock.Elapsed > timeout)
            {
                var log = server.Log;
                await server.DisposeAsync();
                throw new TimeoutException($"the notebook server did not answer /api/status within {timeout.TotalSeconds} s:\n{ChildProcess.Tail(log)}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>GET of an API path (e.g. <c>api/sessions</c>) as text.</summary>
    public Task<string> GetStringAsync(string relative) => _http.GetStringAsync(new Uri(relative, UriKind.Relative));

    /// <summary>
    /// Asks the server to stop (<c>POST /api/shutdown</c>; it shuts its kernels down first) and waits for it to exit;
    /// past <paramref name="timeout"/> kills its tree and reports the result as timed out.
    /// </summary>
    public async Task<ProcessResult> ShutdownAsync(TimeSpan timeout)
    {
        if (!_process.HasExited)
        {
            try
            {
                using var response = await _http.PostAsync(new Uri("api/shutdown", UriKind.Relative), content: null);
                response.EnsureSuccessStatusCode();
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // It may close the connection as it goes; its exit is what counts.
            }
        }

        return await _process.WaitAsync(timeout);
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _process.DisposeAsync();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
