using System.Runtime.CompilerServices;
using Workbench.Core;

namespace Workbench.Generation;

/// <summary>One series rendered on its own (see <see cref="DatasetGenerator.GenerateSeries(int, bool)"/>).</summary>
/// <param name="Name">The series name.</param>
/// <param name="Timestamps">The timestamps (UTC).</param>
/// <param name="Values">The values; null where a gap was injected.</param>
/// <param name="Labels">The labels.</param>
public sealed record GeneratedSeries(string Name, DateTime[] Timestamps, double?[] Values, AnomalyLabel[] Labels);

/// <summary>
/// Generates the labelled dataset a <see cref="DatasetSpec"/> describes. The constructor validates the spec and plans
/// every anomaly event up front (<see cref="Events"/>); <see cref="Generate(int)"/> then renders rows in canonical order
/// (timestamp ascending, ties by series id) one batch at a time, keeping only per-series state (random stream, AR and
/// random-walk state, event cursor: 72 bytes per series), so memory stays flat however many rows there are.
/// <para>
/// Determinism: each series draws from its own xoshiro256** stream keyed by (seed, series id), so the output depends
/// only on the spec — not on the batch size nor on <see cref="DegreeOfParallelism"/>. Same spec and seed ⇒ identical
/// rows; another seed ⇒ other data.
/// </para>
/// </summary>
public sealed class DatasetGenerator
{
    private readonly MetricSignal[] _metrics;
    private readonly InjectedEvent[] _events;
    private readonly int[] _eventOffsets;
    private readonly string[] _seriesNames;
    private readonly IReadOnlyList<string> _seriesTable;
    private readonly IReadOnlyList<InjectedEvent> _eventList;

    /// <summary>Creates a generator using up to <see cref="Environment.ProcessorCount"/> threads per batch.</summary>
    /// <exception cref="DatasetSpecException">The spec is invalid, or its anomalies cannot be placed (<see cref="AnomalyPlacementException"/>).</exception>
    public DatasetGenerator(DatasetSpec spec)
        : this(spec, Environment.ProcessorCount)
    {
    }

    /// <summary>Creates a generator rendering each batch with up to <paramref name="degreeOfParallelism"/> threads (≥ 1).</summary>
    /// <exception cref="DatasetSpecException">The spec is invalid, or its anomalies cannot be placed (<see cref="AnomalyPlacementException"/>).</exception>
    public DatasetGenerator(DatasetSpec spec, int degreeOfParallelism)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentOutOfRangeException.ThrowIfLessThan(degreeOfParallelism, 1);
        spec.Validate();
        Spec = spec;
        DegreeOfParallelism = degreeOfParallelism;
        _seriesNames = [.. spec.SeriesNames()];
        _seriesTable = Array.AsReadOnly(_seriesNames);
        _metrics = [.. spec.Metrics.Select(m => new MetricSignal(m, spec.Frequency))];

        var planned = AnomalyPlanner.Plan(spec, _seriesNames);
        _events = [.. planned.Select(p => p.Event)];
        _eventList = Array.AsReadOnly(_events);
        _eventOffsets = new int[_seriesNames.Length + 1];
        foreach (var p in planned)
        {
            _eventOffsets[p.SeriesId + 1]++;
        }

