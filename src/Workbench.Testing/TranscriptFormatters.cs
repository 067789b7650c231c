using System.Collections.Frozen;
using System.Globalization;
using Workbench.Core;
using Workbench.Operators.Alerting;
using Workbench.Operators.Detection;
using Workbench.Operators.Forecasting;

namespace Workbench.Testing;

/// <summary>Formats one pipeline output of type <typeparamref name="T"/> as a transcript event.</summary>
public delegate TranscriptEvent TranscriptFormatter<in T>(T value, TranscriptFormat format);

/// <summary>
/// An immutable registry of formatters by exact runtime type, with a generic fallback. <see cref="Default"/> knows
/// <see cref="LabeledObservation"/>, <see cref="ScoredObservation"/>, <see cref="FlaggedObservation"/>,
/// <see cref="ForecastedObservation"/> and <see cref="AlertEvent"/>; a <see cref="TaggedEvent"/> (unless a formatter
/// is registered for it) is formatted by its inner value's formatter with the key prefixed <c>tag:</c>. Add or replace
/// a formatter with <see cref="With{T}"/>.
/// </summary>
public sealed class TranscriptFormatters
{
    /// <summary>Width of a number column (a 6-significant-digit number in exponent form fits).</summary>
    public const int NumberWidth = 12;

    private readonly FrozenDictionary<Type, Func<object, TranscriptFormat, TranscriptEvent>> _byType;

    private TranscriptFormatters(FrozenDictionary<Type, Func<object, TranscriptFormat, TranscriptEvent>> byType, Func<object?, TranscriptFormat, TranscriptEvent> fallback)
    {
        _byType = byType;
        Fallback = fallback;
    }

    /// <summary>The built-in formatters (see the class summary) and <see cref="GenericFallback"/>.</summary>
    public static TranscriptFormatters Default { get; } = CreateDefault();

    /// <summary>The formatter for values of a type without a registered one.</summary>
    public Func<object?, TranscriptFormat, TranscriptEvent> Fallback { get; }

