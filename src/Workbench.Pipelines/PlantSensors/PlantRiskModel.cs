using System.Diagnostics;
using Workbench.Core;
using Workbench.Onnx;
using Workbench.Operators.Detection;
using Workbench.Operators.Rolling;

namespace Workbench.Pipelines.PlantSensors;

/// <summary>
/// The per-plant model of the plant sensor monitor, fed one second (all channels of the plant) at a time. Per channel:
/// <list type="number">
/// <item><b>Standardise</b>: z = (x − m) / s with m, s the channel's running exponentially weighted mean and standard
/// deviation (<see cref="PlantSensorsOptions.LevelHalfLife"/>), before x enters them; x does not enter them while the
/// channel's ensemble z was at warning the second before (at most 15 min in a row), so an anomaly does not shift its
/// own baseline.</item>
/// <item><b>ONNX model</b>: the last 48 z values (clamped to ±5) are the LSTM's normalised input window — z is taken
/// as the model's own normalised space, i.e. the channel is mapped onto the training distribution (mean 104.27, std
/// 17.79); every second, the windows of all channels go to the network in one batched call, giving each channel's
/// forecast of its next z. Score = |z − forecast| / running RMS residual (<see cref="PlantSensorsOptions.ResidualHalfLife"/>;
/// residuals are clipped at 4 RMS before they enter it, so a spike does not inflate it).</item>
/// <item><b>Baseline model</b>: the peer residual z − median z of all channels (the correlated peers' consensus),
/// smoothed (<see cref="PlantSensorsOptions.PeerSmoothingHalfLife"/>), scored against its running mean and deviation
/// (<see cref="PlantSensorsOptions.PeerStatsHalfLife"/>), which are frozen while the score is ≥ 3 (at most 15 min in a row).</item>
/// <item><b>Stuck feature</b>: identical readings in a row (<see cref="FlatlineDetector"/>, window 60).</item>
/// <item><b>Ensemble</b>: z = w_onnx · onnx + w_baseline · baseline + max(0, run − grace) · z-per-second, squashed by the
/// logistic of <see cref="PlantSensorsOptions.Squash"/>; the plant's risk is the maximum over channels.</item>
/// </list>
/// No score during the first <see cref="PlantSensorsOptions.WarmUpSeconds"/>. A missing value restarts the channel's
/// window (48 s without an ONNX score for it). Not thread-safe; one per plant per run.
/// </summary>
internal sealed class PlantRiskModel : IDisposable
{
    private const int ResidualWarmUp = 60;
    private const int PeerWarmUp = 120;
    private const int LevelWarmUp = 30;
    private const double PeerFreeze = 3;
    private const int FreezeLimit = 900;

