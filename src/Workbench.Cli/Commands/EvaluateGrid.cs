using System.Globalization;
using Workbench.Data;
using Workbench.Evaluation.Leaderboards;
using Workbench.Evaluation.Runs;
using Workbench.Operators.Detection;
using Workbench.Operators.Specs;
using Workbench.Cli.Infrastructure;

namespace Workbench.Cli.Commands;

/// <summary>
/// <c>evaluate --grid</c>: parameter grids expanded into detector specs (<see cref="SpecGrid"/>), and <c>--select-on</c>: the
/// best grid point per detector family chosen on some series of each dataset and scored on the others.
/// </summary>
public static class EvaluateGrid
{
    /// <summary>The specs of <paramref name="detectors"/> followed by every point of each grid, at most <paramref name="maxPoints"/> in all.</summary>
    /// <exception cref="CommandFailedException">A bad grid, or more points than <paramref name="maxPoints"/>.</exception>
    public static IReadOnlyList<string> Specs(IReadOnlyList<string>? detectors, IReadOnlyList<string>? grids, int maxPoints)
    {
        if (maxPoints < 1)
        {
            throw new CommandFailedException("--max-points must be at least 1");
        }

        var specs = new List<string>(detectors ?? []);
        foreach (var grid in grids ?? [])
        {
            try
            {
                specs.AddRange(SpecGrid.Expand(grid, Math.Max(1, maxPoints - specs.Count)).Select(p => p.Spec));
            }
            catch (OperatorSpecException e)
            {
                throw new CommandFailedException($"--grid: {e.Message}");
            }
        }

        if (specs.Count > maxPoints)
        {
            throw new CommandFailedException(string.Create(CultureInfo.InvariantCulture,
                $"--grid: {specs.Count:N0} detector specs in all, more than --max-points {maxPoints:N0}"));
        }

        return specs;
    }

    /// <summary>
    /// Splits <paramref name="set"/> into the series the best points are selected on and the rest: a fraction in (0, 1)
    /// takes the first ⌈f·n⌉ series in the dataset's (ordinal) order; otherwise a comma-separated list of series names.
    /// </summary>
    /// <exception cref="CommandFailedException">A fraction outside (0, 1), an unknown series, or a split leaving either side empty.</exception>
    public static (LabeledSeriesSet Selection, LabeledSeriesSet HeldOut) Split(LabeledSeriesSet set, string selectOn)
    {
        ArgumentNullException.ThrowIfNull(set);
        ArgumentNullException.ThrowIfNull(selectOn);
        HashSet<string> chosen;
        if (double.TryParse(selectOn, NumberStyles.Float, CultureInfo.InvariantCulture, out var fraction))
        {
            if (!(fraction > 0 && fraction < 1))
            {
                throw new CommandFailedException($"--select-on {selectOn}: a fraction must be in (0, 1), e.g. 0.5");
            }

            var ordered = set.Series.Select(s => s.Name).Order(StringComparer.Ordinal).ToList();
            chosen = [.. ordered.Take((int)Math.Ceiling(fraction * ordered.Count))];
        }
        else
        {
            chosen = [.. selectOn.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];
            var unknown = chosen.Where(n => set.Series.All(s => s.Name != n)).ToList();
            if (unknown.Count > 0)
            {
                throw new CommandFailedException($"--select-on: dataset '{set.Name}' has no series {string.Join(", ", unknown.Select(u => $"'{u}'"))}");
            }
        }

        var selection = set.Series.Where(s => chosen.Contains(s.Name)).ToList();
        var heldOut = set.Series.Where(s => !chosen.Contains(s.Name)).ToList();
        if (selection.Count == 0 || heldOut.Count == 0)
        {
            throw new CommandFailedException($"--select-on {selectOn}: dataset '{set.Name}' needs series on both sides ({selection.Count} to select on, {heldOut.Count} held out)");
        }

        return (new LabeledSeriesSet(set.Name, selection), new LabeledSeriesSet(set.Name, heldOut));
    }

    /// <summary>
    /// Evaluates every detector on the selection series, keeps the best per family by <paramref name="sortBy"/>, and returns
    /// those detectors' evaluations on the held-out series (a fair, non-oracle choice of grid point).
    /// </summary>
    public static IReadOnlyList<DetectorEvaluation> SelectAndScore(
        LabeledSeriesSet set, string selectOn, IReadOnlyList<IDetector> detectors, EvaluationOptions options, string sortBy, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(detectors);
        var (selection, heldOut) = Split(set, selectOn);
        var onSelection = Leaderboard.Create(DetectorEvaluator.Evaluate(selection, detectors, options, null, ct), sortBy).BestPerFamily();
        var chosen = onSelection.Rows.Select(r => detectors.First(d => d.Spec == r.Detector)).ToList();
        return DetectorEvaluator.Evaluate(heldOut, chosen, options, null, ct);
    }
}
