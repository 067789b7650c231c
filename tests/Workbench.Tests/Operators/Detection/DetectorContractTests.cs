using System.Reactive.Linq;
using System.Reactive.Subjects;
using Workbench.Core;
using Workbench.Operators.Detection;
using Workbench.Operators.Specs;
using static Workbench.Tests.Operators.OperatorTestKit;

namespace Workbench.Tests.Operators.Detection;

/// <summary>
/// The contract every detector must keep, checked for every registered detector on a long two-series input with
/// missing values, spikes, flat runs and level shifts: streaming = batch = span batch, per-series isolation, labels
/// never read, determinism, fresh state per subscription, and spec round trips through the catalog.
/// </summary>
public class DetectorContractTests
{
    private static readonly string[] SpecList =
    [
        "zscore(window=5)",
        "threshold(upper=13,lower=7)",
        "threshold(lower=7)",
        "mad(window=7)",
        "iqr(window=8,k=1)",
        "ewma(lambda=0.3,l=2.5,baseline=warmup,warmup=5)",
        "ewma(lambda=0.3,l=2.5,window=6)",
        "ewma(window=5,reset=false)",
        "cusum(k=0.25,h=3,baseline=warmup,warmup=5)",
        "cusum(k=0.25,h=3,window=6)",
        "cusum(window=5,reset=false)",
        "page-hinkley(delta=0.01,lambda=5,alpha=0.99)",
        "level-shift(window=4,threshold=2)",
        "variance-shift(window=4)",
        "forecast-residual(forecaster=naive,window=5,threshold=3)",
        "forecast-residual(forecaster=test-band(width=2),scale=interval,threshold=1)",
        "seasonal-profile(slot=360,history=3)",
        "seasonal-profile(cycle=week,slot=1440,history=3,stat=mean)",
        "missing(run=2)",
        "flatline(window=3,tolerance=0.5)",
        "outage(below=8,run=2,missing=true)",
        "ema-spike(alpha=0.2,spike=0.3,drop=0.2,outage=8,warmup=3)",
        "scaling-ratio(forecaster=naive,benchmark=test-mean,threshold=0.05)",
        "windowed-gaussian(window=50,step=5)",
        "random",
        "ensemble(members=zscore(window=5)+mad(window=7)+missing,combine=mean)",
        "ensemble(members=cusum(window=5)+threshold(upper=13),combine=vote,threshold=0.5)",
    ];

    public static TheoryData<string> Specs => new(SpecList);

