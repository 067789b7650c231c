using Workbench.Evaluation.Metrics;
using Workbench.Operators;
using Workbench.Operators.Detection;

namespace Workbench.Evaluation.Online;

/// <summary>
/// The Rx-free kernel of the online evaluation: fed one flagged observation at a time (series interleaved in any
/// order), it keeps per-series state and pooled running sums from which <see cref="Snapshot"/> builds an
/// <see cref="EvaluationSnapshot"/> in O(1). One instance per stream (it is what each subscription of
/// <see cref="OnlineEvaluationObservable.EvaluateOnline"/> creates); not thread-safe.
/// </summary>
/// <remarks>
/// <para><b>Cost.</b> O(1) amortised per input: a series lookup, a few counters, the incremental overlap terms of the
/// open event and the open predicted range of the series (<c>RangeAccumulator</c>), and on the first flag of an event
/// an O(log d) insert into the running delay medians (d = detected events). Memory: O(series + open ranges), plus,
/// with event ids, every event of a series (an id may reappear and reopen its event), plus with middle bias a bit per
/// position of each kept range.</para>
/// <para><b>Definitions</b> are those of <see cref="PointMetrics"/>, <see cref="EventMetrics"/> and
/// <see cref="RangeMetrics"/> on the input split per series (rows are positions within a series); see
/// <see cref="EvaluationSnapshot"/> for what is open, closed and provisional.</para>
/// <para><b>Bad input</b> throws <see cref="ArgumentException"/> naming the series and the row, before any state
/// changes: a null series id, a timestamp earlier than the previous one of its series, an event id on a normal point,
/// or (with <see cref="OnlineEvaluationOptions.UseEventIds"/>) a series mixing labelled points with and without ids.</para>
/// </remarks>
public sealed class OnlineEvaluator
{
    private readonly int _emitEvery;
    private readonly bool _emitOnEventClose;
    private readonly bool _useIds;
    private readonly RangeBias _recallBias;
    private readonly RangeBias _precisionBias;
    private readonly bool _reciprocal;
    private readonly double _alpha;
    private readonly SeriesState<SeriesTracker> _series;
    private readonly RunningMedian _delayRows = new();
    private readonly RunningMedian _delayTicks = new();

    private long _observations;
    private long _tp;
    private long _fp;
    private long _fn;
    private long _tn;
    private long _normal;
    private long _falseAlarms;
    private long _durationTicks;
    private long _delayRowSum;
    private Int128 _delayTickSum;
    private int _closedEvents;
    private int _closedDetected;
    private int _openEvents;
    private int _openDetected;
    private int _closedRuns;
    private int _openRuns;
    private CompensatedSum _closedRecall;
    private CompensatedSum _openRecall;
    private CompensatedSum _closedPrecision;
    private CompensatedSum _openPrecision;
    private FlaggedObservation? _last;
    private DateTime? _latest;
    private bool _closedNow;
    private bool _completed;
    private RangeScores? _final;

    /// <summary>A fresh evaluator; <paramref name="options"/> null = <see cref="OnlineEvaluationOptions.Default"/>.</summary>
    /// <exception cref="ArgumentException">Invalid options (see <see cref="OnlineEvaluationOptions.Validate"/>).</exception>
    public OnlineEvaluator(OnlineEvaluationOptions? options = null)
    {
        options ??= OnlineEvaluationOptions.Default;
        options.Validate();
        _emitEvery = options.EmitEvery;
        _emitOnEventClose = options.EmitOnEventClose;
        _useIds = options.UseEventIds;
        _recallBias = options.Range.Bias;
        _precisionBias = options.Range.PrecisionBias ?? options.Range.Bias;
        _reciprocal = options.Range.Cardinality == RangeCardinality.Reciprocal;
        _alpha = options.Range.Alpha;
        var eventMiddle = _recallBias == RangeBias.Middle;
        var runMiddle = _precisionBias == RangeBias.Middle;
        _series = new SeriesState<SeriesTracker>(() => new SeriesTracker(eventMiddle, runMiddle));
    }

