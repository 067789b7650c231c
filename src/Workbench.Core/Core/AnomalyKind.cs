namespace Workbench.Core;

/// <summary>
/// The kind of a labelled anomaly, stored as the <c>anomaly_kind</c> column. The five injected kinds and
/// NAB's labelled windows have well-known instances; any other non-empty name (from a dataset written
/// elsewhere) is kept as it is, so no label information is lost on a round trip.
/// </summary>
public sealed record AnomalyKind
{
    /// <summary>A single point or a short burst far from the local level, up or down.</summary>
    public static readonly AnomalyKind Spike = new("spike");

    /// <summary>A step change of the level, permanent or for a given duration.</summary>
    public static readonly AnomalyKind LevelShift = new("level_shift");

    /// <summary>A gradual ramp to a new level.</summary>
    public static readonly AnomalyKind Drift = new("drift");

    /// <summary>A gap of consecutive observations whose value is missing (null).</summary>
    public static readonly AnomalyKind Missing = new("missing");

    /// <summary>A change of the seasonal component's amplitude, period or phase over a span.</summary>
    public static readonly AnomalyKind Seasonal = new("seasonal");

    /// <summary>A human-labelled anomaly window (the NAB corpus).</summary>
    public static readonly AnomalyKind LabelledWindow = new("labelled_window");

    /// <summary>The five kinds the synthetic generator injects, in their canonical order.</summary>
    public static IReadOnlyList<AnomalyKind> Injected { get; } = [Spike, LevelShift, Drift, Missing, Seasonal];

    private static readonly Dictionary<string, AnomalyKind> WellKnown =
        new[] { Spike, LevelShift, Drift, Missing, Seasonal, LabelledWindow }.ToDictionary(k => k.Name, StringComparer.Ordinal);

    private AnomalyKind(string name) => Name = name;

    /// <summary>The name as stored in the <c>anomaly_kind</c> column, e.g. <c>level_shift</c>.</summary>
    public string Name { get; }

    /// <summary>
    /// The kind with this name: the shared well-known instance when there is one, otherwise a new kind.
    /// </summary>
    /// <exception cref="ArgumentException">The name is empty or white space.</exception>
    public static AnomalyKind FromName(string name)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        return WellKnown.TryGetValue(name, out var known) ? known : new AnomalyKind(name);
    }

    /// <summary>Whether <paramref name="name"/> is one of the well-known kinds.</summary>
    public static bool IsWellKnown(string name) => WellKnown.ContainsKey(name);

    public override string ToString() => Name;
}
