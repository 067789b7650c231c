using System.Globalization;

namespace Workbench.Operators.Specs;

/// <summary>What kind of operator a descriptor describes.</summary>
public enum OperatorKind
{
    /// <summary>Scores every observation (see <see cref="Detection.IDetector"/>).</summary>
    Detector,

    /// <summary>Forecasts the next values (see <see cref="Forecasting.IForecaster"/>).</summary>
    Forecaster,
}

/// <summary>One parameter of an operator, as <c>workbench list</c> shows it.</summary>
/// <param name="Name">The key in the spec string.</param>
/// <param name="Type">int, double, bool, or a choice written <c>a|b|c</c>.</param>
/// <param name="Default">The default as spec text.</param>
/// <param name="Description">Meaning, unit and valid range.</param>
public sealed record OperatorParameter(string Name, string Type, string Default, string Description);

/// <summary>Non-generic view of a descriptor, for catalogs and listings.</summary>
public interface IOperatorDescriptor
{
    /// <summary>The spec name, e.g. <c>zscore</c>.</summary>
    string Name { get; }

    /// <summary>Detector or forecaster.</summary>
    OperatorKind Kind { get; }

    /// <summary>One sentence: what it does and what its score/forecast means.</summary>
    string Description { get; }

    /// <summary>The parameters with their defaults, in canonical order.</summary>
    IReadOnlyList<OperatorParameter> Parameters { get; }

    /// <summary>Binds a parsed spec (whose name is <see cref="Name"/>) to validated options.</summary>
    object Bind(OperatorSpec spec);
}

