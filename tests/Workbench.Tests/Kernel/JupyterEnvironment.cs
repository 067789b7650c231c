using System.Diagnostics;
using System.Text.Json;

namespace Workbench.Tests.Kernel;

/// <summary>The kernelspec installed for a test, and the environment Jupyter's child processes must run with to find it.</summary>
/// <param name="Name">The kernel name.</param>
/// <param name="SpecDirectory">The folder holding <c>kernel.json</c>.</param>
/// <param name="Root">The test's sandbox: the prefix, and Jupyter's config, data and runtime folders, are below it.</param>
/// <param name="Environment">Variables for every Jupyter child process (isolated from the user's Jupyter setup).</param>
internal sealed record InstalledKernel(string Name, string SpecDirectory, string Root, IReadOnlyDictionary<string, string?> Environment)
{
    /// <summary>Where Jupyter writes kernels' connection files; every kernel it starts names a file in it on its command line.</summary>
    public string RuntimeDirectory => Environment["JUPYTER_RUNTIME_DIR"]!;

    /// <summary><see cref="Environment"/> plus <paramref name="extra"/>.</summary>
    public IReadOnlyDictionary<string, string?> With(params (string Key, string? Value)[] extra)
    {
        var env = new Dictionary<string, string?>(Environment, StringComparer.Ordinal);
        foreach (var (key, value) in extra)
        {
            env[key] = value;
        }

        return env;
    }
}

/// <summary>
/// Debian's Python with Jupyter (notebook, nbclient, jupyter_client, jupyter_kernel_test), which the kernel tests drive.
/// <see cref="Require"/> skips the calling test, naming what is missing, unless <c>WORKBENCH_REQUIRE_JUPYTER=1</c>
/// (set by .ci/run), where a missing piece fails the test instead.
/// </summary>
internal static class JupyterEnvironment
{
    public const string Python = "/usr/bin/python3";
    public const string RequireVariable = "WORKBENCH_REQUIRE_JUPYTER";
    public const string KernelName = "workbench-csharp";
    public const string DisplayName = "C# (Workbench)";

    /// <summary>The modules the tests import, with the Debian package providing each.</summary>
    public static readonly IReadOnlyList<(string Module, string Package)> Modules =
    [
        ("notebook", "python3-notebook"),
        ("nbclient", "python3-nbclient"),
        ("jupyter_client", "python3-jupyter-client"),
        ("jupyter_kernel_test", "python3-jupyter-kernel-test"),
    ];

    private static readonly Lazy<string?> Missing = new(Probe);

    /// <summary>The CLI beside the test assembly (the tests reference Workbench.Cli).</summary>
    public static string CliDll { get; } = Path.Combine(AppContext.BaseDirectory, "workbench.dll");

