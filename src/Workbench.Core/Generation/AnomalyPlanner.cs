using Workbench.Core;

namespace Workbench.Generation;

/// <summary>An event placed by the planner, with the id of its series in the dataset's series table.</summary>
internal readonly record struct PlannedEvent(int SeriesId, InjectedEvent Event);

/// <summary>
/// Plans every injected event of a dataset up front from the spec's seeded planner stream (cheap: it touches only the
/// anomalous sources' events, never the data). The steps and their draws, in order, are documented in
/// docs/GENERATOR.md; changing them changes every generated dataset.
/// </summary>
internal static class AnomalyPlanner
{
    private sealed class Draft
    {
        public required int Kind { get; init; }
        public required InjectionOptions Options { get; set; }
        public required long Nominal { get; init; }
        public required bool Permanent { get; init; }
        public long Start { get; set; }
    }

    private sealed class SeriesPlan
    {
        public List<Draft> Events { get; } = [];
        public long Used { get; set; }
        public bool HasPermanent { get; set; }
    }

    public static PlannedEvent[] Plan(DatasetSpec spec, IReadOnlyList<string> seriesNames)
    {
        var a = spec.Anomalies;
        if (a.SourceRatio == 0)
        {
            return [];
        }

        var rng = Xoshiro256StarStar.ForStream((ulong)spec.Seed, Xoshiro256StarStar.PlanDomain, 0);
        var sources = spec.Sources;
        var metricCount = spec.Metrics.Count;

        // 1. The anomalous sources: a partial Fisher–Yates shuffle picks exactly round(ratio · sources).
        var anomalous = (int)Math.Round(a.SourceRatio * sources, MidpointRounding.AwayFromZero);
        var order = new int[sources];
        for (var i = 0; i < sources; i++)
        {
            order[i] = i;
        }

        for (var i = 0; i < anomalous; i++)
        {
            var j = rng.NextInt32(i, sources - 1);
            (order[i], order[j]) = (order[j], order[i]);
        }

        var chosen = order[..anomalous];
        Array.Sort(chosen);

        // 2. Events per anomalous source, in source order.
        var counts = new int[anomalous];
        var total = 0;
        for (var i = 0; i < anomalous; i++)
        {
            counts[i] = rng.NextInt32(a.EventsPerSource.Min, a.EventsPerSource.Max);
            total += counts[i];
        }

        // 3. Kinds: exact apportionment of the weights, then a full shuffle.
        var kinds = Apportion(total, a.Kinds.Weights);
        for (var i = kinds.Length - 1; i > 0; i--)
        {
            var j = rng.NextInt32(0, i);
            (kinds[i], kinds[j]) = (kinds[j], kinds[i]);
        }

        var window = (long)spec.Points - (2L * a.EdgeMargin);
        var allMetrics = Enumerable.Range(0, metricCount).ToArray();
        var seasonalMetrics = allMetrics.Where(m => spec.Metrics[m].Seasonalities.Any(c => c.Amplitude > 0)).ToArray();
        var planned = new List<PlannedEvent>(total);
        var next = 0;
        for (var c = 0; c < anomalous; c++)
        {
            var source = chosen[c];
            var plans = new SeriesPlan[metricCount];

            // 4–5. Each event: its parameters, then the first metric (in a shuffled order) where it still fits.
            for (var e = 0; e < counts[c]; e++)
            {
                var draft = DrawParameters(kinds[next++], spec, ref rng);
                var candidates = (draft.Kind == 4 ? seasonalMetrics : allMetrics).ToArray();
                for (var i = candidates.Length - 1; i > 0; i--)
                {
                    var j = rng.NextInt32(0, i);
                    (candidates[i], candidates[j]) = (candidates[j], candidates[i]);
                }

                var placed = false;
                foreach (var m in candidates)
                {
                    var plan = plans[m] ??= new SeriesPlan();
                    var need = plan.Used + draft.Nominal + (plan.Events.Count > 0 ? a.MinGap : 0);
                    if ((draft.Permanent && plan.HasPermanent) || need > window)
                    {
                        continue;
                    }

                    plan.Events.Add(draft);
                    plan.Used = need;
                    plan.HasPermanent |= draft.Permanent;
                    draft.Options = Complete(draft, spec.Metrics[m], ref rng);
                    placed = true;
                    break;
                }

                if (!placed)
                {
                    throw new AnomalyPlacementException(spec.SourceName(source),
                        $"event {e + 1} of {counts[c]} ({AnomalyKind.Injected[draft.Kind].Name}, {draft.Nominal} points) does not fit in any of its series: " +
                        $"{window} points between the edge margins ({a.EdgeMargin} each), minimum gap {a.MinGap}. Lower the lengths or events per source, or raise points");
                }
            }

            // 6. Within each series: a random order (a permanent event last) and a uniform split of the free room.
            for (var m = 0; m < metricCount; m++)
            {
                if (plans[m] is not { } plan)
                {
                    continue;
                }

                var events = plan.Events.Where(d => !d.Permanent).ToList();
                for (var i = events.Count - 1; i > 0; i--)
                {
                    var j = rng.NextInt32(0, i);
                    (events[i], events[j]) = (events[j], events[i]);
                }

                events.AddRange(plan.Events.Where(d => d.Permanent));
                var free = window - plan.Used;
                var cuts = new long[events.Count];
                for (var i = 0; i < cuts.Length; i++)
                {
                    cuts[i] = rng.NextInt64(0, free);
                }

                Array.Sort(cuts);
                var position = (long)a.EdgeMargin;
                var previousCut = 0L;
                foreach (var (draft, cut) in events.Zip(cuts))
                {
                    position += cut - previousCut;
                    previousCut = cut;
                    draft.Start = position;
                    position += draft.Nominal + a.MinGap;
                }

                // 7. Ids in time order within the series.
                var seriesId = (source * metricCount) + m;
                var id = 0;
                foreach (var draft in events.OrderBy(d => d.Start))
                {
                    var length = draft.Permanent ? spec.Points - draft.Start : draft.Nominal;
                    planned.Add(new PlannedEvent(seriesId, new InjectedEvent(seriesNames[seriesId], id++, draft.Start, length, draft.Options)));
                }
            }
        }

        planned.Sort((x, y) => x.SeriesId != y.SeriesId ? x.SeriesId.CompareTo(y.SeriesId) : x.Event.Start.CompareTo(y.Event.Start));
        return [.. planned];
    }

