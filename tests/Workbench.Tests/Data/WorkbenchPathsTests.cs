using Workbench.Data;
using Workbench.Tests.Notebooks;

namespace Workbench.Tests.Data;

public class WorkbenchPathsTests
{
    [Fact]
    public void FindRepositoryRoot_FromTheTestOutput_IsTheCheckout()
    {
        Assert.Equal(NotebookPaths.RepoRoot, WorkbenchPaths.FindRepositoryRoot());
    }

    [Fact]
    public void RepositoryFile_CommittedModel_FullPathInsideTheRepository()
    {
        var path = WorkbenchPaths.RepositoryFile("models/lstm-latency/model.onnx");

        Assert.Equal(Path.Combine(NotebookPaths.RepoRoot, "models", "lstm-latency", "model.onnx"), path);
        Assert.True(File.Exists(path));
        Assert.Equal(Path.Combine(NotebookPaths.RepoRoot, "notebooks"), WorkbenchPaths.RepositoryFile("notebooks"));
    }

    [Fact]
    public void RepositoryFile_MissingOrRooted_ThrowsNamingIt()
    {
        var e = Assert.Throws<FileNotFoundException>(() => WorkbenchPaths.RepositoryFile("models/no-such/model.onnx"));
        Assert.Contains("'models/no-such/model.onnx'", e.Message, StringComparison.Ordinal);
        Assert.Contains(NotebookPaths.RepoRoot, e.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => WorkbenchPaths.RepositoryFile("/etc/passwd"));
        Assert.Throws<ArgumentException>(() => WorkbenchPaths.RepositoryFile(" "));
    }

    [Fact]
    public void FindNabRoot_Configured_WinsWhenItHoldsTheCorpus()
    {
        var root = Directory.CreateTempSubdirectory("wb-paths-").FullName;
        try
        {
            var repo = Directory.CreateDirectory(Path.Combine(root, "repo")).FullName;
            var configured = MakeCorpus(Path.Combine(root, "elsewhere"));
            MakeCorpus(Path.Combine(root, "shared", "datasets", "nab"));

            Assert.Equal(configured, WorkbenchPaths.FindNabRoot(configured, repo));
            Assert.Equal(Path.Combine(root, "shared", "datasets", "nab"), WorkbenchPaths.FindNabRoot(null, repo));
            Assert.Equal(Path.Combine(root, "shared", "datasets", "nab"), WorkbenchPaths.FindNabRoot("  ", repo));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void FindNabRoot_NothingThere_NullButBadConfiguredFolderThrows()
    {
        var root = Directory.CreateTempSubdirectory("wb-paths-").FullName;
        try
        {
            var repo = Directory.CreateDirectory(Path.Combine(root, "repo")).FullName;
            Assert.Null(WorkbenchPaths.FindNabRoot(null, repo));
            Assert.Null(WorkbenchPaths.FindNabRoot(null, null));

            // data/ without the labels file is not a corpus.
            Directory.CreateDirectory(Path.Combine(root, "shared", "datasets", "nab", "data"));
            Assert.Null(WorkbenchPaths.FindNabRoot(null, repo));

            var e = Assert.Throws<DirectoryNotFoundException>(() => WorkbenchPaths.FindNabRoot(Path.Combine(root, "shared"), repo));
            Assert.Contains(WorkbenchPaths.NabRootVariable, e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    private static string MakeCorpus(string folder)
    {
        Directory.CreateDirectory(Path.Combine(folder, "data"));
        Directory.CreateDirectory(Path.Combine(folder, "labels"));
        File.WriteAllText(Path.Combine(folder, "labels", "combined_windows.json"), "{}");
        return folder;
    }
}
