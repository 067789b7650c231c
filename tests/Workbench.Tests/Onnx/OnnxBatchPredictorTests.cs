using Workbench.Onnx;
using Workbench.Tests.Support;

namespace Workbench.Tests.Onnx;

/// <summary>The reusable batched inference buffers: the same outputs as <see cref="OnnxModel.Predict"/>, at full and partial batches.</summary>
public sealed class OnnxBatchPredictorTests
{
    private static OnnxModel Model => OnnxModel.Shared(Path.Combine(TestPaths.RepoRoot, "models", "lstm-latency", "model.onnx"), 1);

    [Fact]
    public void Predict_FullAndPartialBatches_EqualOnnxModelPredict()
    {
        var model = Model;
        using var predictor = new OnnxBatchPredictor(model, 5);
        Assert.Equal((5, 48), (predictor.Capacity, predictor.WindowLength));
        var rng = new Random(11);
        var windows = new float[5 * 48];
        for (var round = 0; round < 3; round++)
        {
            for (var i = 0; i < windows.Length; i++)
            {
                windows[i] = (float)((rng.NextDouble() * 4) - 2);
            }

            foreach (var count in new[] { 5, 2, 1 })
            {
                for (var s = 0; s < count; s++)
                {
                    windows.AsSpan(s * 48, 48).CopyTo(predictor.Window(s));
                }

                var expected = new float[count];
                model.Predict(windows.AsSpan(0, count * 48), expected);
                Assert.Equal(expected, predictor.Predict(count).ToArray());
            }
        }

        Assert.Equal(9, predictor.Calls);
        Assert.Equal(24, predictor.Windows);
    }

    [Fact]
    public void Predictor_RefusesBadArguments()
    {
        Assert.Throws<ArgumentNullException>(() => new OnnxBatchPredictor(null!, 1));
        Assert.Throws<ArgumentOutOfRangeException>(() => new OnnxBatchPredictor(Model, 0));
        using var predictor = new OnnxBatchPredictor(Model, 2);
        Assert.Throws<ArgumentOutOfRangeException>(() => predictor.Window(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => predictor.Predict(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => predictor.Predict(3));
    }
}