    /// <summary>Inputs consumed so far.</summary>
    public long Observations => _observations;

    /// <summary>Whether <see cref="Complete"/> has been called.</summary>
    public bool IsCompleted => _completed;

    /// <summary>
    /// Consumes one input. Returns true when the options ask for a snapshot after it (every
    /// <see cref="OnlineEvaluationOptions.EmitEvery"/>-th input, or an event closed and
    /// <see cref="OnlineEvaluationOptions.EmitOnEventClose"/> is set); the caller then takes <see cref="Snapshot"/>.
    /// </summary>
    /// <exception cref="ArgumentException">Bad input (see remarks); the evaluator is left unchanged.</exception>
    /// <exception cref="InvalidOperationException">Called after <see cref="Complete"/>.</exception>
    public bool Add(FlaggedObservation item)
    {
        if (_completed)
        {
            throw new InvalidOperationException("The online evaluation has completed; no further input is accepted.");
        }

        var o = item.Observation;
        var seriesId = o.Series ?? throw new ArgumentException($"Input {_observations}: the series id is null.", nameof(item));
        var s = _series.For(seriesId);
        var row = s.Rows;
        var ts = o.Timestamp;
        if (row > 0 && ts < s.LastTime)
        {
            throw new ArgumentException(
                $"Series '{seriesId}', row {row}: timestamp {ts:O} is earlier than the previous one {s.LastTime:O}.", nameof(item));
        }

        var labelled = o.Label.IsAnomaly;
        var eventId = o.Label.EventId;
        if (_useIds)
        {
            CheckEventId(s, seriesId, row, labelled, eventId);
        }

        // Validated: from here on nothing throws.
        _closedNow = false;
        if (row > 0)
        {
            _durationTicks += ts.Ticks - s.LastTime.Ticks;
        }

        s.Rows = row + 1;
        s.LastTime = ts;
        _observations++;
        if (_latest is not { } latest || ts > latest)
        {
            _latest = ts;
        }

        var flag = item.Flag;

        // Predicted ranges: a flag run opens on the first flag and closes on the first unflagged point.
        if (flag && !s.InRun)
        {
            s.InRun = true;
            s.RunIndex++;
            s.Run.Reset();
            s.RunDistinct = 0;
            s.RunContribution = 0;
            _openRuns++;
        }
        else if (!flag && s.InRun)
        {
            CloseRun(s);
        }

        if (labelled)
        {
            var e = s.Open;
            if (e is null || (s.Mode == EventMode.Ids && e.Id != eventId))
            {
                if (e is not null)
                {
                    CloseEvent(s);
                }

                e = OpenEvent(s, eventId, row, ts);
            }

            if (flag) { _tp++; } else { _fn++; }
            s.InAlarm = false;
            e.Range.Add(flag);
            if (flag)
            {
                if (!e.Detected)
                {
                    e.Detected = true;
                    _openDetected++;
                    var rows = row - e.StartRow;
                    var ticks = ts.Ticks - e.StartTicks;
                    _delayRowSum += rows;
                    _delayTickSum += ticks;
                    _delayRows.Add(rows);
                    _delayTicks.Add(ticks);
                }

                if (e.LastRun != s.RunIndex)
                {
                    e.LastRun = s.RunIndex;
                    e.PredictedSeen++;
                    s.RunDistinct++;
                }
            }

            _openRecall.Add(-e.Contribution);
            e.Contribution = RecallTerm(e);
            _openRecall.Add(e.Contribution);
        }
        else
        {
            if (s.Open is not null)
            {
                CloseEvent(s);
            }

            _normal++;
            if (flag)
            {
                _fp++;
                if (!s.InAlarm) { _falseAlarms++; }
            }
            else
            {
                _tn++;
            }

            s.InAlarm = flag;
        }

        if (flag)
        {
            s.Run.Add(labelled);
            _openPrecision.Add(-s.RunContribution);
            s.RunContribution = Gamma(s.RunDistinct) * s.Run.Ratio(_precisionBias);
            _openPrecision.Add(s.RunContribution);
        }

        _last = item;
        return (_emitEvery > 0 && _observations % _emitEvery == 0) || (_emitOnEventClose && _closedNow);
    }

