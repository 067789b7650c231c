namespace Workbench.Generation;

/// <summary>How an <see cref="InjectionTrigger"/> decides where an event starts.</summary>
public enum InjectionTriggerMode
{
    /// <summary>Once per series, at the observation with the given 0-based index within that series.</summary>
    AtIndex,

    /// <summary>Once per series, at its first observation whose timestamp is at or after the given instant.</summary>
    AtTimestamp,

    /// <summary>
    /// Any number of times per series: at each eligible observation an event starts with probability
    /// <see cref="InjectionTrigger.Rate"/>, drawn from a seeded per-series stream.
    /// </summary>
    Random,
}

/// <summary>
/// Where the events of one injection start, per series. Build it with <see cref="AtIndex"/>,
/// <see cref="AtTimestamp"/> or <see cref="Random"/>.
/// <para>
/// The observation index counts the observations of each series from 0 in the order the injector sees them; it is
/// also the series index <c>t</c> a <see cref="SeasonalOptions"/> event uses, so the injected stream must start at
/// the series' first point for seasonal events to match the generator's base signal.
/// </para>
/// <para>
/// Every trigger owns a per-series random stream, derived from (<see cref="Seed"/>, a stable 64-bit FNV-1a hash of
/// the series name, the injection's position in the operator's list). It draws the direction of an event whose
/// options say <see cref="InjectionDirection.Random"/> and, for <see cref="InjectionTriggerMode.Random"/>, the
/// start decisions.
/// </para>
/// </summary>
public sealed record InjectionTrigger
{
    private InjectionTrigger(InjectionTriggerMode mode) => Mode = mode;

    /// <summary>The trigger's mode.</summary>
    public InjectionTriggerMode Mode { get; }

    /// <summary>The 0-based observation index within the series (<see cref="InjectionTriggerMode.AtIndex"/>), ≥ 0.</summary>
    public long Index { get; private init; }

    /// <summary>The UTC instant (<see cref="InjectionTriggerMode.AtTimestamp"/>).</summary>
    public DateTime Timestamp { get; private init; }

    /// <summary>The per-observation start probability (<see cref="InjectionTriggerMode.Random"/>), in (0, 1].</summary>
    public double Rate { get; private init; }

    /// <summary>
    /// For <see cref="InjectionTriggerMode.Random"/>: an event may start only after at least this many observations
    /// that are neither labelled nor covered by one of this operator's events (≥ 0). Default 0.
    /// </summary>
    public int MinGap { get; private init; }

    /// <summary>The seed of the trigger's per-series random streams. Default 0.</summary>
    public ulong Seed { get; private init; }

    /// <summary>The series the trigger applies to (ordinal names); null for every series.</summary>
    public IReadOnlySet<string>? Series { get; private init; }

    /// <summary>Starts one event in each selected series at its observation number <paramref name="index"/> (0-based).</summary>
    /// <param name="index">The observation index within the series, ≥ 0.</param>
    /// <param name="series">The series to inject into; null or omitted for every series.</param>
    /// <param name="seed">Seed for drawing a random direction.</param>
    public static InjectionTrigger AtIndex(long index, IEnumerable<string>? series = null, ulong seed = 0)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        return new InjectionTrigger(InjectionTriggerMode.AtIndex) { Index = index, Series = ToSet(series), Seed = seed };
    }

    /// <summary>Starts one event in each selected series at its first observation at or after <paramref name="timestamp"/>.</summary>
    /// <param name="timestamp">A UTC instant (<see cref="DateTimeKind.Utc"/>).</param>
    /// <param name="series">The series to inject into; null or omitted for every series.</param>
    /// <param name="seed">Seed for drawing a random direction.</param>
    public static InjectionTrigger AtTimestamp(DateTime timestamp, IEnumerable<string>? series = null, ulong seed = 0)
    {
        if (timestamp.Kind != DateTimeKind.Utc)
        {
            throw new ArgumentException("The timestamp must be UTC (DateTimeKind.Utc).", nameof(timestamp));
        }

        return new InjectionTrigger(InjectionTriggerMode.AtTimestamp) { Timestamp = timestamp, Series = ToSet(series), Seed = seed };
    }

    /// <summary>
    /// Starts events at a seeded random rate: at every eligible observation of a selected series (no event of this
    /// operator active, the observation itself unlabelled, and at least <paramref name="minGap"/> free observations
    /// since the last labelled or covered one) one uniform draw starts an event when it is below <paramref name="rate"/>.
    /// </summary>
    /// <param name="rate">The start probability per eligible observation, in (0, 1].</param>
    /// <param name="seed">The seed of the per-series streams.</param>
    /// <param name="minGap">The minimum number of free observations between events, ≥ 0.</param>
    /// <param name="series">The series to inject into; null or omitted for every series.</param>
    public static InjectionTrigger Random(double rate, ulong seed, int minGap = 0, IEnumerable<string>? series = null)
    {
        if (!(rate > 0 && rate <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(rate), rate, "Must be in (0, 1].");
        }

        ArgumentOutOfRangeException.ThrowIfNegative(minGap);
        return new InjectionTrigger(InjectionTriggerMode.Random) { Rate = rate, Seed = seed, MinGap = minGap, Series = ToSet(series) };
    }

    /// <summary>Whether the trigger applies to <paramref name="series"/>.</summary>
    public bool AppliesTo(string series) => Series is null || Series.Contains(series);

    private static HashSet<string>? ToSet(IEnumerable<string>? series)
    {
        if (series is null)
        {
            return null;
        }

        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var name in series)
        {
            ArgumentException.ThrowIfNullOrEmpty(name, nameof(series));
            set.Add(name);
        }

        return set;
    }
}

/// <summary>One injection: what to inject (<see cref="Options"/>) and where (<see cref="Trigger"/>).</summary>
/// <param name="Options">The event parameters; validated when the injection is used.</param>
/// <param name="Trigger">Where events start.</param>
public sealed record AnomalyInjection(InjectionOptions Options, InjectionTrigger Trigger)
{
    /// <summary>Throws when either part is null or the options are out of range.</summary>
    public void Validate()
    {
        ArgumentNullException.ThrowIfNull(Options);
        ArgumentNullException.ThrowIfNull(Trigger);
        Options.Validate();
    }
}

/// <summary>What an injector does when an event would cover an already-labelled observation.</summary>
public enum ConflictPolicy
{
    /// <summary>
    /// Throw <see cref="InjectionConflictException"/> (the Rx operators send it through OnError and stop). The default.
    /// </summary>
    Fail,

    /// <summary>
    /// Leave the labelled observation as it is and count it: an event that would start on it (or while another of
    /// the operator's events is active) is skipped (<see cref="InjectionCounters.EventsSkipped"/>); an active event
    /// that reaches it ends there (<see cref="InjectionCounters.EventsTruncated"/>).
    /// </summary>
    Skip,
}
