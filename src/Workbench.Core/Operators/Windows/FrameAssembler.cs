using Workbench.Core;
using Workbench.Operators.Hygiene;

namespace Workbench.Operators.Windows;

/// <summary>
/// The Rx-free engine behind <see cref="FrameObservable.Frames"/> and <see cref="FrameBatch.Frames"/>: collects
/// consecutive observations of equal timestamp and closes the frame when a later timestamp arrives or at the end.
/// </summary>
internal sealed class FrameAssembler
{
    private List<LabeledObservation> _open = [];
    private DateTime _timestamp;
    private string _lastSeries = string.Empty;

    /// <summary>Adds <paramref name="o"/>; returns the frame it closes, if any.</summary>
    /// <exception cref="ObservationOrderException">The timestamp is earlier than the open frame's.</exception>
    public ObservationFrame? Add(LabeledObservation o)
    {
        ObservationFrame? closed = null;
        if (_open.Count > 0)
        {
            if (o.Timestamp < _timestamp)
            {
                throw new ObservationOrderException(o.Series, o.Timestamp, _timestamp,
                    $"frames need timestamps in non-decreasing order (the previous observation was of '{_lastSeries}')");
            }

            if (o.Timestamp > _timestamp)
            {
                closed = new ObservationFrame(_timestamp, _open);
                _open = [];
            }
        }

        _timestamp = o.Timestamp;
        _lastSeries = o.Series;
        _open.Add(o);
        return closed;
    }

    /// <summary>The open frame at the end of the input, if any (and forgets it).</summary>
    public ObservationFrame? Flush()
    {
        if (_open.Count == 0)
        {
            return null;
        }

        var last = new ObservationFrame(_timestamp, _open);
        _open = [];
        return last;
    }
}
