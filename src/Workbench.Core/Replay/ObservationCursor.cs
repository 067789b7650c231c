using System.Globalization;
using Workbench.Core;

namespace Workbench.Replay;

/// <summary>
/// A forward-only reader over one enumeration of a replay source that checks the replay contract as it goes:
/// UTC timestamps, a series, timestamps never going backwards. Array sources are read in place; batch and
/// enumerator sources are copied into the cursor row by row, so nothing refers into a producer's buffers once
/// <see cref="MoveNext"/> has moved on to another batch.
/// </summary>
internal abstract class ObservationCursor : IDisposable
{
    private long _previousTicks = long.MinValue;

    /// <summary>
    /// The observation read by the last successful <see cref="MoveNext"/>, by reference (no copy for array sources);
    /// valid until the next <see cref="MoveNext"/>.
    /// </summary>
    public abstract ref readonly LabeledObservation Current { get; }

    /// <summary>
    /// <see cref="Current"/> as a value. A batch cursor builds it from the batch's columns on the caller's stack, so a
    /// pump that only hands the observation on (<c>OnNext</c>) stores no reference on the heap per row (no GC write
    /// barrier); other cursors return a copy of <see cref="Current"/>.
    /// </summary>
    public virtual LabeledObservation CurrentValue => Current;

    /// <summary>
    /// The ticks of <see cref="Current"/>'s timestamp, without building the observation (no virtual call: every
    /// successful <see cref="MoveNext"/> has checked the timestamp and kept its ticks).
    /// </summary>
    public long CurrentTicks => _previousTicks;

    /// <summary>
    /// Whether a pump may read ahead of what it delivers a block at a time without anyone seeing it: true for an array
    /// (already in memory) and for batches (rows copied out of the batch in hand); false for a general enumerable, whose
    /// enumeration may have effects, so a pump reads it one observation ahead only.
    /// </summary>
    public virtual bool ReadsAheadUnseen => false;

    /// <summary>The 0-based index of <see cref="Current"/> in the source; -1 before the first read.</summary>
    public long Index = -1;

    /// <summary>Reads the next observation into <see cref="Current"/>; false at the end of the source.</summary>
    /// <exception cref="ReplaySourceException">The observation breaks the replay contract.</exception>
    public abstract bool MoveNext();

    public abstract void Dispose();

    /// <summary>
    /// Reads up to <c>destination.Length</c> observations into <paramref name="destination"/>, as <see cref="MoveNext"/>
    /// and <see cref="Current"/> would one by one; returns how many. Fewer than asked means the source ended, or an
    /// observation failed: then <paramref name="error"/> is that failure (not thrown), and the observations before it
    /// are in <paramref name="destination"/>. <see cref="Index"/> is the last observation read.
    /// </summary>
    public virtual int Read(LabeledObservation[] destination, out Exception? error)
    {
        error = null;
        var n = 0;
        try
        {
            while (n < destination.Length && MoveNext())
            {
                destination[n++] = CurrentValue;
            }
        }
#pragma warning disable CA1031 // The failure is handed to the caller, after the rows before it.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            error = ex;
        }

