using System.Reactive.Linq;
using System.Reactive.Subjects;
using Workbench.Core;
using Workbench.Operators.Forecasting;
using Workbench.Operators.Specs;
using static Workbench.Tests.Operators.Forecasting.ForecastTestKit;
using static Workbench.Tests.Operators.OperatorTestKit;

namespace Workbench.Tests.Operators.Forecasting;

/// <summary>What every forecaster must do: specs, validation, streaming = batch, per-series state, Rx grammar, horizons.</summary>
public class ForecasterContractTests
{
    /// <summary>One spec per forecaster, chosen to forecast early on the short series below.</summary>
    public static TheoryData<string> Specs() =>
    [
        "naive",
        "seasonal-naive(period=3)",
        "moving-average(window=4)",
        "ses(alpha=0.4)",
        "holt(alpha=0.4,beta=0.2,damped=true,phi=0.9)",
        "holt-winters(alpha=0.3,beta=0.1,gamma=0.2,period=3,seasonality=additive)",
        "holt-winters(alpha=0.3,beta=0.1,gamma=0.2,period=3,seasonality=multiplicative)",
        "ar(p=2,refit=periodic,every=5,window=12)",
        "ar(p=2,refit=recursive,window=12,forget=0.99)",
        "daily-profile(k=2,days=4,slots=24)",
    ];

    private static IForecaster Parse(string spec) => OperatorCatalog.BuiltIn.ParseForecaster(spec);

    /// <summary>An hourly positive series with a daily shape, noise and a few missing values.</summary>
    private static List<LabeledObservation> Hourly(string series, int seed, int hours = 24 * 8)
    {
        var noise = Gaussian(seed, hours);
        return Enumerable.Range(0, hours)
            .Select(i => LabeledObservation.Normal(series, T0.AddHours(i),
                i % 17 == 5 ? null : 100 + (20 * Math.Sin(2 * Math.PI * i / 24)) + (5 * Math.Sin(2 * Math.PI * i / 3)) + (3 * noise[i])))
            .ToList();
    }

    [Fact]
    public void Registry_ListsEveryForecaster_InOrder()
    {
        Assert.Equal(["naive", "seasonal-naive", "moving-average", "ses", "holt", "holt-winters", "ar", "daily-profile"],
            ForecasterRegistry.BuiltIn.Select(d => d.Name));
        Assert.All(ForecasterRegistry.BuiltIn, d => Assert.Equal(OperatorKind.Forecaster, d.Kind));
    }

    [Fact]
    public void Specs_DefaultsPrintAndParseBack()
    {
        foreach (var descriptor in ForecasterRegistry.BuiltIn)
        {
            var byName = Parse(descriptor.Name);
            Assert.Equal(descriptor.Name, byName.Name);
            Assert.Equal(byName, Parse(byName.Spec));
            Assert.All(descriptor.Parameters, p => Assert.False(string.IsNullOrWhiteSpace(p.Description)));
        }
    }

