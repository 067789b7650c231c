using Workbench.Operators.Detection;
using Workbench.Operators.Forecasting;

namespace Workbench.Operators.Specs;

/// <summary>
/// The operators a command line or notebook can name: parses spec strings into detectors and forecasters and
/// lists every operator with its parameters. <see cref="BuiltIn"/> holds everything in Workbench.Core; hosts add
/// operators from other assemblies (e.g. the ONNX forecaster) with <see cref="With"/>.
/// </summary>
public sealed class OperatorCatalog
{
    [ThreadStatic]
    private static OperatorCatalog? s_binding;

    private readonly Dictionary<string, IOperatorDescriptor> _byName;

    /// <summary>A catalog of <paramref name="descriptors"/>; names must be unique.</summary>
    public OperatorCatalog(IEnumerable<IOperatorDescriptor> descriptors)
    {
        ArgumentNullException.ThrowIfNull(descriptors);
        Descriptors = descriptors.ToList();
        _byName = new Dictionary<string, IOperatorDescriptor>(StringComparer.Ordinal);
        foreach (var d in Descriptors)
        {
            if (!_byName.TryAdd(d.Name, d))
            {
                throw new ArgumentException($"Two operators are named '{d.Name}'.", nameof(descriptors));
            }
        }
    }

    /// <summary>Every detector and forecaster of Workbench.Core.</summary>
    public static OperatorCatalog BuiltIn { get; } = new(DetectorRegistry.BuiltIn.Concat(ForecasterRegistry.BuiltIn));

    /// <summary>
    /// The catalog that nested specs (e.g. the forecaster inside <c>forecast-residual(forecaster=…)</c>) resolve
    /// through: while <see cref="ParseDetector"/> or <see cref="ParseForecaster"/> of a catalog binds a spec on this
    /// thread, that catalog (so operators added with <see cref="With"/> can be nested); otherwise <see cref="BuiltIn"/>.
    /// </summary>
    public static OperatorCatalog Current => s_binding ?? BuiltIn;

    /// <summary>All descriptors, detectors first, in registration order.</summary>
    public IReadOnlyList<IOperatorDescriptor> Descriptors { get; }

    /// <summary>This catalog plus <paramref name="more"/>.</summary>
    public OperatorCatalog With(params IOperatorDescriptor[] more) => new(Descriptors.Concat(more));

    /// <summary>Parses a detector spec such as <c>zscore(window=288,threshold=4)</c> or just <c>cusum</c>.</summary>
    /// <exception cref="OperatorSpecException">Unknown name, not a detector, or invalid parameters.</exception>
    public IDetector ParseDetector(string spec) => Parse<IDetector>(spec, OperatorKind.Detector);

    /// <summary>Parses a forecaster spec such as <c>holt-winters(alpha=0.5,beta=0.1,gamma=0.1,period=24)</c>.</summary>
    /// <exception cref="OperatorSpecException">Unknown name, not a forecaster, or invalid parameters.</exception>
    public IForecaster ParseForecaster(string spec) => Parse<IForecaster>(spec, OperatorKind.Forecaster);

    private T Parse<T>(string text, OperatorKind kind)
    {
        var spec = OperatorSpec.Parse(text);
        if (!_byName.TryGetValue(spec.Name, out var descriptor) || descriptor.Kind != kind)
        {
            var names = Descriptors.Where(d => d.Kind == kind).Select(d => d.Name);
            throw new OperatorSpecException(text, $"unknown {kind.ToString().ToLowerInvariant()} '{spec.Name}' (known: {string.Join(", ", names)})");
        }

        var outer = s_binding;
        s_binding = this;
        try
        {
            return (T)descriptor.Bind(spec);
        }
        finally
        {
            s_binding = outer;
        }
    }
}
