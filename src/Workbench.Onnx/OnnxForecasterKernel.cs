using Workbench.Operators.Forecasting;

namespace Workbench.Onnx;

/// <summary>
/// The streaming state of <see cref="OnnxForecaster"/> for one series: the normalised window and a one-window runner
/// (pre-allocated tensors bound once), so a per-event forecast allocates nothing. The one-step output is cached until
/// the next <see cref="Update"/>, so <see cref="Forecast"/> followed by the imputation of a missing row runs the
/// network once.
/// </summary>
internal sealed class OnnxForecasterKernel : IForecasterKernel, IDisposable
{
    private readonly OnnxModel _model;
    private readonly OnnxRunner _runner;
    private readonly OnnxWindow _window;
    private readonly OnnxForecaster _options;
    private bool _hasStep1;
    private float _step1;

    public OnnxForecasterKernel(OnnxModel model, OnnxForecaster options)
    {
        _model = model;
        _options = options;
        _runner = new OnnxRunner(model, 1);
        _window = new OnnxWindow(model.Window);
    }

    public void Forecast(Span<ForecastPoint> destination)
    {
        if (destination.IsEmpty)
        {
            return;
        }

        if (!_window.IsFull)
        {
            destination.Fill(ForecastPoint.None);
            return;
        }

        var previous = StepOne();
        destination[0] = _options.Point(_model, previous, 1);
        if (destination.Length == 1)
        {
            return;
        }

        // Recursive steps: drop the oldest value, append the previous output, run again.
        var input = _runner.Input;
        var last = input.Length - 1;
        _window.CopyTo(input);
        for (var k = 1; k < destination.Length; k++)
        {
            input[1..].CopyTo(input);
            input[last] = previous;
            _runner.Run(1);
            previous = _runner.Output[0];
            destination[k] = _options.Point(_model, previous, k + 1);
        }
    }

    public void Update(DateTime timestamp, double? value)
    {
        if (value is { } x)
        {
            OnnxForecaster.CheckFinite(x, timestamp);
            _window.AddPresent(_model.Normalize(x));
        }
        else if (_window.CanImpute(_options.MaxGap))
        {
            _window.AddImputed(StepOne());
        }
        else
        {
            _window.Clear();
        }

        _hasStep1 = false;
    }

    public void Dispose() => _runner.Dispose();

    /// <summary>The normalised one-step output for the current (full) window.</summary>
    private float StepOne()
    {
        if (!_hasStep1)
        {
            _window.CopyTo(_runner.Input);
            _runner.Run(1);
            _step1 = _runner.Output[0];
            _hasStep1 = true;
        }

        return _step1;
    }
}
