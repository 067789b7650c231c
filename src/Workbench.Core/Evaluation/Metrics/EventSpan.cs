namespace Workbench.Evaluation.Metrics;

/// <summary>One labelled event of one series while metrics are computed (rows are indices into the series).</summary>
internal struct EventSpan
{
    public int Series;
    public int? EventId;
    public int StartRow;
    public int EndRow;
    public int PointCount;
    public int FirstFlagRow; // -1 when no point of the event is flagged

    /// <summary>
    /// Appends the events of one series to <paramref name="output"/> in order of their first row. Without ids an event
    /// is a maximal run of labelled points; with ids it is every labelled point of the series carrying that id.
    /// </summary>
    public static void Extract(bool[] labels, int?[]? ids, bool[]? flags, int series, List<EventSpan> output)
    {
        if (ids is null)
        {
            for (var i = 0; i < labels.Length; i++)
            {
                if (!labels[i]) { continue; }
                var start = i;
                var firstFlag = -1;
                while (i < labels.Length && labels[i])
                {
                    if (firstFlag < 0 && flags is not null && flags[i]) { firstFlag = i; }
                    i++;
                }

                output.Add(new EventSpan
                {
                    Series = series, StartRow = start, EndRow = i - 1, PointCount = i - start, FirstFlagRow = firstFlag,
                });
            }

            return;
        }

        var byId = new Dictionary<int, int>();
        for (var i = 0; i < labels.Length; i++)
        {
            if (!labels[i])
            {
                if (ids[i].HasValue)
                {
                    throw new ArgumentException(
                        $"Series {series}, row {i}: event id {ids[i]} on a point that is not labelled as an anomaly.", "eventIds");
                }

                continue;
            }

            var id = ids[i] ?? throw new ArgumentException(
                $"Series {series}, row {i}: a labelled point has no event id.", "eventIds");
            var flagged = flags is not null && flags[i];
            if (byId.TryGetValue(id, out var k))
            {
                var e = output[k];
                e.EndRow = i;
                e.PointCount++;
                if (e.FirstFlagRow < 0 && flagged) { e.FirstFlagRow = i; }
                output[k] = e;
            }
            else
            {
                byId.Add(id, output.Count);
                output.Add(new EventSpan
                {
                    Series = series, EventId = id, StartRow = i, EndRow = i, PointCount = 1, FirstFlagRow = flagged ? i : -1,
                });
            }
        }

    }
}
