using Workbench.Evaluation.Metrics;

namespace Workbench.Evaluation.Nab;

/// <summary>
/// The Numenta Anomaly Benchmark score, implemented as <c>docs/nab-scoring.md</c> (shared docs) specifies:
/// windows and distances in rows, probationary period, scaled sigmoid, earliest detection per window,
/// per-file raw score, corpus-wide threshold by exhaustive sweep (or, on request, NAB's historical hill-climb),
/// and normalisation to 0…100.
/// All members are pure functions of their arguments and safe to call concurrently.
/// </summary>
/// <remarks>
/// Two edge cases the spec leaves open, decided here: (1) a window lying wholly inside the probationary
/// period is not counted anywhere (no −A_FN, and it is left out of S_null and S_perfect so that a perfect
/// detector still scores 100); on NAB's corpus every window starts after P, so this changes nothing there.
/// (2) After a one-row window (w' − 1 = 0) the distance y is taken as +∞, so a detection after it costs −A_FP.
/// (3) "The nearest preceding window" of a false positive is any earlier window of the file, counted or not.
/// </remarks>
public static class NabScorer
{
    /// <summary>The threshold meaning "no detections" where the sweep starts (NAB's 1.1; raised above the largest score if needed).</summary>
    public const double NoDetectionThreshold = 1.1;

    /// <summary>The largest probationary period, in rows (0.15 × 5000).</summary>
    public const int MaxProbationaryRows = 750;

    private static readonly double SigmoidAtMinusOne = ScaledSigmoid(-1.0);

    /// <summary>
    /// NAB's scaled sigmoid σ(y) = 2 / (1 + e^{5y}) − 1 for y ≤ 3, and −1 for y &gt; 3 (section 4).
    /// Decreases from +1 (y → −∞) through 0 (y = 0) to −1.
    /// </summary>
    public static double ScaledSigmoid(double y) => y > 3.0 ? -1.0 : (2.0 / (1.0 + Math.Exp(5.0 * y))) - 1.0;