    /// <summary>The evaluation as it stands (after the last input, or the final one after <see cref="Complete"/>).</summary>
    public EvaluationSnapshot Snapshot()
    {
        var delays = _delayRows.Count;
        double? meanRows = null, medianRows = null;
        TimeSpan? meanDelay = null, medianDelay = null;
        if (delays > 0)
        {
            meanRows = (double)_delayRowSum / delays;
            var (lo, hi) = _delayRows.Middle;
            medianRows = delays % 2 == 1 ? lo : (lo + (double)hi) / 2;
            meanDelay = TimeSpan.FromTicks((long)Math.Round((double)_delayTickSum / delays));
            var (tlo, thi) = _delayTicks.Middle;
            medianDelay = TimeSpan.FromTicks(delays % 2 == 1 ? tlo : tlo + ((thi - tlo) / 2));
        }

        _final ??= new RangeScores(
            _closedRuns == 0 ? 0 : _closedPrecision.Value / _closedRuns,
            _closedEvents == 0 ? 0 : _closedRecall.Value / _closedEvents,
            _closedEvents,
            _closedRuns);
        var runs = _closedRuns + _openRuns;
        var events = _closedEvents + _openEvents;
        var provisional = _openRuns == 0 && _openEvents == 0
            ? _final
            : new RangeScores(
                runs == 0 ? 0 : (_closedPrecision.Value + _openPrecision.Value) / runs,
                events == 0 ? 0 : (_closedRecall.Value + _openRecall.Value) / events,
                events,
                runs);

        return new EvaluationSnapshot
        {
            Observations = _observations,
            Trigger = _completed ? null : _last,
            Time = _completed ? _latest : _last?.Observation.Timestamp,
            IsFinal = _completed,
            EventClosed = _closedNow,
            TruePositives = _tp,
            FalsePositives = _fp,
            FalseNegatives = _fn,
            TrueNegatives = _tn,
            ClosedEvents = _closedEvents,
            DetectedClosedEvents = _closedDetected,
            OpenEvents = _openEvents,
            DetectedOpenEvents = _openDetected,
            MeanDelayRows = meanRows,
            MedianDelayRows = medianRows,
            MeanDelay = meanDelay,
            MedianDelay = medianDelay,
            NormalPoints = _normal,
            FalseAlarms = _falseAlarms,
            ObservedDuration = TimeSpan.FromTicks(_durationTicks),
            RangeScoresFinal = _final,
            RangeScoresProvisional = provisional,
        };
    }

    /// <summary>
    /// Ends the stream: closes every open event and predicted range and returns the final snapshot
    /// (<see cref="EvaluationSnapshot.IsFinal"/>), equal to the batch metrics on everything consumed.
    /// </summary>
    /// <exception cref="InvalidOperationException">Called twice.</exception>
    public EvaluationSnapshot Complete()
    {
        if (_completed)
        {
            throw new InvalidOperationException("The online evaluation has already completed.");
        }

        _closedNow = false;
        foreach (var (_, s) in _series.All)
        {
            if (s.InRun)
            {
                CloseRun(s);
            }

            if (s.Open is not null)
            {
                CloseEvent(s);
            }
        }

        _completed = true;
        return Snapshot();
    }

    private static void CheckEventId(SeriesTracker s, string series, long row, bool labelled, int? eventId)
    {
        if (!labelled)
        {
            if (eventId is { } stray)
            {
                throw new ArgumentException(
                    $"Series '{series}', row {row}: event id {stray} on a point that is not labelled as an anomaly.", "item");
            }

            return;
        }

        switch (s.Mode)
        {
            case EventMode.Unknown:
                s.Mode = eventId.HasValue ? EventMode.Ids : EventMode.Runs;
                break;
            case EventMode.Ids when !eventId.HasValue:
                throw new ArgumentException(
                    $"Series '{series}', row {row}: a labelled point has no event id, but earlier labelled points of this series have one.", "item");
            case EventMode.Runs when eventId.HasValue:
                throw new ArgumentException(
                    $"Series '{series}', row {row}: a labelled point has event id {eventId}, but earlier labelled points of this series have none.", "item");
        }
    }