    private readonly PlantSensorsOptions _options;
    private readonly OnnxModel _model;
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);
    private readonly List<Channel> _channels = [];
    private readonly double _levelAlpha;
    private readonly double _residualAlpha;
    private readonly double _peerAlpha;
    private readonly double _peerStatsAlpha;
    private readonly double _k;
    private readonly double _z0;
    private double[] _zs = [];
    private int[] _slots = [];
    private OnnxBatchPredictor? _predictor;
    private long _seconds;

    public PlantRiskModel(string plant, PlantSensorsOptions options, OnnxModel model)
    {
        Plant = plant;
        TraceName = "risk:" + plant;
        _options = options;
        _model = model;
        _levelAlpha = Alpha(options.LevelHalfLife);
        _residualAlpha = Alpha(options.ResidualHalfLife);
        _peerAlpha = Alpha(options.PeerSmoothingHalfLife);
        _peerStatsAlpha = Alpha(options.PeerStatsHalfLife);
        (_k, _z0) = options.Squash();
    }

    public string Plant { get; }

    /// <summary>The name of the plant's risk trace.</summary>
    public string TraceName { get; }

    public int Channels => _channels.Count;

    public long InferenceCalls { get; private set; }

    public long InferenceWindows { get; private set; }

    public long Missing { get; private set; }

    public long Duplicates { get; private set; }

    /// <summary>The channels in first-seen order, with their state after the last second.</summary>
    public IReadOnlyList<Channel> State => _channels;

    /// <summary>Scores one second: <paramref name="rows"/> are the plant's observations with timestamp <paramref name="timestamp"/>.</summary>
    public PlantRiskPoint Step(DateTime timestamp, IReadOnlyList<LabeledObservation> rows)
    {
        foreach (var c in _channels)
        {
            c.Present = false;
        }

        foreach (var o in rows)
        {
            if (!_index.TryGetValue(o.Series, out var i))
            {
                i = _channels.Count;
                _index.Add(o.Series, i);
                _channels.Add(new Channel(o.Series, o.Series[(o.Series.IndexOf('/', StringComparison.Ordinal) + 1)..], _levelAlpha, _peerStatsAlpha, _model.Window));
            }

            var ch = _channels[i];
            if (ch.Present)
            {
                Duplicates++;
                continue;
            }

            if (o.Value is not { } x)
            {
                Missing++;
                ch.Clear();
                continue;
            }

            ch.Present = true;
            ch.Value = x;
        }

        if (_zs.Length < _channels.Count)
        {
            _zs = new double[_channels.Count];
            _slots = new int[_channels.Count];
        }

        // 1–4: standardise, ONNX residual, stuck run.
        var ready = 0;
        foreach (var ch in _channels)
        {
            if (!ch.Present)
            {
                continue;
            }

            var level = ch.Level;
            var sd = level.Count >= 2 ? Math.Sqrt(level.Variance) : 0;
            ch.Ready = level.Count >= LevelWarmUp && sd > 0;
            ch.Z = ch.Ready ? (ch.Value - level.Mean) / sd : 0;

            // An anomalous channel (ensemble z at warning the second before) does not move its own level, for at most FreezeLimit seconds.
            ch.Frozen = ch.Ready && ch.EnsembleZ >= _options.WarningZ && ch.Frozen < FreezeLimit ? ch.Frozen + 1 : 0;
            if (ch.Frozen == 0)
            {
                level.Add(ch.Value);
            }

            ch.OnnxZ = 0;
            if (ch.HasForecast && ch.Ready)
            {
                var e = ch.Z - ch.Forecast;
                var e2 = e * e;
                if (ch.ResidualCount >= ResidualWarmUp)
                {
                    ch.OnnxZ = Math.Abs(e) / Math.Sqrt(ch.ResidualMeanSquare);
                    e2 = Math.Min(e2, 16 * ch.ResidualMeanSquare);
                }

                ch.ResidualMeanSquare = ch.ResidualCount == 0 ? e2 : ch.ResidualMeanSquare + (_residualAlpha * (e2 - ch.ResidualMeanSquare));
                ch.ResidualCount++;
            }

            ch.HasForecast = false;
            ch.Run = (int)(ch.Flat.Update(timestamp, ch.Value) ?? 1);
            if (ch.Ready)
            {
                _zs[ready++] = ch.Z;
            }
        }

        // Baseline: the peer median of this second.
        var median = Median(_zs.AsSpan(0, ready));
        var top = (Channel?)null;
        var topZ = double.NegativeInfinity;
        var atWarning = 0;
        var warningZ = _options.WarningZ;
        foreach (var ch in _channels)
        {
            if (!ch.Present)
            {
                continue;
            }

            ch.PeerZ = 0;
            if (ch.Ready && ready >= 3)
            {
                var p = ch.Z - median;
                ch.PeerSmooth = ch.PeerCount == 0 ? p : ch.PeerSmooth + (_peerAlpha * (p - ch.PeerSmooth));
                ch.PeerCount++;
                var stats = ch.PeerStats;
                if (stats.Count >= PeerWarmUp && stats.Variance > 0)
                {
                    ch.PeerZ = Math.Abs(ch.PeerSmooth - stats.Mean) / Math.Sqrt(stats.Variance);
                }

                ch.PeerFrozen = stats.Count >= PeerWarmUp && ch.PeerZ >= PeerFreeze && ch.PeerFrozen < FreezeLimit ? ch.PeerFrozen + 1 : 0;
                if (ch.PeerFrozen == 0)
                {
                    stats.Add(ch.PeerSmooth);
                }
            }

            var stuck = Math.Max(0, ch.Run - _options.StuckGraceSeconds) * _options.StuckZPerSecond;
            ch.EnsembleZ = (_options.OnnxWeight * ch.OnnxZ) + (_options.BaselineWeight * ch.PeerZ) + stuck;
            if (ch.EnsembleZ >= warningZ)
            {
                atWarning++;
            }

            if (ch.EnsembleZ > topZ)
            {
                topZ = ch.EnsembleZ;
                top = ch;
            }

            ch.Push((float)Math.Clamp(ch.Z, -5, 5));
        }

        Infer();
        _seconds++;
        double? risk = _seconds > _options.WarmUpSeconds && top is not null ? 1 / (1 + Math.Exp(-_k * (topZ - _z0))) : null;
        return top is null
            ? new PlantRiskPoint(Plant, timestamp, null, string.Empty, 0, 0, 0, 0, 0)
            : new PlantRiskPoint(Plant, timestamp, risk, top.Name, topZ, top.OnnxZ, top.PeerZ, top.Run, risk is null ? 0 : atWarning);
    }

    public void Dispose() => _predictor?.Dispose();

    private static double Alpha(double halfLife) => 1 - Math.Exp(-Math.Log(2) / halfLife);

    private static double Median(Span<double> values)
    {
        if (values.Length == 0)
        {
            return 0;
        }

        values.Sort();
        var m = values.Length / 2;
        return values.Length % 2 == 1 ? values[m] : 0.5 * (values[m - 1] + values[m]);
    }

    /// <summary>One batched inference call for every channel whose window is full: their forecasts of the next second.</summary>
    private void Infer()
    {
        var count = 0;
        for (var i = 0; i < _channels.Count; i++)
        {
            if (_channels[i].Present && _channels[i].IsFull)
            {
                _slots[count++] = i;
            }
        }

        if (count == 0)
        {
            return;
        }

        if (_predictor is null || _predictor.Capacity < _channels.Count)
        {
            _predictor?.Dispose();
            _predictor = new OnnxBatchPredictor(_model, _channels.Count);
        }

        for (var s = 0; s < count; s++)
        {
            _channels[_slots[s]].CopyWindow(_predictor.Window(s));
        }

        var started = Stopwatch.GetTimestamp();
        var outputs = _predictor.Predict(count);
        _options.InferenceLatency?.Record(Stopwatch.GetTimestamp() - started);
        InferenceCalls++;
        InferenceWindows += count;
        for (var s = 0; s < count; s++)
        {
            var ch = _channels[_slots[s]];
            ch.Forecast = outputs[s];
            ch.HasForecast = true;
        }
    }

    /// <summary>The state of one channel.</summary>
    internal sealed class Channel(string series, string name, double levelAlpha, double peerStatsAlpha, int window)
    {
        private readonly float[] _ring = new float[window];
        private int _count;
        private int _head;

        public string Series { get; } = series;

        public string Name { get; } = name;

        public string TraceName { get; } = "z:" + series;

        public ExponentialMoments Level { get; } = new(levelAlpha);

        public ExponentialMoments PeerStats { get; } = new(peerStatsAlpha);

        public IDetectorKernel Flat { get; } = new FlatlineDetector(Window: 60).CreateKernel();

        public bool Present { get; set; }

        public bool Ready { get; set; }

        public double Value { get; set; }

        public double Z { get; set; }

        public double Forecast { get; set; }

        public bool HasForecast { get; set; }

        public double ResidualMeanSquare { get; set; }

        public long ResidualCount { get; set; }

        public double PeerSmooth { get; set; }

        public long PeerCount { get; set; }

        public double OnnxZ { get; set; }

        public double PeerZ { get; set; }

        public double EnsembleZ { get; set; }

        public int Run { get; set; }

        public int Frozen { get; set; }

        public int PeerFrozen { get; set; }

        public bool IsFull => _count == _ring.Length;

        public void Push(float normalised)
        {
            _ring[_head] = normalised;
            _head = (_head + 1) % _ring.Length;
            _count = Math.Min(_count + 1, _ring.Length);
        }

        public void CopyWindow(Span<float> destination)
        {
            // Oldest first: the ring from the head (oldest when full) to the end, then from the start.
            var tail = _ring.Length - _head;
            _ring.AsSpan(_head).CopyTo(destination);
            _ring.AsSpan(0, _head).CopyTo(destination[tail..]);
        }

        public void Clear()
        {
            _count = 0;
            _head = 0;
            HasForecast = false;
        }
    }
}
