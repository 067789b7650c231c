using Workbench.Onnx;
using Workbench.Operators.Specs;

namespace Workbench.Cli.Commands;

/// <summary>The operators the command line knows: everything in Workbench.Core plus hosted extras.</summary>
public static class OperatorCatalogs
{
    /// <summary>
    /// The catalog used to parse <c>--detector</c> and <c>--forecaster</c> specs and for <c>list</c>: the built-in
    /// operators plus the ONNX forecaster (Workbench.Onnx).
    /// </summary>
    public static OperatorCatalog Cli { get; } = OperatorCatalog.BuiltIn.With(OnnxForecaster.Descriptor);
}
