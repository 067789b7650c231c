using Workbench.Core;
using Workbench.Operators.Forecasting;
using Workbench.Operators.Specs;

namespace Workbench.Onnx;

/// <summary>
/// Forecasts from a one-step recurrent network exported to ONNX (e.g. <c>models/lstm-latency</c>), run through
/// OnnxRuntime on the CPU. Spec: <c>onnx(model=models/lstm-latency/model.onnx,batch=128,threads=2,z=1.96,max-gap=12)</c>.
/// </summary>
/// <remarks>
/// <para><b>Model.</b> <see cref="Model"/> is an <c>.onnx</c> file whose sidecar <c>.json</c> (same name) gives the
/// window length W, the input/output names and the z-normalisation (<see cref="OnnxModelSidecar"/>). The network maps
/// the last W rows, normalised as <c>float32((x − mean) / std)</c>, to the next value, de-normalised as
/// <c>output · std + mean</c>. Timestamps are not used: rows are taken to be at the model's cadence.</para>
/// <para><b>Warm-up.</b> No forecast until the window holds W rows.</para>
/// <para><b>Horizon.</b> Step k + 1 is forecast recursively: the window drops its oldest value and takes step k's output.</para>
/// <para><b>Interval.</b> Step k gets <c>forecast ± Z · σₖ</c>, σₖ the held-out RMS residual of k-step forecasts from
/// the sidecar (<see cref="OnnxModelSidecar.ResidualSigma"/>, in series units). With <see cref="Z"/> = 0, or for steps
/// beyond those the sidecar lists, the forecast has no interval (null bounds).</para>
/// <para><b>Missing values.</b> A missing row is replaced in the window by the model's own one-step forecast for that
/// row, so the window keeps W consecutive rows, for at most <see cref="MaxGap"/> consecutive missing rows; the next
/// consecutive missing row, or any missing row before the window is full, clears the window and warm-up starts again
/// (no forecast until W present-or-imputed rows). <c>max-gap=0</c> therefore means: suspend forecasting until W
/// consecutive present values. A NaN or infinite value is not a value: it throws
/// <see cref="ArgumentOutOfRangeException"/> (it would poison the next W forecasts).</para>
/// <para><b>Paths.</b> Per event (<see cref="CreateKernel"/>: one window per inference call, pre-allocated tensors,
/// no allocation per event, one intra-op thread) and batched (<see cref="ForecastBatch"/>, <see cref="ForecastSeries"/>:
/// up to <see cref="BatchSize"/> windows per inference call on <see cref="Threads"/> intra-op threads). Both keep the
/// same windows and give the same forecasts: bit-identical on the committed model (measured on 20 series × 2,880 rows
/// with gaps, horizons 1 and 3); the tests allow 1e-6 in series units for float rounding inside the network.</para>
/// <para>Loaded sessions are shared process-wide per model file and thread count (<see cref="OnnxModel.Shared"/>);
/// all mutable state (window, buffers) belongs to one kernel or one batch call.</para>
/// </remarks>
/// <param name="Model">The <c>.onnx</c> file, absolute or relative to the current directory when a kernel is created;
/// no <c>,</c> <c>(</c> <c>)</c> <c>=</c> (the spec syntax forbids them). Default <c>models/lstm-latency/model.onnx</c>.</param>
/// <param name="BatchSize">Windows per inference call in the batch path, in [1, 65536]; default 128 (measured fastest
/// here for the committed LSTM on two cores; 1024 is ≈ 30 % slower; see docs/ONNX.md).</param>
/// <param name="Threads">OnnxRuntime intra-op threads in the batch path, in [1, 64]; default 2 (both cores here). The
/// per-event path always uses one thread (lowest latency).</param>
/// <param name="Z">Interval half-width in residual σ, in [0, 100]; default 1.96 (≈ 95 % for Gaussian residuals);
/// 0 = no interval.</param>
/// <param name="MaxGap">The most consecutive missing rows imputed with the model's own forecast before the window is
/// cleared, in [0, 1,000,000]; default 12.</param>
public sealed record OnnxForecaster(
    string Model = OnnxForecaster.DefaultModel, int BatchSize = 128, int Threads = 2, double Z = 1.96, int MaxGap = 12) : IForecaster
{
    /// <summary>The committed model, relative to the repository root.</summary>
    public const string DefaultModel = "models/lstm-latency/model.onnx";

    /// <summary>Spec binding: <c>onnx(model=…,batch=128,threads=2,z=1.96,max-gap=12)</c>. Hosts add it with
    /// <c>OperatorCatalog.BuiltIn.With(OnnxForecaster.Descriptor)</c>.</summary>
    public static OperatorDescriptor<OnnxForecaster> Descriptor { get; } =
        new OperatorDescriptor<OnnxForecaster>("onnx", OperatorKind.Forecaster,
                "Recurrent network (ONNX, e.g. the LSTM in models/) forecasting the next value from the last W rows; interval forecast +- z * held-out residual sd.",
                new OnnxForecaster(), o => o.Validate())
            .Text("model", "the .onnx file (its .json sidecar beside it), absolute or relative to the current directory", o => o.Model, (o, v) => o with { Model = v })
            .Int("batch", "windows per inference call in batch mode (1..65536)", o => o.BatchSize, (o, v) => o with { BatchSize = v })
            .Int("threads", "OnnxRuntime intra-op threads in batch mode (1..64); per-event inference uses 1", o => o.Threads, (o, v) => o with { Threads = v })
            .Double("z", "interval half-width in held-out residual sd (0..100; 0 = no interval)", o => o.Z, (o, v) => o with { Z = v })
            .Int("max-gap", "consecutive missing rows imputed with the model's forecast before the window restarts (>= 0)", o => o.MaxGap, (o, v) => o with { MaxGap = v });

    public string Name => Descriptor.Name;

    public string Spec => Descriptor.Format(this);

    /// <summary>Throws <see cref="ArgumentException"/> (naming the option) for out-of-range options. Does not touch the file system.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(Model) || Model.Trim().Length != Model.Length || Model.AsSpan().IndexOfAny(",()=") >= 0)
        {
            throw new ArgumentException($"model must be a non-empty path without surrounding spaces or any of , ( ) = (got '{Model}')", nameof(Model));
        }

        if (BatchSize is < 1 or > 65536)
        {
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "batch must be in [1, 65536]");
        }

        if (Threads is < 1 or > 64)
        {
            throw new ArgumentOutOfRangeException(nameof(Threads), Threads, "threads must be in [1, 64]");
        }

        if (!(Z >= 0 && Z <= 100))
        {
            throw new ArgumentOutOfRangeException(nameof(Z), Z, "z must be in [0, 100]");
        }

        if (MaxGap is < 0 or > 1_000_000)
        {
            throw new ArgumentOutOfRangeException(nameof(MaxGap), MaxGap, "max-gap must be in [0, 1000000]");
        }
    }

    /// <summary>
    /// The shared model the per-event path uses (one intra-op thread), loaded on first use; call it to check the model
    /// before streaming.
    /// </summary>
    /// <exception cref="OnnxModelException">The model or sidecar is missing or invalid (the message names the file).</exception>
    public OnnxModel LoadModel()
    {
        Validate();
        return OnnxModel.Shared(Model, 1);
    }

    /// <summary>Fresh per-event state for one series (loads the shared model on first use).</summary>
    /// <exception cref="OnnxModelException">The model or sidecar is missing or invalid.</exception>
    public IForecasterKernel CreateKernel() => new OnnxForecasterKernel(LoadModel(), this);

    /// <summary>
    /// The batch twin of <see cref="ForecasterBatch.Forecast"/> for this forecaster: rolling <paramref name="horizon"/>-step
    /// forecasts for observations of any number of series (state per series, in input order), with up to
    /// <see cref="BatchSize"/> windows of all series per inference call.
    /// </summary>
    /// <exception cref="OnnxModelException">The model or sidecar is missing or invalid.</exception>
    public ForecastedObservation[] ForecastBatch(IReadOnlyList<LabeledObservation> observations, int horizon = 1)
    {
        ArgumentNullException.ThrowIfNull(observations);
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        var n = observations.Count;
        var ids = new int[n];
        var values = new double?[n];
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < n; i++)
        {
            var o = observations[i];
            if (!index.TryGetValue(o.Series, out var id))
            {
                id = index.Count;
                index.Add(o.Series, id);
            }

            ids[i] = id;
            values[i] = o.Value;
        }

        var forecasts = new ForecastPoint[n];
        RunBatch(ids, values, index.Count, horizon, forecasts);
        var result = new ForecastedObservation[n];
        for (var i = 0; i < n; i++)
        {
            result[i] = new ForecastedObservation(observations[i], forecasts[i]);
        }

        return result;
    }

    /// <summary>
    /// The batch path over one series: <c>forecasts[t]</c> is the <paramref name="horizon"/>-step forecast for row t
    /// made before row t − horizon + 1 (for horizon 1: from all rows before t), as <see cref="RollingForecast"/>
    /// gives it; <see cref="ForecastPoint.None"/> where there is none.
    /// </summary>
    /// <exception cref="ArgumentException"><paramref name="forecasts"/> is shorter than <paramref name="values"/>.</exception>
    /// <exception cref="OnnxModelException">The model or sidecar is missing or invalid.</exception>
    public void ForecastSeries(ReadOnlySpan<double?> values, Span<ForecastPoint> forecasts, int horizon = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(horizon, 1);
        if (forecasts.Length < values.Length)
        {
            throw new ArgumentException($"forecasts has {forecasts.Length} elements, values {values.Length}", nameof(forecasts));
        }

        RunBatch(new int[values.Length], values, 1, horizon, forecasts);
    }

    /// <summary>NaN and ±∞ are not values (the core model forbids them); one would poison W forecasts, so it is an error.</summary>
    internal static void CheckFinite(double value, DateTime timestamp)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, $"onnx forecaster: the value at {timestamp:yyyy-MM-dd'T'HH:mm:ss.fff'Z'} is not finite (use null for a missing value)");
        }
    }

    /// <inheritdoc cref="CheckFinite(double, DateTime)"/>
    internal static void CheckFinite(double value, int row)
    {
        if (!double.IsFinite(value))
        {
            throw new ArgumentOutOfRangeException(nameof(value), value, $"onnx forecaster: the value of input row {row} is not finite (use null for a missing value)");
        }
    }

    /// <summary>The point and interval for a normalised network output at horizon step <paramref name="step"/> (1-based).</summary>
    internal ForecastPoint Point(OnnxModel model, float output, int step)
    {
        var value = model.Denormalize(output);
        var sigma = model.Sidecar.ResidualSigma;
        if (Z > 0 && step <= sigma.Count)
        {
            var half = Z * sigma[step - 1];
            return new ForecastPoint(value, value - half, value + half);
        }

        return ForecastPoint.Point(value);
    }

    private void RunBatch(ReadOnlySpan<int> ids, ReadOnlySpan<double?> values, int seriesCount, int horizon, Span<ForecastPoint> forecasts)
    {
        Validate();
        var model = OnnxModel.Shared(Model, Threads);
        using var engine = new OnnxBatchEngine(model, this);
        engine.Run(ids, values, seriesCount, horizon, forecasts);
    }
}
