using Workbench.Core;
using Workbench.Operators.Detection;
using Workbench.Operators.Forecasting;

namespace Workbench.Charts;

/// <summary>
/// Everything the series chart draws for one series, as plain aligned lists (row i of every list is the same
/// observation). Build it directly from arrays, or with <see cref="FromObservations"/>, <see cref="FromFlagged"/> or
/// <see cref="FromForecasted"/>, and combine with <c>with</c> (e.g. add a forecast to flagged data).
/// </summary>
public sealed record SeriesChartData
{
    /// <summary>The series id; shown as the value line's legend entry and the default title.</summary>
    public required string SeriesName { get; init; }

    /// <summary>The timestamps (UTC or unspecified, never local), in non-decreasing order.</summary>
    public required IReadOnlyList<DateTime> Timestamps { get; init; }

    /// <summary>The values, one per timestamp; null = missing, drawn as a gap. Must be finite.</summary>
    public required IReadOnlyList<double?> Values { get; init; }

    /// <summary>The labelled anomalies to shade, coloured by kind (<see cref="ColorScheme"/>). Default: none.</summary>
    public IReadOnlyList<AnomalySpan> Anomalies { get; init; } = [];

    /// <summary>Optional detections, one flag per row: a marker on each flagged row's value. Default: none.</summary>
    public IReadOnlyList<bool>? Detections { get; init; }

    /// <summary>Optional forecast, one per row (aligned with the values it predicts): a line, and a band where
    /// <see cref="ForecastPoint.Lower"/> and <see cref="ForecastPoint.Upper"/> are given. Default: none.</summary>
    public IReadOnlyList<ForecastPoint>? Forecast { get; init; }

    /// <summary>Optional anomaly scores, one per row (null = no score): drawn in a panel below sharing the x axis.
    /// Default: none (no score panel).</summary>
    public IReadOnlyList<double?>? Scores { get; init; }

    /// <summary>Optional detection threshold, drawn as a dashed line on the score panel; requires <see cref="Scores"/>.</summary>
    public double? Threshold { get; init; }

    /// <summary>The score panel's axis title, e.g. a detector spec. Default: <c>score</c>.</summary>
    public string ScoreName { get; init; } = "score";

    /// <summary>The figure title; null = the series name.</summary>
    public string? Title { get; init; }

    /// <summary>
    /// The values and labelled anomaly spans of one series' observations (no detections, forecast or scores).
    /// </summary>
    /// <exception cref="ArgumentException">The list is empty or holds more than one series (the row is named).</exception>
    public static SeriesChartData FromObservations(IReadOnlyList<LabeledObservation> observations)
    {
        ArgumentNullException.ThrowIfNull(observations);
        var series = SingleSeries(observations.Count, i => observations[i].Series, nameof(observations));
        var timestamps = new DateTime[observations.Count];
        var values = new double?[observations.Count];
        for (var i = 0; i < observations.Count; i++)
        {
            timestamps[i] = observations[i].Timestamp;
            values[i] = observations[i].Value;
        }

        return new SeriesChartData
        {
            SeriesName = series, Timestamps = timestamps, Values = values, Anomalies = AnomalySpan.FromLabels(observations),
        };
    }

    /// <summary>
    /// One series' detector output: values, labelled spans, a marker per flagged row, the scores panel and the
    /// threshold line (pass the detector's threshold, or null to draw none).
    /// </summary>
    /// <exception cref="ArgumentException">The list is empty or holds more than one series (the row is named).</exception>
    public static SeriesChartData FromFlagged(IReadOnlyList<FlaggedObservation> flagged, double? threshold, string scoreName = "score")
    {
        ArgumentNullException.ThrowIfNull(flagged);
        var observations = new LabeledObservation[flagged.Count];
        var flags = new bool[flagged.Count];
        var scores = new double?[flagged.Count];
        for (var i = 0; i < flagged.Count; i++)
        {
            observations[i] = flagged[i].Observation;
            flags[i] = flagged[i].Flag;
            scores[i] = flagged[i].Score;
        }

        return FromObservations(observations) with
        {
            Detections = flags, Scores = scores, Threshold = threshold, ScoreName = scoreName,
        };
    }

    /// <summary>One series' forecaster output: values, labelled spans, and the forecast line with its band.</summary>
    /// <exception cref="ArgumentException">The list is empty or holds more than one series (the row is named).</exception>
    public static SeriesChartData FromForecasted(IReadOnlyList<ForecastedObservation> forecasted)
    {
        ArgumentNullException.ThrowIfNull(forecasted);
        var observations = new LabeledObservation[forecasted.Count];
        var forecast = new ForecastPoint[forecasted.Count];
        for (var i = 0; i < forecasted.Count; i++)
        {
            observations[i] = forecasted[i].Observation;
            forecast[i] = forecasted[i].Forecast;
        }

        return FromObservations(observations) with { Forecast = forecast };
    }

    private static string SingleSeries(int count, Func<int, string> seriesAt, string parameter)
    {
        if (count == 0)
        {
            throw new ArgumentException("No observations: a series chart needs at least one row.", parameter);
        }

        var series = seriesAt(0);
        for (var i = 1; i < count; i++)
        {
            var s = seriesAt(i);
            if (!string.Equals(s, series, StringComparison.Ordinal))
            {
                throw new ArgumentException($"Row {i} belongs to series '{s}' but row 0 to '{series}': a series chart shows one series (use ReplayChart for several).", parameter);
            }
        }

        return series;
    }
}
