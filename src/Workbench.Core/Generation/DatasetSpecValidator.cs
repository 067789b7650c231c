using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Workbench.Generation;

/// <summary>The range checks of <see cref="DatasetSpec.Validate"/>, reporting JSON key paths.</summary>
internal static class DatasetSpecValidator
{
    public static void Validate(DatasetSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        Require(spec.Seed >= 0, "seed", $"must be ≥ 0 (was {spec.Seed})");
        Require(spec.Sources is >= 1 and <= DatasetSpec.MaxSources, "sources", $"must be in [1, {DatasetSpec.MaxSources}] (was {spec.Sources})");
        Require(IsName(spec.SourcePrefix), "sourcePrefix", $"must be 1–64 characters of A–Z a–z 0–9 _ . - (was '{spec.SourcePrefix}')");
        Require(spec.Points >= 1, "points", $"must be ≥ 1 (was {spec.Points})");
        Require(spec.Start.Kind == DateTimeKind.Utc, "start", "must be UTC");
        Require(spec.Frequency > TimeSpan.Zero, "frequency", $"must be > 0 (was {spec.Frequency})");
        Require(spec.Frequency.Ticks % TimeSpan.TicksPerMillisecond == 0, "frequency", $"must be a whole number of milliseconds (was {spec.Frequency})");
        var span = (decimal)spec.Frequency.Ticks * (spec.Points - 1);
        Require(span <= DateTime.MaxValue.Ticks - spec.Start.Ticks, "points", $"{spec.Points} points every {DatasetSpecJson.FormatFrequency(spec.Frequency)} from {spec.Start:O} run past year 9999");

        Require(spec.Metrics is not null && spec.Metrics.Count is >= 1 and <= DatasetSpec.MaxMetrics, "metrics", $"must list 1 to {DatasetSpec.MaxMetrics} metrics");
        Require((long)spec.Sources * spec.Metrics.Count <= DatasetSpec.MaxSeries, "sources",
            $"{spec.Sources} sources × {spec.Metrics.Count} metrics exceed {DatasetSpec.MaxSeries:N0} series");
        var names = new HashSet<string>(StringComparer.Ordinal);
        for (var m = 0; m < spec.Metrics!.Count; m++)
        {
            var metric = spec.Metrics[m];
            var path = $"metrics[{m}]";
            Require(metric is not null, path, "must not be null");
            ValidateMetric(metric!, path);
            Require(names.Add(metric!.Name), $"{path}.name", $"duplicate metric name '{metric.Name}'");
        }

        ValidateAnomalies(spec);
    }

    private static void ValidateMetric(MetricSpec metric, string path)
    {
        Require(IsName(metric.Name), $"{path}.name", $"must be 1–64 characters of A–Z a–z 0–9 _ . - (was '{metric.Name}')");
        Require(double.IsFinite(metric.Level), $"{path}.level", "must be finite");
        Require(metric.LevelSpread is >= 0 and < 1, $"{path}.levelSpread", $"must be in [0, 1) (was {metric.LevelSpread})");
        Require(double.IsFinite(metric.TrendPerStep), $"{path}.trendPerStep", "must be finite");
        Require(double.IsFinite(metric.TrendPerDay), $"{path}.trendPerDay", "must be finite");
        Require(metric.TrendPerStep == 0 || metric.TrendPerDay == 0, $"{path}.trendPerDay", "set either trendPerStep or trendPerDay, not both");
        Require(metric.Seasonalities is not null, $"{path}.seasonalities", "must be a list (possibly empty)");
        for (var s = 0; s < metric.Seasonalities!.Count; s++)
        {
            if (metric.Seasonalities[s].Problem() is { } problem)
            {
                throw new DatasetSpecException($"{path}.seasonalities[{s}].{problem.Key}", problem.Reason);
            }
        }

        var noise = metric.Noise;
        Require(noise is not null, $"{path}.noise", "must be an object");
        Require(double.IsFinite(noise!.Sigma) && noise.Sigma >= 0, $"{path}.noise.sigma", $"must be finite and ≥ 0 (was {noise.Sigma})");
        Require(noise.Ar1Phi is > -1 and < 1, $"{path}.noise.ar1Phi", $"must be in (-1, 1) (was {noise.Ar1Phi})");
        Require(double.IsFinite(noise.Ar1Sigma) && noise.Ar1Sigma >= 0, $"{path}.noise.ar1Sigma", $"must be finite and ≥ 0 (was {noise.Ar1Sigma})");
        Require(double.IsFinite(noise.RandomWalkSigma) && noise.RandomWalkSigma >= 0, $"{path}.noise.randomWalkSigma", $"must be finite and ≥ 0 (was {noise.RandomWalkSigma})");
        Require(metric.Min is null || double.IsFinite(metric.Min.Value), $"{path}.min", "must be finite or null");
        Require(metric.Max is null || double.IsFinite(metric.Max.Value), $"{path}.max", "must be finite or null");
        Require(metric.Min is null || metric.Max is null || metric.Min < metric.Max, $"{path}.max", $"must be greater than min ({metric.Min}) (was {metric.Max})");
    }

