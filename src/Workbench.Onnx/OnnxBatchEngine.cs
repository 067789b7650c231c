using Workbench.Operators.Forecasting;

namespace Workbench.Onnx;

/// <summary>
/// The batch twin of <see cref="OnnxForecasterKernel"/> + <see cref="RollingForecast"/>: walks rows of any number of
/// series in order, keeps each series' window exactly as the kernel does, and instead of one inference per row
/// queues the row's window into a batch tensor; a batch is run when it is full, at the end, or when a missing row
/// needs its one-step forecast now (to impute it). Each row receives the <c>horizon</c>-step forecast made
/// <c>horizon − 1</c> rows earlier in its series, as <see cref="RollingForecast"/> gives it.
/// </summary>
internal sealed class OnnxBatchEngine : IDisposable
{
    private readonly OnnxModel _model;
    private readonly OnnxForecaster _options;
    private readonly OnnxRunner _runner;
    private readonly int _window;
    private readonly int[] _slotTarget;
    private readonly float[] _stepOne;
    private int _pending;

    public OnnxBatchEngine(OnnxModel model, OnnxForecaster options)
    {
        _model = model;
        _options = options;
        _window = model.Window;
        _runner = new OnnxRunner(model, options.BatchSize);
        _slotTarget = new int[options.BatchSize];
        _stepOne = new float[options.BatchSize];
    }

    /// <summary>Windows run per inference call so far.</summary>
    public long Windows { get; private set; }

    /// <summary>Inference calls so far (one per batch and horizon step).</summary>
    public long Calls { get; private set; }

    /// <summary>
    /// Forecasts rows whose series are <paramref name="series"/> (dense indices in [0, <paramref name="seriesCount"/>))
    /// and values <paramref name="values"/>; writes each row's forecast to <paramref name="forecasts"/>.
    /// </summary>
    public void Run(ReadOnlySpan<int> series, ReadOnlySpan<double?> values, int seriesCount, int horizon, Span<ForecastPoint> forecasts)
    {
        var n = values.Length;
        forecasts[..n].Clear();

        // target[i]: the row that receives the forecast made before row i, i.e. the row horizon − 1 later in its series.
        var target = new int[n];
        if (horizon == 1)
        {
            for (var i = 0; i < n; i++)
            {
                target[i] = i;
            }
        }
        else
        {
            var rows = new List<int>[seriesCount];
            for (var i = 0; i < n; i++)
            {
                (rows[series[i]] ??= []).Add(i);
            }

            foreach (var list in rows)
            {
                for (var j = 0; list is not null && j < list.Count; j++)
                {
                    target[list[j]] = j + horizon - 1 < list.Count ? list[j + horizon - 1] : -1;
                }
            }
        }

        var windows = new OnnxWindow?[seriesCount];
        for (var i = 0; i < n; i++)
        {
            var w = windows[series[i]] ??= new OnnxWindow(_window);
            var slot = -1;
            if (w.IsFull)
            {
                slot = _pending++;
                w.CopyTo(_runner.Input.Slice(slot * _window, _window));
                _slotTarget[slot] = target[i];
            }

            if (values[i] is { } x)
            {
                OnnxForecaster.CheckFinite(x, i);
                w.AddPresent(_model.Normalize(x));
            }
            else if (w.CanImpute(_options.MaxGap))
            {
                // The imputed value is this row's one-step forecast: run the queued windows now (this one is the last).
                Flush(horizon, forecasts);
                w.AddImputed(_stepOne[slot]);
            }
            else
            {
                w.Clear();
            }

            if (_pending == _runner.Capacity)
            {
                Flush(horizon, forecasts);
            }
        }

        Flush(horizon, forecasts);
    }

    public void Dispose() => _runner.Dispose();

    private void Flush(int horizon, Span<ForecastPoint> forecasts)
    {
        var count = _pending;
        if (count == 0)
        {
            return;
        }

        _pending = 0;
        Infer(count);
        _runner.Output[..count].CopyTo(_stepOne);
        var input = _runner.Input;
        for (var k = 2; k <= horizon; k++)
        {
            // Recursive step k, as the kernel does it: drop each window's oldest value and append its previous output.
            var output = _runner.Output;
            for (var s = 0; s < count; s++)
            {
                var windowSpan = input.Slice(s * _window, _window);
                windowSpan[1..].CopyTo(windowSpan);
                windowSpan[^1] = output[s];
            }

            Infer(count);
        }

        var final = _runner.Output;
        for (var s = 0; s < count; s++)
        {
            if (_slotTarget[s] >= 0)
            {
                forecasts[_slotTarget[s]] = _options.Point(_model, final[s], horizon);
            }
        }
    }

    private void Infer(int count)
    {
        _runner.Run(count);
        Windows += count;
        Calls++;
    }
}
