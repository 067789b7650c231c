using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Workbench.Tests.Kernel;

/// <summary>
/// Debian's headless Chromium driven over the Chrome DevTools Protocol (one page, one WebSocket): navigate, evaluate
/// JavaScript, wait for a condition, take screenshots. Uncaught exceptions and console/log errors of the page are
/// collected from the start. Network names other than 127.0.0.1 do not resolve, so the page cannot reach the internet.
/// </summary>
internal sealed class DevToolsBrowser : IAsyncDisposable
{
    public const string Chromium = "/usr/bin/chromium";
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromSeconds(60);

    private readonly ChildProcess _process;
    private readonly ClientWebSocket _socket;
    private readonly CancellationTokenSource _stop = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonElement>> _pending = new();
    private readonly ConcurrentQueue<string> _exceptions = new();
    private readonly ConcurrentQueue<string> _consoleErrors = new();
    private readonly Task _receiver;
    private int _nextId;

    private DevToolsBrowser(ChildProcess process, ClientWebSocket socket)
    {
        _process = process;
        _socket = socket;
        _receiver = Task.Run(ReceiveLoopAsync);
    }

    /// <summary>Uncaught exceptions and unhandled rejections in the page (Runtime.exceptionThrown).</summary>
    public IReadOnlyList<string> Exceptions => [.. _exceptions];

    /// <summary>console.error calls and error-level log entries (failed loads, CSP, …).</summary>
    public IReadOnlyList<string> ConsoleErrors => [.. _consoleErrors];

    /// <summary>Chromium's own stderr so far.</summary>
    public string Log => _process.Stderr;

    /// <summary>Starts Chromium on <c>about:blank</c> with a fresh profile in <paramref name="userDataDir"/> and connects to its page.</summary>
    public static async Task<DevToolsBrowser> StartAsync(string userDataDir, int width = 1400, int height = 1000)
    {
        Directory.CreateDirectory(userDataDir);
        var process = ChildProcess.Start(Chromium,
        [
            "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run", "--no-default-browser-check",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
            "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1", "--remote-debugging-port=0",
            $"--user-data-dir={userDataDir}", $"--window-size={width},{height}", "about:blank",
        ]);
        try
        {
            var port = await ReadDevToolsPortAsync(process, Path.Combine(userDataDir, "DevToolsActivePort"), TimeSpan.FromSeconds(30));
            var page = await PageSocketUrlAsync(process, port, TimeSpan.FromSeconds(30));
            var socket = new ClientWebSocket();
            await socket.ConnectAsync(page, CancellationToken.None);
            var browser = new DevToolsBrowser(process, socket);
            await browser.SendAsync("Runtime.enable");
            await browser.SendAsync("Log.enable");
            await browser.SendAsync("Page.enable");
            return browser;
        }
        catch
        {
            await process.DisposeAsync();
            throw;
        }
    }

