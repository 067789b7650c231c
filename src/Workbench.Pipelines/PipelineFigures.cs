using System.Globalization;

namespace Workbench.Pipelines;

/// <summary>A named figure a pipeline reports about its run (drift, drop counts, candles built…).</summary>
/// <param name="Name">Stable, lower-case name, e.g. <c>forecast.mae.first24h</c>.</param>
/// <param name="Value">The value.</param>
/// <param name="Unit">Its unit (<c>count</c>, <c>kW</c>, <c>%</c>, <c>ms</c>…), or empty.</param>
public sealed record PipelineFigure(string Name, double Value, string Unit)
{
    /// <summary><c>name = value unit</c>, the value with up to 6 significant digits (invariant culture).</summary>
    public override string ToString() =>
        string.Create(CultureInfo.InvariantCulture, $"{Name} = {Value:G6}{(Unit.Length == 0 ? string.Empty : " " + Unit)}");
}

/// <summary>
/// The figures of one run, in the order they were first set. A pipeline sets them from its operators (typically when
/// its stream completes); setting a name again replaces the value. Not thread-safe: a pipeline's stream is serial.
/// </summary>
public sealed class PipelineFigures
{
    private readonly List<PipelineFigure> _figures = [];
    private readonly Dictionary<string, int> _index = new(StringComparer.Ordinal);

    /// <summary>Sets figure <paramref name="name"/>.</summary>
    /// <exception cref="ArgumentException">The name is empty or the value is NaN.</exception>
    public void Set(string name, double value, string unit = "")
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(unit);
        if (double.IsNaN(value))
        {
            throw new ArgumentException($"figure '{name}' is NaN", nameof(value));
        }

        var figure = new PipelineFigure(name, value, unit);
        if (_index.TryGetValue(name, out var i))
        {
            _figures[i] = figure;
        }
        else
        {
            _index[name] = _figures.Count;
            _figures.Add(figure);
        }
    }

    /// <summary>The figure named <paramref name="name"/>, or null.</summary>
    public PipelineFigure? Get(string name) => _index.TryGetValue(name, out var i) ? _figures[i] : null;

    /// <summary>All figures, in first-set order.</summary>
    public IReadOnlyList<PipelineFigure> All => _figures;
}
