using System.Text.Json.Nodes;
using Workbench.Generation;

namespace Workbench.Tests.Generation;

public class DatasetSpecTests
{
    private const string Minimal = """{ "metrics": [ { "name": "cpu", "level": 50, "noise": { "sigma": 2 } } ] }""";

    /// <summary>A valid spec with anomalies and two metrics, as a mutable JSON tree.</summary>
    private static JsonObject Valid() => JsonNode.Parse("""
        {
          "seed": 3,
          "sources": 4,
          "points": 500,
          "start": "2024-03-01T00:00:00Z",
          "frequency": "1m",
          "metrics": [
            { "name": "latency", "level": 100, "seasonalities": [ { "period": 60, "amplitude": 5 } ], "noise": { "sigma": 2 }, "min": 0 },
            { "name": "errors", "level": 0.1, "noise": { "sigma": 0.01 }, "min": 0, "max": 1 }
          ],
          "anomalies": {
            "sourceRatio": 0.5,
            "eventsPerSource": { "min": 1, "max": 2 },
            "kinds": {
              "spike": { "weight": 1 },
              "missing": { "weight": 1, "length": { "min": 2, "max": 4 } },
              "seasonal": { "weight": 1, "length": { "min": 20, "max": 40 } }
            }
          }
        }
        """)!.AsObject();