    [Fact]
    public void Specs_HoltWintersAsTheIssueSpellsIt()
    {
        var hw = (HoltWintersForecaster)Parse("holt-winters(alpha=0.5,beta=0.1,gamma=0.1,period=24,seasonality=multiplicative)");
        Assert.Equal(new HoltWintersForecaster(0.5, 0.1, 0.1, 24, Seasonality.Multiplicative), hw);
        Assert.Equal("holt-winters(alpha=0.5,beta=0.1,gamma=0.1,period=24,seasonality=multiplicative,damped=false,phi=0.98,level=0.95,sigma-window=250)", hw.Spec);
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public void Specs_RoundTrip(string spec)
    {
        var forecaster = Parse(spec);
        Assert.Equal(forecaster, Parse(forecaster.Spec));
        Assert.StartsWith(forecaster.Name + "(", forecaster.Spec == "naive" ? "naive(" : forecaster.Spec, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("seasonal-naive(period=0)", "period")]
    [InlineData("seasonal-naive(level=1)", "level")]
    [InlineData("moving-average(window=0)", "window")]
    [InlineData("moving-average(level=0)", "level")]
    [InlineData("ses(alpha=1.5)", "alpha")]
    [InlineData("ses(alpha=-0.1)", "alpha")]
    [InlineData("ses(level=1.2)", "level")]
    [InlineData("holt(beta=2)", "beta")]
    [InlineData("holt(phi=0)", "phi")]
    [InlineData("holt(damped=yes)", "damped")]
    [InlineData("holt-winters(gamma=-1)", "gamma")]
    [InlineData("holt-winters(period=1)", "period")]
    [InlineData("holt-winters(seasonality=mixed)", "seasonality")]
    [InlineData("holt-winters(phi=1.1)", "phi")]
    [InlineData("ar(p=0)", "p")]
    [InlineData("ar(p=65)", "p")]
    [InlineData("ar(p=3,window=7)", "window")]
    [InlineData("ar(every=0)", "every")]
    [InlineData("ar(forget=0.9)", "forget")]
    [InlineData("ar(refit=recursive,forget=0)", "forget")]
    [InlineData("ar(refit=sometimes)", "refit")]
    [InlineData("daily-profile(k=0)", "k")]
    [InlineData("daily-profile(k=5,days=4)", "days")]
    [InlineData("daily-profile(slots=7)", "slots")]
    [InlineData("daily-profile(slots=-1)", "slots")]
    [InlineData("daily-profile(coverage=0)", "coverage")]
    [InlineData("ses(window=3)", "window")]
    [InlineData("ses(sigma-window=9)", "sigma-window")]
    [InlineData("holt-winters(sigma-window=1000001)", "sigma-window")]
    public void Specs_InvalidOptions_AreRejectedNamingTheParameter(string spec, string parameter)
    {
        var e = Assert.Throws<OperatorSpecException>(() => Parse(spec));
        Assert.Equal(spec, e.Spec);
        Assert.Contains(parameter, e.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_InvalidRecords_FailAtCreateKernel()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new SeasonalNaiveForecaster(0).CreateKernel());
        Assert.Throws<ArgumentOutOfRangeException>(() => new MovingAverageForecaster(5, double.NaN).CreateKernel());
        Assert.Throws<ArgumentOutOfRangeException>(() => new SesForecaster(double.NaN).CreateKernel());
        Assert.Throws<ArgumentOutOfRangeException>(() => new HoltForecaster(Phi: -1).CreateKernel());
        Assert.Throws<ArgumentOutOfRangeException>(() => new HoltWintersForecaster(Seasonality: (Seasonality)7).CreateKernel());
        Assert.Throws<ArgumentOutOfRangeException>(() => new ArForecaster(Refit: (ArRefit)9).CreateKernel());
        Assert.Throws<ArgumentOutOfRangeException>(() => new DailyProfileForecaster(Days: 1_000_000).CreateKernel());
        Assert.Throws<ArgumentOutOfRangeException>(() => PredictionInterval.ZScore(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => PredictionInterval.NormalQuantile(1));
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public void StreamEqualsBatch_AndForecastsSomething(string spec)
    {
        var forecaster = Parse(spec);
        foreach (var horizon in new[] { 1, 2, 5 })
        {
            var output = AssertStreamEqualsBatch(forecaster, Hourly("s", 11), horizon);
            Assert.Contains(output, f => f.Forecast.Value.HasValue);
            Assert.All(output, f => Assert.False(f.Forecast.Value is { } v && !double.IsFinite(v)));
        }
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public void PerSeries_StateIsIsolated(string spec)
    {
        var forecaster = Parse(spec);
        var a = Hourly("a", 1);
        var b = Hourly("b", 2).Select(o => o with { Value = o.Value * 3 }).ToList();
        var mixed = AssertStreamEqualsBatch(forecaster, Interleave(a, b), horizon: 2);
        var alone = AssertStreamEqualsBatch(forecaster, a, horizon: 2);
        Assert.Equal(alone.Select(f => f.Forecast), mixed.Where(f => f.Observation.Series == "a").Select(f => f.Forecast));
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public void Horizon_RowGetsTheHStepForecastMadeHRowsEarlier(string spec)
    {
        const int h = 4;
        var forecaster = Parse(spec);
        var input = Hourly("s", 4);
        var kernel = forecaster.CreateKernel();
        var made = new ForecastPoint[input.Count][];
        for (var i = 0; i < input.Count; i++)
        {
            made[i] = new ForecastPoint[h];
            kernel.Forecast(made[i]);
            kernel.Update(input[i].Timestamp, input[i].Value);
        }

        var rolling = AssertStreamEqualsBatch(forecaster, input, h);
        for (var t = 0; t < input.Count; t++)
        {
            Assert.Equal(t >= h - 1 ? made[t - h + 1][h - 1] : ForecastPoint.None, rolling[t].Forecast);
        }

        // And the first step of every h-step forecast is the one-step forecast.
        var oneStep = AssertStreamEqualsBatch(forecaster, input, 1);
        Assert.Equal(oneStep.Select(f => f.Forecast), made.Select(m => m[0]));
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public void Intervals_ContainThePointForecast_AndWidenOrStayWithTheHorizon(string spec)
    {
        var forecaster = Parse(spec);
        var input = Hourly("s", 8);
        var kernel = forecaster.CreateKernel();
        foreach (var o in input)
        {
            kernel.Update(o.Timestamp, o.Value);
        }

        var ahead = new ForecastPoint[6];
        kernel.Forecast(ahead);
        foreach (var p in ahead.Where(p => p.Lower.HasValue))
        {
            Assert.True(p.Lower <= p.Value && p.Value <= p.Upper, $"{spec}: {p}");
        }

        if (spec is "naive" or "daily-profile(k=2,days=4,slots=24)" || spec.Contains("multiplicative", StringComparison.Ordinal))
        {
            return; // no interval, or widths that follow the slot / seasonal factor rather than the horizon
        }

        for (var i = 1; i < ahead.Length; i++)
        {
            Assert.True(HalfWidth(ahead[i]) >= HalfWidth(ahead[i - 1]) - 1e-12, $"{spec}: step {i + 1} narrower than step {i}");
        }
    }

    [Theory]
    [MemberData(nameof(Specs))]
    public void Subscriptions_AreIndependent_ErrorsPassThroughOnce_DisposeStops(string spec)
    {
        var forecaster = Parse(spec);
        var subject = new Subject<LabeledObservation>();
        var forecasts = subject.Forecast(forecaster);
        var first = new List<ForecastPoint>();
        var second = new List<ForecastPoint>();
        Exception? error = null;
        var completed = 0;
        using var s1 = forecasts.Subscribe(f => first.Add(f.Forecast), e => error = e, () => completed++);
        var input = Hourly("s", 6);
        foreach (var o in input.Take(100))
        {
            subject.OnNext(o);
        }

        var s2 = forecasts.Subscribe(f => second.Add(f.Forecast), _ => { });
        subject.OnNext(input[100]);
        s2.Dispose();
        subject.OnNext(input[101]);

        var boom = new InvalidOperationException("boom");
        subject.OnError(boom);
        subject.OnNext(input[102]);

        Assert.Equal(102, first.Count);
        Assert.Equal([ForecastPoint.None], second); // a fresh subscription starts from fresh state
        Assert.Same(boom, error);
        Assert.Equal(0, completed);
        Assert.Equal(AssertStreamEqualsBatch(forecaster, input.Take(102).ToList()).Select(f => f.Forecast), first);
    }

    [Fact]
    public void KernelError_EndsTheStreamWithOnError_NamingTheSeries()
    {
        var input = Series("sensor", 3, 2, 4, 5, -1, 6);
        Exception? error = null;
        var seen = new List<ForecastedObservation>();
        input.ToObservable().Forecast(new HoltWintersForecaster(Period: 2, Seasonality: Seasonality.Multiplicative))
            .Subscribe(seen.Add, e => error = e);
        var e = Assert.IsType<ForecastInputException>(error);
        Assert.Equal("sensor", e.Series);
        Assert.Equal(4, seen.Count);
    }
}
