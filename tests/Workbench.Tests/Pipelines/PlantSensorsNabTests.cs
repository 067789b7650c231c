using Workbench.Core;
using Workbench.Import;
using Workbench.Pipelines;
using Workbench.Pipelines.PlantSensors;
using Workbench.Tests.Support;
using Xunit.Abstractions;

namespace Workbench.Tests.Pipelines;

/// <summary>
/// The plant sensor monitor on NAB's <c>realKnownCause/machine_temperature_system_failure</c> (one industrial machine's
/// temperature every 5 minutes, 4 labelled windows ending in a failure): a single channel, so the peer baseline has no
/// peers and the risk comes from the ONNX term alone.
/// </summary>
public sealed class PlantSensorsNabTests(ITestOutputHelper output)
{
    [SkippableFact]
    public void MachineTemperature_FromNab_IsMonitoredWithoutFalseAlarms()
    {
        var corpus = NabCorpus.Load(TestPaths.RequireNab());
        var s = corpus.ToSeriesSet().Series.Single(x => x.Name == "realKnownCause/machine_temperature_system_failure");
        var data = Enumerable.Range(0, s.Count).Select(i => new LabeledObservation(s.Name, s.Timestamps[i], s.Values[i], s.Labels[i])).ToArray();
        var run = PipelineRunner.Run(new PlantSensorsPipeline(), data);
        foreach (var line in run.Describe(10))
        {
            output.WriteLine(line);
        }

        Assert.Equal(22_695, run.Observations);
        Assert.Equal(4, run.Evaluation.Events);
        Assert.Equal(1, run.Figures.Single(f => f.Name == "channels").Value);
        Assert.True(run.Evaluation.Detected >= 1, $"detected {run.Evaluation.Detected} of 4 windows");
        Assert.True(run.Evaluation.FalseAlarms <= 1, $"{run.Evaluation.FalseAlarms} false alarms");
    }
}
