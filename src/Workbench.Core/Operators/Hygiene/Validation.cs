using Workbench.Core;

namespace Workbench.Operators.Hygiene;

/// <summary>
/// An observation as a live source or a user projection produces it, before validation: the value is a plain
/// <see cref="double"/> and may be NaN or ±∞ (which <see cref="LabeledObservation"/> forbids). NaN is also how such
/// sources usually say "missing"; the validation policy decides what it becomes.
/// </summary>
/// <param name="Series">The series id.</param>
/// <param name="Timestamp">The instant (UTC).</param>
/// <param name="Value">The raw value, possibly non-finite.</param>
/// <param name="Label">The ground-truth label (default: normal).</param>
public readonly record struct RawObservation(string Series, DateTime Timestamp, double Value, AnomalyLabel Label = default);

/// <summary>What validation does with a NaN or ±∞ value.</summary>
public enum InvalidValuePolicy
{
    /// <summary>Keep the event with a missing (null) value (default): the series keeps its cadence and downstream
    /// operators apply their missing-value rules. Counted as NonFinite and MarkedMissing.</summary>
    MarkMissing,

    /// <summary>Drop the event. Counted as NonFinite and Dropped.</summary>
    Drop,

    /// <summary>Fail the stream with <see cref="InvalidObservationException"/>.</summary>
    Throw,
}

/// <summary>What validation does with a finite value outside the allowed range.</summary>
public enum OutOfRangePolicy
{
    /// <summary>Keep the event with a missing (null) value (default). Counted as OutOfRange and MarkedMissing.</summary>
    MarkMissing,

    /// <summary>Drop the event. Counted as OutOfRange and Dropped.</summary>
    Drop,

    /// <summary>Replace the value by the nearest bound. Counted as OutOfRange and Clamped.</summary>
    Clamp,

    /// <summary>Fail the stream with <see cref="InvalidObservationException"/>.</summary>
    Throw,
}

/// <summary>An inclusive range [Min, Max] of allowed values; a bound may be infinite for a one-sided range.</summary>
/// <param name="Min">Smallest allowed value (not NaN).</param>
/// <param name="Max">Largest allowed value (not NaN, ≥ Min).</param>
public sealed record ValueRange(double Min, double Max)
{
    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> unless Min ≤ Max and neither is NaN.</summary>
    public void Validate()
    {
        if (double.IsNaN(Min) || double.IsNaN(Max) || Min > Max)
        {
            throw new ArgumentOutOfRangeException(nameof(Min), $"range [{Min}, {Max}] is invalid: need Min <= Max, no NaN");
        }
    }

    /// <summary>Whether <paramref name="x"/> lies in [Min, Max].</summary>
    public bool Contains(double x) => x >= Min && x <= Max;
}

/// <summary>
/// Value validation. Stateless per event, so order does not matter. Each event is checked for a non-finite value
/// first (policy <see cref="NonFinite"/>), then, if it is finite and a range applies to its series, for the range
/// (policy <see cref="OutOfRange"/>); a per-series range in <see cref="SeriesRanges"/> replaces the global
/// <see cref="Range"/> for that series. Missing (null) values pass unchanged. Timestamps and labels are never
/// touched.
/// </summary>
/// <param name="NonFinite">What to do with NaN/±∞ (default <see cref="InvalidValuePolicy.MarkMissing"/>).</param>
/// <param name="Range">The allowed range for every series without its own (default null: no range check).</param>
/// <param name="OutOfRange">What to do with a value outside the range (default <see cref="OutOfRangePolicy.MarkMissing"/>).</param>
/// <param name="SeriesRanges">Per-series ranges by series id (default null: none).</param>
public sealed record ValidationOptions(
    InvalidValuePolicy NonFinite = InvalidValuePolicy.MarkMissing,
    ValueRange? Range = null,
    OutOfRangePolicy OutOfRange = OutOfRangePolicy.MarkMissing,
    IReadOnlyDictionary<string, ValueRange>? SeriesRanges = null)
{
    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for an unknown policy or an invalid range.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(NonFinite))
        {
            throw new ArgumentOutOfRangeException(nameof(NonFinite), NonFinite, "unknown non-finite policy");
        }

        if (!Enum.IsDefined(OutOfRange))
        {
            throw new ArgumentOutOfRangeException(nameof(OutOfRange), OutOfRange, "unknown out-of-range policy");
        }

        Range?.Validate();
        if (SeriesRanges is not null)
        {
            foreach (var (series, range) in SeriesRanges)
            {
                if (range is null)
                {
                    throw new ArgumentOutOfRangeException(nameof(SeriesRanges), $"series '{series}' has a null range");
                }

                range.Validate();
            }
        }
    }

    internal ValueRange? RangeFor(string series) =>
        SeriesRanges is not null && SeriesRanges.TryGetValue(series, out var r) ? r : Range;
}

/// <summary>The validation kernel: one event in, zero or one out.</summary>
internal sealed class Validator(ValidationOptions options, HygieneLedger ledger, Action<LabeledObservation> emit)
{
    private readonly SeriesState<Slot> _slots = new(() => new Slot());

    public void Process(string series, DateTime timestamp, double? value, AnomalyLabel label)
    {
        var slot = _slots.For(series);
        if (slot.Counter is null)
        {
            slot.Counter = ledger.For(series);
            slot.Range = options.RangeFor(series);
        }

        var c = slot.Counter;
        c.Seen++;
        if (value is { } x)
        {
            if (!double.IsFinite(x))
            {
                switch (options.NonFinite)
                {
                    case InvalidValuePolicy.Throw:
                        throw new InvalidObservationException(series, timestamp, x, "is not finite");
                    case InvalidValuePolicy.Drop:
                        c.NonFinite++;
                        c.Dropped++;
                        return;
                    default:
                        c.NonFinite++;
                        c.MarkedMissing++;
                        value = null;
                        break;
                }
            }
            else if (slot.Range is { } range && !range.Contains(x))
            {
                switch (options.OutOfRange)
                {
                    case OutOfRangePolicy.Throw:
                        throw new InvalidObservationException(series, timestamp, x, $"is outside [{range.Min}, {range.Max}]");
                    case OutOfRangePolicy.Drop:
                        c.OutOfRange++;
                        c.Dropped++;
                        return;
                    case OutOfRangePolicy.Clamp:
                        c.OutOfRange++;
                        c.Clamped++;
                        value = x < range.Min ? range.Min : range.Max;
                        break;
                    default:
                        c.OutOfRange++;
                        c.MarkedMissing++;
                        value = null;
                        break;
                }
            }
        }

        c.Emitted++;
        emit(new LabeledObservation(series, timestamp, value, label));
    }

    private sealed class Slot
    {
        public HygieneCounter? Counter;
        public ValueRange? Range;
    }
}
