namespace Workbench.Data;

/// <summary>
/// Finds the repository's files (models, data) and the NAB corpus from code that may run with any working directory:
/// a notebook in VS Code (working directory = the notebook's folder), the headless notebook runner or the tests
/// (working directory = wherever the process started), a file-based app exported from a notebook.
/// </summary>
public static class WorkbenchPaths
{
    /// <summary>The environment variable that points at a NAB checkout (the folder holding <c>data/</c> and <c>labels/</c>).</summary>
    public const string NabRootVariable = "WORKBENCH_NAB_ROOT";

    /// <summary>The marker file of the repository root.</summary>
    public const string SolutionFile = "Workbench.sln";

    /// <summary>
    /// The repository root: the first folder holding <c>Workbench.sln</c>, searched from the current directory upwards,
    /// then from the folder of the loaded Workbench assembly upwards (the notebook library and the build output both
    /// sit inside the repository). Null when neither is inside a Workbench checkout.
    /// </summary>
    public static string? FindRepositoryRoot()
    {
        foreach (var start in StartFolders())
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, SolutionFile)))
                {
                    return dir.FullName;
                }
            }
        }

        return null;
    }

    /// <summary>
    /// The full path of <paramref name="relativePath"/> (e.g. <c>models/lstm-latency/model.onnx</c>) inside the repository
    /// root found by <see cref="FindRepositoryRoot"/>.
    /// </summary>
    /// <exception cref="FileNotFoundException">No repository root was found, or the file is not in it (the message names both).</exception>
    public static string RepositoryFile(string relativePath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(relativePath);
        if (Path.IsPathRooted(relativePath))
        {
            throw new ArgumentException($"'{relativePath}' is not a relative path.", nameof(relativePath));
        }

        var root = FindRepositoryRoot()
            ?? throw new FileNotFoundException($"No {SolutionFile} found above '{Directory.GetCurrentDirectory()}' or '{AppContext.BaseDirectory}', so '{relativePath}' cannot be located.", relativePath);
        var path = Path.GetFullPath(Path.Combine(root, relativePath));
        return File.Exists(path) || Directory.Exists(path)
            ? path
            : throw new FileNotFoundException($"'{relativePath}' does not exist in the repository at '{root}'.", path);
    }

    /// <summary>
    /// The NAB corpus folder (holding <c>data/</c> and <c>labels/combined_windows.json</c>): the folder named by
    /// <see cref="NabRootVariable"/> when set (it must exist), otherwise <c>&lt;repository&gt;/../shared/datasets/nab</c>
    /// when that holds both parts; null when the corpus is not available.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException">The environment variable names a folder without <c>data/</c> and <c>labels/combined_windows.json</c>.</exception>
    public static string? FindNabRoot() =>
        FindNabRoot(Environment.GetEnvironmentVariable(NabRootVariable), FindRepositoryRoot());

    /// <summary>
    /// <see cref="FindNabRoot()"/> with its inputs given: <paramref name="configuredRoot"/> (the environment variable's
    /// value; null or blank = not set) wins and must hold the corpus; otherwise <c>../shared/datasets/nab</c> relative to
    /// <paramref name="repositoryRoot"/> when it holds the corpus; otherwise null.
    /// </summary>
    /// <exception cref="DirectoryNotFoundException"><paramref name="configuredRoot"/> is set but does not hold <c>data/</c> and <c>labels/combined_windows.json</c>.</exception>
    public static string? FindNabRoot(string? configuredRoot, string? repositoryRoot)
    {
        if (!string.IsNullOrWhiteSpace(configuredRoot))
        {
            var full = Path.GetFullPath(configuredRoot);
            return IsNabRoot(full)
                ? full
                : throw new DirectoryNotFoundException($"{NabRootVariable}='{configuredRoot}' does not hold data/ and labels/combined_windows.json.");
        }

        if (repositoryRoot is null)
        {
            return null;
        }

        var candidate = Path.GetFullPath(Path.Combine(repositoryRoot, "..", "shared", "datasets", "nab"));
        return IsNabRoot(candidate) ? candidate : null;
    }

    private static bool IsNabRoot(string folder) =>
        Directory.Exists(Path.Combine(folder, "data")) && File.Exists(Path.Combine(folder, "labels", "combined_windows.json"));

    private static IEnumerable<string> StartFolders()
    {
        yield return Directory.GetCurrentDirectory();
        var assembly = typeof(WorkbenchPaths).Assembly.Location;
        if (!string.IsNullOrEmpty(assembly) && Path.GetDirectoryName(assembly) is { } folder)
        {
            yield return folder;
        }

        yield return AppContext.BaseDirectory;
    }
}