        for (var s = 0; s < _seriesNames.Length; s++)
        {
            _eventOffsets[s + 1] += _eventOffsets[s];
        }
    }

    /// <summary>The spec (validated).</summary>
    public DatasetSpec Spec { get; }

    /// <summary>The number of threads a batch is rendered with (results do not depend on it).</summary>
    public int DegreeOfParallelism { get; }

    /// <summary>The series table: series id → name (see <see cref="DatasetSpec.SeriesNames"/>).</summary>
    public IReadOnlyList<string> SeriesNames => _seriesTable;

    /// <summary>The number of rows <see cref="Generate(int)"/> yields: sources × metrics × points.</summary>
    public long TotalRows => Spec.TotalRows;

    /// <summary>
    /// Every planned event, ordered by series id then start: series, event id, kind, start index, covered length and the
    /// concrete parameters (σ and valid range filled in, random directions drawn).
    /// </summary>
    public IReadOnlyList<InjectedEvent> Events => _eventList;

    /// <summary>The events of series <paramref name="seriesId"/>, in time order (their ids are 0, 1, 2 …).</summary>
    public IReadOnlyList<InjectedEvent> EventsOf(int seriesId)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(seriesId);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(seriesId, _seriesNames.Length);
        return Array.AsReadOnly(_events[_eventOffsets[seriesId].._eventOffsets[seriesId + 1]]);
    }

    /// <summary>The timestamp of series index <paramref name="t"/>: <c>Start + t · Frequency</c>, UTC.</summary>
    public DateTime TimestampAt(long t) => new(Spec.Start.Ticks + (t * Spec.Frequency.Ticks), DateTimeKind.Utc);

    /// <summary>
    /// Renders the dataset in canonical order as batches of <paramref name="batchRows"/> rows (the last may be shorter).
    /// Each yielded batch is a new object the caller owns. Enumerating again starts over and yields the same rows.
    /// When <see cref="DegreeOfParallelism"/> &gt; 1 the next batch is rendered in the background while the caller
    /// processes the current one (the rows are the same either way).
    /// </summary>
    /// <param name="batchRows">Rows per batch, ≥ 1. Default 1 048 576.</param>
    public IEnumerable<ObservationBatch> Generate(int batchRows = 1 << 20) => Generate(batchRows, reuseBatch: false);

    /// <summary>
    /// As <see cref="Generate(int)"/>; with <paramref name="reuseBatch"/> two batch objects are refilled in turn, so a
    /// yielded batch is valid only until the enumerator moves on. This avoids allocating ≈ 45 bytes per row for
    /// consumers that finish with each batch before asking for the next (e.g. a file writer).
    /// </summary>
    /// <param name="batchRows">Rows per batch, ≥ 1.</param>
    /// <param name="reuseBatch">Whether to refill one batch instead of yielding new ones.</param>
    public IEnumerable<ObservationBatch> Generate(int batchRows, bool reuseBatch)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(batchRows, 1);
        return GenerateIterator(batchRows, reuseBatch);
    }

    /// <summary>The dataset's rows as observations, in canonical order (batched internally).</summary>
    public IEnumerable<LabeledObservation> GenerateObservations()
    {
        foreach (var batch in Generate(1 << 16))
        {
            for (var i = 0; i < batch.Count; i++)
            {
                yield return batch[i];
            }
        }
    }

    /// <summary>
    /// Renders one series alone (O(points), independent of the other series): its base signal and, when
    /// <paramref name="withAnomalies"/>, its events applied with <see cref="AnomalyInjector.Apply"/>. Equal to that
    /// series' rows in <see cref="Generate(int)"/>.
    /// </summary>
    public GeneratedSeries GenerateSeries(int seriesId, bool withAnomalies = true)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(seriesId);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(seriesId, _seriesNames.Length);
        var points = Spec.Points;
        var metric = _metrics[seriesId % _metrics.Length];
        var state = metric.Start((ulong)Spec.Seed, seriesId);
        var timestamps = new DateTime[points];
        var values = new double?[points];
        var labels = new AnomalyLabel[points];
        for (var t = 0; t < points; t++)
        {
            timestamps[t] = TimestampAt(t);
            values[t] = metric.Next(ref state, t, metric.SeasonalAt(t));
        }

        if (withAnomalies)
        {
            foreach (var e in EventsOf(seriesId))
            {
                AnomalyInjector.Apply(e, values, labels);
            }
        }

        return new GeneratedSeries(_seriesNames[seriesId], timestamps, values, labels);
    }

    private IEnumerable<ObservationBatch> GenerateIterator(int batchRows, bool reuseBatch)
    {
        var seriesCount = _seriesNames.Length;
        var states = new SeriesState[seriesCount];
        for (var s = 0; s < seriesCount; s++)
        {
            states[s] = _metrics[s % _metrics.Length].Start((ulong)Spec.Seed, s);
            states[s].Cursor = _eventOffsets[s];
            states[s].NextStart = _eventOffsets[s] < _eventOffsets[s + 1] ? _events[_eventOffsets[s]].Start : long.MaxValue;
        }

        var parts = PartitionCount(seriesCount, batchRows);
        var total = TotalRows;
        var buffers = new ObservationBatch?[2];
        var labelled = new (int From, int To)[2]; // per buffer: the row range holding labels, to clear on reuse
        var partLabelled = new (int From, int To)[parts];

        // Batch k + 1 is rendered (in the background when DegreeOfParallelism > 1) while the caller holds batch k.
        // Rendering stays strictly sequential (each batch continues the per-series state of the previous one).
        ObservationBatch RenderBatch(long first, int index)
        {
            var rows = (int)Math.Min(batchRows, total - first);
            ObservationBatch batch;
            if (reuseBatch)
            {
                batch = buffers[index % 2] ??= new ObservationBatch(_seriesTable, rows);
                batch.Clear();
                var (from, to) = labelled[index % 2];
                if (to > from)
                {
                    Array.Clear(batch.IsAnomaly, from, to - from);
                    Array.Clear(batch.Kinds, from, to - from);
                    Array.Clear(batch.AnomalyIds, from, to - from);
                }
            }
            else
            {
                batch = new ObservationBatch(_seriesTable, rows);
            }

            if (parts == 1)
            {
                partLabelled[0] = Render(batch, states, first, rows, 0, seriesCount);
            }
            else
            {
                Parallel.For(0, parts, new ParallelOptions { MaxDegreeOfParallelism = parts }, p =>
                    partLabelled[p] = Render(batch, states, first, rows, (int)((long)seriesCount * p / parts), (int)((long)seriesCount * (p + 1) / parts)));
            }

            labelled[index % 2] = (partLabelled.Min(r => r.From), partLabelled.Max(r => r.To));
            batch.Count = rows;
            return batch;
        }

        if (DegreeOfParallelism == 1)
        {
            var index = 0;
            for (long first = 0; first < total; first += batchRows)
            {
                yield return RenderBatch(first, index++);
            }

            yield break;
        }

        Task<ObservationBatch>? pending = null;
        try
        {
            var index = 0;
            var ready = RenderBatch(0, index++);
            for (long first = batchRows; ; first += batchRows)
            {
                if (first < total)
                {
                    var (next, nextIndex) = (first, index++);
                    pending = Task.Run(() => RenderBatch(next, nextIndex));
                }

                yield return ready;
                if (pending is null)
                {
                    break;
                }

                ready = pending.GetAwaiter().GetResult();
                pending = null;
            }
        }
        finally
        {
            // The caller stopped early: let the background render finish before the state is abandoned.
            if (pending is not null)
            {
                ((IAsyncResult)pending).AsyncWaitHandle.WaitOne();
                _ = pending.Exception;
            }
        }
    }

    /// <summary>Threads per batch: 1 unless there are enough series and rows to share (each part gets ≥ 64 series and ≥ 16 384 rows).</summary>
    private int PartitionCount(int seriesCount, int batchRows)
    {
        var parts = Math.Min(DegreeOfParallelism, seriesCount / 64);
        parts = (int)Math.Min(parts, Math.Min(batchRows, TotalRows) / 16_384);
        return Math.Max(1, parts);
    }

    /// <summary>
    /// Renders rows [<paramref name="first"/>, first + rows) of the dataset for the series in
    /// [<paramref name="seriesFrom"/>, <paramref name="seriesTo"/>) into <paramref name="batch"/>; row r is series
    /// <c>r mod S</c> at index <c>r / S</c>. Returns the range of batch rows it labelled (empty when none).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private (int From, int To) Render(ObservationBatch batch, SeriesState[] states, long first, int rows, int seriesFrom, int seriesTo)
    {
        var labelledFrom = int.MaxValue;
        var labelledTo = 0;
        var seriesCount = _seriesNames.Length;
        var metricCount = _metrics.Length;
        var seasonal = new double[metricCount];
        var ids = batch.SeriesIds;
        var timestamps = batch.Timestamps;
        var values = batch.Values;
        var last = first + rows;
        var startTicks = Spec.Start.Ticks;
        var stepTicks = Spec.Frequency.Ticks;
        for (var t = first / seriesCount; t * seriesCount < last; t++)
        {
            var rowOfSeries0 = t * seriesCount;
            var from = (int)Math.Max(seriesFrom, first - rowOfSeries0);
            var to = (int)Math.Min(seriesTo, last - rowOfSeries0);
            if (from >= to)
            {
                continue;
            }

            for (var m = 0; m < metricCount; m++)
            {
                seasonal[m] = _metrics[m].SeasonalAt(t);
            }

            var timestamp = new DateTime(startTicks + (t * stepTicks), DateTimeKind.Utc);
            var i = (int)(rowOfSeries0 + from - first);
            var metric = from % metricCount;
            for (var s = from; s < to; s++, i++)
            {
                ref var state = ref states[s];
                double? value = _metrics[metric].Next(ref state, t, seasonal[metric]);
                if (t >= state.NextStart && ApplyEvent(batch, i, s, t, ref state, ref value))
                {
                    labelledFrom = Math.Min(labelledFrom, i);
                    labelledTo = i + 1;
                }

                ids[i] = s;
                timestamps[i] = timestamp;
                values[i] = value;
                if (++metric == metricCount)
                {
                    metric = 0;
                }
            }
        }

        return labelledTo > 0 ? (labelledFrom, labelledTo) : (0, 0);
    }


    /// <summary>Applies the series' event covering <paramref name="t"/>, if any; returns whether the row was labelled.</summary>
    private bool ApplyEvent(ObservationBatch batch, int row, int series, long t, ref SeriesState state, ref double? value)
    {
        while (true)
        {
            var e = _events[state.Cursor];
            if (t < e.End)
            {
                var changed = e.Options.Apply(t, t - e.Start, value);
                if (InjectionOptions.IsChange(value, changed))
                {
                    value = changed;
                    batch.IsAnomaly[row] = true;
                    batch.Kinds[row] = e.Kind;
                    batch.AnomalyIds[row] = e.EventId;
                    return true;
                }

                return false;
            }

            state.Cursor++;
            state.NextStart = state.Cursor < _eventOffsets[series + 1] ? _events[state.Cursor].Start : long.MaxValue;
            if (t < state.NextStart)
            {
                return false;
            }
        }
    }
}