    /// <summary>
    /// Splits <paramref name="total"/> events among the kinds in proportion to <paramref name="weights"/> by largest
    /// remainder (ties to the earlier kind), returned as a kind index per event in canonical kind order.
    /// </summary>
    internal static int[] Apportion(int total, IReadOnlyList<double> weights)
    {
        var sum = weights.Sum();
        var shares = new int[weights.Count];
        var remainders = new double[weights.Count];
        var assigned = 0;
        for (var k = 0; k < weights.Count; k++)
        {
            var quota = total * weights[k] / sum;
            shares[k] = (int)Math.Floor(quota);
            remainders[k] = quota - shares[k];
            assigned += shares[k];
        }

        var byRemainder = Enumerable.Range(0, weights.Count).Where(k => weights[k] > 0).OrderByDescending(k => remainders[k]).ThenBy(k => k).ToArray();
        for (var i = 0; assigned < total; i++, assigned++)
        {
            shares[byRemainder[i % byRemainder.Length]]++;
        }

        var kinds = new int[total];
        var n = 0;
        for (var k = 0; k < shares.Length; k++)
        {
            for (var i = 0; i < shares[k]; i++)
            {
                kinds[n++] = k;
            }
        }

        return kinds;
    }

    private static Draft DrawParameters(int kind, DatasetSpec spec, ref Xoshiro256StarStar rng)
    {
        var k = spec.Anomalies.Kinds;
        switch (kind)
        {
            case 0:
            {
                var magnitude = rng.NextDouble(k.Spike.Magnitude.Min, k.Spike.Magnitude.Max);
                var length = rng.NextInt32(k.Spike.Length.Min, k.Spike.Length.Max);
                var direction = Direction(k.Spike.Direction, ref rng);
                return new Draft
                {
                    Kind = kind, Nominal = length, Permanent = false,
                    Options = new SpikeOptions { Magnitude = magnitude, Length = length, Direction = direction },
                };
            }

            case 1:
            {
                var magnitude = rng.NextDouble(k.LevelShift.Magnitude.Min, k.LevelShift.Magnitude.Max);
                var length = rng.NextInt32(k.LevelShift.Length.Min, k.LevelShift.Length.Max);
                var direction = Direction(k.LevelShift.Direction, ref rng);
                var permanent = rng.NextDouble() < k.LevelShift.PermanentProbability;
                return new Draft
                {
                    Kind = kind, Nominal = length, Permanent = permanent,
                    Options = new LevelShiftOptions { Magnitude = magnitude, Duration = permanent ? null : length, Direction = direction },
                };
            }

            case 2:
            {
                var magnitude = rng.NextDouble(k.Drift.Magnitude.Min, k.Drift.Magnitude.Max);
                var ramp = rng.NextInt32(k.Drift.Length.Min, k.Drift.Length.Max);
                var hold = rng.NextInt32(k.Drift.HoldLength.Min, k.Drift.HoldLength.Max);
                var direction = Direction(k.Drift.Direction, ref rng);
                var permanent = rng.NextDouble() < k.Drift.PermanentProbability;
                return new Draft
                {
                    Kind = kind, Nominal = permanent ? ramp : (long)ramp + hold, Permanent = permanent,
                    Options = new DriftOptions { Magnitude = magnitude, RampLength = ramp, HoldLength = permanent ? null : hold, Direction = direction },
                };
            }

            case 3:
            {
                var length = rng.NextInt32(k.Missing.Length.Min, k.Missing.Length.Max);
                return new Draft { Kind = kind, Nominal = length, Permanent = false, Options = new MissingOptions { Length = length } };
            }

            default:
            {
                var length = rng.NextInt32(k.Seasonal.Length.Min, k.Seasonal.Length.Max);
                var amplitude = rng.NextDouble(k.Seasonal.AmplitudeFactor.Min, k.Seasonal.AmplitudeFactor.Max);
                var period = rng.NextDouble(k.Seasonal.PeriodFactor.Min, k.Seasonal.PeriodFactor.Max);
                var phase = rng.NextDouble(k.Seasonal.PhaseShift.Min, k.Seasonal.PhaseShift.Max);
                return new Draft
                {
                    Kind = kind, Nominal = length, Permanent = false,
                    Options = new SeasonalOptions { Length = length, AmplitudeFactor = amplitude, PeriodFactor = period, PhaseShift = phase },
                };
            }
        }
    }