    private static void ValidateAnomalies(DatasetSpec spec)
    {
        var a = spec.Anomalies;
        Require(a is not null, "anomalies", "must be an object");
        Require(a!.SourceRatio is >= 0 and <= 1, "anomalies.sourceRatio", $"must be in [0, 1] (was {a.SourceRatio})");
        Require(a.EventsPerSource.Min >= 1, "anomalies.eventsPerSource.min", $"must be ≥ 1 (was {a.EventsPerSource.Min})");
        Require(a.EventsPerSource.Max >= a.EventsPerSource.Min && a.EventsPerSource.Max <= 1000, "anomalies.eventsPerSource.max", $"must be in [min, 1000] (was {a.EventsPerSource.Max})");
        Require(a.MinGap >= 0, "anomalies.minGap", $"must be ≥ 0 (was {a.MinGap})");
        Require(a.EdgeMargin >= 0, "anomalies.edgeMargin", $"must be ≥ 0 (was {a.EdgeMargin})");

        var k = a.Kinds;
        Require(k is not null, "anomalies.kinds", "must be an object");
        const string kp = "anomalies.kinds";
        Require(k!.Spike is not null, $"{kp}.spike", "must be an object");
        Require(k.LevelShift is not null, $"{kp}.levelShift", "must be an object");
        Require(k.Drift is not null, $"{kp}.drift", "must be an object");
        Require(k.Missing is not null, $"{kp}.missing", "must be an object");
        Require(k.Seasonal is not null, $"{kp}.seasonal", "must be an object");

        Weight(k.Spike.Weight, $"{kp}.spike.weight");
        Magnitude(k.Spike.Magnitude, $"{kp}.spike.magnitude");
        Lengths(k.Spike.Length, $"{kp}.spike.length", 1, SpikeOptions.MaxLength);
        Direction(k.Spike.Direction, $"{kp}.spike.direction");

        Weight(k.LevelShift.Weight, $"{kp}.levelShift.weight");
        Magnitude(k.LevelShift.Magnitude, $"{kp}.levelShift.magnitude");
        Lengths(k.LevelShift.Length, $"{kp}.levelShift.length", 1, int.MaxValue);
        Direction(k.LevelShift.Direction, $"{kp}.levelShift.direction");
        Probability(k.LevelShift.PermanentProbability, $"{kp}.levelShift.permanentProbability");

        Weight(k.Drift.Weight, $"{kp}.drift.weight");
        Magnitude(k.Drift.Magnitude, $"{kp}.drift.magnitude");
        Lengths(k.Drift.Length, $"{kp}.drift.length", 1, int.MaxValue / 2);
        Lengths(k.Drift.HoldLength, $"{kp}.drift.holdLength", 0, int.MaxValue / 2);
        Direction(k.Drift.Direction, $"{kp}.drift.direction");
        Probability(k.Drift.PermanentProbability, $"{kp}.drift.permanentProbability");

        Weight(k.Missing.Weight, $"{kp}.missing.weight");
        Lengths(k.Missing.Length, $"{kp}.missing.length", 1, int.MaxValue);

        var seasonal = k.Seasonal;
        Weight(seasonal.Weight, $"{kp}.seasonal.weight");
        Lengths(seasonal.Length, $"{kp}.seasonal.length", 1, int.MaxValue);
        Reals(seasonal.AmplitudeFactor, $"{kp}.seasonal.amplitudeFactor", 0, 1e6, minExclusive: false);
        Reals(seasonal.PeriodFactor, $"{kp}.seasonal.periodFactor", 0, 1e6, minExclusive: true);
        Reals(seasonal.PhaseShift, $"{kp}.seasonal.phaseShift", -Math.Tau, Math.Tau, minExclusive: false);
        Require(!(seasonal.AmplitudeFactor is { Min: 1, Max: 1 } && seasonal.PeriodFactor is { Min: 1, Max: 1 } && seasonal.PhaseShift is { Min: 0, Max: 0 }),
            $"{kp}.seasonal", "changes nothing: amplitudeFactor and periodFactor are [1, 1] and phaseShift is [0, 0]");

        if (a.SourceRatio == 0)
        {
            return;
        }

        Require(k.Weights.Sum() > 0, kp, "all kind weights are zero while anomalies.sourceRatio > 0");
        Require(spec.Points - (2L * a.EdgeMargin) >= 1, "anomalies.edgeMargin", $"leaves no room for events in {spec.Points} points (2 × {a.EdgeMargin})");
        if (k.Spike.Weight > 0 || k.LevelShift.Weight > 0 || k.Drift.Weight > 0)
        {
            for (var m = 0; m < spec.Metrics.Count; m++)
            {
                Require(spec.Metrics[m].Noise.Scale > 0, $"metrics[{m}].noise",
                    "the noise σ is 0, but spike, level-shift and drift magnitudes are in units of it; add noise or set those kinds' weight to 0");
            }
        }

        if (seasonal.Weight > 0)
        {
            var seasonalPeriods = spec.Metrics.SelectMany(m => m.Seasonalities).Where(c => c.Amplitude > 0).Select(c => c.Period).ToList();
            Require(seasonalPeriods.Count > 0, $"{kp}.seasonal.weight", "is > 0 but no metric has a seasonality with amplitude > 0");
            Require(seasonalPeriods.Min() * seasonal.PeriodFactor.Min >= 2, $"{kp}.seasonal.periodFactor.min",
                $"would shrink a period of {seasonalPeriods.Min()} below 2");
        }
    }

