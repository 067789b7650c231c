using System.Globalization;
using System.Text.Json;
using Workbench.Core;
using Workbench.Generation;

namespace Workbench.Pipelines.PlantSensors;

/// <summary>
/// The <c>plant-sensors</c> preset: <see cref="ChannelCount"/> correlated sensor channels of one plant at 1 Hz for
/// <see cref="Duration"/> (default 18 × 24 h = 1,555,200 rows), series <c>plant-1/&lt;type&gt;-NN</c>. A shared latent
/// load drives every channel — a daily cycle (0.6 ± 0.15) plus a slow Ornstein–Uhlenbeck fluctuation (τ 15 min, σ
/// <see cref="SlowLoadSigma"/>) plus a fast one (τ 20 s, σ 0.01) — through channel-specific gains, lags (temperatures
/// 5–30 s, others 0–8 s) and AR(1) noise, rounded to the sensor's resolution. After a quiet warm-up of
/// <see cref="WarmUp"/>, one labelled event falls in each slot of <see cref="EventEvery"/>, the kinds cycling through a
/// seeded shuffle of <see cref="Kinds"/>:
/// <list type="bullet">
/// <item><c>spike</c>: one channel jumps by ±4–7 units for 2–5 s.</item>
/// <item><c>stuck</c>: one channel repeats its last reading for 60–180 s (a frozen sensor).</item>
/// <item><c>drift</c>: one channel drifts linearly away from its peers to ±3–5 units over 4–8 min (at most the slot − 2 min; then it is recalibrated).</item>
/// <item><c>upset</c>: a process upset steps 4–7 channels at once by ±2.5–4 units for 2–6 min.</item>
/// </list>
/// A unit is the channel's short-term variability (<see cref="PlantSensorChannel.Unit"/>). Labels mark exactly the
/// affected rows (an upset: every affected channel's rows, one event id). Rows are in timestamp order, channels in
/// ordinal name order within a second; the same seed gives identical rows.
/// </summary>
public sealed class PlantSensorsDataset : PipelineDataset
{
    /// <summary>The standard deviation of the load's slow fluctuation (the unit of injected magnitudes is built on it).</summary>
    public const double SlowLoadSigma = 0.05;

    /// <summary>The anomaly kinds the preset injects.</summary>
    public static IReadOnlyList<string> Kinds { get; } = ["spike", "stuck", "drift", "upset"];

    /// <summary>The first second of the data.</summary>
    public static readonly DateTime Start = new(2024, 6, 1, 0, 0, 0, DateTimeKind.Utc);

    private const ulong LoadDomain = 0x706C616E_74000001UL;
    private const ulong ChannelDomain = 0x706C616E_74000002UL;
    private const ulong EventDomain = 0x706C616E_74000003UL;
    private static readonly string[] Types = ["temp", "pressure", "flow", "vibration"];

    /// <summary>A preset of <paramref name="channels"/> channels over <paramref name="duration"/> (default 24 h).</summary>
    /// <param name="channels">Channels, in [4, 64]; default 18.</param>
    /// <param name="duration">Length, whole seconds, at least <paramref name="warmUp"/> + one slot; default 24 h.</param>
    /// <param name="eventEvery">Slot length, one event per slot, at least 9 min (the longest event plus margins); default 20 min.</param>
    /// <param name="warmUp">Quiet time before the first slot; default 10 min.</param>
    /// <param name="plant">The plant's name (series prefix); default <c>plant-1</c>.</param>
    /// <param name="defaultSeed">The seed when none is given; default 20240601.</param>
    /// <exception cref="ArgumentOutOfRangeException">An argument is out of range.</exception>
    public PlantSensorsDataset(int channels = 18, TimeSpan? duration = null, TimeSpan? eventEvery = null, TimeSpan? warmUp = null, string plant = "plant-1", long defaultSeed = 20240601)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(channels, 4);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(channels, 64);
        ArgumentException.ThrowIfNullOrWhiteSpace(plant);
        if (plant.Contains('/', StringComparison.Ordinal))
        {
            throw new ArgumentException("the plant name must not contain '/'", nameof(plant));
        }

