using System.Reactive.Linq;
using Workbench.Core;
using Workbench.Generation;
using Workbench.Onnx;
using Workbench.Operators.Forecasting;
using Workbench.Operators.Specs;

namespace Workbench.Pipelines.Examples;

/// <summary>
/// Notebook 03 (forecasting): rolling one-step forecasts of one latency series by Holt-Winters, AR and the ONNX LSTM.
/// </summary>
public static class ForecastingExample
{
    /// <summary>The specs of the three forecasters; <c>{model}</c> stands for the ONNX model's path.</summary>
    public static IReadOnlyList<string> ForecasterSpecs { get; } = ["holt-winters(period=1440)", "ar(p=24,window=720,every=60)", "onnx(model={model})"];

    /// <summary>Four one-minute latency series of four days (the first metric of <c>default-small</c>).</summary>
    public static DatasetSpec Spec()
    {
        var preset = Presets.Get(Presets.DefaultSmall);
        return preset with { Sources = 4, Points = 4 * 1440, Metrics = [preset.Metrics[0]] };
    }

    /// <summary>Forecasts are compared from here on (two days of warm-up).</summary>
    public static DateTime CompareFrom(DatasetSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        return spec.Start.AddDays(2);
    }

    /// <summary>The first event that starts at least three hours after <see cref="CompareFrom"/>: its series is the one forecast.</summary>
    public static InjectedEvent FirstEvent(DatasetGenerator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        var from = CompareFrom(generator.Spec);
        return generator.Events.First(e => generator.TimestampAt(e.Start - 180) >= from);
    }

    /// <summary>The three forecasters, the ONNX one reading <paramref name="modelPath"/>.</summary>
    public static IForecaster[] Forecasters(string modelPath)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(modelPath);
        var catalog = OperatorCatalog.BuiltIn.With(OnnxForecaster.Descriptor);
        return [.. ForecasterSpecs.Select(s => catalog.ParseForecaster(s.Replace("{model}", modelPath, StringComparison.Ordinal)))];
    }

    /// <summary>Every forecaster over the same replay: (forecaster name, forecast) per observation and forecaster.</summary>
    public static IObservable<(string Forecaster, ForecastedObservation Forecast)> Forecasts(IObservable<LabeledObservation> replay, IReadOnlyList<IForecaster> forecasters)
    {
        ArgumentNullException.ThrowIfNull(replay);
        ArgumentNullException.ThrowIfNull(forecasters);
        return replay.Publish(shared => Observable.Merge(forecasters.Select(f => shared.Forecast(f).Select(r => (f.Name, r)))));
    }
}
