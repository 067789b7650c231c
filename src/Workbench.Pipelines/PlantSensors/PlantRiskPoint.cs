namespace Workbench.Pipelines.PlantSensors;

/// <summary>The plant's risk at one second: the channel with the highest ensemble score and that score's parts.</summary>
/// <param name="Plant">The plant (the series prefix before '/').</param>
/// <param name="Timestamp">The second.</param>
/// <param name="Risk">The plant's risk in [0, 1] (max over channels); null during warm-up.</param>
/// <param name="Channel">The channel with the highest ensemble z (empty when no channel was scored).</param>
/// <param name="EnsembleZ">That channel's ensemble z = w_onnx · OnnxZ + w_baseline · PeerZ + StuckZ.</param>
/// <param name="OnnxZ">Its ONNX residual score: |z − forecast| / running RMS residual.</param>
/// <param name="PeerZ">Its baseline score: the smoothed peer residual's standard score.</param>
/// <param name="StuckSeconds">Identical readings in a row of that channel.</param>
/// <param name="ChannelsAtWarning">Channels whose own risk is at or above the warning level.</param>
public readonly record struct PlantRiskPoint(string Plant, DateTime Timestamp, double? Risk, string Channel, double EnsembleZ, double OnnxZ, double PeerZ, int StuckSeconds, int ChannelsAtWarning);