        ChannelCount = channels;
        Duration = duration ?? TimeSpan.FromHours(24);
        EventEvery = eventEvery ?? TimeSpan.FromMinutes(20);
        WarmUp = warmUp ?? TimeSpan.FromMinutes(10);
        Plant = plant;
        DefaultSeed = defaultSeed;
        if (EventEvery < TimeSpan.FromMinutes(9) || EventEvery.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(eventEvery), EventEvery, "the slot must be whole seconds, at least 9 minutes");
        }

        if (WarmUp < TimeSpan.Zero || WarmUp.Ticks % TimeSpan.TicksPerSecond != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(warmUp), WarmUp, "the warm-up must be whole seconds, >= 0");
        }

        if (Duration.Ticks % TimeSpan.TicksPerSecond != 0 || Duration < WarmUp + EventEvery)
        {
            throw new ArgumentOutOfRangeException(nameof(duration), Duration, "the duration must be whole seconds, at least warm-up + one slot");
        }
    }

    /// <summary>The full-size preset (18 channels × 24 h).</summary>
    public static PlantSensorsDataset Full { get; } = new();

    /// <summary>The reduced preset of <see cref="PlantSensorsPipeline.Reduced"/>: 16 channels × 2 h, a 9-minute slot (12 events).</summary>
    public static PlantSensorsDataset Small { get; } = new(16, TimeSpan.FromHours(2), TimeSpan.FromMinutes(9));

    /// <inheritdoc/>
    public override string Name => "plant-sensors";

    /// <inheritdoc/>
    public override string Description => string.Create(CultureInfo.InvariantCulture,
        $"{ChannelCount} correlated plant sensor channels at 1 Hz for {Duration.TotalHours:G4} h driven by a shared load; one labelled spike, stuck sensor, drift or process upset every {EventEvery.TotalMinutes:G4} min");

    /// <inheritdoc/>
    public override long DefaultSeed { get; }

    /// <summary>Channels.</summary>
    public int ChannelCount { get; }

    /// <summary>Length of the data.</summary>
    public TimeSpan Duration { get; }

    /// <summary>One event per slot of this length.</summary>
    public TimeSpan EventEvery { get; }

    /// <summary>Quiet time before the first slot.</summary>
    public TimeSpan WarmUp { get; }

    /// <summary>The plant's name: the series prefix and the pipeline's evaluation scope.</summary>
    public string Plant { get; }

    /// <summary>Rows generated: channels × seconds.</summary>
    public long Rows => ChannelCount * (long)Duration.TotalSeconds;

    /// <inheritdoc/>
    public override string SpecJson => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["preset"] = Name,
        ["plant"] = Plant,
        ["channels"] = ChannelCount,
        ["durationSeconds"] = (long)Duration.TotalSeconds,
        ["eventEverySeconds"] = (long)EventEvery.TotalSeconds,
        ["warmUpSeconds"] = (long)WarmUp.TotalSeconds,
        ["start"] = Start.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        ["kinds"] = Kinds,
    });

    /// <summary>The series id of <paramref name="channel"/>.</summary>
    public string SeriesOf(PlantSensorChannel channel)
    {
        ArgumentNullException.ThrowIfNull(channel);
        return Plant + "/" + channel.Name;
    }

    /// <summary>The channels for <paramref name="seed"/>, in ordinal name order (the order of the rows within a second).</summary>
    public IReadOnlyList<PlantSensorChannel> Channels(long seed)
    {
        var counts = new int[Types.Length];
        var channels = new List<PlantSensorChannel>(ChannelCount);
        for (var i = 0; i < ChannelCount; i++)
        {
            var rng = Xoshiro256StarStar.ForStream((ulong)seed, ChannelDomain, (ulong)i);
            var t = i % Types.Length;
            var name = string.Create(CultureInfo.InvariantCulture, $"{Types[t]}-{++counts[t]:00}");
            var g = rng.NextDouble(0.8, 1.25);
            var n = rng.NextDouble(0.8, 1.25);
            channels.Add(Types[t] switch
            {
                "temp" => new PlantSensorChannel(name, "temp", rng.NextDouble(40, 70), 30 * g, rng.NextInt32(5, 30), 0.35 * n, 0.01),
                "pressure" => new PlantSensorChannel(name, "pressure", rng.NextDouble(3, 6), 2.5 * g, rng.NextInt32(0, 4), 0.03 * n, 0.001),
                "flow" => new PlantSensorChannel(name, "flow", rng.NextDouble(60, 120), 120 * g, rng.NextInt32(0, 8), 1.2 * n, 0.01),
                _ => new PlantSensorChannel(name, "vibration", rng.NextDouble(1, 2.5), 3 * g, rng.NextInt32(0, 3), 0.05 * n, 0.001),
            });
        }

        return [.. channels.OrderBy(c => c.Name, StringComparer.Ordinal)];
    }

    /// <summary>The injected events for <paramref name="seed"/>, in time order.</summary>
    public IReadOnlyList<PlantSensorsEvent> Plan(long seed)
    {
        var rng = Xoshiro256StarStar.ForStream((ulong)seed, EventDomain, 0);
        var slot = (int)EventEvery.TotalSeconds;
        var slots = (int)((Duration - WarmUp).TotalSeconds / slot);
        var kinds = new List<string>();
        while (kinds.Count < slots)
        {
            var block = Kinds.ToArray();
            for (var i = block.Length - 1; i > 0; i--)
            {
                var j = rng.NextInt32(0, i);
                (block[i], block[j]) = (block[j], block[i]);
            }

            kinds.AddRange(block);
        }

        var events = new List<PlantSensorsEvent>(slots);
        for (var s = 0; s < slots; s++)
        {
            var kind = kinds[s];
            var seconds = kind switch
            {
                "spike" => rng.NextInt32(2, 5),
                "stuck" => rng.NextInt32(60, 180),
                "drift" => rng.NextInt32(240, Math.Min(480, slot - 120)),
                _ => rng.NextInt32(120, 360),
            };
            var slotStart = (int)WarmUp.TotalSeconds + (s * slot);
            var offset = rng.NextInt32(30, slot - seconds - 60);
            int[] channels;
            double[] magnitudes;
            if (kind == "upset")
            {
                var count = rng.NextInt32(4, Math.Min(7, ChannelCount - 1));
                var pool = Enumerable.Range(0, ChannelCount).ToArray();
                for (var i = 0; i < count; i++)
                {
                    var j = rng.NextInt32(i, pool.Length - 1);
                    (pool[i], pool[j]) = (pool[j], pool[i]);
                }

                channels = [.. pool.Take(count).Order()];
                magnitudes = new double[count];
                for (var i = 0; i < count; i++)
                {
                    magnitudes[i] = Signed(ref rng, 2.5, 4);
                }
            }
            else
            {
                channels = [rng.NextInt32(0, ChannelCount - 1)];
                magnitudes = kind switch
                {
                    "spike" => [Signed(ref rng, 4, 7)],
                    "drift" => [Signed(ref rng, 3, 5)],
                    _ => [0.0],
                };
            }

            events.Add(new PlantSensorsEvent(s + 1, kind, Start.AddSeconds(slotStart + offset), seconds, channels, magnitudes));
        }

        return events;
    }

    /// <inheritdoc/>
    public override IEnumerable<LabeledObservation> Generate(long seed)
    {
        var channels = Channels(seed);
        var plan = Plan(seed);
        var series = channels.Select(SeriesOf).ToArray();
        var kinds = Kinds.ToDictionary(k => k, k => AnomalyKind.FromName(k), StringComparer.Ordinal);
        return Emit(seed, channels, plan, series, kinds);
    }

    private IEnumerable<LabeledObservation> Emit(long seed, IReadOnlyList<PlantSensorChannel> channels, IReadOnlyList<PlantSensorsEvent> plan,
        string[] series, Dictionary<string, AnomalyKind> kinds)
    {
        var n = channels.Count;
        var seconds = (int)Duration.TotalSeconds;
        var loadRng = Xoshiro256StarStar.ForStream((ulong)seed, LoadDomain, 0);
        var noiseRng = Enumerable.Range(0, n).Select(i => Xoshiro256StarStar.ForStream((ulong)seed, ChannelDomain, 1000 + (ulong)i)).ToArray();
        var maxLag = channels.Max(c => c.LagSeconds);
        var history = new double[maxLag + 1];
        const double tauSlow = 900;
        const double tauFast = 20;
        const double fastSigma = 0.01;
        const double phi = 0.7;
        var aSlow = Math.Exp(-1 / tauSlow);
        var aFast = Math.Exp(-1 / tauFast);
        var phase = loadRng.NextDouble(0, 2 * Math.PI);
        var slow = SlowLoadSigma * loadRng.NextGaussian();
        var fast = fastSigma * loadRng.NextGaussian();
        var noise = new double[n];
        for (var c = 0; c < n; c++)
        {
            noise[c] = channels[c].Noise * noiseRng[c].NextGaussian();
        }

        double Load(int t) => 0.6 + (0.15 * Math.Sin((2 * Math.PI * t / 86400.0) + phase));

        // Fill the lag history with the seconds before the start so every channel has a lagged load from second 0.
        for (var t = -maxLag; t <= 0; t++)
        {
            slow = (aSlow * slow) + (SlowLoadSigma * Math.Sqrt(1 - (aSlow * aSlow)) * loadRng.NextGaussian());
            fast = (aFast * fast) + (fastSigma * Math.Sqrt(1 - (aFast * aFast)) * loadRng.NextGaussian());
            history[Mod(t, history.Length)] = Load(t) + slow + fast;
        }

        var last = new double[n];
        var active = new List<PlantSensorsEvent>();
        var next = 0;
        for (var t = 0; t < seconds; t++)
        {
            if (t > 0)
            {
                slow = (aSlow * slow) + (SlowLoadSigma * Math.Sqrt(1 - (aSlow * aSlow)) * loadRng.NextGaussian());
                fast = (aFast * fast) + (fastSigma * Math.Sqrt(1 - (aFast * aFast)) * loadRng.NextGaussian());
                history[Mod(t, history.Length)] = Load(t) + slow + fast;
            }

            var ts = Start.AddSeconds(t);
            active.RemoveAll(e => e.End < ts);
            while (next < plan.Count && plan[next].Start <= ts)
            {
                active.Add(plan[next++]);
            }

            for (var c = 0; c < n; c++)
            {
                var ch = channels[c];
                noise[c] = (phi * noise[c]) + (ch.Noise * Math.Sqrt(1 - (phi * phi)) * noiseRng[c].NextGaussian());
                var value = ch.Base + (ch.Gain * history[Mod(t - ch.LagSeconds, history.Length)]) + noise[c];
                var label = AnomalyLabel.Normal;
                foreach (var e in active)
                {
                    var k = IndexOf(e.Channels, c);
                    if (k < 0)
                    {
                        continue;
                    }

                    var elapsed = (ts - e.Start).TotalSeconds;
                    value = e.Kind switch
                    {
                        "stuck" => last[c],
                        "drift" => value + (e.Magnitudes[k] * ch.Unit * (elapsed + 1) / e.Seconds),
                        _ => value + (e.Magnitudes[k] * ch.Unit),
                    };
                    label = AnomalyLabel.Anomaly(kinds[e.Kind], e.EventId);
                }

                if (!label.IsAnomaly || label.Kind!.Name != "stuck")
                {
                    value = Math.Round(value / ch.Resolution) * ch.Resolution;
                    value = Math.Round(value, 6);
                }

                last[c] = value;
                yield return new LabeledObservation(series[c], ts, value, label);
            }
        }
    }

    private static int IndexOf(IReadOnlyList<int> list, int value)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] == value)
            {
                return i;
            }
        }

        return -1;
    }

    private static int Mod(int t, int m) => ((t % m) + m) % m;

    private static double Signed(ref Xoshiro256StarStar rng, double min, double max) => (rng.NextBool() ? 1 : -1) * rng.NextDouble(min, max);
}
