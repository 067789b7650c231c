using Workbench.Core;

namespace Workbench.Generation;

/// <summary>
/// The per-series state machine shared by the array injector and the Rx operators, so both give identical output:
/// it sees the observations of one series in order and applies the injections' events to them.
/// </summary>
internal sealed class SeriesInjector
{
    private readonly string _series;
    private readonly AnomalyInjection[] _injections;
    private readonly bool[] _enabled;
    private readonly bool[] _fired;
    private readonly Xoshiro256StarStar[] _rngs;
    private readonly ConflictPolicy _policy;
    private readonly InjectionCounters _counters;
    private readonly List<InjectedEvent>? _events;
    private readonly HashSet<int> _ownIds = [];

    private long _count;
    private long _lastBusy = -1;
    private bool _anyBusy;
    private int _nextId;
    private int _maxSeenId = -1;

    private InjectionOptions? _active;
    private long _activeStart;
    private long _activeEnd;
    private int _activeId;

    public SeriesInjector(string series, AnomalyInjection[] injections, ConflictPolicy policy, int firstEventId, InjectionCounters counters, List<InjectedEvent>? events)
    {
        _series = series;
        _nextId = firstEventId;
        _injections = injections;
        _policy = policy;
        _counters = counters;
        _events = events;
        _enabled = new bool[injections.Length];
        _fired = new bool[injections.Length];
        _rngs = new Xoshiro256StarStar[injections.Length];
        var hash = StableHash.Fnv1a64(series);
        for (var j = 0; j < injections.Length; j++)
        {
            var trigger = injections[j].Trigger;
            _enabled[j] = trigger.AppliesTo(series);
            _rngs[j] = Xoshiro256StarStar.ForStream(trigger.Seed, Xoshiro256StarStar.InjectionDomain, SplitMix64.Mix(hash + (ulong)j));
        }
    }

    /// <summary>Processes the series' next observation, changing <paramref name="value"/> and <paramref name="label"/> in place.</summary>
    /// <exception cref="InjectionConflictException">A conflict under <see cref="ConflictPolicy.Fail"/>, or an event id clash.</exception>
    public void Process(DateTime timestamp, ref double? value, ref AnomalyLabel label)
    {
        var t = _count++;
        var upstream = label.IsAnomaly;
        if (upstream && label.EventId is int upstreamId)
        {
            if (_ownIds.Contains(upstreamId))
            {
                throw Conflict(t, timestamp, _injections[0].Options.Kind, InjectionConflictReason.EventIdClash,
                    $"an upstream label carries event id {upstreamId}, which this injector already gave one of its events");
            }

            _maxSeenId = Math.Max(_maxSeenId, upstreamId);
        }

        if (_active is not null && t >= _activeEnd)
        {
            End(_activeEnd - _activeStart);
        }

        for (var j = 0; j < _injections.Length; j++)
        {
            if (!_enabled[j] || !Fires(j, t, timestamp, upstream))
            {
                continue;
            }

            var kind = _injections[j].Options.Kind;
            if (_active is not null)
            {
                Refuse(t, timestamp, kind, InjectionConflictReason.EventActive,
                    $"event {_activeId} ({_active.Kind.Name}) is still active");
            }
            else if (upstream)
            {
                Refuse(t, timestamp, kind, InjectionConflictReason.LabelledPoint, $"the observation is already labelled {label}");
            }
            else
            {
                Start(j, t);
            }
        }

        if (_active is not null)
        {
            if (upstream)
            {
                if (_policy == ConflictPolicy.Fail)
                {
                    throw Conflict(t, timestamp, _active.Kind, InjectionConflictReason.LabelledPoint,
                        $"event {_activeId} would cover an observation already labelled {label}");
                }

                _counters.AddTruncated();
                End(t - _activeStart);
            }
            else
            {
                var changed = _active.Apply(t, t - _activeStart, value);
                if (InjectionOptions.IsChange(value, changed))
                {
                    value = changed;
                    label = AnomalyLabel.Anomaly(_active.Kind, _activeId);
                    _counters.AddLabelled();
                }
            }

            MarkBusy(t);
        }

        if (upstream)
        {
            MarkBusy(t);
        }
    }

    /// <summary>Ends an event still active when the series ends (array path), recording its covered length.</summary>
    public void Finish()
    {
        if (_active is not null)
        {
            End(Math.Min(_activeEnd, _count) - _activeStart);
        }
    }

    private bool Fires(int j, long t, DateTime timestamp, bool upstream)
    {
        var trigger = _injections[j].Trigger;
        switch (trigger.Mode)
        {
            case InjectionTriggerMode.AtIndex:
                if (!_fired[j] && t == trigger.Index)
                {
                    _fired[j] = true;
                    return true;
                }

                return false;
            case InjectionTriggerMode.AtTimestamp:
                if (!_fired[j] && timestamp >= trigger.Timestamp)
                {
                    _fired[j] = true;
                    return true;
                }

                return false;
            default:
                if (_active is not null || upstream || (_anyBusy && t - _lastBusy <= trigger.MinGap))
                {
                    return false;
                }

                return _rngs[j].NextDouble() < trigger.Rate;
        }
    }

    private void Start(int j, long t)
    {
        var options = _injections[j].Options;
        if (options.NeedsDirection)
        {
            options = options.WithDrawnDirection(_rngs[j].NextBool());
        }

        var id = Math.Max(_nextId, _maxSeenId + 1);
        _nextId = id + 1;
        _ownIds.Add(id);
        _active = options;
        _activeStart = t;
        _activeEnd = options.Span is long span ? t + span : long.MaxValue;
        _activeId = id;
        _counters.AddInjected();
    }

    private void End(long length)
    {
        _events?.Add(new InjectedEvent(_series, _activeId, _activeStart, length, _active!));
        _active = null;
    }

    private void MarkBusy(long t)
    {
        _lastBusy = t;
        _anyBusy = true;
    }

    private void Refuse(long t, DateTime timestamp, AnomalyKind kind, InjectionConflictReason reason, string detail)
    {
        if (_policy == ConflictPolicy.Fail)
        {
            throw Conflict(t, timestamp, kind, reason, detail);
        }

        _counters.AddSkipped();
    }

    private InjectionConflictException Conflict(long t, DateTime timestamp, AnomalyKind kind, InjectionConflictReason reason, string detail) =>
        new(_series, t, timestamp, kind, reason, detail);
}