    /// <summary>The probationary period P = min(floor(0.15 n), 750) rows of a file with <paramref name="rowCount"/> rows (section 3).</summary>
    public static int ProbationaryRows(int rowCount)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(rowCount);
        return (int)Math.Min(Math.Floor(0.15 * rowCount), MaxProbationaryRows);
    }

    /// <summary>
    /// The value c_i each row would contribute if it were a detection (section 6), for every row of the file
    /// (probationary rows included; they are never detections). In a window: A_TP σ(y)/σ(−1) with
    /// y = −(r − i + 1)/w; before the first window: −A_FP; after a window: A_FP σ((i − r')/(w' − 1)).
    /// </summary>
    public static double[] Contributions(NabFileInput file, NabProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        profile.Validate();
        var prepared = PreparedFile.Create(file);
        var result = new double[prepared.Count];
        for (var i = 0; i < result.Length; i++)
        {
            result[i] = prepared.Contribution(i, profile);
        }

        return result;
    }

    /// <summary>
    /// Scores one file at threshold <paramref name="threshold"/> (section 7.1): rows i ≥ P with score ≥ θ are detections;
    /// each counted window adds its earliest detection's c (later ones in the same window are ignored) or −A_FN;
    /// each detection outside all windows adds its c_i.
    /// </summary>
    /// <exception cref="ArgumentException">The input is malformed (message names the file and row/window) or θ is NaN.</exception>
    public static NabFileScore ScoreFile(NabFileInput file, NabProfile profile, double threshold)
    {
        ArgumentNullException.ThrowIfNull(profile);
        profile.Validate();
        CheckThreshold(threshold);
        return PreparedFile.Create(file).Score(profile, threshold);
    }

    /// <summary>
    /// Scores a corpus under one profile (sections 7.3, 8, 9). With <paramref name="threshold"/> given, every file is
    /// scored at it; otherwise the threshold maximising the corpus raw score is found by <paramref name="search"/>: the
    /// exhaustive sweep of section 8.1 (default; ties keep the higher θ) or the hill-climb of section 8.2, and the result
    /// is marked <see cref="NabCorpusScore.Optimized"/>.
    /// </summary>
    /// <exception cref="ArgumentException">A file is malformed, θ is NaN, or the corpus has no counted window (normalisation undefined).</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="search"/> is not a defined value.</exception>
    public static NabCorpusScore ScoreCorpus(
        IReadOnlyList<NabFileInput> files, NabProfile profile, double? threshold = null, NabThresholdSearch search = NabThresholdSearch.Sweep)
    {
        ArgumentNullException.ThrowIfNull(profile);
        return ScoreCorpus(files, [profile], threshold is { } t ? [t] : null, search)[0];
    }

    /// <summary>
    /// Scores a corpus under several profiles at once, sharing the preparation and the sort of candidate thresholds;
    /// the profiles are swept in parallel (results do not depend on scheduling). Results are in <paramref name="profiles"/> order.
    /// </summary>
    /// <param name="files">The corpus; file order does not change the result beyond floating-point summation order.</param>
    /// <param name="profiles">The profiles, e.g. <see cref="NabProfile.All"/>.</param>
    /// <param name="thresholds">Null to optimise every profile; otherwise one fixed threshold per profile, same order.</param>
    /// <param name="search">How thresholds are optimised when <paramref name="thresholds"/> is null (default: the exhaustive sweep).</param>
    public static IReadOnlyList<NabCorpusScore> ScoreCorpus(
        IReadOnlyList<NabFileInput> files,
        IReadOnlyList<NabProfile> profiles,
        IReadOnlyList<double>? thresholds = null,
        NabThresholdSearch search = NabThresholdSearch.Sweep)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(profiles);
        if (!Enum.IsDefined(search))
        {
            throw new ArgumentOutOfRangeException(nameof(search), search, "unknown threshold search");
        }

        foreach (var p in profiles)
        {
            ArgumentNullException.ThrowIfNull(p, nameof(profiles));
            p.Validate();
        }

        if (thresholds is not null)
        {
            if (thresholds.Count != profiles.Count)
            {
                throw new ArgumentException($"NAB: {thresholds.Count} thresholds given for {profiles.Count} profiles", nameof(thresholds));
            }

            foreach (var t in thresholds)
            {
                CheckThreshold(t);
            }
        }

        var prepared = new PreparedFile[files.Count];
        var errors = new Exception?[files.Count];
        Parallel.For(0, files.Count, f =>
        {
            try
            {
                prepared[f] = PreparedFile.Create(files[f]);
            }
            catch (ArgumentException e)
            {
                errors[f] = e;
            }
        });

        // Report the first bad file in input order, as the plain exception (not wrapped by Parallel.For).
        foreach (var error in errors)
        {
            if (error is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(error);
            }
        }

        var windowCount = 0;
        foreach (var p in prepared)
        {
            windowCount += p.CountedWindows;
        }

        if (windowCount == 0)
        {
            throw new ArgumentException("NAB: the corpus has no window with a row after the probationary period; the normalised score is undefined", nameof(files));
        }

        var chosen = new double[profiles.Count];
        if (thresholds is null && search == NabThresholdSearch.HillClimb)
        {
            Parallel.For(0, profiles.Count, k => chosen[k] = NabHillClimb.Maximize(t => CorpusRawScore(prepared, profiles[k], t)).Threshold);
        }
        else if (thresholds is null)
        {
            var sweep = SweepRows.Create(prepared);
            Parallel.For(0, profiles.Count, k => chosen[k] = sweep.BestThreshold(profiles[k], windowCount));
        }
        else
        {
            for (var k = 0; k < chosen.Length; k++)
            {
                chosen[k] = thresholds[k];
            }
        }

        var results = new NabCorpusScore[profiles.Count];
        Parallel.For(0, profiles.Count, k =>
        {
            var profile = profiles[k];
            var perFile = new NabFileScore[prepared.Length];
            var raw = 0.0;
            for (var f = 0; f < prepared.Length; f++)
            {
                perFile[f] = prepared[f].Score(profile, chosen[k]);
                raw += perFile[f].RawScore;
            }

            var nullScore = -profile.FalseNegativeWeight * windowCount;
            var perfect = profile.TruePositiveWeight * windowCount;
            var normalized = 100.0 * (raw - nullScore) / (perfect - nullScore);
            results[k] = new NabCorpusScore(profile, chosen[k], thresholds is null, raw, nullScore, perfect, normalized, perFile);
        });
        return results;
    }

    /// <summary>S(θ): the corpus raw score, summed in file order (as the reported <see cref="NabCorpusScore.RawScore"/>).</summary>
    private static double CorpusRawScore(PreparedFile[] prepared, NabProfile profile, double threshold)
    {
        var raw = 0.0;
        foreach (var file in prepared)
        {
            raw += file.Score(profile, threshold).RawScore;
        }

        return raw;
    }

    private static void CheckThreshold(double threshold)
    {
        if (double.IsNaN(threshold))
        {
            throw new ArgumentException("NAB: the threshold must not be NaN", nameof(threshold));
        }
    }

    /// <summary>A validated file with every row's window index and profile-free contribution factor.</summary>
    private sealed class PreparedFile
    {
        private PreparedFile(string name, double[] scores, int probation, int[] rowWindow, double[] factor, int windows, int firstCounted)
        {
            Name = name;
            Scores = scores;
            Probation = probation;
            RowWindow = rowWindow;
            Factor = factor;
            Windows = windows;
            FirstCounted = firstCounted;
        }

        public string Name { get; }

        public double[] Scores { get; }

        public int Count => Scores.Length;

        public int Probation { get; }

        /// <summary>Per row: the index of the window holding it, or −1.</summary>
        public int[] RowWindow { get; }

        /// <summary>Per row: σ(y)/σ(−1) inside a window (times A_TP), or σ(y) / −1 outside (times A_FP).</summary>
        public double[] Factor { get; }

        public int Windows { get; }

        /// <summary>Windows from this index on are counted (their last row is ≥ P); windows are in row order.</summary>
        public int FirstCounted { get; }

        public int CountedWindows => Windows - FirstCounted;

        public static PreparedFile Create(NabFileInput file)
        {
            ArgumentNullException.ThrowIfNull(file);
            var name = file.Name ?? "(unnamed)";
            if (file.Timestamps is null || file.Scores is null || file.Windows is null)
            {
                throw new ArgumentException($"NAB file '{name}': Timestamps, Scores and Windows must not be null", nameof(file));
            }

            var ts = file.Timestamps;
            var scores = file.Scores;
            var n = ts.Length;
            if (scores.Length != n)
            {
                throw new ArgumentException($"NAB file '{name}': {scores.Length} scores for {n} timestamps", nameof(file));
            }

            // NaN = no score = the lowest score, ±∞ = ±double.MaxValue (ScorePolicy.CleanNab); copied only if needed.
            if (Array.Exists(scores, v => !double.IsFinite(v)))
            {
                scores = Array.ConvertAll(scores, ScorePolicy.CleanNab);
            }

            var windows = file.Windows;
            var starts = new int[windows.Count];
            var ends = new int[windows.Count];
            var rowWindow = new int[n];
            Array.Fill(rowWindow, -1);
            for (var w = 0; w < windows.Count; w++)
            {
                var (start, end) = (windows[w].Start, windows[w].End);
                if (end < start)
                {
                    throw new ArgumentException($"NAB file '{name}': window {w}: end {end:O} is before start {start:O}", nameof(file));
                }

                var l = -1;
                var r = -1;
                for (var i = 0; i < n; i++)
                {
                    if (ts[i] >= start && ts[i] <= end)
                    {
                        if (l < 0)
                        {
                            l = i;
                        }

                        r = i;
                    }
                }

                if (l < 0)
                {
                    throw new ArgumentException($"NAB file '{name}': window {w} [{start:O}, {end:O}] covers no row", nameof(file));
                }

                if (w > 0 && l <= ends[w - 1])
                {
                    throw new ArgumentException($"NAB file '{name}': window {w} starts at row {l}, not after window {w - 1} ending at row {ends[w - 1]} (windows must be in order and not overlap)", nameof(file));
                }

                starts[w] = l;
                ends[w] = r;
                for (var i = l; i <= r; i++)
                {
                    rowWindow[i] = w;
                }
            }

            var factor = new double[n];
            var previous = -1;
            for (var i = 0; i < n; i++)
            {
                var w = rowWindow[i];
                if (w >= 0)
                {
                    var width = ends[w] - starts[w] + 1;
                    factor[i] = ScaledSigmoid(-(double)(ends[w] - i + 1) / width) / SigmoidAtMinusOne;
                    previous = w;
                }
                else if (previous < 0)
                {
                    factor[i] = -1.0;
                }
                else
                {
                    var span = ends[previous] - starts[previous];
                    factor[i] = span == 0 ? -1.0 : ScaledSigmoid((double)(i - ends[previous]) / span);
                }
            }

            var probation = ProbationaryRows(n);
            var firstCounted = 0;
            while (firstCounted < ends.Length && ends[firstCounted] < probation)
            {
                firstCounted++;
            }

            return new PreparedFile(name, scores, probation, rowWindow, factor, windows.Count, firstCounted);
        }

        public double Contribution(int row, NabProfile profile) =>
            RowWindow[row] >= 0 ? profile.TruePositiveWeight * Factor[row] : profile.FalsePositiveWeight * Factor[row];

        public NabFileScore Score(NabProfile profile, double threshold)
        {
            double windowTerms = 0;
            double falseAlarms = 0;
            int tp = 0, tn = 0, fp = 0, fn = 0, hits = 0;
            var lastHit = -1;
            for (var i = Probation; i < Scores.Length; i++)
            {
                var w = RowWindow[i];
                var detected = Scores[i] >= threshold;
                if (w >= 0)
                {
                    if (!detected)
                    {
                        fn++;
                        continue;
                    }

                    tp++;
                    if (w != lastHit)
                    {
                        lastHit = w;
                        hits++;
                        windowTerms += profile.TruePositiveWeight * Factor[i];
                    }
                }
                else if (detected)
                {
                    fp++;
                    falseAlarms += profile.FalsePositiveWeight * Factor[i];
                }
                else
                {
                    tn++;
                }
            }

            windowTerms -= profile.FalseNegativeWeight * (CountedWindows - hits);
            return new NabFileScore(Name, threshold, windowTerms + falseAlarms, tp, tn, fp, fn, Scores.Length, CountedWindows, Probation);
        }
    }

    /// <summary>All scorable rows of a corpus, sorted once by score descending, for the section 8.1 sweep.</summary>
    private sealed class SweepRows
    {
        private SweepRows(double[] descendingScores, int[] window, double[] factor, int windowSlots)
        {
            DescendingScores = descendingScores;
            Window = window;
            Factor = factor;
            WindowSlots = windowSlots;
        }

        private double[] DescendingScores { get; }

        /// <summary>Per sorted row: corpus-wide window slot, or −1 outside windows.</summary>
        private int[] Window { get; }

        private double[] Factor { get; }

        private int WindowSlots { get; }

        public static SweepRows Create(PreparedFile[] files)
        {
            var rows = 0;
            var slots = 0;
            foreach (var f in files)
            {
                rows += f.Count - f.Probation;
                slots += f.Windows;
            }

            var keys = new double[rows];
            var order = new int[rows];
            var window = new int[rows];
            var factor = new double[rows];
            var k = 0;
            var slotBase = 0;
            foreach (var f in files)
            {
                for (var i = f.Probation; i < f.Count; i++, k++)
                {
                    keys[k] = -f.Scores[i];
                    order[k] = k;
                    window[k] = f.RowWindow[i] >= 0 ? slotBase + f.RowWindow[i] : -1;
                    factor[k] = f.Factor[i];
                }

                slotBase += f.Windows;
            }

            Array.Sort(keys, order);
            var sortedWindow = new int[rows];
            var sortedFactor = new double[rows];
            for (var j = 0; j < rows; j++)
            {
                keys[j] = -keys[j];
                sortedWindow[j] = window[order[j]];
                sortedFactor[j] = factor[order[j]];
            }

            return new SweepRows(keys, sortedWindow, sortedFactor, slots);
        }

        /// <summary>The θ maximising the corpus raw score under <paramref name="profile"/>; ties keep the higher θ.</summary>
        public double BestThreshold(NabProfile profile, int countedWindows)
        {
            var scores = DescendingScores;
            var start = scores.Length > 0 && scores[0] >= NoDetectionThreshold ? Math.BitIncrement(scores[0]) : NoDetectionThreshold;
            var current = new double[WindowSlots];
            Array.Fill(current, -profile.FalseNegativeWeight);
            var total = -profile.FalseNegativeWeight * countedWindows;
            var best = total;
            var bestThreshold = start;
            var j = 0;
            while (j < scores.Length)
            {
                var s = scores[j];
                do
                {
                    var w = Window[j];
                    if (w < 0)
                    {
                        total += profile.FalsePositiveWeight * Factor[j];
                    }
                    else
                    {
                        var c = profile.TruePositiveWeight * Factor[j];
                        if (c > current[w])
                        {
                            total += c - current[w];
                            current[w] = c;
                        }
                    }

                    j++;
                }
                while (j < scores.Length && scores[j] == s);

                if (total > best)
                {
                    best = total;
                    bestThreshold = s;
                }
            }

            return bestThreshold;
        }
    }
}
