namespace Workbench.Operators.Alerting;

/// <summary>
/// The Rx-free alert state machine behind <see cref="AlertObservable"/> and <see cref="AlertBatch"/>, for any number of
/// series (state per series, created on first sight). Per series:
/// <list type="number">
/// <item>No open alert: runs of consecutive scores ≥ warning (and ≥ critical) are counted. When the warning run holds
/// for <see cref="AlertOptions.MinCount"/> observations and <see cref="AlertOptions.MinDuration"/> of event time, and
/// the series is not cooling down, an alert is <see cref="AlertState.Raised"/> — at critical if the critical run also
/// holds. A score below warning breaks the runs.</item>
/// <item>Open alert: a score below the clear level resolves it (<see cref="AlertState.Resolved"/>) and starts the
/// cooldown. Otherwise an open warning whose critical run holds is <see cref="AlertState.Escalated"/> (and loses its
/// acknowledgement). Levels never step down within an alert.</item>
/// <item>A null score (warm-up, missing value) carries no information: it changes nothing.</item>
/// </list>
/// At most one event per observation. Alerts still open when the input ends stay open (no event).
/// </summary>
public sealed class AlertTracker
{
    private readonly AlertOptions _options;
    private readonly double _warning;
    private readonly double _critical;
    private readonly double _clear;
    private readonly SeriesState<State> _series = new(() => new State());
    private long _nextId;

    /// <summary>A tracker for <paramref name="options"/> (validated here).</summary>
    public AlertTracker(AlertOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _warning = options.Warning;
        _critical = options.Critical ?? double.PositiveInfinity;
        _clear = options.EffectiveClear;
    }

    /// <summary>Acknowledgements ignored because their alert was already resolved or already acknowledged.</summary>
    public long IgnoredAcknowledgements { get; private set; }

    /// <summary>Feeds one scored observation; returns the event it causes, if any.</summary>
    public AlertEvent? Observe(string series, DateTime timestamp, double? score)
    {
        ArgumentNullException.ThrowIfNull(series);
        if (score is not { } s)
        {
            return null;
        }

        var st = _series.For(series);
        if (st.OpenId == 0)
        {
            st.Warning.Update(s >= _warning, timestamp, s);
            st.Critical.Update(s >= _critical, timestamp, s);
            if (!Holds(st.Warning, timestamp) || timestamp < st.CooldownUntil)
            {
                return null;
            }

            st.OpenId = ++_nextId;
            st.Level = Holds(st.Critical, timestamp) ? AlertLevel.Critical : AlertLevel.Warning;
            st.Acknowledged = false;
            st.Peak = st.Warning.Peak;
            return new AlertEvent(series, st.OpenId, st.Level, AlertState.Raised, timestamp, st.Peak);
        }

        st.Peak = Math.Max(st.Peak, s);
        if (s < _clear)
        {
            var resolved = new AlertEvent(series, st.OpenId, st.Level, AlertState.Resolved, timestamp, st.Peak);
            st.OpenId = 0;
            st.Warning.Reset();
            st.Critical.Reset();
            st.CooldownUntil = _options.Cooldown == TimeSpan.Zero ? DateTime.MinValue : timestamp + _options.Cooldown;
            return resolved;
        }

        if (st.Level == AlertLevel.Warning)
        {
            st.Critical.Update(s >= _critical, timestamp, s);
            if (Holds(st.Critical, timestamp))
            {
                st.Level = AlertLevel.Critical;
                st.Acknowledged = false;
                return new AlertEvent(series, st.OpenId, st.Level, AlertState.Escalated, timestamp, st.Peak);
            }
        }

        return null;
    }

    /// <summary>
    /// Applies an acknowledgement. Returns the <see cref="AlertState.Acknowledged"/> event when the alert is the
    /// series' open alert and not yet acknowledged; otherwise null (already resolved, already acknowledged, or raised
    /// for another series), counted in <see cref="IgnoredAcknowledgements"/>.
    /// </summary>
    /// <exception cref="ArgumentException">No alert with this id has been raised (yet) by this tracker.</exception>
    public AlertEvent? Acknowledge(Acknowledgement acknowledgement)
    {
        ArgumentNullException.ThrowIfNull(acknowledgement.Series);
        if (acknowledgement.AlertId < 1 || acknowledgement.AlertId > _nextId)
        {
            throw new ArgumentException(
                $"acknowledgement of alert {acknowledgement.AlertId} for series '{acknowledgement.Series}': no such alert has been raised",
                nameof(acknowledgement));
        }

        var st = _series.For(acknowledgement.Series);
        if (acknowledgement.AlertId != st.OpenId || st.Acknowledged)
        {
            IgnoredAcknowledgements++;
            return null;
        }

        st.Acknowledged = true;
        return new AlertEvent(acknowledgement.Series, st.OpenId, st.Level, AlertState.Acknowledged, acknowledgement.Timestamp, st.Peak);
    }

    private bool Holds(Run run, DateTime timestamp) =>
        run.Count >= _options.MinCount && timestamp - run.Start >= _options.MinDuration;

    private sealed class State
    {
        public Run Warning;
        public Run Critical;
        public long OpenId;
        public AlertLevel Level;
        public bool Acknowledged;
        public double Peak;
        public DateTime CooldownUntil = DateTime.MinValue;
    }

    private struct Run
    {
        public long Count;
        public DateTime Start;
        public double Peak;

        public void Update(bool above, DateTime timestamp, double score)
        {
            if (!above)
            {
                Reset();
                return;
            }

            if (Count == 0)
            {
                Start = timestamp;
                Peak = score;
            }

            Count++;
            Peak = Math.Max(Peak, score);
        }

        public void Reset() => Count = 0;
    }
}