    [Fact]
    public void Parse_Minimal_UsesDocumentedDefaults()
    {
        var spec = DatasetSpec.Parse(Minimal);
        Assert.Equal(0, spec.Seed);
        Assert.Equal(1, spec.Sources);
        Assert.Equal(1440, spec.Points);
        Assert.Equal("host", spec.SourcePrefix);
        Assert.Equal(new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Utc), spec.Start);
        Assert.Equal(DateTimeKind.Utc, spec.Start.Kind);
        Assert.Equal(TimeSpan.FromMinutes(1), spec.Frequency);
        Assert.Equal(0, spec.Anomalies.SourceRatio);
        var metric = Assert.Single(spec.Metrics);
        Assert.Equal(("cpu", 50.0, 2.0), (metric.Name, metric.Level, metric.Noise.Sigma));
        Assert.Null(metric.Min);
    }

    [Fact]
    public void Parse_ReadsEveryValue()
    {
        var spec = DatasetSpec.Parse(Valid().ToJsonString());
        Assert.Equal((3L, 4, 500), (spec.Seed, spec.Sources, spec.Points));
        Assert.Equal(new DateTime(2024, 3, 1, 0, 0, 0, DateTimeKind.Utc), spec.Start);
        Assert.Equal(new SeasonalComponent(60, 5, 0), Assert.Single(spec.Metrics[0].Seasonalities));
        Assert.Equal(new ValueRange(0, 1), spec.Metrics[1].Range);
        Assert.Equal(new IntRange(1, 2), spec.Anomalies.EventsPerSource);
        Assert.Equal(new IntRange(2, 4), spec.Anomalies.Kinds.Missing.Length);
        Assert.Equal([1.0, 0, 0, 1, 1], spec.Anomalies.Kinds.Weights);
        Assert.Equal(new SpikeSpec().Magnitude, spec.Anomalies.Kinds.Spike.Magnitude);
    }

    [Theory]
    [InlineData("2024-03-01T02:00:00+02:00", "2024-03-01T00:00:00")]
    [InlineData("2024-03-01T00:00:00.250Z", "2024-03-01T00:00:00.250")]
    public void Parse_Start_AcceptsZuluOrOffset_AndConvertsToUtc(string text, string expectedUtc)
    {
        var json = Valid();
        json["start"] = text;
        var spec = DatasetSpec.Parse(json.ToJsonString());
        Assert.Equal(DateTime.Parse(expectedUtc, System.Globalization.CultureInfo.InvariantCulture), spec.Start);
        Assert.Equal(DateTimeKind.Utc, spec.Start.Kind);
    }

    [Theory]
    [InlineData("250ms", 2_500_000L)]
    [InlineData("30s", 300_000_000L)]
    [InlineData("5m", 3_000_000_000L)]
    [InlineData("2h", 72_000_000_000L)]
    [InlineData("1d", 864_000_000_000L)]
    public void Parse_Frequency_Units(string text, long ticks)
    {
        var json = Valid();
        json["frequency"] = text;
        var spec = DatasetSpec.Parse(json.ToJsonString());
        Assert.Equal(ticks, spec.Frequency.Ticks);
        Assert.Contains($"\"frequency\": \"{text}\"", spec.ToJson(), StringComparison.Ordinal);
    }

    [Fact]
    public void ToJson_IsCanonical_AndRoundTrips()
    {
        var spec = DatasetSpec.Parse(Valid().ToJsonString());
        var json = spec.ToJson();
        var again = DatasetSpec.Parse(json);
        Assert.Equal(spec, again);
        Assert.Equal(json, again.ToJson());
        Assert.DoesNotContain("\r", json, StringComparison.Ordinal);
        Assert.EndsWith("}\n", json, StringComparison.Ordinal);
        Assert.Equal(["seed", "sources", "sourcePrefix", "points", "start", "frequency", "metrics", "anomalies"],
            JsonNode.Parse(json)!.AsObject().Select(p => p.Key));
        Assert.Contains("\"start\": \"2024-03-01T00:00:00Z\"", json, StringComparison.Ordinal);
        Assert.Contains("\"max\": null", json, StringComparison.Ordinal);
        // every kind is written, an omitted one with weight 0
        Assert.Equal(0, JsonNode.Parse(json)!["anomalies"]!["kinds"]!["drift"]!["weight"]!.GetValue<double>());
    }

    [Fact]
    public void Equality_IsByValue_IncludingLists()
    {
        var a = DatasetSpec.Parse(Valid().ToJsonString());
        var b = DatasetSpec.Parse(Valid().ToJsonString());
        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, b with { Seed = 4 });
        Assert.NotEqual(a, b with { Metrics = [b.Metrics[0] with { Seasonalities = [new SeasonalComponent(60, 6, 0)] }, b.Metrics[1]] });
    }

    [Fact]
    public void WithOverrides_ReplacesSourcesPointsSeed_AndValidates()
    {
        var spec = DatasetSpec.Parse(Valid().ToJsonString());
        var changed = spec.WithOverrides(sources: 9, points: 800, seed: 12);
        Assert.Equal((9, 800, 12L), (changed.Sources, changed.Points, changed.Seed));
        Assert.Equal(spec.Metrics, changed.Metrics);
        Assert.Equal(spec, spec.WithOverrides());
        Assert.Equal("points", Assert.Throws<DatasetSpecException>(() => spec.WithOverrides(points: 0)).KeyPath);
        Assert.Equal("sources", Assert.Throws<DatasetSpecException>(() => spec.WithOverrides(sources: -1)).KeyPath);
    }

    [Fact]
    public void SeriesNames_AreSourceMajor_WithZeroPaddedSources()
    {
        var spec = DatasetSpec.Parse(Valid().ToJsonString());
        Assert.Equal(["host-0000/latency", "host-0000/errors", "host-0001/latency", "host-0001/errors", "host-0002/latency", "host-0002/errors", "host-0003/latency", "host-0003/errors"],
            spec.SeriesNames());
        Assert.Equal("host-12345", (spec with { Sources = 20000 }).SourceName(12345));
        Assert.Equal("host-00017", (spec with { Sources = 20000 }).SourceName(17));
    }

    public static TheoryData<string, string, string> InvalidSpecs() => new()
    {
        // edit (a JSON pointer-like path and the new raw JSON value), expected key path, a word of the reason
        { "colour=1", "colour", "unknown key" },
        { "metrics/0/noise/sigmaa=1", "metrics[0].noise.sigmaa", "unknown key" },
        { "anomalies/kinds/glitch={}", "anomalies.kinds.glitch", "unknown key" },
        { "metrics/1/seasonalities=[{\"period\":0.5,\"amplitude\":1}]", "metrics[1].seasonalities[0].period", "≥ 2" },
        { "metrics/0/seasonalities/0/phase=9", "metrics[0].seasonalities[0].phase", "radians" },
        { "metrics/0/seasonalities/0/amplitude=-1", "metrics[0].seasonalities[0].amplitude", "≥ 0" },
        { "metrics/0/seasonalities/0={\"amplitude\":1}", "metrics[0].seasonalities[0].period", "required" },
        { "sources=-3", "sources", "[1, " },
        { "sources=\"ten\"", "sources", "integer" },
        { "sources=2.5", "sources", "integer" },
        { "points=0", "points", "≥ 1" },
        { "seed=-1", "seed", "≥ 0" },
        { "sourcePrefix=\"a/b\"", "sourcePrefix", "characters" },
        { "frequency=\"5x\"", "frequency", "duration" },
        { "frequency=\"0m\"", "frequency", "duration" },
        { "frequency=\"00:01:00\"", "frequency", "duration" },
        { "frequency=60", "frequency", "duration string" },
        { "start=\"2024-03-01T00:00:00\"", "start", "Z or an offset" },
        { "start=\"yesterday\"", "start", "ISO 8601" },
        { "metrics=[]", "metrics", "1 to" },
        { "metrics/1/name=\"latency\"", "metrics[1].name", "duplicate" },
        { "metrics/1/name=\"\"", "metrics[1].name", "characters" },
        { "metrics/1/max=-1", "metrics[1].max", "greater than min" },
        { "metrics/0/levelSpread=1", "metrics[0].levelSpread", "[0, 1)" },
        { "metrics/0/trendPerStep=1", "metrics[0].trendPerStep", string.Empty },
        { "metrics/0/noise/ar1Phi=1", "metrics[0].noise.ar1Phi", "(-1, 1)" },
        { "metrics/0/noise/sigma=-2", "metrics[0].noise.sigma", "≥ 0" },
        { "metrics/1/noise/sigma=0", "metrics[1].noise", "σ is 0" },
        { "anomalies/sourceRatio=1.5", "anomalies.sourceRatio", "[0, 1]" },
        { "anomalies/eventsPerSource={\"min\":3,\"max\":2}", "anomalies.eventsPerSource.max", "[min," },
        { "anomalies/eventsPerSource={\"min\":0,\"max\":2}", "anomalies.eventsPerSource.min", "≥ 1" },
        { "anomalies/minGap=-1", "anomalies.minGap", "≥ 0" },
        { "anomalies/edgeMargin=250", "anomalies.edgeMargin", "no room" },
        { "anomalies/kinds={\"spike\":{\"weight\":0},\"drift\":{\"weight\":0}}", "anomalies.kinds", "all kind weights are zero" },
        { "anomalies/kinds/spike/weight=-1", "anomalies.kinds.spike.weight", "≥ 0" },
        { "anomalies/kinds/spike/length={\"min\":1,\"max\":5000}", "anomalies.kinds.spike.length.max", "1000" },
        { "anomalies/kinds/spike/magnitude={\"min\":0,\"max\":3}", "anomalies.kinds.spike.magnitude.min", "> 0" },
        { "anomalies/kinds/spike/direction=\"sideways\"", "anomalies.kinds.spike.direction", "up" },
        { "anomalies/kinds/spike/length={\"min\":1,\"max\":2,\"avg\":1}", "anomalies.kinds.spike.length.avg", "unknown key" },
        { "anomalies/kinds/levelShift={\"permanentProbability\":2}", "anomalies.kinds.levelShift.permanentProbability", "[0, 1]" },
        { "anomalies/kinds/drift={\"holdLength\":{\"min\":-1,\"max\":3}}", "anomalies.kinds.drift.holdLength.min", "≥ 0" },
        { "anomalies/kinds/seasonal/amplitudeFactor={\"min\":1,\"max\":1}", "anomalies.kinds.seasonal", "changes nothing" },
        { "anomalies/kinds/seasonal/periodFactor={\"min\":0.01,\"max\":1}", "anomalies.kinds.seasonal.periodFactor.min", "below 2" },
        { "metrics/0/seasonalities=[]", "anomalies.kinds.seasonal.weight", "no metric has a seasonality" },
    };

    [Theory]
    [MemberData(nameof(InvalidSpecs))]
    public void Parse_Invalid_ThrowsNamingTheKeyPath(string edit, string keyPath, string reasonWord)
    {
        var json = Valid();
        var eq = edit.IndexOf('=', StringComparison.Ordinal);
        var path = edit[..eq].Split('/');
        JsonNode node = json;
        foreach (var part in path[..^1])
        {
            node = int.TryParse(part, out var index) ? node[index]! : node[part]!;
        }

        var value = JsonNode.Parse(edit[(eq + 1)..]);
        if (int.TryParse(path[^1], out var last))
        {
            node[last] = value;
        }
        else
        {
            node[path[^1]] = value;
        }

        if (keyPath == "metrics[0].trendPerStep")
        {
            json["metrics"]![0]!["trendPerDay"] = 2; // both trends set
            keyPath = "metrics[0].trendPerDay";
            reasonWord = "not both";
        }

        var error = Assert.Throws<DatasetSpecException>(() => DatasetSpec.Parse(json.ToJsonString()));
        Assert.Equal(keyPath, error.KeyPath);
        Assert.Contains(reasonWord, error.Reason, StringComparison.Ordinal);
        Assert.Contains(keyPath, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MalformedJson_NamesLine()
    {
        var error = Assert.Throws<DatasetSpecException>(() => DatasetSpec.Parse("{\n  \"sources\": 3,\n  \"points\": \n}"));
        Assert.Equal(string.Empty, error.KeyPath);
        Assert.Contains("line 4", error.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_DuplicateKey_IsAnError()
    {
        var error = Assert.Throws<DatasetSpecException>(() => DatasetSpec.Parse("""{ "sources": 3, "sources": 4, "metrics": [ { "name": "a" } ] }"""));
        Assert.Equal(("sources", "duplicate key"), (error.KeyPath, error.Reason));
    }

    [Fact]
    public void Parse_RootNotAnObject_IsAnError() =>
        Assert.Contains("object", Assert.Throws<DatasetSpecException>(() => DatasetSpec.Parse("[1]")).Reason, StringComparison.Ordinal);

    [Fact]
    public void Validate_SpecBuiltInCode_UsesTheSameKeyPaths()
    {
        var spec = DatasetSpec.Parse(Valid().ToJsonString());
        var bad = spec with { Metrics = [spec.Metrics[0], spec.Metrics[1] with { Seasonalities = [new SeasonalComponent(1, 1, 0)] }] };
        Assert.Equal("metrics[1].seasonalities[0].period", Assert.Throws<DatasetSpecException>(bad.Validate).KeyPath);
        var local = spec with { Start = new DateTime(2024, 1, 1, 0, 0, 0, DateTimeKind.Local) };
        Assert.Equal("start", Assert.Throws<DatasetSpecException>(local.Validate).KeyPath);
        var subMs = spec with { Frequency = TimeSpan.FromTicks(15) };
        Assert.Equal("frequency", Assert.Throws<DatasetSpecException>(subMs.Validate).KeyPath);
        var tooMany = spec with { Sources = DatasetSpec.MaxSources, Metrics = [.. Enumerable.Range(0, 11).Select(i => spec.Metrics[1] with { Name = $"m{i}" })] };
        var error = Assert.Throws<DatasetSpecException>(tooMany.Validate);
        Assert.Equal("sources", error.KeyPath);
        Assert.Contains("series", error.Reason, StringComparison.Ordinal);
        var tooLong = spec with { Start = new DateTime(9999, 12, 31, 0, 0, 0, DateTimeKind.Utc), Points = 5000 };
        Assert.Equal("points", Assert.Throws<DatasetSpecException>(tooLong.Validate).KeyPath);
    }

    [Fact]
    public void Load_ReadsFile_AndNamesItInErrors()
    {
        var dir = Directory.CreateTempSubdirectory("wb-spec-");
        try
        {
            var good = Path.Combine(dir.FullName, "good.json");
            File.WriteAllText(good, Valid().ToJsonString());
            Assert.Equal(DatasetSpec.Parse(Valid().ToJsonString()), DatasetSpec.Load(good));

            var bad = Path.Combine(dir.FullName, "bad.json");
            var json = Valid();
            json["points"] = -5;
            File.WriteAllText(bad, json.ToJsonString());
            var error = Assert.Throws<DatasetSpecException>(() => DatasetSpec.Load(bad));
            Assert.Equal(bad, error.FilePath);
            Assert.Equal("points", error.KeyPath);
            Assert.Contains("bad.json", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
