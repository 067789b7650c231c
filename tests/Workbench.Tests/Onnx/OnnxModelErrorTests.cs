using System.Text.Json.Nodes;
using Workbench.Onnx;
using Workbench.Operators.Specs;
using Workbench.Tests.Support;
using static Workbench.Tests.Onnx.OnnxTestKit;
using static Workbench.Tests.Operators.OperatorTestKit;

namespace Workbench.Tests.Onnx;

public class OnnxModelErrorTests
{
    [Fact]
    public void MissingModelFile_TypedErrorNamingThePath_FromKernelAndBatchPaths()
    {
        using var dir = new TempDirectory();
        var path = dir.File("absent.onnx");
        var forecaster = (OnnxForecaster)OperatorCatalog.BuiltIn.With(OnnxForecaster.Descriptor).ParseForecaster($"onnx(model={path})");

        var fromKernel = Assert.Throws<OnnxModelException>(forecaster.CreateKernel);
        var fromBatch = Assert.Throws<OnnxModelException>(() => forecaster.ForecastBatch(Series("s", 1, 2, 3)));

        foreach (var e in new[] { fromKernel, fromBatch })
        {
            Assert.Equal(path, e.FilePath);
            Assert.Equal($"ONNX model '{path}': model file not found", e.Message);
        }
    }

    [Fact]
    public void RelativeModelPath_IsResolvedAgainstTheCurrentDirectory_InTheError()
    {
        var e = Assert.Throws<OnnxModelException>(() => new OnnxForecaster("no-such-dir/model.onnx").CreateKernel());
        Assert.Equal(Path.GetFullPath("no-such-dir/model.onnx"), e.FilePath);
    }

    [Fact]
    public void MissingSidecar_TypedErrorNamingTheSidecar()
    {
        using var dir = new TempDirectory();
        File.Copy(ModelPath, dir.File("m.onnx"));

        var e = Assert.Throws<OnnxModelException>(() => OnnxModel.Load(dir.File("m.onnx")));

        Assert.Equal(dir.File("m.json"), e.FilePath);
        Assert.Contains("sidecar file not found", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SidecarWindowDisagreesWithTheModel_ErrorNamesBothShapes()
    {
        using var dir = new TempDirectory();
        var model = WithSidecar(dir, s => s["window"] = 24);

        var e = Assert.Throws<OnnxModelException>(() => new OnnxForecaster(model).CreateKernel());

        Assert.Equal(dir.File("m.json"), e.FilePath);
        Assert.Contains("the sidecar says window = 24 but the model's input 'window' has shape [batch, 48, 1]", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("inputName", "\"input\"", "the sidecar names the input 'input' but the model's input is 'window'")]
    [InlineData("outputName", "\"y\"", "the sidecar names the output 'y' but the model's outputs are 'forecast'")]
    [InlineData("window", "0", "field 'window' must be an integer in [1, 100000], got 0")]
    [InlineData("window", "\"48\"", "field 'window' must be an integer")]
    [InlineData("format", "\"something/2\"", "field 'format' is 'something/2', expected 'workbench-onnx-forecaster/1'")]
    [InlineData("residualSigma", "[1, -2]", "field 'residualSigma[1]' must be a finite number >= 0, got -2")]
    public void SidecarFieldInvalid_ErrorNamesTheField(string field, string json, string problem)
    {
        using var dir = new TempDirectory();
        var model = WithSidecar(dir, s => s[field] = JsonNode.Parse(json));

        var e = Assert.Throws<OnnxModelException>(() => OnnxModel.Load(model));

        Assert.Equal(dir.File("m.json"), e.FilePath);
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SidecarNormalisation_ZeroStdOrMissingMean_IsAnError()
    {
        using var dir = new TempDirectory();
        var zero = WithSidecar(dir, s => s["normalization"]!["std"] = 0);
        Assert.Contains("field 'normalization.std' must be > 0", Assert.Throws<OnnxModelException>(() => OnnxModel.Load(zero)).Message, StringComparison.Ordinal);

        var noMean = WithSidecar(dir, s => s["normalization"]!.AsObject().Remove("mean"));
        Assert.Contains("field 'normalization.mean' is missing", Assert.Throws<OnnxModelException>(() => OnnxModel.Load(noMean)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SidecarNotJson_AndModelNotOnnx_AreTypedErrors()
    {
        using var dir = new TempDirectory();
        File.Copy(ModelPath, dir.File("m.onnx"));
        File.WriteAllText(dir.File("m.json"), "{ window: 48");
        var notJson = Assert.Throws<OnnxModelException>(() => OnnxModel.Load(dir.File("m.onnx")));
        Assert.Contains("the sidecar is not valid JSON", notJson.Message, StringComparison.Ordinal);

        File.WriteAllText(dir.File("bad.onnx"), "this is not a protobuf");
        File.Copy(Path.Combine(ModelDirectory, "model.json"), dir.File("bad.json"));
        var notOnnx = Assert.Throws<OnnxModelException>(() => OnnxModel.Load(dir.File("bad.onnx")));
        Assert.Equal(dir.File("bad.onnx"), notOnnx.FilePath);
        Assert.Contains("OnnxRuntime cannot load the model", notOnnx.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Predict_WrongWindowCount_Throws()
    {
        using var model = OnnxModel.Load(ModelPath);
        Assert.Throws<ArgumentException>(() => model.Predict(new float[47], new float[1]));
    }

    /// <summary>Copies the committed model to <c>m.onnx</c> with its sidecar changed by <paramref name="edit"/>.</summary>
    private static string WithSidecar(TempDirectory dir, Action<JsonNode> edit)
    {
        var model = dir.File("m.onnx");
        if (!File.Exists(model))
        {
            File.Copy(ModelPath, model);
        }

        var sidecar = JsonNode.Parse(File.ReadAllText(Path.Combine(ModelDirectory, "model.json")))!;
        edit(sidecar);
        File.WriteAllText(dir.File("m.json"), sidecar.ToJsonString());
        return model;
    }
}
