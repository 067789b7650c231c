namespace Workbench.Operators.Alerting;

/// <summary>
/// Configuration of the alerting operator, in the units of the scores it watches (e.g. a detector's threshold for
/// <see cref="Warning"/>). Durations are in event time (observation timestamps), never wall-clock time.
/// </summary>
/// <param name="Warning">Score at or above which a warning alert can be raised (finite).</param>
/// <param name="Critical">Score at or above which an alert is critical (&gt; <paramref name="Warning"/>); null = warnings only.</param>
/// <param name="Clear">Hysteresis: an open alert resolves at the first score strictly below this (≤
/// <paramref name="Warning"/>); null (default) = <paramref name="Warning"/>, i.e. no hysteresis.</param>
/// <param name="MinCount">Consecutive observations at or above a level before the alert is raised or escalated (≥ 1; default 1).</param>
/// <param name="MinDuration">Event time the level must hold before raising or escalating, measured from the first
/// observation of the run to the current one (≥ 0; default 0). Both <paramref name="MinCount"/> and this must hold.</param>
/// <param name="Cooldown">Event time after a resolution during which no new alert is raised for that series (≥ 0;
/// default 0). A run above the level continues to count during the cooldown and raises as soon as it ends.</param>
public sealed record AlertOptions(
    double Warning,
    double? Critical = null,
    double? Clear = null,
    int MinCount = 1,
    TimeSpan MinDuration = default,
    TimeSpan Cooldown = default)
{
    /// <summary>The effective clear level (<see cref="Clear"/> or <see cref="Warning"/>).</summary>
    public double EffectiveClear => Clear ?? Warning;

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for out-of-range options.</summary>
    public void Validate()
    {
        if (!double.IsFinite(Warning))
        {
            throw new ArgumentOutOfRangeException(nameof(Warning), Warning, "warning must be finite");
        }

        if (Critical is { } c && (!double.IsFinite(c) || !(c > Warning)))
        {
            throw new ArgumentOutOfRangeException(nameof(Critical), c, "critical must be finite and > warning");
        }

        if (Clear is { } clear && (!double.IsFinite(clear) || clear > Warning))
        {
            throw new ArgumentOutOfRangeException(nameof(Clear), clear, "clear must be finite and <= warning");
        }

        if (MinCount < 1)
        {
            throw new ArgumentOutOfRangeException(nameof(MinCount), MinCount, "min count must be >= 1");
        }

        if (MinDuration < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(MinDuration), MinDuration, "min duration must be >= 0");
        }

        if (Cooldown < TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(Cooldown), Cooldown, "cooldown must be >= 0");
        }
    }
}
