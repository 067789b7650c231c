using Workbench.Operators.Detection;
using Workbench.Operators.Specs;
using static Workbench.Tests.Operators.OperatorTestKit;

namespace Workbench.Tests.Operators.Detection;

/// <summary>Small helpers for the per-detector tests.</summary>
internal static class DetectorTestKit
{
    /// <summary>Scores one series at 1-minute steps (stream = batch asserted on the way).</summary>
    public static double?[] Scores(IDetector detector, params double?[] values) =>
        AssertStreamEqualsBatch(detector, Series("s", values)).Select(s => s.Score).ToArray();

    /// <summary>Asserts scores equal the expectation: nulls exactly, numbers to <paramref name="digits"/> decimals.</summary>
    public static void AssertScores(double?[] expected, double?[] actual, int digits = 12)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            if (expected[i] is { } e)
            {
                Assert.True(actual[i].HasValue, $"row {i}: expected {e}, got null");
                Assert.Equal(e, actual[i]!.Value, digits);
            }
            else
            {
                Assert.True(actual[i] is null, $"row {i}: expected null, got {actual[i]}");
            }
        }
    }

    /// <summary>A bad spec fails through the built-in catalog with a message naming the spec and the problem.</summary>
    public static void AssertBadSpec(string text, string expected)
    {
        var e = Assert.Throws<OperatorSpecException>(() => OperatorCatalog.BuiltIn.ParseDetector(text));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.Contains(text, e.Message, StringComparison.Ordinal);
    }
}
