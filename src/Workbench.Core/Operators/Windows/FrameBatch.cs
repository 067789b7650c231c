using Workbench.Core;
using Workbench.Operators.Hygiene;

namespace Workbench.Operators.Windows;

/// <summary>The array twin of <see cref="FrameObservable.Frames"/>: identical frames without Rx.</summary>
public static class FrameBatch
{
    /// <summary>The frames of <paramref name="observations"/> (one per distinct timestamp, in order).</summary>
    /// <exception cref="ObservationOrderException">A timestamp is earlier than the one before it.</exception>
    public static ObservationFrame[] Frames(IReadOnlyList<LabeledObservation> observations)
    {
        ArgumentNullException.ThrowIfNull(observations);
        var assembler = new FrameAssembler();
        var frames = new List<ObservationFrame>();
        for (var i = 0; i < observations.Count; i++)
        {
            if (assembler.Add(observations[i]) is { } frame)
            {
                frames.Add(frame);
            }
        }

        if (assembler.Flush() is { } last)
        {
            frames.Add(last);
        }

        return [.. frames];
    }
}
