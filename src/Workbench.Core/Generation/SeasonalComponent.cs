namespace Workbench.Generation;

/// <summary>
/// One sinusoidal seasonality of a base signal: <c>Amplitude · sin(2π · ((t mod Period) / Period) + Phase)</c>,
/// where <c>t</c> is the observation index within the series (0 for the first point) and <c>mod</c> is the exact
/// floating-point remainder. Reducing <c>t</c> modulo the period first keeps the value exact and periodic for long
/// series.
/// </summary>
/// <param name="Period">The period in observations (steps); at least 2, finite. Need not be an integer.</param>
/// <param name="Amplitude">The half peak-to-peak amplitude in the metric's units; ≥ 0, finite.</param>
/// <param name="Phase">The phase in radians, in [−2π, 2π]; 0 means the component is 0 and rising at t = 0.</param>
public readonly record struct SeasonalComponent(double Period, double Amplitude, double Phase)
{
    /// <summary>The component's value at series index <paramref name="t"/>.</summary>
    public double ValueAt(long t) => Amplitude * Math.Sin((Math.Tau * ((t % Period) / Period)) + Phase);

    /// <summary>The offending key (period, amplitude or phase) and reason when the component is invalid, or null.</summary>
    internal (string Key, string Reason)? Problem()
    {
        if (!double.IsFinite(Period) || Period < 2)
        {
            return ("period", $"must be a finite number of steps ≥ 2 (was {Period})");
        }

        if (!double.IsFinite(Amplitude) || Amplitude < 0)
        {
            return ("amplitude", $"must be finite and ≥ 0 (was {Amplitude})");
        }

        if (!double.IsFinite(Phase) || Math.Abs(Phase) > Math.Tau)
        {
            return ("phase", $"must be radians in [-2π, 2π] (was {Phase})");
        }

        return null;
    }
}
