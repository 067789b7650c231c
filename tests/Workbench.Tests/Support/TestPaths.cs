namespace Workbench.Tests.Support;

/// <summary>Where the tests find the repository and the shared NAB corpus.</summary>
public static class TestPaths
{
    /// <summary>Environment variable naming the NAB corpus root; default <c>../shared/datasets/nab</c> beside the repo.</summary>
    public const string NabRootVariable = "WORKBENCH_NAB_ROOT";

    /// <summary>The repository root (the folder holding Workbench.sln).</summary>
    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>The NAB corpus root, from <see cref="NabRootVariable"/> or beside the repository.</summary>
    public static string NabRoot =>
        Environment.GetEnvironmentVariable(NabRootVariable) is { Length: > 0 } fromEnv
            ? fromEnv
            : Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared", "datasets", "nab"));

    /// <summary>Skips the calling test (reported as skipped, with the reason) when the NAB corpus is absent.</summary>
    public static string RequireNab()
    {
        var root = NabRoot;
        Skip.IfNot(File.Exists(Path.Combine(root, "labels", "combined_windows.json")),
            $"NAB corpus not found at {root}; set {NabRootVariable} to its folder (CI always provides it)");
        return root;
    }

    private static string FindRepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Workbench.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"Workbench.sln not found above {AppContext.BaseDirectory}");
    }
}