    /// <summary>A registry with <paramref name="formatter"/> for values whose runtime type is exactly <typeparamref name="T"/>.</summary>
    public TranscriptFormatters With<T>(TranscriptFormatter<T> formatter)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        var map = _byType.ToDictionary();
        map[typeof(T)] = (o, f) => formatter((T)o, f);
        return new TranscriptFormatters(map.ToFrozenDictionary(), Fallback);
    }

    /// <summary>A registry with <paramref name="fallback"/> for unregistered types.</summary>
    public TranscriptFormatters WithFallback(Func<object?, TranscriptFormat, TranscriptEvent> fallback)
    {
        ArgumentNullException.ThrowIfNull(fallback);
        return new TranscriptFormatters(_byType, fallback);
    }

    /// <summary>Formats <paramref name="value"/> with the formatter of its runtime type, or <see cref="Fallback"/>.</summary>
    public TranscriptEvent Format(object? value, TranscriptFormat format)
    {
        ArgumentNullException.ThrowIfNull(format);
        if (value is not null && _byType.TryGetValue(value.GetType(), out var formatter))
        {
            return formatter(value, format);
        }

        return value is TaggedEvent tagged ? FormatTagged(tagged, format) : Fallback(value, format);
    }

    /// <summary>
    /// The generic fallback: key empty, text = the value's <c>ToString()</c> under the invariant culture (line
    /// breaks shown as <c>\n</c>), mark <c>*</c>, always notable. Numbers inside are not rounded: register a
    /// formatter for types that carry computed doubles.
    /// </summary>
    public static TranscriptEvent GenericFallback(object? value, TranscriptFormat format)
    {
        var previous = CultureInfo.CurrentCulture;
        string text;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
            text = value?.ToString() ?? "null";
        }
        finally
        {
            CultureInfo.CurrentCulture = previous;
        }

        return new TranscriptEvent(string.Empty, OneLine(text), TranscriptMarks.Other, Notable: true);
    }

    /// <summary>
    /// An observation: <c>value label</c>; mark <c>o</c> labelled, <c>?</c> missing, <c>-</c> otherwise; not notable.
    /// </summary>
    public static TranscriptEvent FormatObservation(LabeledObservation o, TranscriptFormat format)
    {
        ArgumentNullException.ThrowIfNull(format);
        var mark = o.Label.IsAnomaly ? TranscriptMarks.Labelled : o.IsMissing ? TranscriptMarks.Missing : TranscriptMarks.Normal;
        return new TranscriptEvent(o.Series, $"v={Col(format.Number(o.Value))} {Label(o.Label)}", mark, Notable: false, o.Label);
    }

    /// <summary>
    /// A score: <c>value score label</c>; mark <c>o</c> labelled, <c>?</c> missing value, <c>.</c> no score,
    /// <c>-</c> otherwise; not notable.
    /// </summary>
    public static TranscriptEvent FormatScored(ScoredObservation s, TranscriptFormat format)
    {
        ArgumentNullException.ThrowIfNull(format);
        var o = s.Observation;
        return new TranscriptEvent(
            o.Series,
            $"v={Col(format.Number(o.Value))} s={Col(format.Number(s.Score))} {Label(o.Label)}",
            PointMark(o, s.Score.HasValue, flagged: false),
            Notable: false,
            o.Label);
    }

    /// <summary>
    /// A flagged score: <c>value score flag label</c> with flag <c>FLAG</c> or blank; mark <c>!</c> flagged and
    /// labelled, <c>x</c> flagged and normal, else as <see cref="FormatScored"/>; notable when flagged.
    /// </summary>
    public static TranscriptEvent FormatFlagged(FlaggedObservation f, TranscriptFormat format)
    {
        ArgumentNullException.ThrowIfNull(format);
        var o = f.Observation;
        return new TranscriptEvent(
            o.Series,
            $"v={Col(format.Number(o.Value))} s={Col(format.Number(f.Score))} {(f.Flag ? "FLAG" : "    ")} {Label(o.Label)}",
            PointMark(o, f.Score.HasValue, f.Flag),
            Notable: f.Flag,
            o.Label);
    }

    /// <summary>
    /// A forecast: <c>value forecast [lower, upper] label</c>; mark <c>o</c> labelled, <c>?</c> missing value,
    /// <c>.</c> no forecast, <c>-</c> otherwise; not notable.
    /// </summary>
    public static TranscriptEvent FormatForecast(ForecastedObservation f, TranscriptFormat format)
    {
        ArgumentNullException.ThrowIfNull(format);
        var o = f.Observation;
        var p = f.Forecast;
        var interval = p.Lower.HasValue || p.Upper.HasValue ? $"[{format.Number(p.Lower)}, {format.Number(p.Upper)}]" : "[]";
        return new TranscriptEvent(
            o.Series,
            $"v={Col(format.Number(o.Value))} f={Col(format.Number(p.Value))} {Label(o.Label),-16} {interval}",
            PointMark(o, p.Value.HasValue, flagged: false),
            Notable: false,
            o.Label);
    }

    /// <summary>
    /// An alert: <c>alert #id state level peak event-time</c>; key <c>alert:series</c>; marks <c>^ + a v</c> for raised,
    /// escalated, acknowledged, resolved; always notable.
    /// </summary>
    public static TranscriptEvent FormatAlert(AlertEvent a, TranscriptFormat format)
    {
        ArgumentNullException.ThrowIfNull(format);
        var mark = a.State switch
        {
            AlertState.Raised => TranscriptMarks.AlertRaised,
            AlertState.Escalated => TranscriptMarks.AlertEscalated,
            AlertState.Acknowledged => TranscriptMarks.AlertAcknowledged,
            _ => TranscriptMarks.AlertResolved,
        };
        var text = string.Create(
            CultureInfo.InvariantCulture,
            $"alert #{a.AlertId} {a.State.ToString().ToLowerInvariant(),-12} {a.Level.ToString().ToLowerInvariant(),-8} peak={format.Number(a.PeakScore)} at {TranscriptFormat.Time(a.Timestamp)}");
        return new TranscriptEvent("alert:" + a.Series, text, mark, Notable: true);
    }

    /// <summary>A tagged value: formatted by its own type's formatter, with the key prefixed <c>tag:</c>.</summary>
    private TranscriptEvent FormatTagged(TaggedEvent t, TranscriptFormat format)
    {
        var inner = Format(t.Value, format);
        return inner with { Key = inner.Key.Length == 0 ? t.Tag : t.Tag + ":" + inner.Key };
    }

    /// <summary>The mark of a point event (see <see cref="TranscriptMarks"/>).</summary>
    public static char PointMark(in LabeledObservation o, bool hasOutput, bool flagged) =>
        flagged ? (o.Label.IsAnomaly ? TranscriptMarks.Hit : TranscriptMarks.FalseAlarm)
        : o.Label.IsAnomaly ? TranscriptMarks.Labelled
        : o.IsMissing ? TranscriptMarks.Missing
        : !hasOutput ? TranscriptMarks.NoScore
        : TranscriptMarks.Normal;

    /// <summary>A label as <c>kind#event</c>, or <c>-</c> for a normal point.</summary>
    public static string Label(AnomalyLabel label) =>
        label.IsAnomaly ? string.Create(CultureInfo.InvariantCulture, $"{label.Kind?.Name ?? "anomaly"}#{label.EventId}") : "-";

    private static string Col(string number) => number.PadLeft(NumberWidth);

    internal static string OneLine(string text) => text.Replace("\r\n", "\\n", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal).Replace("\r", "\\n", StringComparison.Ordinal);

    private static TranscriptFormatters CreateDefault()
    {
        var map = new Dictionary<Type, Func<object, TranscriptFormat, TranscriptEvent>>
        {
            [typeof(LabeledObservation)] = (o, f) => FormatObservation((LabeledObservation)o, f),
            [typeof(ScoredObservation)] = (o, f) => FormatScored((ScoredObservation)o, f),
            [typeof(FlaggedObservation)] = (o, f) => FormatFlagged((FlaggedObservation)o, f),
            [typeof(ForecastedObservation)] = (o, f) => FormatForecast((ForecastedObservation)o, f),
            [typeof(AlertEvent)] = (o, f) => FormatAlert((AlertEvent)o, f),
        };
        return new TranscriptFormatters(map.ToFrozenDictionary(), GenericFallback);
    }
}