    /// <summary>The Python scripts copied beside the test assembly.</summary>
    public static string ScriptsDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "Kernel", "python");

    public static bool Required => System.Environment.GetEnvironmentVariable(RequireVariable) == "1";

    /// <summary>Skips (or, under <c>WORKBENCH_REQUIRE_JUPYTER=1</c>, fails) the calling test when Jupyter is unusable.</summary>
    public static void Require()
    {
        if (Missing.Value is not { } reason)
        {
            return;
        }

        Assert.False(Required, $"{reason}, but {RequireVariable}=1: the Jupyter kernel tests must run (.ci/run installs the packages).");
        Skip.If(true, $"{reason}; the Jupyter kernel tests cannot run (set {RequireVariable}=1 to make this a failure).");
    }

    /// <summary>
    /// Runs <c>dotnet workbench.dll kernel install --prefix &lt;root&gt;/prefix --json</c> as a process, checks the
    /// kernel.json it wrote, and returns the environment (JUPYTER_PATH on the prefix; config, data, runtime and IPython
    /// folders of their own below <paramref name="root"/>) under which Jupyter finds that kernelspec and nothing of the user's.
    /// </summary>
    public static async Task<InstalledKernel> InstallKernelAsync(string root)
    {
        Assert.True(File.Exists(CliDll), $"{CliDll} is missing: the tests reference Workbench.Cli, so the build puts it beside the test assembly");
        var prefix = Path.Combine(root, "prefix");
        var install = await ChildProcess.RunAsync("dotnet", [CliDll, "kernel", "install", "--prefix", prefix, "--name", KernelName, "--json"], TimeSpan.FromSeconds(60));
        Assert.True(install.ExitCode == 0, "workbench kernel install failed: " + install.Describe());

        using var summary = JsonDocument.Parse(install.Stdout);
        var directory = summary.RootElement.GetProperty("directory").GetString()!;
        Assert.Equal(Path.Combine(prefix, "share", "jupyter", "kernels", KernelName), directory);

        using var spec = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(directory, "kernel.json")));
        var argv = spec.RootElement.GetProperty("argv").EnumerateArray().Select(a => a.GetString()!).ToArray();
        Assert.True(argv.Length == 5 && Path.GetFileNameWithoutExtension(argv[0]) == "dotnet" && argv[1] == CliDll && argv[2..].SequenceEqual(["kernel", "--connection-file", "{connection_file}"]),
            "kernel.json argv: " + string.Join(' ', argv));
        Assert.Equal(DisplayName, spec.RootElement.GetProperty("display_name").GetString());
        Assert.Equal("csharp", spec.RootElement.GetProperty("language").GetString());
        Assert.Equal("message", spec.RootElement.GetProperty("interrupt_mode").GetString());
        Assert.True(File.Exists(Path.Combine(directory, "logo-64x64.png")), "no logo-64x64.png in " + directory);

        var home = Path.Combine(root, "jupyter-home");
        var env = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["JUPYTER_PATH"] = Path.Combine(prefix, "share", "jupyter"),
            ["JUPYTER_CONFIG_DIR"] = Path.Combine(home, "config"),
            ["JUPYTER_DATA_DIR"] = Path.Combine(home, "data"),
            ["JUPYTER_RUNTIME_DIR"] = Path.Combine(home, "runtime"),
            ["IPYTHONDIR"] = Path.Combine(home, "ipython"),
            ["JUPYTER_CONFIG_PATH"] = null,
            ["JUPYTER_PREFER_ENV_PATH"] = null,
            ["PYTHONDONTWRITEBYTECODE"] = "1",
            ["PYTHONPATH"] = null,
            ["PYDEVD_DISABLE_FILE_VALIDATION"] = "1", // ipykernel's debugger warns about frozen modules otherwise
        };
        foreach (var dir in env.Where(e => e.Key.EndsWith("DIR", StringComparison.Ordinal)).Select(e => e.Value!))
        {
            Directory.CreateDirectory(dir);
        }

        // Jupyter itself must resolve the name to this folder (and not to a kernelspec of the machine's).
        var list = await ChildProcess.RunAsync(Python, ["-m", "jupyter_client.kernelspecapp", "list", "--json"], TimeSpan.FromSeconds(60), root, env);
        Assert.True(list.ExitCode == 0, "jupyter kernelspec list failed: " + list.Describe());
        using var specs = JsonDocument.Parse(list.Stdout);
        Assert.True(specs.RootElement.GetProperty("kernelspecs").TryGetProperty(KernelName, out var found), "jupyter kernelspec list does not show " + KernelName + ": " + list.Stdout);
        Assert.Equal(directory, found.GetProperty("resource_dir").GetString());
        return new InstalledKernel(KernelName, directory, root, env);
    }

    /// <summary>Copies a script from <c>Kernel/python</c> into <paramref name="directory"/>; returns its path.</summary>
    public static string CopyScript(string name, string directory)
    {
        var target = Path.Combine(directory, name);
        File.Copy(Path.Combine(ScriptsDirectory, name), target, overwrite: true);
        return target;
    }

    /// <summary>Processes (other than this one) whose command line mentions <paramref name="marker"/>, as "pid: command line".</summary>
    public static IReadOnlyList<string> ProcessesMentioning(string marker)
    {
        var found = new List<string>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == System.Environment.ProcessId)
            {
                continue;
            }

            string cmdline;
            try
            {
                cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ').Trim();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue; // gone in between, or not ours to read
            }

            if (cmdline.Contains(marker, StringComparison.Ordinal))
            {
                found.Add($"{pid}: {cmdline}");
            }
        }

        return found;
    }

    /// <summary>Polls (bounded by <paramref name="timeout"/>) until no process mentions <paramref name="marker"/>; returns the ones still there.</summary>
    public static async Task<IReadOnlyList<string>> WaitForNoProcessesMentioning(string marker, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var left = ProcessesMentioning(marker);
            if (left.Count == 0 || clock.Elapsed > timeout)
            {
                return left;
            }

            await Task.Delay(100);
        }
    }

    private static string? Probe()
    {
        if (!File.Exists(Python))
        {
            return $"{Python} is missing (apt-get install -y python3 {string.Join(' ', Modules.Select(m => m.Package))})";
        }

        // Each module imported on its own, so one broken module does not hide the others.
        const string check = "import importlib, sys\nmissing = []\nfor m in sys.argv[1:]:\n    try:\n        importlib.import_module(m)\n    except Exception as e:\n        missing.append(m)\nprint(' '.join(missing))\n";
        var start = new ProcessStartInfo(Python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(check);
        foreach (var (module, _) in Modules)
        {
            start.ArgumentList.Add(module);
        }

        start.Environment["PYTHONDONTWRITEBYTECODE"] = "1";
        using var process = Process.Start(start)!;
        var stderr = process.StandardError.ReadToEndAsync();
        var stdout = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            return $"{Python} did not finish importing the Jupyter modules within 60 s";
        }

        if (process.ExitCode != 0)
        {
            return $"{Python} failed checking the Jupyter modules: {stderr.Result.Trim()}";
        }

        var missing = stdout.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        if (missing.Length > 0)
        {
            var packages = Modules.Where(m => missing.Contains(m.Module)).Select(m => m.Package);
            return $"{Python} cannot import {string.Join(", ", missing)} (apt-get install -y {string.Join(' ', packages)})";
        }

        return File.Exists(CliDll) ? null : $"{CliDll} is missing";
    }
}
