using Workbench.Core;
using Workbench.Onnx;
using Workbench.Operators.Forecasting;
using static Workbench.Tests.Onnx.OnnxTestKit;
using static Workbench.Tests.Operators.OperatorTestKit;

namespace Workbench.Tests.Onnx;

/// <summary>The C# paths reproduce torch's outputs (models/lstm-latency/reference.json) to 1e-5.</summary>
public class OnnxReferenceTests
{
    private const double Tolerance = 1e-5;

    [Fact]
    public void Reference_CoversDataAndSyntheticWindows()
    {
        var reference = LoadReference();
        Assert.Equal(7, reference.Cases.Count);
        Assert.All(reference.Cases, c => Assert.Equal(Sidecar.Window, c.Raw.Length));
        Assert.Equal(Sidecar.Mean, reference.Mean);
        Assert.Equal(Sidecar.Std, reference.Std);
    }

    [Fact]
    public void Normalisation_IsBitIdenticalToTheTrainingScript()
    {
        using var model = OnnxModel.Load(ModelPath);
        foreach (var c in LoadReference().Cases)
        {
            Assert.Equal(c.Normalised, c.Raw.Select(model.Normalize).ToArray());
        }
    }

    [Fact]
    public void Network_MatchesTorch_OnEachWindowAlone_AndAllInOneCall()
    {
        using var model = OnnxModel.Load(ModelPath);
        var cases = LoadReference().Cases;
        var one = new float[1];
        foreach (var c in cases)
        {
            model.Predict(c.Normalised, one);
            Assert.True(Math.Abs(one[0] - c.Output) <= Tolerance, $"{c.Name}: onnx {one[0]} torch {c.Output}");
        }

        var all = new float[cases.Count];
        model.Predict(cases.SelectMany(c => c.Normalised).ToArray(), all);
        for (var i = 0; i < cases.Count; i++)
        {
            Assert.True(Math.Abs(all[i] - cases[i].Output) <= Tolerance, $"{cases[i].Name}: onnx {all[i]} torch {cases[i].Output}");
        }
    }

    [Fact]
    public void StreamingKernel_MatchesTorch_OneAndThreeSteps()
    {
        var forecaster = Forecaster();
        var ahead = new ForecastPoint[3];
        foreach (var c in LoadReference().Cases)
        {
            var kernel = forecaster.CreateKernel();
            for (var i = 0; i < c.Raw.Length; i++)
            {
                kernel.Forecast(ahead);
                Assert.Null(ahead[2].Value);
                kernel.Update(T0.AddMinutes(i), c.Raw[i]);
            }

            kernel.Forecast(ahead);
            for (var k = 0; k < 3; k++)
            {
                Assert.True(Math.Abs(ahead[k].Value!.Value - c.StepForecasts[k]) <= Tolerance, $"{c.Name} step {k + 1}: C# {ahead[k].Value} torch {c.StepForecasts[k]}");
            }

            Assert.True(Math.Abs(ahead[0].Value!.Value - c.Forecast) <= Tolerance);
        }
    }

    [Theory]
    [InlineData(1, 1024)]
    [InlineData(3, 1024)]
    [InlineData(1, 2)]
    [InlineData(3, 3)]
    public void BatchPath_MatchesTorch_AllCasesAsSeriesOfOneInput(int horizon, int batch)
    {
        // Each case is a series: its window, then `horizon` more rows; the last row receives the horizon-step forecast
        // made right after the window. All cases go through one batch call (several windows per inference).
        var cases = LoadReference().Cases;
        var input = Interleave(cases.Select(c => Series(c.Name, [.. c.Raw.Select(v => (double?)v), .. Enumerable.Repeat<double?>(c.Raw[^1], horizon)])).ToArray());

        var output = Forecaster(batch).ForecastBatch(input, horizon);

        foreach (var c in cases)
        {
            var rows = output.Where(o => o.Observation.Series == c.Name).ToList();
            var forecast = rows[^1].Forecast.Value!.Value;
            Assert.True(Math.Abs(forecast - c.StepForecasts[horizon - 1]) <= Tolerance, $"{c.Name} h={horizon}: C# {forecast} torch {c.StepForecasts[horizon - 1]}");
            Assert.All(rows.Take(c.Raw.Length + horizon - 1), r => Assert.Equal(ForecastPoint.None, r.Forecast));
        }
    }

    [Fact]
    public void SeriesSpanPath_MatchesTorch()
    {
        var forecaster = Forecaster();
        foreach (var c in LoadReference().Cases)
        {
            var values = c.Raw.Select(v => (double?)v).Append(0.0).ToArray();
            var forecasts = new ForecastPoint[values.Length];
            forecaster.ForecastSeries(values, forecasts);
            Assert.True(Math.Abs(forecasts[^1].Value!.Value - c.Forecast) <= Tolerance, $"{c.Name}: C# {forecasts[^1].Value} torch {c.Forecast}");
        }
    }
}
