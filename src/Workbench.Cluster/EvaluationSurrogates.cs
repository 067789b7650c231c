using Workbench.Evaluation.Runs;

namespace Workbench.Cluster;

/// <summary>
/// The wire form of a <see cref="DetectorEvaluation"/> (a Workbench.Core type, so Orleans reaches it through this
/// surrogate). Every double travels as its 8 bytes, so a result computed on a silo equals the local one bit for bit.
/// <c>ByKind</c> travels as parallel arrays in its (ordinal) key order; <c>Nab</c> does not travel: NAB runs locally.
/// </summary>
[GenerateSerializer]
[Alias("Workbench.Cluster.DetectorEvaluationSurrogate")]
internal struct DetectorEvaluationSurrogate
{
    [Id(0)] public string Dataset;
    [Id(1)] public string Detector;
    [Id(2)] public string Name;
    [Id(3)] public string ThresholdStrategy;
    [Id(4)] public double Threshold;
    [Id(5)] public bool ThresholdIsOracle;
    [Id(6)] public long Rows;
    [Id(7)] public long Scored;
    [Id(8)] public long Flagged;
    [Id(9)] public double Precision;
    [Id(10)] public double Recall;
    [Id(11)] public double F1;
    [Id(12)] public double RocAuc;
    [Id(13)] public double PrAuc;
    [Id(14)] public double PointAdjustedPrecision;
    [Id(15)] public double PointAdjustedRecall;
    [Id(16)] public double PointAdjustedF1;
    [Id(17)] public double RangePrecision;
    [Id(18)] public double RangeRecall;
    [Id(19)] public double RangeF1;
    [Id(20)] public double? VusRoc;
    [Id(21)] public double? VusPr;
    [Id(22)] public double? AffiliationPrecision;
    [Id(23)] public double? AffiliationRecall;
    [Id(24)] public int Events;
    [Id(25)] public int EventsDetected;
    [Id(26)] public double EventRecall;
    [Id(27)] public double? MeanDelay;
    [Id(28)] public double? MedianDelay;
    [Id(29)] public double? MeanDelaySeconds;
    [Id(30)] public double FalseAlarmsPer1k;
    [Id(31)] public double? FalseAlarmsPerDay;
    [Id(32)] public double OracleF1;
    [Id(33)] public double OracleThreshold;
    [Id(34)] public string[] Kinds;
    [Id(35)] public KindEvaluationSurrogate[] KindValues;
}

/// <summary>The wire form of a <see cref="KindEvaluation"/>.</summary>
[GenerateSerializer]
[Alias("Workbench.Cluster.KindEvaluationSurrogate")]
internal struct KindEvaluationSurrogate
{
    [Id(0)] public int Events;
    [Id(1)] public int Detected;
    [Id(2)] public double Recall;
    [Id(3)] public double? MeanDelay;
    [Id(4)] public double? MeanDelaySeconds;
}

/// <summary>Converts <see cref="DetectorEvaluation"/> to and from its wire form.</summary>
[RegisterConverter]
internal sealed class DetectorEvaluationConverter : IConverter<DetectorEvaluation, DetectorEvaluationSurrogate>
{
    public DetectorEvaluation ConvertFromSurrogate(in DetectorEvaluationSurrogate s)
    {
        var byKind = new SortedDictionary<string, KindEvaluation>(StringComparer.Ordinal);
        for (var i = 0; i < s.Kinds.Length; i++)
        {
            var k = s.KindValues[i];
            byKind.Add(s.Kinds[i], new KindEvaluation(k.Events, k.Detected, k.Recall, k.MeanDelay, k.MeanDelaySeconds));
        }

        return new DetectorEvaluation(
            s.Dataset, s.Detector, s.Name, s.ThresholdStrategy, s.Threshold, s.ThresholdIsOracle, s.Rows, s.Scored, s.Flagged,
            s.Precision, s.Recall, s.F1, s.RocAuc, s.PrAuc, s.PointAdjustedPrecision, s.PointAdjustedRecall, s.PointAdjustedF1,
            s.RangePrecision, s.RangeRecall, s.RangeF1, s.VusRoc, s.VusPr, s.AffiliationPrecision, s.AffiliationRecall,
            s.Events, s.EventsDetected, s.EventRecall, s.MeanDelay, s.MedianDelay, s.MeanDelaySeconds, s.FalseAlarmsPer1k,
            s.FalseAlarmsPerDay, s.OracleF1, s.OracleThreshold, byKind.AsReadOnly());
    }

    public DetectorEvaluationSurrogate ConvertToSurrogate(in DetectorEvaluation e)
    {
        if (e.Nab is not null)
        {
            throw new ArgumentException("NAB evaluations are computed locally and never sent through the cluster.", nameof(e));
        }

        var kinds = e.ByKind.Keys.Order(StringComparer.Ordinal).ToArray();
        var values = new KindEvaluationSurrogate[kinds.Length];
        for (var i = 0; i < kinds.Length; i++)
        {
            var v = e.ByKind[kinds[i]];
            values[i] = new KindEvaluationSurrogate
            {
                Events = v.Events, Detected = v.Detected, Recall = v.Recall, MeanDelay = v.MeanDelay, MeanDelaySeconds = v.MeanDelaySeconds,
            };
        }

        return new DetectorEvaluationSurrogate
        {
            Dataset = e.Dataset, Detector = e.Detector, Name = e.Name, ThresholdStrategy = e.ThresholdStrategy, Threshold = e.Threshold,
            ThresholdIsOracle = e.ThresholdIsOracle, Rows = e.Rows, Scored = e.Scored, Flagged = e.Flagged, Precision = e.Precision,
            Recall = e.Recall, F1 = e.F1, RocAuc = e.RocAuc, PrAuc = e.PrAuc, PointAdjustedPrecision = e.PointAdjustedPrecision,
            PointAdjustedRecall = e.PointAdjustedRecall, PointAdjustedF1 = e.PointAdjustedF1, RangePrecision = e.RangePrecision,
            RangeRecall = e.RangeRecall, RangeF1 = e.RangeF1, VusRoc = e.VusRoc, VusPr = e.VusPr, AffiliationPrecision = e.AffiliationPrecision,
            AffiliationRecall = e.AffiliationRecall, Events = e.Events, EventsDetected = e.EventsDetected, EventRecall = e.EventRecall,
            MeanDelay = e.MeanDelay, MedianDelay = e.MedianDelay, MeanDelaySeconds = e.MeanDelaySeconds, FalseAlarmsPer1k = e.FalseAlarmsPer1k,
            FalseAlarmsPerDay = e.FalseAlarmsPerDay, OracleF1 = e.OracleF1, OracleThreshold = e.OracleThreshold,
            Kinds = kinds,
            KindValues = values,
        };
    }
}
