using Workbench.Core;

namespace Workbench.Operators.Hygiene;

/// <summary>Which of several events with the same (series, timestamp) de-duplication keeps.</summary>
public enum DuplicatePolicy
{
    /// <summary>Keep the first to arrive (default); it is passed on at once, later ones are dropped.</summary>
    KeepFirst,

    /// <summary>Keep the last to arrive, at the position of the first (so the order of series within the instant is
    /// kept). Events of an instant are held until an event with a later timestamp arrives (or the source completes).</summary>
    KeepLast,
}

/// <summary>
/// De-duplication by (series, timestamp). The input must be in non-decreasing timestamp order across the stream
/// (the model's canonical order — what files, replay and <see cref="HygieneObservable.Reorder"/> deliver); an
/// earlier timestamp fails the stream with <see cref="ObservationOrderException"/> (put <c>Reorder</c> first for
/// out-of-order sources). Each removed event counts as Duplicates and Dropped for its series. Values are not compared:
/// two events at the same instant of one series are duplicates whatever their values.
/// </summary>
/// <param name="Keep">Which event survives (default <see cref="DuplicatePolicy.KeepFirst"/>).</param>
public sealed record DeduplicateOptions(DuplicatePolicy Keep = DuplicatePolicy.KeepFirst)
{
    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> for an unknown policy.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Keep))
        {
            throw new ArgumentOutOfRangeException(nameof(Keep), Keep, "unknown duplicate policy");
        }
    }
}

/// <summary>The de-duplication kernel: holds the series seen at the current instant (and, for keep-last, their events).</summary>
internal sealed class Deduplicator(DeduplicateOptions options, HygieneLedger ledger, Action<LabeledObservation> emit)
{
    private readonly Dictionary<string, int> _instant = new(StringComparer.Ordinal);
    private readonly List<LabeledObservation> _pending = [];
    private readonly bool _keepLast = options.Keep == DuplicatePolicy.KeepLast;
    private DateTime _instantTime;
    private bool _started;

    public void Process(LabeledObservation o)
    {
        if (!_started || o.Timestamp > _instantTime)
        {
            Release();
            _instantTime = o.Timestamp;
            _started = true;
        }
        else if (o.Timestamp < _instantTime)
        {
            throw new ObservationOrderException(o.Series, o.Timestamp, _instantTime,
                "de-duplication needs non-decreasing timestamps (put Reorder before it)");
        }

        var c = ledger.For(o.Series);
        c.Seen++;
        if (_instant.TryGetValue(o.Series, out var index))
        {
            c.Duplicates++;
            c.Dropped++;
            if (_keepLast)
            {
                _pending[index] = o;
            }

            return;
        }

        if (_keepLast)
        {
            _instant.Add(o.Series, _pending.Count);
            _pending.Add(o);
        }
        else
        {
            _instant.Add(o.Series, 0);
            c.Emitted++;
            emit(o);
        }
    }

    /// <summary>Passes on the held events of the current instant (keep-last); call at completion.</summary>
    public void Release()
    {
        if (_instant.Count == 0)
        {
            return;
        }

        _instant.Clear();
        for (var i = 0; i < _pending.Count; i++)
        {
            var o = _pending[i];
            ledger.For(o.Series).Emitted++;
            emit(o);
        }

        _pending.Clear();
    }
}
