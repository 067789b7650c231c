using Workbench.Operators.Detection;
using Workbench.Operators.Specs;
using Workbench.Tests.Cli;
using Workbench.Tests.Support;

namespace Workbench.Tests.Operators;

/// <summary>
/// Hostile specs (nesting 10,000 deep, windows of 2^31 − 1 or 10^12 values) fail with one short typed error from
/// parsing or validation — never a stack overflow or an out-of-memory abort.
/// </summary>
public class OperatorSpecLimitsTests
{
    private static string NestedEnsemble(int depth)
    {
        var spec = "zscore";
        for (var i = 0; i < depth; i++)
        {
            spec = $"ensemble(members={spec}+mad)";
        }

        return spec;
    }

    private static string NestedForecastResidual(int depth)
    {
        // forecast-residual cannot nest a detector, so nest ensembles of forecast-residuals with a holt-winters each.
        var spec = "forecast-residual(forecaster=holt-winters(period=24))";
        for (var i = 0; i < depth; i++)
        {
            spec = $"ensemble(members={spec})";
        }

        return spec;
    }

    public static TheoryData<string> Hostile => new(
    [
        NestedEnsemble(10_000),
        NestedForecastResidual(10_000),
        "scaling-ratio(forecaster=" + string.Concat(Enumerable.Repeat("holt-winters(period=", 5_000)) + "2" + new string(')', 5_000) + ",benchmark=naive)",
        new string('(', 100_000),
    ]);

    [Theory]
    [MemberData(nameof(Hostile))]
    public void DeepNesting_FailsInTheParser_WithOneShortLine(string spec)
    {
        var e = Assert.Throws<OperatorSpecException>(() => OperatorCatalog.BuiltIn.ParseDetector(spec));
        Assert.DoesNotContain('\n', e.Message);
        Assert.True(e.Message.Length < 300, e.Message);
        Assert.Equal(spec, e.Spec);
        if (spec.StartsWith('e') || spec.StartsWith('s'))
        {
            Assert.Contains($"at most {OperatorLimits.MaxNestingDepth} levels", e.Message, StringComparison.Ordinal);
            Assert.Contains("characters)", e.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void NestingUpToTheLimit_StillParses()
    {
        var spec = NestedEnsemble(OperatorLimits.MaxNestingDepth - 1);
        var d = OperatorCatalog.BuiltIn.ParseDetector(spec);
        Assert.Equal(d, OperatorCatalog.BuiltIn.ParseDetector(d.Spec));
        Assert.Throws<OperatorSpecException>(() => OperatorCatalog.BuiltIn.ParseDetector(NestedEnsemble(OperatorLimits.MaxNestingDepth + 1)));
    }

    public static TheoryData<string, string> HugeWindows => new()
    {
        { "zscore(window=2147483647)", "window must be <= 1000000" },
        { "mad(window=2147483647)", "window must be <= 1000000" },
        { "iqr(window=1000001)", "window must be <= 1000000" },
        { "ewma(window=2147483647)", "window must be <= 1000000" },
        { "ewma(baseline=warmup,warmup=2147483647)", "warmup must be <= 1000000" },
        { "cusum(window=2147483647)", "window must be <= 1000000" },
        { "level-shift(window=2147483647)", "window must be <= 1000000" },
        { "variance-shift(window=2147483647)", "window must be <= 1000000" },
        { "forecast-residual(window=2147483647)", "window must be <= 1000000" },
        { "flatline(window=2147483647)", "window must be <= 1000000" },
        { "windowed-gaussian(window=2147483647,step=100)", "window must be <= 1000000" },
        { "seasonal-profile(cycle=week,slot=1,history=2147483647)", "exceeds 1000000 buffered values" },
        { "seasonal-profile(cycle=week,slot=1,history=100)", "10080 x 100 exceeds 1000000" },
        { "zscore(window=1000000000000)", "is not an integer in [-2147483648, 2147483647]" },
        { "scaling-ratio(forecaster=holt-winters(period=2147483647),benchmark=naive)", "period must be <= 1000000" },
        { "forecast-residual(forecaster=moving-average(window=2147483647))", "window must be <= 1000000" },
        { "scaling-ratio(forecaster=seasonal-naive(period=2147483647),benchmark=naive)", "period must be <= 1000000" },
        { "ensemble(members=zscore+mad(window=2147483647))", "window must be <= 1000000" },
    };

    [Theory]
    [MemberData(nameof(HugeWindows))]
    public void HugeWindows_FailValidation_BeforeAnyAllocation(string spec, string expected)
    {
        var e = Assert.Throws<OperatorSpecException>(() => OperatorCatalog.BuiltIn.ParseDetector(spec));
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
    }

    [Fact]
    public void WindowAtTheLimit_IsAccepted()
    {
        var d = OperatorCatalog.BuiltIn.ParseDetector($"zscore(window={OperatorLimits.MaxWindow})");
        Assert.Null(d.CreateKernel().Update(OperatorTestKit.T0, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new ZScoreDetector(int.MaxValue).CreateKernel());
        Assert.Throws<ArgumentOutOfRangeException>(() => new Workbench.Operators.Rolling.RollingMoments(int.MaxValue));
        Assert.Throws<ArgumentOutOfRangeException>(() => new Workbench.Operators.Rolling.RollingQuantile(int.MaxValue));
    }

    public static TheoryData<string> CliSpecs => new(
    [
        NestedEnsemble(10_000),
        "zscore(window=2147483647)",
        "windowed-gaussian(window=1000000000000)",
        "scaling-ratio(forecaster=holt-winters(period=2147483647),benchmark=naive)",
    ]);

    [Theory]
    [MemberData(nameof(CliSpecs))]
    public async Task Detect_HostileSpec_ExitsNonZeroWithOneLine(string spec)
    {
        using var dir = new TempDirectory();
        var data = Path.Combine(TestPaths.RepoRoot, "data", "default.parquet");
        var r = await CliRunner.RunAsync("detect", data, "--detector", spec, "--out", dir.File("x.parquet"));
        Assert.NotEqual(0, r.ExitCode);
        Assert.Single(r.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("invalid spec", r.Error, StringComparison.Ordinal);
        Assert.True(r.Error.Length < 400, r.Error);
        Assert.False(File.Exists(dir.File("x.parquet")));
    }
}
