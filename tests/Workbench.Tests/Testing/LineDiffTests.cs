using Workbench.Testing;

namespace Workbench.Tests.Testing;

public sealed class LineDiffTests
{
    [Fact]
    public void Unified_Equal_IsEmpty()
    {
        Assert.Equal(string.Empty, LineDiff.Unified(["a", "b"], ["a", "b"]));
        Assert.Null(LineDiff.FirstDifference(["a", "b"], ["a", "b"]));
    }

    [Fact]
    public void Unified_InsertionAndDeletion_HandComputedHunks()
    {
        string[] expected = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12"];
        string[] actual = ["1", "2", "3", "new", "4", "5", "6", "7", "8", "9", "10", "12"];
        Assert.Equal(4, LineDiff.FirstDifference(expected, actual));
        Assert.Equal(
            "@@ -1,6 +1,7 @@\n  1\n  2\n  3\n+ new\n  4\n  5\n  6\n"
            + "@@ -8,5 +9,4 @@\n  8\n  9\n  10\n- 11\n  12\n",
            LineDiff.Unified(expected, actual));
    }

    [Fact]
    public void Unified_ReplacedLine_DeletionBeforeInsertion_ContextZero()
    {
        Assert.Equal("@@ -2,1 +2,1 @@\n- b\n+ B\n", LineDiff.Unified(["a", "b", "c"], ["a", "B", "c"], context: 0));
    }

    [Fact]
    public void Unified_ManyChanges_StopsAfterMaxAndCountsTheRest()
    {
        var expected = Enumerable.Range(0, 50).Select(i => $"e{i}").ToArray();
        var actual = Enumerable.Range(0, 50).Select(i => $"a{i}").ToArray();
        var diff = LineDiff.Unified(expected, actual, context: 1, maxChangedLines: 4);
        Assert.Equal("@@ -1,50 +1,50 @@\n- e0\n- e1\n- e2\n- e3\n... 96 more changed lines not shown\n", diff);
    }

    [Fact]
    public void FirstDifference_ShorterActual_IsLineAfterCommonPrefix()
    {
        Assert.Equal(3, LineDiff.FirstDifference(["a", "b", "c"], ["a", "b"]));
    }
}
