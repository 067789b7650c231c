using Workbench.Onnx;
using Workbench.Operators.Specs;

namespace Workbench.Tests.Onnx;

public class OnnxSpecTests
{
    private static readonly OperatorCatalog Catalog = OperatorCatalog.BuiltIn.With(OnnxForecaster.Descriptor);

    [Fact]
    public void Parse_FullSpec_GivesTypedOptions_AndPrintsBackTheSame()
    {
        const string spec = "onnx(model=/data/my models/lstm.onnx,batch=64,threads=1,z=0,max-gap=3)";
        var f = Assert.IsType<OnnxForecaster>(Catalog.ParseForecaster(spec));

        Assert.Equal(new OnnxForecaster("/data/my models/lstm.onnx", 64, 1, 0, 3), f);
        Assert.Equal(spec, f.Spec);
        Assert.Equal("onnx", f.Name);
        Assert.Equal(f, Catalog.ParseForecaster(f.Spec));
    }

    [Fact]
    public void Parse_BareName_UsesDefaults_PrintedInCanonicalOrder()
    {
        var f = Assert.IsType<OnnxForecaster>(Catalog.ParseForecaster("onnx"));
        Assert.Equal(new OnnxForecaster(), f);
        Assert.Equal("onnx(model=models/lstm-latency/model.onnx,batch=128,threads=2,z=1.96,max-gap=12)", f.Spec);

        var partial = Assert.IsType<OnnxForecaster>(Catalog.ParseForecaster("onnx( z = 2.5 , model = m.onnx )"));
        Assert.Equal(new OnnxForecaster("m.onnx", Z: 2.5), partial);
    }

    [Fact]
    public void Parse_DoesNotTouchTheFileSystem()
    {
        // A spec is validated at the boundary without loading; the model file is checked when a kernel is made.
        var f = Catalog.ParseForecaster("onnx(model=does/not/exist.onnx)");
        Assert.Equal("does/not/exist.onnx", ((OnnxForecaster)f).Model);
    }

    [Theory]
    [InlineData("onnx(batch=0)", "batch must be in [1, 65536]")]
    [InlineData("onnx(batch=70000)", "batch must be in [1, 65536]")]
    [InlineData("onnx(threads=0)", "threads must be in [1, 64]")]
    [InlineData("onnx(z=-1)", "z must be in [0, 100]")]
    [InlineData("onnx(max-gap=-1)", "max-gap must be in [0, 1000000]")]
    [InlineData("onnx(batch=many)", "parameter 'batch' = 'many' is not an integer")]
    [InlineData("onnx(window=48)", "'onnx' has no parameter 'window'")]
    [InlineData("onnx(model=a(b.onnx)", "unbalanced")]
    public void Parse_InvalidOptions_ThrowNamingTheProblem(string spec, string problem)
    {
        var e = Assert.Throws<OperatorSpecException>(() => Catalog.ParseForecaster(spec));
        Assert.Contains(problem, e.Message, StringComparison.Ordinal);
        Assert.Contains(spec, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_RejectsModelPathsTheSpecCannotPrint()
    {
        Assert.Throws<ArgumentException>(() => new OnnxForecaster("a,b.onnx").Validate());
        Assert.Throws<ArgumentException>(() => new OnnxForecaster(" padded.onnx").Validate());
        Assert.Throws<ArgumentException>(() => new OnnxForecaster(string.Empty).Validate());
        Assert.Throws<ArgumentOutOfRangeException>(() => new OnnxForecaster(Z: double.NaN).Validate());
    }

    [Fact]
    public void Catalog_ListsOnnxAsAForecaster_WithItsParameters()
    {
        Assert.DoesNotContain(OperatorCatalog.BuiltIn.Descriptors, d => d.Name == "onnx");
        var d = Assert.Single(Catalog.Descriptors, d => d.Name == "onnx");
        Assert.Equal(OperatorKind.Forecaster, d.Kind);
        Assert.Equal(["model", "batch", "threads", "z", "max-gap"], d.Parameters.Select(p => p.Name));
        Assert.Equal(["string", "int", "int", "double", "int"], d.Parameters.Select(p => p.Type));
        Assert.Throws<OperatorSpecException>(() => Catalog.ParseDetector("onnx"));
    }
}