    /// <summary>Fills in what depends on the metric: σ, valid range, and for a seasonal event the component (a draw).</summary>
    private static InjectionOptions Complete(Draft draft, MetricSpec metric, ref Xoshiro256StarStar rng)
    {
        var sigma = metric.Noise.Scale;
        InjectionOptions options = draft.Options switch
        {
            SpikeOptions o => o with { Sigma = sigma, Range = metric.Range },
            LevelShiftOptions o => o with { Sigma = sigma, Range = metric.Range },
            DriftOptions o => o with { Sigma = sigma, Range = metric.Range },
            MissingOptions o => o with { Range = metric.Range },
            SeasonalOptions o => o with { Component = PickComponent(metric, ref rng), Range = metric.Range },
            _ => throw new InvalidOperationException("unknown options"),
        };
        options.Validate();
        return options;
    }

    private static SeasonalComponent PickComponent(MetricSpec metric, ref Xoshiro256StarStar rng)
    {
        var components = metric.Seasonalities.Where(c => c.Amplitude > 0).ToArray();
        return components[rng.NextInt32(0, components.Length - 1)];
    }

    private static InjectionDirection Direction(InjectionDirection setting, ref Xoshiro256StarStar rng) =>
        setting != InjectionDirection.Random ? setting : rng.NextBool() ? InjectionDirection.Up : InjectionDirection.Down;
}
