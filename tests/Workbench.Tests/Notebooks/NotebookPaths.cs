namespace Workbench.Tests.Notebooks;

internal static class NotebookPaths
{
    public static string RepoRoot { get; } = FindRoot();

    public static string Fixture(string name) => Path.Combine(RepoRoot, "tests", "Workbench.Tests", "Notebooks", "Fixtures", name);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Workbench.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Workbench.sln not found above the test folder");
    }
}