    private EventState OpenEvent(SeriesTracker s, int? id, long row, DateTime ts)
    {
        EventState e;
        if (s.Mode == EventMode.Ids)
        {
            s.ById ??= [];
            if (s.ById.TryGetValue(id!.Value, out var known))
            {
                // The id reappears: its event reopens (EventMetrics treats all points of one id as one event).
                e = known;
                _closedEvents--;
                _closedRecall.Add(-e.Contribution);
                _openRecall.Add(e.Contribution);
                if (e.Detected)
                {
                    _closedDetected--;
                    _openDetected++;
                }

                _final = null;
            }
            else
            {
                e = new EventState(s.EventMiddle) { Id = id, StartRow = row, StartTicks = ts.Ticks };
                s.ById.Add(id.Value, e);
            }
        }
        else
        {
            // Runs never reopen: the state of the previous event is reused.
            e = s.Spare ?? new EventState(s.EventMiddle);
            s.Spare = null;
            e.Range.Reset();
            e.StartRow = row;
            e.StartTicks = ts.Ticks;
            e.Detected = false;
            e.LastRun = -1;
            e.PredictedSeen = 0;
            e.Contribution = 0;
        }

        s.Open = e;
        _openEvents++;
        return e;
    }

    private void CloseEvent(SeriesTracker s)
    {
        var e = s.Open!;
        s.Open = null;
        _openEvents--;
        _closedEvents++;
        if (e.Detected)
        {
            _openDetected--;
            _closedDetected++;
        }

        _openRecall.Add(-e.Contribution);
        _closedRecall.Add(e.Contribution);
        if (_openEvents == 0)
        {
            _openRecall.Reset();
        }

        if (s.Mode != EventMode.Ids)
        {
            s.Spare = e;
        }

        _closedNow = true;
        _final = null;
    }

    private void CloseRun(SeriesTracker s)
    {
        s.InRun = false;
        _openRuns--;
        _closedRuns++;
        _openPrecision.Add(-s.RunContribution);
        _closedPrecision.Add(s.RunContribution);
        if (_openRuns == 0)
        {
            _openPrecision.Reset();
        }

        _final = null;
    }

    private double RecallTerm(EventState e)
    {
        // The same expression, in the same order, as RangeMetrics, so each term is bit-identical to the batch one.
        var existence = e.PredictedSeen > 0 ? 1.0 : 0.0;
        var overlap = Gamma(e.PredictedSeen) * e.Range.Ratio(_recallBias);
        return (_alpha * existence) + ((1 - _alpha) * overlap);
    }

    private double Gamma(int overlapping) => _reciprocal && overlapping > 1 ? 1.0 / overlapping : 1.0;

    private enum EventMode
    {
        Unknown,
        Runs,
        Ids,
    }

    private sealed class EventState(bool middle)
    {
        public readonly RangeAccumulator Range = new(middle);
        public int? Id;
        public long StartRow;
        public long StartTicks;
        public bool Detected;
        public long LastRun = -1;
        public int PredictedSeen;
        public double Contribution;
    }

    private sealed class SeriesTracker(bool eventMiddle, bool runMiddle)
    {
        public readonly bool EventMiddle = eventMiddle;
        public readonly RangeAccumulator Run = new(runMiddle);
        public long Rows;
        public DateTime LastTime;
        public EventMode Mode;
        public EventState? Open;
        public EventState? Spare;
        public Dictionary<int, EventState>? ById;
        public bool InRun;
        public long RunIndex = -1;
        public int RunDistinct;
        public double RunContribution;
        public bool InAlarm;
    }
}
