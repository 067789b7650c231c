using System.Reactive.Linq;
using Workbench.Operators.Rolling;
using static Workbench.Tests.Operators.Rolling.RollingTestKit;

namespace Workbench.Tests.Operators.Rolling;

public class RollingMinMaxTests
{
    [Fact]
    public void MinMax_Window3_HandComputed()
    {
        // Windows {4,1,7} {1,7,3} {7,3,9} {3,9,2} {9,2,6} {2,6,6}.
        var stats = Stats(new RollingMinMaxOptions(3), 4, 1, 7, 3, 9, 2, 6, 6);
        Assert.Equal([null, null], stats[..2]);
        Assert.Equal([1.0, 1, 3, 2, 2, 2], stats[2..].Select(s => s!.Value.Min));
        Assert.Equal([7.0, 7, 9, 9, 9, 6], stats[2..].Select(s => s!.Value.Max));
    }

    [Fact]
    public void MinMax_MatchesBruteForce_OnRandomAndMonotonicInput()
    {
        var rng = new Random(3);
        var inputs = new[]
        {
            Enumerable.Range(0, 3000).Select(_ => Math.Round(rng.NextDouble() * 20)).ToArray(), // many ties
            Enumerable.Range(0, 500).Select(i => (double)i).ToArray(),
            Enumerable.Range(0, 500).Select(i => (double)-i).ToArray(),
        };
        foreach (var window in new[] { 1, 2, 7, 100 })
        {
            foreach (var xs in inputs)
            {
                var m = new RollingMinMax(window);
                for (var i = 0; i < xs.Length; i++)
                {
                    m.Add(xs[i]);
                    var w = xs[Math.Max(0, i - window + 1)..(i + 1)];
                    Assert.Equal(w.Min(), m.Min);
                    Assert.Equal(w.Max(), m.Max);
                    Assert.Equal(w.Length, m.Count);
                }
            }
        }
    }

    [Fact]
    public void MinMax_MinCount_AndClear()
    {
        var stats = Stats(new RollingMinMaxOptions(3, MinCount: 1), 5, 2);
        Assert.Equal(new MinMax(1, 5, 5), stats[0]);
        Assert.Equal(new MinMax(2, 2, 5), stats[1]);

        var m = new RollingMinMax(2);
        m.Add(1);
        m.Add(9);
        m.Clear();
        m.Add(4);
        Assert.Equal((1, 4.0, 4.0), (m.Count, m.Min, m.Max));
    }

    [Fact]
    public void MinMax_Sugar_EqualsGenericOperator()
    {
        var input = MixedInput();
        Assert.Equal(RollingBatch.Compute(new RollingMinMaxOptions(9), input), input.ToObservable().MinMax(9).ToList().Wait());
    }

    [Fact]
    public void Options_OutOfRange_Throw()
    {
        Assert.Equal("Window", Assert.Throws<ArgumentOutOfRangeException>(() => new RollingMinMaxOptions(0).CreateKernel()).ParamName);
        Assert.Equal("MinCount", Assert.Throws<ArgumentOutOfRangeException>(() => new RollingMinMaxOptions(2, 3).Validate()).ParamName);
        Assert.Throws<ArgumentOutOfRangeException>(() => new RollingMinMax(0));
    }
}
