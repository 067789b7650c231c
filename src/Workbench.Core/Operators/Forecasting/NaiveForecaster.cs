using Workbench.Operators.Specs;

namespace Workbench.Operators.Forecasting;

/// <summary>
/// Naive forecast: every future step equals the last present value. No interval. Missing values are skipped (the
/// last present value carries). No forecast before the first present value.
/// </summary>
public sealed record NaiveForecaster : IForecaster
{
    /// <summary>Spec binding: <c>naive</c> (no parameters).</summary>
    public static OperatorDescriptor<NaiveForecaster> Descriptor { get; } =
        new("naive", OperatorKind.Forecaster, "Last present value, carried forward for every horizon step; no interval.",
            new NaiveForecaster(), _ => { });

    public string Name => Descriptor.Name;

    public string Spec => Descriptor.Format(this);

    public IForecasterKernel CreateKernel() => new Kernel();

    private sealed class Kernel : IForecasterKernel
    {
        private double? _last;

        public void Forecast(Span<ForecastPoint> destination) =>
            destination.Fill(_last is { } v ? ForecastPoint.Point(v) : ForecastPoint.None);

        public void Update(DateTime timestamp, double? value)
        {
            if (value.HasValue)
            {
                _last = value;
            }
        }
    }
}
