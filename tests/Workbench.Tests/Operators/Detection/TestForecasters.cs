using Workbench.Operators.Forecasting;
using Workbench.Operators.Specs;

namespace Workbench.Tests.Operators.Detection;

/// <summary>
/// Small forecasters for detector tests, registered only in <see cref="Catalog"/> (not in the built-in catalog), so
/// nested specs naming them also prove that nested specs resolve through the catalog doing the parsing.
/// </summary>
internal static class TestForecasters
{
    public static OperatorCatalog Catalog { get; } = OperatorCatalog.BuiltIn.With(MeanForecaster.Descriptor, BandForecaster.Descriptor);
}

/// <summary><c>test-mean</c>: the mean of the present values so far; no interval.</summary>
internal sealed record MeanForecaster : IForecaster
{
    public static OperatorDescriptor<MeanForecaster> Descriptor { get; } =
        new("test-mean", OperatorKind.Forecaster, "running mean (test)", new MeanForecaster(), _ => { });

    public string Name => Descriptor.Name;

    public string Spec => Descriptor.Format(this);

    public IForecasterKernel CreateKernel() => new Kernel();

    private sealed class Kernel : IForecasterKernel
    {
        private double _sum;
        private int _n;

        public void Forecast(Span<ForecastPoint> destination) =>
            destination.Fill(_n > 0 ? ForecastPoint.Point(_sum / _n) : ForecastPoint.None);

        public void Update(DateTime timestamp, double? value)
        {
            if (value is { } v)
            {
                _sum += v;
                _n++;
            }
        }
    }
}

/// <summary><c>test-band(width=w)</c>: the last present value with the interval [last − w, last + w].</summary>
internal sealed record BandForecaster(double Width = 1) : IForecaster
{
    public static OperatorDescriptor<BandForecaster> Descriptor { get; } =
        new OperatorDescriptor<BandForecaster>("test-band", OperatorKind.Forecaster, "last value +- width (test)", new BandForecaster(), _ => { })
            .Double("width", "half-width", o => o.Width, (o, v) => o with { Width = v });

    public string Name => Descriptor.Name;

    public string Spec => Descriptor.Format(this);

    public IForecasterKernel CreateKernel() => new Kernel(Width);

    private sealed class Kernel(double width) : IForecasterKernel
    {
        private double? _last;

        public void Forecast(Span<ForecastPoint> destination) =>
            destination.Fill(_last is { } v ? new ForecastPoint(v, v - width, v + width) : ForecastPoint.None);

        public void Update(DateTime timestamp, double? value)
        {
            if (value.HasValue)
            {
                _last = value;
            }
        }
    }
}
