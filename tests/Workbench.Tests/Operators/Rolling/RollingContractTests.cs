using System.Reactive.Linq;
using System.Reactive.Subjects;
using Workbench.Core;
using Workbench.Operators.Indicators;
using Workbench.Operators.Rolling;
using static Workbench.Tests.Operators.OperatorTestKit;
using static Workbench.Tests.Operators.Rolling.RollingTestKit;

namespace Workbench.Tests.Operators.Rolling;

/// <summary>
/// The contract every rolling statistic and indicator keeps: streaming = batch = span path, per-series isolation,
/// the missing-value rule, the label carried through, Rx grammar, fresh state per subscription, disposal.
/// </summary>
public class RollingContractTests
{
    public static TheoryData<string> Cases => [.. StatCases.Keys];

    private static readonly Dictionary<string, IStatCase> StatCases = new()
    {
        ["meanvar"] = new StatCase<Moments>(new RollingMomentsOptions(5)),
        ["meanvar-min2"] = new StatCase<Moments>(new RollingMomentsOptions(5, 2)),
        ["ewma"] = new StatCase<EwMoments>(new EwmaOptions(0.3)),
        ["ewma-span-noadjust"] = new StatCase<EwMoments>(EwmaOptions.FromSpan(10, adjust: false, minCount: 3)),
        ["minmax"] = new StatCase<MinMax>(new RollingMinMaxOptions(4)),
        ["zscore"] = new StatCase<double>(new RollingZScoreOptions(5)),
        ["zscore-current"] = new StatCase<double>(new RollingZScoreOptions(5, IncludeCurrent: true)),
        ["sma"] = new StatCase<double>(new SmaOptions(5)),
        ["ema"] = new StatCase<double>(new EmaOptions(5)),
        ["rsi"] = new StatCase<double>(new RsiOptions(5)),
        ["macd"] = new StatCase<MacdValue>(new MacdOptions(3, 6, 4)),
        ["bollinger"] = new StatCase<BollingerBand>(new BollingerOptions(5, 2)),
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void Rolling_StreamEqualsBatch_OnMixedSeriesWithMissingValues(string name)
    {
        StatCases[name].StreamEqualsBatch(MixedInput(), MissingOutput.Null);
        StatCases[name].StreamEqualsBatch(MixedInput(), MissingOutput.CarryLast);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Rolling_PerSeries_StateIsIsolated(string name) => StatCases[name].PerSeriesIsolated();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Rolling_Missing_IsNullOrCarried_AndLeavesStateUnchanged(string name) => StatCases[name].MissingRule();

    [Theory]
    [MemberData(nameof(Cases))]
    public void Rolling_Subscriptions_AreIndependent_ErrorsPassOnce_DisposeStops(string name) => StatCases[name].Grammar();

    [Fact]
    public void Rolling_Arguments_AreChecked()
    {
        var source = Observable.Empty<LabeledObservation>();
        Assert.Throws<ArgumentNullException>(() => source.Rolling<double>(null!));
        Assert.Throws<ArgumentNullException>(() => ((IObservable<LabeledObservation>)null!).Rolling(new SmaOptions()));
        Assert.Throws<ArgumentOutOfRangeException>(() => source.Rolling(new SmaOptions(), (MissingOutput)7));
        // Options are validated when the pipeline is built, not at the first value.
        Assert.Throws<ArgumentOutOfRangeException>(() => source.Rolling(new SmaOptions(0)));
        Assert.Throws<ArgumentException>(() => RollingBatch.Compute(new SmaOptions(2), new double?[3], new double?[2]));
    }

    private interface IStatCase
    {
        void StreamEqualsBatch(List<LabeledObservation> input, MissingOutput missing);

        void PerSeriesIsolated();

        void MissingRule();

        void Grammar();
    }

    private sealed class StatCase<T>(IRollingStatistic<T> statistic) : IStatCase
        where T : struct
    {
        public void StreamEqualsBatch(List<LabeledObservation> input, MissingOutput missing)
        {
            var result = AssertStreamEqualsBatch(statistic, input, missing);
            Assert.Equal(input, result.Select(r => r.Observation));
            Assert.Contains(result, r => r.Stat.HasValue);
        }

        public void PerSeriesIsolated()
        {
            var mixed = AssertStreamEqualsBatch(statistic, MixedInput());
            var aloneInput = MixedInput().Where(o => o.Series == "b").ToList();
            var alone = AssertStreamEqualsBatch(statistic, aloneInput);
            Assert.Equal(alone.Select(r => r.Stat), mixed.Where(r => r.Observation.Series == "b").Select(r => r.Stat));
        }

        public void MissingRule()
        {
            var withGaps = MixedInput().Where(o => o.Series == "a").ToList();
            Assert.Contains(withGaps, o => o.IsMissing);
            var present = withGaps.Where(o => !o.IsMissing).ToList();
            var gapped = AssertStreamEqualsBatch(statistic, withGaps);
            var carried = AssertStreamEqualsBatch(statistic, withGaps, MissingOutput.CarryLast);
            var dense = AssertStreamEqualsBatch(statistic, present);

            // Missing values get null (or the carried value) and do not move the state: the present values' statistics
            // equal those of the series with the missing rows removed.
            Assert.Equal(dense.Select(r => r.Stat), gapped.Where(r => !r.Observation.IsMissing).Select(r => r.Stat));
            T? last = null;
            for (var i = 0; i < withGaps.Count; i++)
            {
                if (withGaps[i].IsMissing)
                {
                    Assert.Null(gapped[i].Stat);
                    Assert.Equal(last, carried[i].Stat);
                }
                else
                {
                    Assert.Equal(gapped[i].Stat, carried[i].Stat);
                    last = gapped[i].Stat;
                }
            }
        }

        public void Grammar()
        {
            var subject = new Subject<LabeledObservation>();
            var rolled = subject.Rolling(statistic);
            var first = new List<T?>();
            var second = new List<T?>();
            Exception? error = null;
            var completed = 0;
            using var s1 = rolled.Subscribe(r => first.Add(r.Stat), e => error = e, () => completed++);
            var values = MixedInput(80).Where(o => o.Series == "a" && !o.IsMissing).ToList();
            foreach (var o in values)
            {
                subject.OnNext(o);
            }

            using var s2 = rolled.Subscribe(r => second.Add(r.Stat), _ => { });
            subject.OnNext(values[0]);
            var boom = new InvalidOperationException("boom");
            subject.OnError(boom);
            subject.OnNext(values[1]);

            Assert.Equal(values.Count + 1, first.Count);
            Assert.Contains(first, s => s.HasValue);
            // A fresh subscription starts from fresh state: its first output equals the first output of a fresh kernel.
            Assert.Equal([statistic.CreateKernel().Update(values[0].Value)], second);
            Assert.Same(boom, error);
            Assert.Equal(0, completed);

            var again = new Subject<LabeledObservation>();
            var seen = 0;
            var sub = again.Rolling(statistic).Subscribe(_ => seen++);
            again.OnNext(values[0]);
            sub.Dispose();
            again.OnNext(values[1]);
            Assert.Equal(1, seen);
            Assert.False(again.HasObservers);
        }
    }
}
