using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Workbench.Generation;

/// <summary>
/// The JSON form of <see cref="DatasetSpec"/>: a strict reader (unknown or duplicate keys and wrong types are
/// <see cref="DatasetSpecException"/>s naming the key path; omitted keys take the record's defaults) and the
/// canonical writer.
/// </summary>
internal static partial class DatasetSpecJson
{
    private static readonly string[] RootKeys = ["seed", "sources", "sourcePrefix", "points", "start", "frequency", "metrics", "anomalies"];

    public static DatasetSpec Read(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException e)
        {
            throw new DatasetSpecException(string.Empty, $"malformed JSON at line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}: {e.Message}", null, e);
        }

        using (document)
        {
            var root = new Obj(document.RootElement, string.Empty, RootKeys);
            var defaults = new DatasetSpec();
            return new DatasetSpec
            {
                Seed = root.Long("seed", defaults.Seed),
                Sources = root.Int("sources", defaults.Sources),
                SourcePrefix = root.String("sourcePrefix", defaults.SourcePrefix),
                Points = root.Int("points", defaults.Points),
                Start = root.Get("start", out var start, out var startPath) ? ParseStart(start, startPath) : defaults.Start,
                Frequency = root.Get("frequency", out var frequency, out var frequencyPath) ? ParseFrequency(frequency, frequencyPath) : defaults.Frequency,
                Metrics = root.Get("metrics", out var metrics, out var metricsPath) ? ReadArray(metrics, metricsPath, ReadMetric) : defaults.Metrics,
                Anomalies = root.Get("anomalies", out var anomalies, out var anomaliesPath) ? ReadAnomalies(anomalies, anomaliesPath) : defaults.Anomalies,
            };
        }
    }

    public static string Write(DatasetSpec spec)
    {
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true, NewLine = "\n" }))
        {
            w.WriteStartObject();
            w.WriteNumber("seed", spec.Seed);
            w.WriteNumber("sources", spec.Sources);
            w.WriteString("sourcePrefix", spec.SourcePrefix);
            w.WriteNumber("points", spec.Points);
            w.WriteString("start", spec.Start.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
            w.WriteString("frequency", FormatFrequency(spec.Frequency));
            w.WriteStartArray("metrics");
            foreach (var metric in spec.Metrics)
            {
                WriteMetric(w, metric);
            }

            w.WriteEndArray();
            WriteAnomalies(w, spec.Anomalies);
            w.WriteEndObject();
        }

        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    /// <summary>The frequency in its largest exact unit: <c>1d</c>, <c>6h</c>, <c>1m</c>, <c>30s</c>, <c>250ms</c>.</summary>
    public static string FormatFrequency(TimeSpan frequency)
    {
        var ms = frequency.Ticks / TimeSpan.TicksPerMillisecond;
        if (frequency.Ticks % TimeSpan.TicksPerMillisecond != 0 || ms <= 0)
        {
            return frequency.ToString("c", CultureInfo.InvariantCulture);
        }

        (long Size, string Unit)[] units = [(86_400_000, "d"), (3_600_000, "h"), (60_000, "m"), (1000, "s"), (1, "ms")];
        foreach (var (size, unit) in units)
        {
            if (ms % size == 0)
            {
                return (ms / size).ToString(CultureInfo.InvariantCulture) + unit;
            }
        }

        throw new InvalidOperationException("unreachable");
    }

    private static DateTime ParseStart(JsonElement e, string path)
    {
        if (e.ValueKind != JsonValueKind.String)
        {
            throw TypeError(path, "an ISO 8601 UTC timestamp string", e);
        }

        var text = e.GetString()!;
        var hasOffset = text.EndsWith('Z') || text.EndsWith('z') || OffsetSuffix().IsMatch(text);
        if (!hasOffset || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed) || !text.Contains('T', StringComparison.Ordinal))
        {
            throw new DatasetSpecException(path, $"'{text}' is not an ISO 8601 timestamp with Z or an offset, e.g. 2024-01-01T00:00:00Z");
        }

        return parsed.UtcDateTime;
    }

    private static TimeSpan ParseFrequency(JsonElement e, string path)
    {
        if (e.ValueKind != JsonValueKind.String)
        {
            throw TypeError(path, "a duration string like \"1m\"", e);
        }

        var text = e.GetString()!;
        var match = FrequencyPattern().Match(text);
        if (!match.Success || !long.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count <= 0)
        {
            throw new DatasetSpecException(path, $"'{text}' is not a positive duration like 250ms, 30s, 1m, 1h or 1d");
        }

        var unitTicks = match.Groups[2].Value switch
        {
            "ms" => TimeSpan.TicksPerMillisecond,
            "s" => TimeSpan.TicksPerSecond,
            "m" => TimeSpan.TicksPerMinute,
            "h" => TimeSpan.TicksPerHour,
            _ => TimeSpan.TicksPerDay,
        };
        if (count > TimeSpan.MaxValue.Ticks / unitTicks)
        {
            throw new DatasetSpecException(path, $"'{text}' is too long");
        }

        return TimeSpan.FromTicks(count * unitTicks);
    }

    private static readonly string[] MetricKeys = ["name", "level", "levelSpread", "trendPerStep", "trendPerDay", "seasonalities", "noise", "min", "max"];
    private static readonly string[] SeasonalityKeys = ["period", "amplitude", "phase"];
    private static readonly string[] NoiseKeys = ["sigma", "ar1Phi", "ar1Sigma", "randomWalkSigma"];

    private static MetricSpec ReadMetric(JsonElement e, string path)
    {
        var o = new Obj(e, path, MetricKeys);
        var d = new MetricSpec();
        return new MetricSpec
        {
            Name = o.String("name", d.Name),
            Level = o.Double("level", d.Level),
            LevelSpread = o.Double("levelSpread", d.LevelSpread),
            TrendPerStep = o.Double("trendPerStep", d.TrendPerStep),
            TrendPerDay = o.Double("trendPerDay", d.TrendPerDay),
            Seasonalities = o.Get("seasonalities", out var s, out var sPath) ? ReadArray(s, sPath, ReadSeasonality) : d.Seasonalities,
            Noise = o.Get("noise", out var n, out var nPath) ? ReadNoise(n, nPath) : d.Noise,
            Min = o.NullableDouble("min", d.Min),
            Max = o.NullableDouble("max", d.Max),
        };
    }

    private static SeasonalComponent ReadSeasonality(JsonElement e, string path)
    {
        var o = new Obj(e, path, SeasonalityKeys);
        return new SeasonalComponent(o.Double("period", 0, required: true), o.Double("amplitude", 0, required: true), o.Double("phase", 0));
    }

    private static NoiseSpec ReadNoise(JsonElement e, string path)
    {
        var o = new Obj(e, path, NoiseKeys);
        return new NoiseSpec
        {
            Sigma = o.Double("sigma", 0),
            Ar1Phi = o.Double("ar1Phi", 0),
            Ar1Sigma = o.Double("ar1Sigma", 0),
            RandomWalkSigma = o.Double("randomWalkSigma", 0),
        };
    }

    private static readonly string[] AnomalyKeys = ["sourceRatio", "eventsPerSource", "minGap", "edgeMargin", "kinds"];
    private static readonly string[] KindKeys = ["spike", "levelShift", "drift", "missing", "seasonal"];
    private static readonly string[] SpikeKeys = ["weight", "magnitude", "length", "direction"];
    private static readonly string[] LevelShiftKeys = ["weight", "magnitude", "length", "direction", "permanentProbability"];
    private static readonly string[] DriftKeys = ["weight", "magnitude", "length", "holdLength", "direction", "permanentProbability"];
    private static readonly string[] MissingKeys = ["weight", "length"];
    private static readonly string[] SeasonalKeys = ["weight", "length", "amplitudeFactor", "periodFactor", "phaseShift"];

    private static AnomalySpec ReadAnomalies(JsonElement e, string path)
    {
        var o = new Obj(e, path, AnomalyKeys);
        var d = new AnomalySpec();
        return new AnomalySpec
        {
            SourceRatio = o.Double("sourceRatio", d.SourceRatio),
            EventsPerSource = o.IntRange("eventsPerSource", d.EventsPerSource),
            MinGap = o.Int("minGap", d.MinGap),
            EdgeMargin = o.Int("edgeMargin", d.EdgeMargin),
            Kinds = o.Get("kinds", out var k, out var kPath) ? ReadKinds(k, kPath) : d.Kinds,
        };
    }

    private static AnomalyKindsSpec ReadKinds(JsonElement e, string path)
    {
        var o = new Obj(e, path, KindKeys);

        // An omitted kind keeps its default ranges with weight 0.
        var spike = new SpikeSpec { Weight = 0 };
        if (o.Get("spike", out var s, out var sPath))
        {
            var k = new Obj(s, sPath, SpikeKeys);
            spike = new SpikeSpec
            {
                Weight = k.Double("weight", 1),
                Magnitude = k.DoubleRange("magnitude", spike.Magnitude),
                Length = k.IntRange("length", spike.Length),
                Direction = k.Direction("direction", spike.Direction),
            };
        }

        var levelShift = new LevelShiftSpec { Weight = 0 };
        if (o.Get("levelShift", out var l, out var lPath))
        {
            var k = new Obj(l, lPath, LevelShiftKeys);
            levelShift = new LevelShiftSpec
            {
                Weight = k.Double("weight", 1),
                Magnitude = k.DoubleRange("magnitude", levelShift.Magnitude),
                Length = k.IntRange("length", levelShift.Length),
                Direction = k.Direction("direction", levelShift.Direction),
                PermanentProbability = k.Double("permanentProbability", levelShift.PermanentProbability),
            };
        }

        var drift = new DriftSpec { Weight = 0 };
        if (o.Get("drift", out var dr, out var drPath))
        {
            var k = new Obj(dr, drPath, DriftKeys);
            drift = new DriftSpec
            {
                Weight = k.Double("weight", 1),
                Magnitude = k.DoubleRange("magnitude", drift.Magnitude),
                Length = k.IntRange("length", drift.Length),
                HoldLength = k.IntRange("holdLength", drift.HoldLength),
                Direction = k.Direction("direction", drift.Direction),
                PermanentProbability = k.Double("permanentProbability", drift.PermanentProbability),
            };
        }

        var missing = new MissingSpec { Weight = 0 };
        if (o.Get("missing", out var m, out var mPath))
        {
            var k = new Obj(m, mPath, MissingKeys);
            missing = new MissingSpec { Weight = k.Double("weight", 1), Length = k.IntRange("length", missing.Length) };
        }

        var seasonal = new SeasonalChangeSpec { Weight = 0 };
        if (o.Get("seasonal", out var se, out var sePath))
        {
            var k = new Obj(se, sePath, SeasonalKeys);
            seasonal = new SeasonalChangeSpec
            {
                Weight = k.Double("weight", 1),
                Length = k.IntRange("length", seasonal.Length),
                AmplitudeFactor = k.DoubleRange("amplitudeFactor", seasonal.AmplitudeFactor),
                PeriodFactor = k.DoubleRange("periodFactor", seasonal.PeriodFactor),
                PhaseShift = k.DoubleRange("phaseShift", seasonal.PhaseShift),
            };
        }

        return new AnomalyKindsSpec { Spike = spike, LevelShift = levelShift, Drift = drift, Missing = missing, Seasonal = seasonal };
    }

    private static void WriteMetric(Utf8JsonWriter w, MetricSpec m)
    {
        w.WriteStartObject();
        w.WriteString("name", m.Name);
        w.WriteNumber("level", m.Level);
        w.WriteNumber("levelSpread", m.LevelSpread);
        w.WriteNumber("trendPerStep", m.TrendPerStep);
        w.WriteNumber("trendPerDay", m.TrendPerDay);
        w.WriteStartArray("seasonalities");
        foreach (var s in m.Seasonalities)
        {
            w.WriteStartObject();
            w.WriteNumber("period", s.Period);
            w.WriteNumber("amplitude", s.Amplitude);
            w.WriteNumber("phase", s.Phase);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteStartObject("noise");
        w.WriteNumber("sigma", m.Noise.Sigma);
        w.WriteNumber("ar1Phi", m.Noise.Ar1Phi);
        w.WriteNumber("ar1Sigma", m.Noise.Ar1Sigma);
        w.WriteNumber("randomWalkSigma", m.Noise.RandomWalkSigma);
        w.WriteEndObject();
        WriteNullable(w, "min", m.Min);
        WriteNullable(w, "max", m.Max);
        w.WriteEndObject();
    }

    private static void WriteAnomalies(Utf8JsonWriter w, AnomalySpec a)
    {
        w.WriteStartObject("anomalies");
        w.WriteNumber("sourceRatio", a.SourceRatio);
        WriteRange(w, "eventsPerSource", a.EventsPerSource);
        w.WriteNumber("minGap", a.MinGap);
        w.WriteNumber("edgeMargin", a.EdgeMargin);
        w.WriteStartObject("kinds");

        var k = a.Kinds;
        w.WriteStartObject("spike");
        w.WriteNumber("weight", k.Spike.Weight);
        WriteRange(w, "magnitude", k.Spike.Magnitude);
        WriteRange(w, "length", k.Spike.Length);
        w.WriteString("direction", DirectionName(k.Spike.Direction));
        w.WriteEndObject();

        w.WriteStartObject("levelShift");
        w.WriteNumber("weight", k.LevelShift.Weight);
        WriteRange(w, "magnitude", k.LevelShift.Magnitude);
        WriteRange(w, "length", k.LevelShift.Length);
        w.WriteString("direction", DirectionName(k.LevelShift.Direction));
        w.WriteNumber("permanentProbability", k.LevelShift.PermanentProbability);
        w.WriteEndObject();

        w.WriteStartObject("drift");
        w.WriteNumber("weight", k.Drift.Weight);
        WriteRange(w, "magnitude", k.Drift.Magnitude);
        WriteRange(w, "length", k.Drift.Length);
        WriteRange(w, "holdLength", k.Drift.HoldLength);
        w.WriteString("direction", DirectionName(k.Drift.Direction));
        w.WriteNumber("permanentProbability", k.Drift.PermanentProbability);
        w.WriteEndObject();

        w.WriteStartObject("missing");
        w.WriteNumber("weight", k.Missing.Weight);
        WriteRange(w, "length", k.Missing.Length);
        w.WriteEndObject();

        w.WriteStartObject("seasonal");
        w.WriteNumber("weight", k.Seasonal.Weight);
        WriteRange(w, "length", k.Seasonal.Length);
        WriteRange(w, "amplitudeFactor", k.Seasonal.AmplitudeFactor);
        WriteRange(w, "periodFactor", k.Seasonal.PeriodFactor);
        WriteRange(w, "phaseShift", k.Seasonal.PhaseShift);
        w.WriteEndObject();

        w.WriteEndObject();
        w.WriteEndObject();
    }

    private static void WriteRange(Utf8JsonWriter w, string name, IntRange range)
    {
        w.WriteStartObject(name);
        w.WriteNumber("min", range.Min);
        w.WriteNumber("max", range.Max);
        w.WriteEndObject();
    }

    private static void WriteRange(Utf8JsonWriter w, string name, DoubleRange range)
    {
        w.WriteStartObject(name);
        w.WriteNumber("min", range.Min);
        w.WriteNumber("max", range.Max);
        w.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, double? value)
    {
        if (value is double v)
        {
            w.WriteNumber(name, v);
        }
        else
        {
            w.WriteNull(name);
        }
    }

    private static string DirectionName(InjectionDirection direction) => direction switch
    {
        InjectionDirection.Up => "up",
        InjectionDirection.Down => "down",
        InjectionDirection.Random => "random",
        _ => throw new DatasetSpecException("direction", $"{direction} is not up, down or random"),
    };

    private static List<T> ReadArray<T>(JsonElement e, string path, Func<JsonElement, string, T> read)
    {
        if (e.ValueKind != JsonValueKind.Array)
        {
            throw TypeError(path, "an array", e);
        }

        var list = new List<T>();
        var i = 0;
        foreach (var item in e.EnumerateArray())
        {
            list.Add(read(item, $"{path}[{i++}]"));
        }

        return list;
    }

    private static DatasetSpecException TypeError(string path, string expected, JsonElement actual) =>
        new(path, $"must be {expected} (was {Describe(actual)})");

    private static string Describe(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => $"the string \"{e.GetString()}\"",
        JsonValueKind.Number => $"the number {e.GetRawText()}",
        JsonValueKind.True or JsonValueKind.False => $"{e.GetRawText()}",
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "an array",
        _ => "an object",
    };

    [GeneratedRegex("^([0-9]+)(ms|s|m|h|d)$", RegexOptions.CultureInvariant)]
    private static partial Regex FrequencyPattern();

    [GeneratedRegex("[+-][0-9]{2}:?[0-9]{2}$", RegexOptions.CultureInvariant)]
    private static partial Regex OffsetSuffix();

    /// <summary>A JSON object being read: typed getters by key, path tracking, and the unknown/duplicate-key checks.</summary>
    private sealed class Obj
    {
        private readonly Dictionary<string, JsonElement> _properties = new(StringComparer.Ordinal);
        private readonly string _path;

        public Obj(JsonElement element, string path, string[] allowed)
        {
            _path = path;
            if (element.ValueKind != JsonValueKind.Object)
            {
                throw TypeError(path, "an object", element);
            }

            foreach (var property in element.EnumerateObject())
            {
                var keyPath = Join(property.Name);
                if (Array.IndexOf(allowed, property.Name) < 0)
                {
                    throw new DatasetSpecException(keyPath, $"unknown key '{property.Name}' (allowed: {string.Join(", ", allowed)})");
                }

                if (!_properties.TryAdd(property.Name, property.Value))
                {
                    throw new DatasetSpecException(keyPath, "duplicate key");
                }
            }
        }

        public bool Get(string key, out JsonElement value, out string path)
        {
            path = Join(key);
            return _properties.TryGetValue(key, out value);
        }

        public double Double(string key, double fallback, bool required = false)
        {
            if (!Get(key, out var e, out var path))
            {
                return required ? throw new DatasetSpecException(path, "is required") : fallback;
            }

            return e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out var v) && double.IsFinite(v) ? v : throw TypeError(path, "a finite number", e);
        }

        public double? NullableDouble(string key, double? fallback)
        {
            if (!Get(key, out var e, out _))
            {
                return fallback;
            }

            return e.ValueKind == JsonValueKind.Null ? null : Double(key, 0);
        }

        public int Int(string key, int fallback)
        {
            if (!Get(key, out var e, out var path))
            {
                return fallback;
            }

            return e.ValueKind == JsonValueKind.Number && e.TryGetInt32(out var v) ? v : throw TypeError(path, "an integer in the 32-bit range", e);
        }

        public long Long(string key, long fallback)
        {
            if (!Get(key, out var e, out var path))
            {
                return fallback;
            }

            return e.ValueKind == JsonValueKind.Number && e.TryGetInt64(out var v) ? v : throw TypeError(path, "an integer in the 64-bit range", e);
        }

        public string String(string key, string fallback)
        {
            if (!Get(key, out var e, out var path))
            {
                return fallback;
            }

            return e.ValueKind == JsonValueKind.String ? e.GetString()! : throw TypeError(path, "a string", e);
        }

        public InjectionDirection Direction(string key, InjectionDirection fallback)
        {
            if (!Get(key, out var e, out var path))
            {
                return fallback;
            }

            return e.ValueKind == JsonValueKind.String ? e.GetString() switch
            {
                "up" => InjectionDirection.Up,
                "down" => InjectionDirection.Down,
                "random" => InjectionDirection.Random,
                var other => throw new DatasetSpecException(path, $"must be \"up\", \"down\" or \"random\" (was \"{other}\")"),
            } : throw TypeError(path, "\"up\", \"down\" or \"random\"", e);
        }

        public IntRange IntRange(string key, IntRange fallback)
        {
            if (!Get(key, out var e, out var path))
            {
                return fallback;
            }

            var o = new Obj(e, path, ["min", "max"]);
            return new IntRange(o.Int("min", fallback.Min), o.Int("max", fallback.Max));
        }

        public DoubleRange DoubleRange(string key, DoubleRange fallback)
        {
            if (!Get(key, out var e, out var path))
            {
                return fallback;
            }

            var o = new Obj(e, path, ["min", "max"]);
            return new DoubleRange(o.Double("min", fallback.Min), o.Double("max", fallback.Max));
        }

        private string Join(string key) => _path.Length == 0 ? key : $"{_path}.{key}";
    }
}
