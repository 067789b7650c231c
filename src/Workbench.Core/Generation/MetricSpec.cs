namespace Workbench.Generation;

/// <summary>
/// The noise of a base signal: white Gaussian noise, AR(1) noise and a random walk, all added.
/// </summary>
public sealed record NoiseSpec
{
    /// <summary>σ of the white Gaussian noise, in the metric's units; finite, ≥ 0. Default 0. JSON <c>sigma</c>.</summary>
    public double Sigma { get; init; }

    /// <summary>φ of the AR(1) noise <c>x[t] = φ·x[t−1] + ε[t]</c>, in (−1, 1). Default 0. JSON <c>ar1Phi</c>.</summary>
    public double Ar1Phi { get; init; }

    /// <summary>σ of the AR(1) innovations ε; finite, ≥ 0 (0 disables the AR term). Default 0. JSON <c>ar1Sigma</c>.</summary>
    public double Ar1Sigma { get; init; }

    /// <summary>σ of the random walk's steps; finite, ≥ 0. Default 0. JSON <c>randomWalkSigma</c>.</summary>
    public double RandomWalkSigma { get; init; }

    /// <summary>
    /// The series' noise σ, the unit of spike, level-shift and drift magnitudes: the standard deviation of the
    /// stationary part, <c>√(σ² + σ_ar² / (1 − φ²))</c>, or the random walk's step σ when that is 0.
    /// </summary>
    public double Scale
    {
        get
        {
            var stationary = Math.Sqrt((Sigma * Sigma) + (Ar1Sigma * Ar1Sigma / (1 - (Ar1Phi * Ar1Phi))));
            return stationary > 0 ? stationary : RandomWalkSigma;
        }
    }
}

/// <summary>
/// One metric every source reports, and its base signal: <c>level + trend·t + Σ seasonalities + noise</c>, clamped
/// into [<see cref="Min"/>, <see cref="Max"/>]. The series of source <c>host-0017</c> is <c>host-0017/&lt;name&gt;</c>.
/// </summary>
public sealed record MetricSpec
{
    /// <summary>The metric name: 1–64 characters of <c>A–Z a–z 0–9 _ . -</c>, unique in the spec. JSON <c>name</c>.</summary>
    public string Name { get; init; } = "value";

    /// <summary>The base level in the metric's units; finite. Default 0. JSON <c>level</c>.</summary>
    public double Level { get; init; }

    /// <summary>
    /// The relative spread of the level across sources, in [0, 1): each series' level is
    /// <c>level · (1 + spread · u)</c> with <c>u</c> uniform in [−1, 1) from the series' stream. Default 0. JSON <c>levelSpread</c>.
    /// </summary>
    public double LevelSpread { get; init; }

    /// <summary>The linear trend per step (observation); finite. Default 0. JSON <c>trendPerStep</c>. Set at most one of the two trends.</summary>
    public double TrendPerStep { get; init; }

    /// <summary>The linear trend per day, converted with the spec's frequency; finite. Default 0. JSON <c>trendPerDay</c>.</summary>
    public double TrendPerDay { get; init; }

    /// <summary>The sine seasonalities, added; may be empty. JSON <c>seasonalities</c>: <c>[{"period", "amplitude", "phase"}]</c>.</summary>
    public IReadOnlyList<SeasonalComponent> Seasonalities { get; init; } = [];

    /// <summary>The noise. JSON <c>noise</c>.</summary>
    public NoiseSpec Noise { get; init; } = new();

    /// <summary>The lower bound of valid values, or null for none; finite. JSON <c>min</c> (null allowed).</summary>
    public double? Min { get; init; }

    /// <summary>The upper bound of valid values, or null for none; finite, greater than <see cref="Min"/>. JSON <c>max</c> (null allowed).</summary>
    public double? Max { get; init; }

    /// <summary>The valid range as a <see cref="ValueRange"/>.</summary>
    public ValueRange Range => new(Min ?? double.NegativeInfinity, Max ?? double.PositiveInfinity);

    /// <summary>The per-step trend with <see cref="TrendPerDay"/> converted at <paramref name="frequency"/>.</summary>
    public double TrendPerStepAt(TimeSpan frequency) =>
        TrendPerDay != 0 ? TrendPerDay * (frequency.Ticks / (double)TimeSpan.TicksPerDay) : TrendPerStep;

    public bool Equals(MetricSpec? other) =>
        other is not null && Name == other.Name && Level.Equals(other.Level) && LevelSpread.Equals(other.LevelSpread)
        && TrendPerStep.Equals(other.TrendPerStep) && TrendPerDay.Equals(other.TrendPerDay)
        && Seasonalities.SequenceEqual(other.Seasonalities) && Noise == other.Noise && Min.Equals(other.Min) && Max.Equals(other.Max);

    public override int GetHashCode() => HashCode.Combine(Name, Level, Seasonalities.Count, Noise, Min, Max);
}