    /// <summary>Sends a DevTools command and returns its result.</summary>
    public async Task<JsonElement> SendAsync(string method, JsonObject? parameters = null)
    {
        var id = Interlocked.Increment(ref _nextId);
        var reply = new TaskCompletionSource<JsonElement>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = reply;
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters ?? [] };
        var bytes = Encoding.UTF8.GetBytes(message.ToJsonString());
        await _sendLock.WaitAsync();
        try
        {
            await _socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, CancellationToken.None);
        }
        finally
        {
            _sendLock.Release();
        }

        try
        {
            var response = await reply.Task.WaitAsync(CommandTimeout);
            if (response.TryGetProperty("error", out var error))
            {
                throw new InvalidOperationException($"DevTools {method} failed: {error.GetRawText()}");
            }

            return response.GetProperty("result");
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"DevTools {method} got no reply within {CommandTimeout.TotalSeconds} s");
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    /// <summary>Opens <paramref name="url"/> and waits until the document has loaded.</summary>
    public async Task NavigateAsync(Uri url, TimeSpan timeout)
    {
        var result = await SendAsync("Page.navigate", new JsonObject { ["url"] = url.AbsoluteUri });
        if (result.TryGetProperty("errorText", out var error))
        {
            throw new InvalidOperationException($"navigating to {url.GetLeftPart(UriPartial.Path)} failed: {error.GetString()}");
        }

        await WaitForAsync("document.readyState === 'complete' && location.href !== 'about:blank'", timeout, "the page to load");
    }

    /// <summary>Evaluates <paramref name="expression"/> in the page (promises awaited) and returns its value as JSON.</summary>
    public async Task<JsonElement> EvaluateAsync(string expression)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject
        {
            ["expression"] = expression,
            ["returnByValue"] = true,
            ["awaitPromise"] = true,
        });
        if (result.TryGetProperty("exceptionDetails", out var details))
        {
            var description = details.TryGetProperty("exception", out var ex) && ex.TryGetProperty("description", out var d) ? d.GetString() : details.GetProperty("text").GetString();
            throw new InvalidOperationException($"evaluating `{Shorten(expression)}` threw: {description}");
        }

        var value = result.GetProperty("result");
        return value.TryGetProperty("value", out var v) ? v : default;
    }

    /// <summary>
    /// Polls <paramref name="condition"/> (a JavaScript expression) every 200 ms until it is true; after
    /// <paramref name="timeout"/> throws, naming <paramref name="what"/> and the value of <paramref name="diagnostics"/>.
    /// </summary>
    public async Task WaitForAsync(string condition, TimeSpan timeout, string what, string? diagnostics = null)
    {
        var clock = Stopwatch.StartNew();
        string? lastError = null;
        while (true)
        {
            try
            {
                var value = await EvaluateAsync($"(() => {{ try {{ return !!({condition}); }} catch (e) {{ return false; }} }})()");
                if (value.ValueKind == JsonValueKind.True)
                {
                    return;
                }
            }
            catch (InvalidOperationException e)
            {
                lastError = e.Message; // e.g. the context was destroyed by a navigation
            }

            if (clock.Elapsed > timeout)
            {
                var state = diagnostics is null ? string.Empty : "; state: " + await TryEvaluateTextAsync(diagnostics);
                throw new TimeoutException($"waited {timeout.TotalSeconds} s for {what} (`{Shorten(condition)}`){state}{(lastError is null ? string.Empty : "; last error: " + lastError)}; page exceptions: [{string.Join(" | ", Exceptions)}]");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>The value of <paramref name="expression"/> as JSON text, or the error it raised.</summary>
    public async Task<string> TryEvaluateTextAsync(string expression)
    {
        try
        {
            var value = await EvaluateAsync(expression);
            return value.ValueKind == JsonValueKind.Undefined ? "undefined" : value.GetRawText();
        }
        catch (Exception e) when (e is InvalidOperationException or TimeoutException)
        {
            return e.Message;
        }
    }

    /// <summary>Writes a PNG screenshot of the viewport to <paramref name="path"/>; returns its size in bytes.</summary>
    public async Task<int> ScreenshotAsync(string path)
    {
        var result = await SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png" });
        var png = Convert.FromBase64String(result.GetProperty("data").GetString()!);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        await File.WriteAllBytesAsync(path, png);
        return png.Length;
    }

    /// <summary>Resizes the viewport (CSS pixels), e.g. to fit a whole page into one screenshot.</summary>
    public Task SetViewportAsync(int width, int height) => SendAsync("Emulation.setDeviceMetricsOverride", new JsonObject
    {
        ["width"] = width,
        ["height"] = height,
        ["deviceScaleFactor"] = 1,
        ["mobile"] = false,
    });

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited && _socket.State == WebSocketState.Open)
        {
            try
            {
                // Browser.close ends the whole browser; the socket closes before any reply.
                var close = new JsonObject { ["id"] = Interlocked.Increment(ref _nextId), ["method"] = "Browser.close" };
                await _socket.SendAsync(Encoding.UTF8.GetBytes(close.ToJsonString()), WebSocketMessageType.Text, true, CancellationToken.None);
            }
            catch (WebSocketException)
            {
                // Already going.
            }
        }

        await _process.WaitAsync(TimeSpan.FromSeconds(10)); // kills the tree if it does not exit by itself
        await _stop.CancelAsync();
        try
        {
            await _receiver.WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException)
        {
            // The loop ends with the socket; nothing more to collect.
        }

        _socket.Dispose();
        await _process.DisposeAsync();
        _stop.Dispose();
        _sendLock.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        try
        {
            while (!_stop.IsCancellationRequested && _socket.State == WebSocketState.Open)
            {
                var received = await _socket.ReceiveAsync(buffer, _stop.Token);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                message.Write(buffer, 0, received.Count);
                if (!received.EndOfMessage)
                {
                    continue;
                }

                Dispatch(message.ToArray());
                message.SetLength(0);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException)
        {
            // The browser went away or we are disposing.
        }

        foreach (var pending in _pending.Values)
        {
            pending.TrySetException(new InvalidOperationException("the DevTools connection closed"));
        }
    }

    private void Dispatch(byte[] json)
    {
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        if (root.TryGetProperty("id", out var id))
        {
            if (_pending.TryGetValue(id.GetInt32(), out var reply))
            {
                reply.TrySetResult(root.Clone());
            }

            return;
        }

        var p = root.TryGetProperty("params", out var ps) ? ps : default;
        switch (root.GetProperty("method").GetString())
        {
            case "Runtime.exceptionThrown":
                var details = p.GetProperty("exceptionDetails");
                var text = details.TryGetProperty("exception", out var ex) && ex.TryGetProperty("description", out var d) ? d.GetString() : details.GetProperty("text").GetString();
                var url = details.TryGetProperty("url", out var u) ? u.GetString() : null;
                _exceptions.Enqueue($"{text} @{url}:{(details.TryGetProperty("lineNumber", out var l) ? l.GetInt32() + 1 : 0)}");
                break;
            case "Runtime.consoleAPICalled" when p.GetProperty("type").GetString() == "error":
                _consoleErrors.Enqueue("console.error: " + string.Join(' ', p.GetProperty("args").EnumerateArray().Select(a =>
                    a.TryGetProperty("value", out var v) ? v.ToString() : a.TryGetProperty("description", out var ds) ? ds.GetString() : a.GetProperty("type").GetString())));
                break;
            case "Log.entryAdded" when p.GetProperty("entry").GetProperty("level").GetString() == "error":
                var entry = p.GetProperty("entry");
                _consoleErrors.Enqueue($"log ({entry.GetProperty("source").GetString()}): {entry.GetProperty("text").GetString()}{(entry.TryGetProperty("url", out var eu) ? " " + eu.GetString() : string.Empty)}");
                break;
        }
    }

    private static async Task<int> ReadDevToolsPortAsync(ChildProcess process, string file, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            if (File.Exists(file))
            {
                var lines = await File.ReadAllLinesAsync(file);
                if (lines.Length >= 1 && int.TryParse(lines[0], out var port) && port > 0)
                {
                    return port;
                }
            }

            if (process.HasExited || clock.Elapsed > timeout)
            {
                throw new InvalidOperationException($"chromium wrote no {file} ({(process.HasExited ? "it exited" : $"within {timeout.TotalSeconds} s")}): {ChildProcess.Tail(process.Stderr)}");
            }

            await Task.Delay(100);
        }
    }

    private static async Task<Uri> PageSocketUrlAsync(ChildProcess process, int port, TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        var clock = Stopwatch.StartNew();
        while (true)
        {
            try
            {
                using var list = JsonDocument.Parse(await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/json/list")));
                foreach (var target in list.RootElement.EnumerateArray())
                {
                    if (target.GetProperty("type").GetString() == "page" && target.TryGetProperty("webSocketDebuggerUrl", out var ws))
                    {
                        return new Uri(ws.GetString()!);
                    }
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not serving yet.
            }

            if (process.HasExited || clock.Elapsed > timeout)
            {
                throw new InvalidOperationException($"chromium's DevTools at port {port} listed no page: {ChildProcess.Tail(process.Stderr)}");
            }

            await Task.Delay(100);
        }
    }

    private static string Shorten(string text) => text.Length <= 200 ? text : text[..200] + "…";
}
