using System.Globalization;
using Workbench.Operators.Specs;

namespace Workbench.Operators.Forecasting;

/// <summary>
/// Daily-profile ("typical day") benchmark: clusters the past days' load shapes with k-means and forecasts the
/// value of the nearest cluster profile at the target's slot of the day.
/// <para>A day (UTC calendar day) is cut into <see cref="Slots"/> equal slots; a day's profile is the mean of the
/// present values falling in each slot (so 5-minute data with 24 slots gives hourly means). <c>slots=0</c> infers
/// one slot per row from the cadence: the first positive difference between row timestamps, which must divide 24 h.
/// When a row of a later day arrives, the day closes: if at least <see cref="Coverage"/> of its slots have a value,
/// empty slots are filled by linear interpolation between the nearest filled slots (the ends carry the nearest
/// value) and the profile joins the history of the last <see cref="Days"/> accepted days; otherwise the day is not
/// used. Once the history holds <see cref="K"/> days, k-means runs on it after every accepted day.</para>
/// <para>k-means is deterministic, with no randomness: the first centre is the day closest to the mean profile, each
/// next centre the day farthest from its nearest chosen centre (maximin, ties to the older day); then Lloyd
/// iterations (squared Euclidean distance, ties to the lower cluster) until no day changes cluster, at most 100.
/// A cluster left empty keeps its centre and is never chosen.</para>
/// <para>Forecast: the profile nearest (squared distance over the slots observed so far today) to the current day's
/// partial profile; before today's first value, the cluster of the most recent accepted day. The h-step target time
/// is the last row's time plus h times the cadence (the latest positive row-to-row difference); every step uses
/// the cluster chosen for the current day, even past midnight. No forecast before the first clustering.</para>
/// <para>Interval: <c>ŷ ± t·s·sqrt(1 + 1/n)</c>, s² the sample variance of the cluster's n member days at the
/// target slot and t the Student-t quantile with n − 1 degrees of freedom at (1 + level)/2 — the prediction
/// interval for one more draw from the members' population if they were i.i.d. Gaussian; none for a one-day
/// cluster.</para>
/// <para>Missing values: a missing value adds nothing to its slot (the slot may end empty and be interpolated when
/// the day closes); it still advances the clock. Rows must come in time order: an earlier timestamp than the
/// previous row's raises <see cref="ForecastInputException"/>.</para>
/// </summary>
/// <param name="K">Number of clusters (1–64; default 3).</param>
/// <param name="Days">History length in accepted days (≥ K, ≤ 3660; default 28).</param>
/// <param name="Slots">Slots per day; must divide 24 h into whole ticks (1–86400; default 24 = hourly); 0 = one
/// slot per row, inferred from the cadence.</param>
/// <param name="Coverage">Fraction of slots a day needs to be used, in (0, 1] (default 0.5).</param>
/// <param name="IntervalLevel">Prediction-interval level in (0, 1); default 0.95. Spec key <c>level</c>.</param>
/// <param name="Train">0 (default): re-cluster after every accepted day (a rolling benchmark). N &gt; 0: a benchmark
/// <i>trained</i> on the first N accepted days — k-means runs once, when the N-th day is accepted; there is no
/// forecast before that, and afterwards the clusters are frozen (later days only choose among them). K ≤ N ≤ Days.</param>
/// <param name="Weekly">With a trained benchmark: while fewer than a quarter of today's slots are observed (and for a
/// target hour on the next day), use the cluster the same weekday had last week — the nearest profile to that whole day —
/// instead of the partial-day choice, so that a weekend morning is not read as a weekday one before its shape shows.
/// Needs <see cref="Train"/> &gt; 0 (with re-clustering the remembered cluster numbers would go stale).</param>
public sealed record DailyProfileForecaster(
    int K = 3,
    int Days = 28,
    int Slots = 24,
    double Coverage = 0.5,
    double IntervalLevel = PredictionInterval.DefaultLevel,
    int Train = 0,
    bool Weekly = false) : IForecaster
{
    /// <summary>The largest number of slots per day (one per second).</summary>
    public const int MaxSlots = 86400;

    /// <summary>The largest history, in days.</summary>
    public const int MaxDays = 3660;

    /// <summary>The most Lloyd iterations per clustering.</summary>
    public const int MaxIterations = 100;

    /// <summary>Spec binding: <c>daily-profile(k=3,days=28,slots=24,coverage=0.5,level=0.95,train=0)</c>.</summary>
    public static OperatorDescriptor<DailyProfileForecaster> Descriptor { get; } =
        new OperatorDescriptor<DailyProfileForecaster>("daily-profile", OperatorKind.Forecaster,
                "Typical-day benchmark: k-means over past daily profiles, forecasts the nearest profile's value at the slot of day.",
                new DailyProfileForecaster(), o => o.Validate())
            .Int("k", "number of clusters (1-64)", o => o.K, (o, v) => o with { K = v })
            .Int("days", "history length in accepted days (>= k, <= 3660)", o => o.Days, (o, v) => o with { Days = v })
            .Int("slots", "slots per day, dividing 24 h (1-86400); 0 = one per row, inferred from the cadence", o => o.Slots,
                (o, v) => o with { Slots = v })
            .Double("coverage", "fraction of slots a day needs to be used, in (0, 1]", o => o.Coverage, (o, v) => o with { Coverage = v })
            .Double("level", "prediction-interval level in (0, 1)", o => o.IntervalLevel, (o, v) => o with { IntervalLevel = v })
            .Int("train", "0 = re-cluster after every day; N = cluster once on the first N accepted days, then frozen (k <= N <= days)",
                o => o.Train, (o, v) => o with { Train = v })
            .Bool("weekly", "trained benchmark: early in the day use the cluster of the same weekday last week (needs train > 0)",
                o => o.Weekly, (o, v) => o with { Weekly = v });

    public string Name => Descriptor.Name;

    public string Spec => Descriptor.Format(this);

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for out-of-range options.</summary>
    public void Validate()
    {
        if (K < 1 || K > 64)
        {
            throw new ArgumentOutOfRangeException(nameof(K), K, "k must be in 1..64");
        }

        if (Days < K || Days > MaxDays)
        {
            throw new ArgumentOutOfRangeException(nameof(Days), Days, $"days must be >= k and <= {MaxDays}");
        }

        if (Slots < 0 || Slots > MaxSlots || (Slots > 0 && TimeSpan.TicksPerDay % Slots != 0))
        {
            throw new ArgumentOutOfRangeException(nameof(Slots), Slots,
                $"slots must divide a day into whole ticks (e.g. 24, 48, 96, 288, 1440), at most {MaxSlots}, or be 0 to infer it");
        }

        if (!(Coverage > 0 && Coverage <= 1))
        {
            throw new ArgumentOutOfRangeException(nameof(Coverage), Coverage, "coverage must be in (0, 1]");
        }

        PredictionInterval.ValidateLevel(IntervalLevel, nameof(IntervalLevel));
        if (Train != 0 && (Train < K || Train > Days))
        {
            throw new ArgumentOutOfRangeException(nameof(Train), Train, "train must be 0 (rolling) or between k and days");
        }

        if (Weekly && Train == 0)
        {
            throw new ArgumentException("weekly=true needs a trained benchmark (train > 0)", nameof(Weekly));
        }
    }

    public IForecasterKernel CreateKernel()
    {
        Validate();
        return new Kernel(this);
    }

    private sealed class Kernel(DailyProfileForecaster options) : IForecasterKernel
    {
        private readonly int _k = options.K;
        private readonly int _days = options.Days;
        private readonly double _coverage = options.Coverage;
        private readonly int _train = options.Train;
        private readonly bool _weekly = options.Weekly;
        private readonly int[] _weekCluster = [-1, -1, -1, -1, -1, -1, -1]; // by day of week: the nearest cluster to that day last week
        private int _accepted;
        private List<(DateTime Timestamp, double? Value)>? _pending = options.Slots == 0 ? [] : null;
        private int _slots;
        private long _slotTicks;
        private long _lastTicks = -1;
        private long _cadence;
        private long _day = -1;
        private double[] _sum = [];
        private int[] _count = [];
        private int _present;
        private double[] _history = [];   // ring of accepted day profiles, `days` × `slots`
        private int _historyCount;
        private int _historyNext;
        private double[] _centroids = []; // k × slots
        private double[] _spread = [];    // k × slots: sample variance of the members at each slot
        private int[] _members = [];
        private int[] _assign = [];       // by chronological index
        private double[] _distance = [];  // today's partial squared distance to each centroid
        private double[] _mean = [];      // scratch: mean profile of the history
        private double[] _far = [];       // scratch: each day's distance to its nearest chosen centre
        private readonly double[] _t = new double[options.Days + 1]; // Student-t multiplier by member count, 0 = not yet computed
        private int _latestCluster;
        private bool _clustered;

        public void Forecast(Span<ForecastPoint> destination)
        {
            if (!_clustered)
            {
                destination.Fill(ForecastPoint.None);
                return;
            }

            var cluster = _latestCluster;
            var step0 = _cadence > 0 ? _cadence : _slotTicks;
            var targetDay = (_lastTicks + step0) / TimeSpan.TicksPerDay;
            if (_weekly && (targetDay != _day || _present < Math.Max(1, _slots / 4)) && _weekCluster[DayOfWeek(targetDay)] is >= 0 and var remembered)
            {
                cluster = remembered;
            }
            else if (_present > 0)
            {
                cluster = Nearest();
            }

            var step = step0;
            var n = _members[cluster];
            var row = cluster * _slots;
            var t = 0.0;
            if (n >= 2)
            {
                t = _t[n];
                if (t == 0)
                {
                    t = _t[n] = PredictionInterval.StudentT(options.IntervalLevel, n - 1);
                }
            }

            for (var h = 0; h < destination.Length; h++)
            {
                var target = _lastTicks + ((h + 1) * step);
                var slot = (int)(target % TimeSpan.TicksPerDay / _slotTicks);
                var value = _centroids[row + slot];
                destination[h] = n >= 2
                    ? PredictionInterval.Gaussian(value, _spread[row + slot] * (1 + (1.0 / n)), t)
                    : ForecastPoint.Point(value);
            }
        }

        public void Update(DateTime timestamp, double? value)
        {
            var ticks = timestamp.Ticks;
            if (ticks < _lastTicks)
            {
                throw new ForecastInputException(Descriptor.Name, timestamp, value,
                    $"timestamp is earlier than the previous row's ({new DateTime(_lastTicks, DateTimeKind.Utc):yyyy-MM-ddTHH:mm:ss.fffZ}); rows must be in time order");
            }

            if (_pending is not null)
            {
                if (_pending.Count == 0 || ticks == _pending[0].Timestamp.Ticks)
                {
                    _pending.Add((timestamp, value));
                    _lastTicks = ticks;
                    return;
                }

                var cadence = ticks - _pending[0].Timestamp.Ticks;
                if (TimeSpan.TicksPerDay % cadence != 0 || TimeSpan.TicksPerDay / cadence > MaxSlots)
                {
                    throw new ForecastInputException(Descriptor.Name, timestamp, value, string.Create(CultureInfo.InvariantCulture,
                        $"cannot infer slots per day: the cadence {TimeSpan.FromTicks(cadence)} does not divide 24 h into at most {MaxSlots} slots; give slots=…"));
                }

                Allocate((int)(TimeSpan.TicksPerDay / cadence));
                var pending = _pending;
                _pending = null;
                _lastTicks = -1;
                foreach (var (t, v) in pending)
                {
                    Take(t.Ticks, v);
                }
            }
            else if (_slots == 0)
            {
                Allocate(options.Slots);
            }

            Take(ticks, value);
        }

        private void Allocate(int slots)
        {
            _slots = slots;
            _slotTicks = TimeSpan.TicksPerDay / slots;
            _sum = new double[slots];
            _count = new int[slots];
            _history = new double[_days * slots];
            _centroids = new double[_k * slots];
            _spread = new double[_k * slots];
            _members = new int[_k];
            _assign = new int[_days];
            _distance = new double[_k];
            _mean = new double[slots];
            _far = new double[_days];
        }

        private void Take(long ticks, double? value)
        {
            if (_lastTicks >= 0 && ticks > _lastTicks)
            {
                _cadence = ticks - _lastTicks;
            }

            _lastTicks = ticks;
            var day = ticks / TimeSpan.TicksPerDay;
            if (day != _day)
            {
                if (_day >= 0)
                {
                    if (_weekly && _clustered && _present > 0)
                    {
                        _weekCluster[DayOfWeek(_day)] = Nearest();
                    }

                    CloseDay();
                }

                _day = day;
                Array.Clear(_sum);
                Array.Clear(_count);
                Array.Clear(_distance);
                _present = 0;
            }

            if (value is not { } y)
            {
                return;
            }

            var slot = (int)(ticks % TimeSpan.TicksPerDay / _slotTicks);
            var had = _count[slot] > 0;
            var old = had ? _sum[slot] / _count[slot] : 0;
            _sum[slot] += y;
            _count[slot]++;
            if (!had)
            {
                _present++;
            }

            if (_clustered)
            {
                var mean = _sum[slot] / _count[slot];
                for (var c = 0; c < _k; c++)
                {
                    var centre = _centroids[(c * _slots) + slot];
                    var d = mean - centre;
                    var change = d * d;
                    if (had)
                    {
                        var e = old - centre;
                        change -= e * e;
                    }

                    _distance[c] += change;
                }
            }
        }

        private void CloseDay()
        {
            if (_present < _coverage * _slots || (_train > 0 && _accepted >= _train))
            {
                return; // too sparse, or a trained benchmark that is frozen
            }

            _accepted++;

            var row = _historyNext * _slots;
            var previous = -1;
            for (var s = 0; s < _slots; s++)
            {
                if (_count[s] == 0)
                {
                    continue;
                }

                var v = _sum[s] / _count[s];
                _history[row + s] = v;
                // Fill the gap (previous, s): interpolate, or carry v back to the start of the day.
                for (var g = previous + 1; g < s; g++)
                {
                    _history[row + g] = previous < 0
                        ? v
                        : _history[row + previous] + ((v - _history[row + previous]) * (g - previous) / (s - previous));
                }

                previous = s;
            }

            for (var g = previous + 1; g < _slots; g++)
            {
                _history[row + g] = _history[row + previous];
            }

            _historyNext = (_historyNext + 1) % _days;
            if (_historyCount < _days)
            {
                _historyCount++;
            }

            if (_historyCount >= _k && (_train == 0 || _accepted == _train))
            {
                Cluster();
            }
        }

        private static int DayOfWeek(long day) => (int)new DateTime(day * TimeSpan.TicksPerDay, DateTimeKind.Utc).DayOfWeek;

        /// <summary>The cluster nearest to today's (partial) profile.</summary>
        private int Nearest()
        {
            var cluster = _latestCluster;
            var best = double.PositiveInfinity;
            for (var c = 0; c < _k; c++)
            {
                if (_members[c] > 0 && _distance[c] < best)
                {
                    best = _distance[c];
                    cluster = c;
                }
            }

            return cluster;
        }

        /// <summary>Ring row of the i-th accepted day in chronological order (0 = oldest kept).</summary>
        private int Day(int i) => ((_historyCount < _days ? 0 : _historyNext) + i) % _days * _slots;

        private double Distance(int dayRow, int centroidRow)
        {
            var sum = 0.0;
            for (var s = 0; s < _slots; s++)
            {
                var d = _history[dayRow + s] - _centroids[centroidRow + s];
                sum += d * d;
            }

            return sum;
        }

        private void Cluster()
        {
            var n = _historyCount;
            var slots = _slots;
            // Maximin initialisation seeded by the day closest to the mean profile.
            Array.Clear(_mean);
            for (var i = 0; i < n; i++)
            {
                var d = Day(i);
                for (var s = 0; s < slots; s++)
                {
                    _mean[s] += _history[d + s];
                }
            }

            for (var s = 0; s < slots; s++)
            {
                _mean[s] /= n;
            }

            var far = _far;
            var first = 0;
            var bestDistance = double.PositiveInfinity;
            for (var i = 0; i < n; i++)
            {
                var d = Day(i);
                var sum = 0.0;
                for (var s = 0; s < slots; s++)
                {
                    var e = _history[d + s] - _mean[s];
                    sum += e * e;
                }

                if (sum < bestDistance)
                {
                    bestDistance = sum;
                    first = i;
                }
            }

            Array.Copy(_history, Day(first), _centroids, 0, slots);
            for (var i = 0; i < n; i++)
            {
                far[i] = Distance(Day(i), 0);
            }

            for (var c = 1; c < _k; c++)
            {
                var pick = 0;
                var farthest = double.NegativeInfinity;
                for (var i = 0; i < n; i++)
                {
                    if (far[i] > farthest)
                    {
                        farthest = far[i];
                        pick = i;
                    }
                }

                Array.Copy(_history, Day(pick), _centroids, c * slots, slots);
                for (var i = 0; i < n; i++)
                {
                    far[i] = Math.Min(far[i], Distance(Day(i), c * slots));
                }
            }

            Array.Fill(_assign, -1);
            for (var iteration = 0; iteration < MaxIterations; iteration++)
            {
                var changed = false;
                for (var i = 0; i < n; i++)
                {
                    var best = 0;
                    var bestD = double.PositiveInfinity;
                    for (var c = 0; c < _k; c++)
                    {
                        var d = Distance(Day(i), c * slots);
                        if (d < bestD)
                        {
                            bestD = d;
                            best = c;
                        }
                    }

                    if (_assign[i] != best)
                    {
                        _assign[i] = best;
                        changed = true;
                    }
                }

                if (!changed)
                {
                    break;
                }

                Array.Clear(_members);
                for (var i = 0; i < n; i++)
                {
                    _members[_assign[i]]++;
                }

                for (var c = 0; c < _k; c++)
                {
                    if (_members[c] > 0)
                    {
                        Array.Clear(_centroids, c * slots, slots);
                    }
                }

                for (var i = 0; i < n; i++)
                {
                    var c = _assign[i];
                    var d = Day(i);
                    var row = c * slots;
                    var inv = 1.0 / _members[c];
                    for (var s = 0; s < slots; s++)
                    {
                        _centroids[row + s] += _history[d + s] * inv;
                    }
                }
            }

            Array.Clear(_members);
            Array.Clear(_spread);
            for (var i = 0; i < n; i++)
            {
                _members[_assign[i]]++;
            }

            for (var i = 0; i < n; i++)
            {
                var c = _assign[i];
                var d = Day(i);
                var row = c * slots;
                for (var s = 0; s < slots; s++)
                {
                    var e = _history[d + s] - _centroids[row + s];
                    _spread[row + s] += e * e;
                }
            }

            for (var c = 0; c < _k; c++)
            {
                var scale = _members[c] >= 2 ? 1.0 / (_members[c] - 1) : 0;
                for (var s = 0; s < slots; s++)
                {
                    _spread[(c * slots) + s] *= scale;
                }
            }

            _latestCluster = _assign[n - 1];
            _clustered = true;
        }
    }
}