/// <summary>
/// Binds compact spec strings to a typed, validated options record and prints options back, so that
/// <c>Parse(Format(o)) == o</c>. Parameters are declared once with their getter, parser, default and description.
/// </summary>
/// <typeparam name="TOptions">The options record.</typeparam>
public sealed class OperatorDescriptor<TOptions> : IOperatorDescriptor
    where TOptions : notnull
{
    private readonly List<Binding> _bindings = [];
    private readonly Action<TOptions> _validate;

    /// <summary>Creates a descriptor; <paramref name="validate"/> throws <see cref="ArgumentException"/> for bad options.</summary>
    public OperatorDescriptor(string name, OperatorKind kind, string description, TOptions defaults, Action<TOptions> validate)
    {
        Name = name;
        Kind = kind;
        Description = description;
        Defaults = defaults;
        _validate = validate;
    }

    public string Name { get; }

    public OperatorKind Kind { get; }

    public string Description { get; }

    /// <summary>The options a bare name (e.g. <c>cusum</c>) stands for.</summary>
    public TOptions Defaults { get; }

    public IReadOnlyList<OperatorParameter> Parameters =>
        _bindings.Select(b => new OperatorParameter(b.Name, b.Type, b.Get(Defaults), b.Description)).ToList();

    /// <summary>Declares an integer parameter.</summary>
    public OperatorDescriptor<TOptions> Int(string name, string description, Func<TOptions, int> get, Func<TOptions, int, TOptions> set) =>
        Add(name, "int", description, o => OperatorSpec.Format(get(o)), (o, text) =>
            int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v)
                ? set(o, v)
                : throw Bad(name, text, long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out _) || text.TrimStart('-').All(char.IsAsciiDigit)
                    ? $"an integer in [{int.MinValue}, {int.MaxValue}] (windows and sizes are limited to {OperatorLimits.MaxWindow})"
                    : "an integer"));

    /// <summary>Declares a floating-point parameter.</summary>
    public OperatorDescriptor<TOptions> Double(string name, string description, Func<TOptions, double> get, Func<TOptions, double, TOptions> set) =>
        Add(name, "double", description, o => OperatorSpec.Format(get(o)), (o, text) =>
            double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) && double.IsFinite(v)
                ? set(o, v)
                : throw Bad(name, text, "a finite number"));

    /// <summary>Declares a boolean parameter (<c>true</c>/<c>false</c>).</summary>
    public OperatorDescriptor<TOptions> Bool(string name, string description, Func<TOptions, bool> get, Func<TOptions, bool, TOptions> set) =>
        Add(name, "bool", description, o => get(o) ? "true" : "false", (o, text) => text switch
        {
            "true" => set(o, true),
            "false" => set(o, false),
            _ => throw Bad(name, text, "true or false"),
        });

    /// <summary>Declares an enum parameter, spelled in lower case with '-' between words (e.g. <c>multiplicative</c>).</summary>
    public OperatorDescriptor<TOptions> Choice<TEnum>(string name, string description, Func<TOptions, TEnum> get, Func<TOptions, TEnum, TOptions> set)
        where TEnum : struct, Enum
    {
        var names = Enum.GetValues<TEnum>().ToDictionary(SpecName, v => v, StringComparer.Ordinal);
        return Add(name, string.Join('|', names.Keys), description, o => SpecName(get(o)), (o, text) =>
            names.TryGetValue(text.ToLowerInvariant(), out var v) ? set(o, v) : throw Bad(name, text, $"one of {string.Join(", ", names.Keys)}"));
    }

    /// <summary>Declares a text parameter (no ',', '(', ')' or '=').</summary>
    public OperatorDescriptor<TOptions> Text(string name, string description, Func<TOptions, string> get, Func<TOptions, string, TOptions> set) =>
        Add(name, "string", description, get, set);

    /// <summary>
    /// Declares a parameter with its own type name (as <c>workbench list</c> shows it) and text conversion, e.g. an
    /// optional number or a nested operator spec. <paramref name="set"/> throws <see cref="FormatException"/> for bad text.
    /// </summary>
    public OperatorDescriptor<TOptions> Custom(string name, string type, string description, Func<TOptions, string> get, Func<TOptions, string, TOptions> set) =>
        Add(name, type, description, get, set);

    /// <summary>Parses <paramref name="text"/> (a spec string of this operator) into validated options.</summary>
    /// <exception cref="OperatorSpecException">Unknown parameter, bad value or invalid options.</exception>
    public TOptions Parse(string text) => Bind(OperatorSpec.Parse(text));

    /// <summary>Binds a parsed spec: defaults, then each argument, then validation.</summary>
    public TOptions Bind(OperatorSpec spec)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (spec.Name != Name)
        {
            throw new OperatorSpecException(spec.ToString(), $"expected operator '{Name}'");
        }

        var options = Defaults;
        foreach (var (key, value) in spec.Arguments)
        {
            var binding = _bindings.Find(b => b.Name == key)
                ?? throw new OperatorSpecException(spec.ToString(),
                    $"'{Name}' has no parameter '{key}' (parameters: {string.Join(", ", _bindings.Select(b => b.Name))})");
            try
            {
                options = binding.Set(options, value);
            }
            catch (FormatException e)
            {
                throw new OperatorSpecException(spec.ToString(), e.Message);
            }
        }

        try
        {
            _validate(options);
        }
        catch (ArgumentException e)
        {
            // ArgumentException appends "(Parameter 'X')" and the actual value on new lines: keep the sentence only.
            var message = e.Message.ReplaceLineEndings(" ");
            var cut = message.IndexOf(" (Parameter '", StringComparison.Ordinal);
            throw new OperatorSpecException(spec.ToString(), cut >= 0 ? message[..cut] : message);
        }

        return options;
    }

    object IOperatorDescriptor.Bind(OperatorSpec spec) => Bind(spec);

    /// <summary>Prints <paramref name="options"/> as a spec with every parameter, in canonical order.</summary>
    public string Format(TOptions options) =>
        new OperatorSpec(Name, _bindings.Select(b => new KeyValuePair<string, string>(b.Name, b.Get(options))).ToList()).ToString();

    private OperatorDescriptor<TOptions> Add(string name, string type, string description, Func<TOptions, string> get, Func<TOptions, string, TOptions> set)
    {
        if (_bindings.Exists(b => b.Name == name))
        {
            throw new InvalidOperationException($"Parameter '{name}' is declared twice for '{Name}'.");
        }

        _bindings.Add(new Binding(name, type, description, get, set));
        return this;
    }

    private static FormatException Bad(string name, string text, string expected) => new($"parameter '{name}' = '{text}' is not {expected}");

    private static string SpecName<TEnum>(TEnum value)
        where TEnum : struct, Enum
    {
        var s = value.ToString();
        var chars = new List<char>(s.Length + 4);
        for (var i = 0; i < s.Length; i++)
        {
            if (i > 0 && char.IsUpper(s[i]))
            {
                chars.Add('-');
            }

            chars.Add(char.ToLowerInvariant(s[i]));
        }

        return new string([.. chars]);
    }

    private sealed record Binding(string Name, string Type, string Description, Func<TOptions, string> Get, Func<TOptions, string, TOptions> Set);
}
