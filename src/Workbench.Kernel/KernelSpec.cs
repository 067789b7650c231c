using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Workbench.Kernel;

/// <summary>Where a kernelspec goes: the user's Jupyter data folder, or a prefix (<c>&lt;prefix&gt;/share/jupyter/kernels</c>).</summary>
public sealed record KernelSpecLocation(string KernelsDirectory)
{
    /// <summary>The user's kernels folder: <c>$JUPYTER_DATA_DIR/kernels</c>, else <c>$XDG_DATA_HOME/jupyter/kernels</c>, else <c>~/.local/share/jupyter/kernels</c> (as jupyter_core finds it on Linux).</summary>
    public static KernelSpecLocation User()
    {
        if (Environment.GetEnvironmentVariable("JUPYTER_DATA_DIR") is { Length: > 0 } data)
        {
            return new(Path.Combine(Path.GetFullPath(data), "kernels"));
        }

        var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME") is { Length: > 0 } x
            ? x
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
        return new(Path.Combine(Path.GetFullPath(xdg), "jupyter", "kernels"));
    }

    /// <summary><c>&lt;prefix&gt;/share/jupyter/kernels</c>, found by Jupyter when <c>&lt;prefix&gt;/share/jupyter</c> is on its data path (e.g. via <c>JUPYTER_PATH</c>, or a virtual environment's prefix).</summary>
    public static KernelSpecLocation Prefix(string prefix) => new(Path.Combine(Path.GetFullPath(prefix), "share", "jupyter", "kernels"));
}

/// <summary>What <see cref="KernelSpec.Install"/> wrote.</summary>
/// <param name="Name">The kernel name (the folder name, what notebooks' <c>kernelspec.name</c> refers to).</param>
/// <param name="Directory">The kernelspec folder.</param>
/// <param name="Argv">The command Jupyter runs to start the kernel.</param>
/// <param name="Files">The files written.</param>
public sealed record InstalledKernelSpec(string Name, string Directory, IReadOnlyList<string> Argv, IReadOnlyList<string> Files);

/// <summary>The Workbench kernelspec: <c>kernel.json</c> plus logos, written where <c>jupyter kernelspec list</c> finds it.</summary>
public static partial class KernelSpec
{
    /// <summary>The default kernel name, named by the notebooks' metadata.</summary>
    public const string DefaultName = "workbench-csharp";

    /// <summary>The display name front ends show.</summary>
    public const string DisplayName = "C# (Workbench)";

    /// <summary>The command that starts the kernel, running this process's program: <c>[dotnet, workbench.dll, …]</c> when run through the dotnet host, else <c>[workbench, …]</c>.</summary>
    public static IReadOnlyList<string> Argv(string? processPath = null, string? entryAssembly = null)
    {
        var process = processPath ?? Environment.ProcessPath ?? throw new InvalidOperationException("the path of this program is unknown");
        var tail = new[] { "kernel", "--connection-file", "{connection_file}" };
        var isHost = Path.GetFileNameWithoutExtension(process).Equals("dotnet", StringComparison.OrdinalIgnoreCase);
        if (!isHost)
        {
            return [process, .. tail];
        }

        var entry = entryAssembly ?? System.Reflection.Assembly.GetEntryAssembly()?.Location;
        if (string.IsNullOrEmpty(entry))
        {
            throw new InvalidOperationException("running under the dotnet host, but the entry assembly's path is unknown");
        }

        return [process, entry, .. tail];
    }

    /// <summary>The <c>kernel.json</c> content for <paramref name="argv"/>.</summary>
    public static JsonObject KernelJson(IReadOnlyList<string> argv) => new()
    {
        ["argv"] = new JsonArray([.. argv.Select(a => (JsonNode?)JsonValue.Create(a))]),
        ["display_name"] = DisplayName,
        ["language"] = "csharp",
        ["interrupt_mode"] = "message",
        ["env"] = new JsonObject { ["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1", ["DOTNET_NOLOGO"] = "1" },
        ["metadata"] = new JsonObject
        {
            ["debugger"] = false,
            ["workbench"] = new JsonObject { ["version"] = JupyterKernel.Version, ["protocol_version"] = JupyterMessage.ProtocolVersion },
        },
    };

    /// <summary>Writes the kernelspec folder <c>&lt;location&gt;/&lt;name&gt;</c> (replacing an earlier one of the same name).</summary>
    public static InstalledKernelSpec Install(KernelSpecLocation location, string name = DefaultName, IReadOnlyList<string>? argv = null)
    {
        ArgumentNullException.ThrowIfNull(location);
        CheckName(name);
        argv ??= Argv();
        var directory = Path.Combine(location.KernelsDirectory, name);
        System.IO.Directory.CreateDirectory(directory);
        var files = new List<string>();
        void Write(string file, byte[] bytes)
        {
            var path = Path.Combine(directory, file);
            var temp = path + ".tmp-" + Environment.ProcessId;
            File.WriteAllBytes(temp, bytes);
            File.Move(temp, path, overwrite: true);
            files.Add(path);
        }

        Write("kernel.json", JsonSerializer.SerializeToUtf8Bytes(KernelJson(argv), new JsonSerializerOptions { WriteIndented = true }));
        Write("logo-32x32.png", KernelLogo.Png(32));
        Write("logo-64x64.png", KernelLogo.Png(64));
        Write("logo-svg.svg", System.Text.Encoding.UTF8.GetBytes(KernelLogo.Svg()));
        return new InstalledKernelSpec(name, directory, argv, files);
    }

    /// <summary>Removes the kernelspec <paramref name="name"/> from <paramref name="location"/>; false when it is not there.</summary>
    public static bool Uninstall(KernelSpecLocation location, string name = DefaultName)
    {
        ArgumentNullException.ThrowIfNull(location);
        CheckName(name);
        var directory = Path.Combine(location.KernelsDirectory, name);
        if (!File.Exists(Path.Combine(directory, "kernel.json")))
        {
            return false;
        }

        System.IO.Directory.Delete(directory, recursive: true);
        return true;
    }

    private static void CheckName(string name)
    {
        if (string.IsNullOrEmpty(name) || !NamePattern().IsMatch(name))
        {
            throw new ArgumentException($"kernel name '{name}' is not valid: use lower-case letters, digits, '.', '_' and '-' (as Jupyter requires)", nameof(name));
        }
    }

    [GeneratedRegex("^[a-z0-9._-]+$")]
    private static partial Regex NamePattern();
}