    [Fact]
    public void Specs_CoverEveryRegisteredDetector()
    {
        var covered = SpecList.Select(s => OperatorSpec.Parse(s).Name).ToHashSet();
        var registered = DetectorRegistry.BuiltIn.Select(d => d.Name).ToHashSet();
        Assert.Equal(registered.Order(), covered.Order());
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public void StreamEqualsBatch_AndPerSeriesIsolation(string spec)
    {
        var detector = TestForecasters.Catalog.ParseDetector(spec);
        var a = Input("a", 1);
        var b = Input("b", 2);
        var mixed = AssertStreamEqualsBatch(detector, Interleave(a, b));
        var alone = AssertStreamEqualsBatch(detector, a);

        Assert.Equal(alone.Select(s => s.Score), mixed.Where(s => s.Observation.Series == "a").Select(s => s.Score));
        Assert.Contains(mixed, s => s.Score.HasValue); // the input is long enough for every detector to score
        Assert.All(mixed, s => Assert.True(s.Score is not { } v || double.IsFinite(v), $"{spec}: non-finite score"));
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public void Labels_AreNeverRead_AndObservationsCarriedThrough(string spec)
    {
        var detector = TestForecasters.Catalog.ParseDetector(spec);
        var plain = Input("a", 3);
        var labelled = plain.Select((o, i) => i % 5 == 0 ? o with { Label = AnomalyLabel.Anomaly(AnomalyKind.Spike, i) } : o).ToList();

        var scoredPlain = DetectorBatch.Score(detector, plain);
        var scoredLabelled = DetectorBatch.Score(detector, labelled);

        Assert.Equal(scoredPlain.Select(s => s.Score), scoredLabelled.Select(s => s.Score));
        Assert.Equal(labelled, scoredLabelled.Select(s => s.Observation));
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public void Subscriptions_StartFresh_AndRunsAreDeterministic(string spec)
    {
        var detector = TestForecasters.Catalog.ParseDetector(spec);
        var input = Input("a", 4);
        var detect = input.ToObservable().Detect(detector);
        var first = detect.ToList().Wait();
        var second = detect.ToList().Wait();
        Assert.Equal(first, second);

        // A subscription made mid-stream on a hot source starts from fresh state.
        var subject = new Subject<LabeledObservation>();
        var hot = subject.Detect(detector);
        var late = new List<double?>();
        using var early = hot.Subscribe(_ => { });
        foreach (var o in input.Take(100))
        {
            subject.OnNext(o);
        }

        using var lateSub = hot.Subscribe(s => late.Add(s.Score));
        foreach (var o in input.Skip(100))
        {
            subject.OnNext(o);
        }

        var fresh = DetectorBatch.Score(detector, input.Skip(100).ToList());
        Assert.Equal(fresh.Select(s => s.Score), late);
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public void Spec_RoundTrips_ThroughTheCatalog(string spec)
    {
        var detector = TestForecasters.Catalog.ParseDetector(spec);
        var again = TestForecasters.Catalog.ParseDetector(detector.Spec);
        Assert.Equal(detector, again);
        Assert.Equal(detector.Spec, again.Spec);
        Assert.Equal(OperatorSpec.Parse(spec).Name, detector.Name);
        Assert.True(detector.Threshold > 0);
    }

    [Fact]
    public void EveryDescriptor_ListsParameters_WithDescriptions()
    {
        foreach (var d in DetectorRegistry.BuiltIn)
        {
            Assert.Equal(OperatorKind.Detector, d.Kind);
            Assert.False(string.IsNullOrWhiteSpace(d.Description));
            Assert.All(d.Parameters, p => Assert.False(string.IsNullOrWhiteSpace(p.Description)));
        }
    }

    [Fact]
    public void NestedParameters_ListTheirTypes()
    {
        Assert.Equal(
            new OperatorParameter("forecaster", "forecaster-spec", "naive", "the forecaster, as a full spec (nested parentheses allowed)"),
            ForecastResidualDetector.Descriptor.Parameters[0]);
        Assert.Equal("none", ScalingRatioDetector.Descriptor.Parameters[1].Default);
        Assert.Equal("detector-specs", EnsembleDetector.Descriptor.Parameters[0].Type);
        Assert.Equal("double|none", StaticThresholdDetector.Descriptor.Parameters[0].Type);
    }

    [Fact]
    public void CurrentCatalog_IsRestoredAfterParsing_EvenOnErrors()
    {
        Assert.Same(OperatorCatalog.BuiltIn, OperatorCatalog.Current);
        Assert.Throws<OperatorSpecException>(() => TestForecasters.Catalog.ParseDetector("forecast-residual(forecaster=test-band(width=x))"));
        Assert.Same(OperatorCatalog.BuiltIn, OperatorCatalog.Current);
    }

    /// <summary>
    /// ~3000 observations at 37-minute steps (about 77 days, so daily and weekly slots fill): a noisy level around
    /// 10 with spikes, a flat run, a level shift, a variance burst, low values and missing values.
    /// </summary>
    private static List<LabeledObservation> Input(string series, int seed)
    {
        var rng = new Random(seed);
        var list = new List<LabeledObservation>();
        for (var i = 0; i < 3000; i++)
        {
            double? v = 10 + rng.NextDouble() - 0.5;
            if (i % 97 == 13)
            {
                v += 8;
            }

            if (i is >= 400 and < 420)
            {
                v = 10.25;
            }

            if (i >= 1500)
            {
                v += 3;
            }

            if (i is >= 2000 and < 2100)
            {
                v += (rng.NextDouble() - 0.5) * 10;
            }

            if (i % 211 == 7)
            {
                v = 0.05;
            }

            if (i % 53 == 5 || i is >= 800 and < 804)
            {
                v = null;
            }

            list.Add(LabeledObservation.Normal(series, T0.AddMinutes(37 * i), v));
        }

        return list;
    }
}
