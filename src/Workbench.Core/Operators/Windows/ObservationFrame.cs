using Workbench.Core;

namespace Workbench.Operators.Windows;

/// <summary>
/// All observations that share one timestamp (one tick of several concurrent series, e.g. every channel of a plant at
/// one second), in arrival order. Built by <see cref="FrameObservable.Frames"/> and <see cref="FrameBatch.Frames"/>.
/// </summary>
/// <param name="Timestamp">The shared timestamp.</param>
/// <param name="Observations">The observations with that timestamp, in arrival order (at least one).</param>
public sealed record ObservationFrame(DateTime Timestamp, IReadOnlyList<LabeledObservation> Observations);
