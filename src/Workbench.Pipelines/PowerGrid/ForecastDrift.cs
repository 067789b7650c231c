namespace Workbench.Pipelines.PowerGrid;

/// <summary>Forecast error over the first and the last <c>hours</c> scored hours, pooled over all series.</summary>
/// <param name="MaeFirst">Mean absolute error of the first hours.</param>
/// <param name="MaeLast">Of the last hours.</param>
/// <param name="MapeFirst">Mean absolute percentage error of the first hours, in % (rows with |y| &gt; 0).</param>
/// <param name="MapeLast">Of the last hours.</param>
public sealed record DriftReport(double MaeFirst, double MaeLast, double MapeFirst, double MapeLast);

/// <summary>
/// Tracks each series' forecast errors over its first and its most recent <c>hours</c> rows with a forecast and a
/// present value (O(hours) memory per series), for the "forecast drift" figure: MAE/MAPE last vs first.
/// </summary>
internal sealed class ForecastDrift(int hours)
{
    private readonly Dictionary<string, State> _series = new(StringComparer.Ordinal);

    public void Add(string series, double? value, double forecast)
    {
        if (value is not { } y)
        {
            return;
        }

        if (!_series.TryGetValue(series, out var s))
        {
            s = new State(hours);
            _series[series] = s;
        }

        s.Add(Math.Abs(y - forecast), y == 0 ? double.NaN : Math.Abs((y - forecast) / y) * 100);
    }

    /// <summary>The pooled report; null when no series has a full window of each.</summary>
    public DriftReport? Report()
    {
        var full = _series.Values.Where(s => s.Count >= hours).ToArray();
        if (full.Length == 0)
        {
            return null;
        }

        return new DriftReport(
            full.Average(s => s.First.Average(e => e.Abs)),
            full.Average(s => s.Last.Average(e => e.Abs)),
            full.SelectMany(s => s.First).Where(e => !double.IsNaN(e.Pct)).Select(e => e.Pct).DefaultIfEmpty(0).Average(),
            full.SelectMany(s => s.Last).Where(e => !double.IsNaN(e.Pct)).Select(e => e.Pct).DefaultIfEmpty(0).Average());
    }

    private sealed class State(int hours)
    {
        private readonly (double Abs, double Pct)[] _ring = new (double, double)[hours];
        private int _next;

        public List<(double Abs, double Pct)> First { get; } = [];

        public long Count { get; private set; }

        public IEnumerable<(double Abs, double Pct)> Last => Count < hours ? _ring.Take((int)Count) : _ring;

        public void Add(double abs, double pct)
        {
            if (First.Count < hours)
            {
                First.Add((abs, pct));
            }

            _ring[_next] = (abs, pct);
            _next = (_next + 1) % hours;
            Count++;
        }
    }
}
