using System.Reactive.Linq;
using Workbench.Operators.Rolling;
using static Workbench.Tests.Operators.Rolling.RollingTestKit;

namespace Workbench.Tests.Operators.Rolling;

public class RollingZScoreTests
{
    [Fact]
    public void ZScore_PreviousWindow_HandComputed_Signed()
    {
        // Window 3 over 1, 2, 3: mean 2, sd 1 -> 5 scores +3. Window {2, 3, 5}: mean 10/3, sd sqrt(7/3) -> 2 scores
        // (2 - 10/3) / sqrt(7/3) < 0.
        var z = Stats(new RollingZScoreOptions(3), 1, 2, 3, 5, 2);
        Assert.Equal([null, null, null], z[..3]);
        Assert.Equal(3.0, z[3]!.Value, 12);
        Assert.Equal((2 - (10.0 / 3)) / Math.Sqrt(7.0 / 3), z[4]!.Value, 12);
    }

    [Fact]
    public void ZScore_IncludeCurrent_HandComputed()
    {
        // Window ending at 3: {1,2,3} mean 2 sd 1 -> 1; ending at 5: {2,3,5} -> (5 - 10/3) / sqrt(7/3).
        var z = Stats(new RollingZScoreOptions(3, IncludeCurrent: true), 1, 2, 3, 5);
        Assert.Equal([null, null], z[..2]);
        Assert.Equal(1.0, z[2]!.Value, 12);
        Assert.Equal((5 - (10.0 / 3)) / Math.Sqrt(7.0 / 3), z[3]!.Value, 12);
    }

    [Fact]
    public void ZScore_FlatWindow_IsZeroOrHugeButFinite()
    {
        var z = Stats(new RollingZScoreOptions(2), 7, 7, 7, 6);
        Assert.Equal(0, z[2]);
        Assert.True(z[3] < -1e6 && double.IsFinite(z[3]!.Value));
    }

    [Fact]
    public void ZScore_Sugar_EqualsGenericOperator()
    {
        var input = MixedInput();
        Assert.Equal(RollingBatch.Compute(new RollingZScoreOptions(12), input), input.ToObservable().ZScore(12).ToList().Wait());
    }

    [Fact]
    public void Options_OutOfRange_Throw() =>
        Assert.Equal("Window", Assert.Throws<ArgumentOutOfRangeException>(() => new RollingZScoreOptions(1).CreateKernel()).ParamName);
}
