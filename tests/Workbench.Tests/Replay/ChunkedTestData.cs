using Workbench.Core;

namespace Workbench.Tests.Replay;

/// <summary>Seeded multi-series sources for the chunked-path tests: ties, gaps, missing values, spikes, flat runs, zeros, labels.</summary>
internal static class ChunkedTestData
{
    public static readonly DateTime T0 = new(2024, 3, 1, 0, 0, 0, DateTimeKind.Utc);

    /// <summary>The data shapes every chunked test runs on.</summary>
    public enum Shape
    {
        /// <summary>One series, regular steps.</summary>
        Single,

        /// <summary>Five series, all at every minute (ties), a row dropped now and then.</summary>
        Aligned,

        /// <summary>Seven series at irregular times: random gaps, several rows per instant, bursts of one series.</summary>
        Irregular,
    }

    public static IEnumerable<Shape> Shapes => Enum.GetValues<Shape>();

    public static readonly int[] Seeds = [1, 7, 42];

    /// <summary>About <paramref name="rows"/> observations of <paramref name="shape"/>, in canonical order, reproducible per seed.</summary>
    public static LabeledObservation[] Make(Shape shape, int seed, int rows = 900)
    {
        var random = new Random(seed);
        var count = shape switch { Shape.Single => 1, Shape.Aligned => 5, _ => 7 };
        var names = Enumerable.Range(0, count).Select(k => $"s{k}").ToArray();
        var value = new ValueSource[count];
        for (var k = 0; k < count; k++)
        {
            value[k] = new ValueSource(new Random(seed * 31 + k), 50 + (20 * k));
        }

        var list = new List<LabeledObservation>(rows);
        var t = T0;
        while (list.Count < rows)
        {
            switch (shape)
            {
                case Shape.Single:
                    list.Add(value[0].Next(names[0], t));
                    t = t.AddMinutes(1);
                    break;
                case Shape.Aligned:
                    for (var k = 0; k < count; k++)
                    {
                        if (random.NextDouble() > 0.05)
                        {
                            list.Add(value[k].Next(names[k], t));
                        }
                    }

                    t = t.AddMinutes(1);
                    break;
                default:
                    var burst = random.Next(1, 5);
                    for (var b = 0; b < burst; b++)
                    {
                        var k = random.Next(count);
                        list.Add(value[k].Next(names[k], t));
                        if (random.NextDouble() < 0.2)
                        {
                            t = t.AddSeconds(random.Next(1, 40));
                        }
                    }

                    t = t.AddSeconds(random.Next(1, 180));
                    break;
            }
        }

        return [.. list];
    }

    private sealed class ValueSource(Random random, double level)
    {
        private readonly double _level = level;
        private int _flat;
        private double _last = double.NaN;
        private int _n;

        public LabeledObservation Next(string series, DateTime t)
        {
            _n++;
            double? v;
            var label = AnomalyLabel.Normal;
            if (_flat > 0)
            {
                _flat--;
                v = _last;
            }
            else
            {
                var r = random.NextDouble();
                if (r < 0.10)
                {
                    v = null;
                }
                else if (r < 0.13)
                {
                    v = _level * 8;
                    label = AnomalyLabel.Anomaly(AnomalyKind.Spike, _n);
                }
                else if (r < 0.15)
                {
                    v = 0;
                    label = AnomalyLabel.Anomaly(AnomalyKind.Missing, _n);
                }
                else
                {
                    if (r > 0.99)
                    {
                        _flat = 15;
                    }

                    v = Math.Round(_level + (10 * Math.Sin(_n / 20.0)) + (random.NextDouble() * 4), 3);
                }
            }

            if (v is { } x)
            {
                _last = x;
            }

            return new LabeledObservation(series, t, v, label);
        }
    }
}