        return n;
    }

    /// <summary>Checks <paramref name="current"/> (observation <see cref="Index"/>) against the contract and the previous observation.</summary>
    protected void Check(in LabeledObservation current) => Check(current.Series, current.Timestamp);

    /// <summary>As <see cref="Check(in LabeledObservation)"/>, given the observation's series and timestamp.</summary>
    protected void Check(string? series, DateTime ts)
    {
        if (series is null)
        {
            throw new ReplaySourceException(
                string.Create(CultureInfo.InvariantCulture, $"Observation {Index} has no series (null)."), null, Index, null);
        }

        if (ts.Kind != DateTimeKind.Utc)
        {
            throw new ReplaySourceException(
                string.Create(CultureInfo.InvariantCulture,
                    $"Observation {Index} (series '{series}') has a timestamp of kind {ts.Kind}; replay needs UTC timestamps (DateTimeKind.Utc)."),
                series, Index, null);
        }

        var ticks = ts.Ticks;
        if (ticks < _previousTicks)
        {
            throw new ObservationOrderException(series, Index, ts, PreviousSeries(),
                new DateTime(_previousTicks, DateTimeKind.Utc));
        }

        _previousTicks = ticks;
    }

    /// <summary>The series of observation <see cref="Index"/> − 1 (for error messages only).</summary>
    protected abstract string? PreviousSeries();

    /// <summary>Opens a cursor factory for an observation source; nothing is read until a cursor is opened.</summary>
    public static Func<ObservationCursor> For(IEnumerable<LabeledObservation> source) => source switch
    {
        LabeledObservation[] array => () => new ArrayCursor(array, array.Length),
        InMemoryObservations memory => () => new ArrayCursor(memory.Items, memory.Items.Length),
        _ => () => new EnumeratorCursor(source.GetEnumerator()),
    };

    /// <summary>Opens a cursor factory for a batch source; batches are pulled one at a time.</summary>
    public static Func<ObservationCursor> For(IEnumerable<ObservationBatch> source) =>
        () => new BatchCursor(source.GetEnumerator());

    /// <summary>The number of observations of a source when it is a collection; otherwise null.</summary>
    public static long? CountOf(IEnumerable<LabeledObservation> source) => source switch
    {
        ICollection<LabeledObservation> c => c.Count,
        IReadOnlyCollection<LabeledObservation> c => c.Count,
        _ => null,
    };

    private sealed class ArrayCursor(LabeledObservation[] items, int length) : ObservationCursor
    {
        private int _next;
        private int _current = -1;

        public override ref readonly LabeledObservation Current => ref items[_current];

        public override LabeledObservation CurrentValue => items[_current];

        public override bool ReadsAheadUnseen => true;

        public override bool MoveNext()
        {
            var i = _next;
            if ((uint)i >= (uint)length)
            {
                return false;
            }

            _current = i;
            Index = i;
            _next = i + 1;
            Check(in items[i]);
            return true;
        }

        protected override string? PreviousSeries() => _current > 0 ? items[_current - 1].Series : null;

        /// <summary>Checks the block in place, then copies it in one go (no per-row virtual calls).</summary>
        public override int Read(LabeledObservation[] destination, out Exception? error)
        {
            error = null;
            var start = _next;
            var end = (int)Math.Min(length, (long)start + destination.Length);
            var i = start;
            try
            {
                for (; i < end; i++)
                {
                    _current = i;
                    Index = i;
                    Check(in items[i]);
                }
            }
#pragma warning disable CA1031 // The failure is handed to the caller, after the rows before it.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                error = ex;
            }

            var n = i - start;
            Array.Copy(items, start, destination, 0, n);
            _next = error is null ? i : i + 1;
            if (error is not null)
            {
                _current = i - 1;
                Index = i - 1;
            }

            return n;
        }

        public override void Dispose()
        {
        }
    }

    private sealed class EnumeratorCursor(IEnumerator<LabeledObservation> enumerator) : ObservationCursor
    {
        private LabeledObservation _current;
        private string? _previousSeries;

        public override ref readonly LabeledObservation Current => ref _current;

        public override LabeledObservation CurrentValue => _current;

        public override bool MoveNext()
        {
            if (!enumerator.MoveNext())
            {
                return false;
            }

            _previousSeries = _current.Series;
            _current = enumerator.Current;
            Index++;
            Check(in _current);
            return true;
        }

        protected override string? PreviousSeries() => _previousSeries;

        public override void Dispose() => enumerator.Dispose();
    }

    /// <summary>
    /// Reads rows out of batches, pulling the next batch only when the current one is exhausted. The producer may
    /// reuse a batch object once this cursor has moved to the next batch: nothing refers into a previous batch once
    /// <see cref="MoveNext"/> has moved on (the last series of the previous batch is kept for error messages only).
    /// <see cref="MoveNext"/> checks the row from the columns without building it; <see cref="CurrentValue"/> builds it
    /// on the caller's stack, and <see cref="Current"/> copies it into the cursor on demand.
    /// </summary>
    private sealed class BatchCursor(IEnumerator<ObservationBatch> enumerator) : ObservationCursor
    {
        private ObservationBatch? _batch;
        private IReadOnlyList<string>? _names;
        private string[]? _nameArray; // the names when the table is a SeriesTable (an array that never changes)
        private LabeledObservation _current;
        private long _currentIndex = -1; // the Index _current holds
        private string? _lastSeriesOfPreviousBatch;

        // The current batch's columns, read once per batch rather than once per row.
        private int[] _seriesIds = [];
        private DateTime[] _timestamps = [];
        private double?[] _values = [];
        private bool[] _isAnomaly = [];
        private AnomalyKind?[] _kinds = [];
        private int?[] _anomalyIds = [];

        public override ref readonly LabeledObservation Current
        {
            get
            {
                if (_currentIndex != Index)
                {
                    _current = CurrentValue;
                    _currentIndex = Index;
                }

                return ref _current;
            }
        }

        public override LabeledObservation CurrentValue
        {
            get
            {
                var row = _row;
                return new LabeledObservation(
                    NameOf(_seriesIds[row])!,
                    _timestamps[row],
                    _values[row],
                    new AnomalyLabel(_isAnomaly[row], _kinds[row], _anomalyIds[row]));
            }
        }

        public override bool ReadsAheadUnseen => true;

        protected override string? PreviousSeries() => _row > 0 ? NameOf(_seriesIds[_row - 1]) : _lastSeriesOfPreviousBatch;

        private int _row;
        private int _count;
        private long _batchNumber = -1;

        public override bool MoveNext()
        {
            var row = _row + 1;
            if (_batch is null || row >= _count)
            {
                if (!NextBatch())
                {
                    return false;
                }

                row = 0;
            }

            _row = row;
            Index++;
            var id = _seriesIds[row];
            string series;
            if (_nameArray is { } array)
            {
                if ((uint)id >= (uint)array.Length)
                {
                    throw OutOfTable(id, row, array.Length);
                }

                series = array[id];
            }
            else
            {
                var names = _names!;
                if ((uint)id >= (uint)names.Count)
                {
                    throw OutOfTable(id, row, names.Count);
                }

                series = names[id];
            }

            Check(series, _timestamps[row]);
            return true;
        }

        private string? NameOf(int id) => _nameArray is { } array ? array[id] : _names![id];

        /// <summary>Pulls batches until one has a row; false at the end of the source.</summary>
        private bool NextBatch()
        {
            if (_batch is not null && _count > 0)
            {
                // Before the producer may refill the batch: what error messages and a late Current still need.
                _lastSeriesOfPreviousBatch = NameOf(_seriesIds[_count - 1]);
                if (_currentIndex != Index)
                {
                    _current = CurrentValue;
                    _currentIndex = Index;
                }
            }

            do
            {
                if (!enumerator.MoveNext())
                {
                    Release();
                    return false;
                }

                _batchNumber++;
                var batch = _batch = enumerator.Current ?? throw new ReplaySourceException(
                    string.Create(CultureInfo.InvariantCulture, $"Batch {_batchNumber} of the replay source is null."), null, Index + 1, null);
                _names = batch.SeriesNames;
                _nameArray = (batch.SeriesNames as SeriesTable)?.Names;
                _count = batch.Count;
                _seriesIds = batch.SeriesIds;
                _timestamps = batch.Timestamps;
                _values = batch.Values;
                _isAnomaly = batch.IsAnomaly;
                _kinds = batch.Kinds;
                _anomalyIds = batch.AnomalyIds;
            }
            while (_count <= 0);

            return true;
        }

        private ReplaySourceException OutOfTable(int id, int row, int names) => new(
            string.Create(CultureInfo.InvariantCulture,
                $"Observation {Index} (batch {_batchNumber}, row {row}) has series id {id}, outside the batch's series table of {names} names."),
            null, Index, null);

        public override void Dispose()
        {
            Release();
            enumerator.Dispose();
        }

        /// <summary>Drops every reference into the producer's batches.</summary>
        private void Release()
        {
            _batch = null;
            _names = null;
            _nameArray = null;
            _seriesIds = [];
            _timestamps = [];
            _values = [];
            _isAnomaly = [];
            _kinds = [];
            _anomalyIds = [];
        }
    }
}