    private static void Weight(double weight, string path) =>
        Require(double.IsFinite(weight) && weight >= 0, path, $"must be finite and ≥ 0 (was {weight})");

    private static void Probability(double p, string path) =>
        Require(p is >= 0 and <= 1, path, $"must be in [0, 1] (was {p})");

    private static void Direction(InjectionDirection direction, string path) =>
        Require(Enum.IsDefined(direction), path, $"must be up, down or random (was {direction})");

    private static void Magnitude(DoubleRange range, string path) => Reals(range, path, 0, 1e6, minExclusive: true);

    private static void Reals(DoubleRange range, string path, double lower, double upper, bool minExclusive)
    {
        var minOk = double.IsFinite(range.Min) && (minExclusive ? range.Min > lower : range.Min >= lower);
        Require(minOk, $"{path}.min", $"must be {(minExclusive ? ">" : "≥")} {Text(lower)} and finite (was {Text(range.Min)})");
        Require(double.IsFinite(range.Max) && range.Max >= range.Min && range.Max <= upper, $"{path}.max",
            $"must be in [min, {Text(upper)}] (was {Text(range.Max)}, min {Text(range.Min)})");
    }

    private static void Lengths(IntRange range, string path, int lower, int upper)
    {
        Require(range.Min >= lower, $"{path}.min", $"must be ≥ {lower} (was {range.Min})");
        Require(range.Max >= range.Min && range.Max <= upper, $"{path}.max", $"must be in [min, {upper}] (was {range.Max}, min {range.Min})");
    }

    private static bool IsName(string? name) =>
        name is { Length: >= 1 and <= 64 } && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-');

    private static string Text(double x) => x.ToString("R", CultureInfo.InvariantCulture);

    private static void Require([DoesNotReturnIf(false)] bool condition, string path, string reason)
    {
        if (!condition)
        {
            throw new DatasetSpecException(path, reason);
        }
    }
}
