using Workbench.Core;

namespace Workbench.Pipelines;

/// <summary>
/// A generator preset whose shape a <see cref="Workbench.Generation.DatasetSpec"/> cannot express (irregular cadence,
/// duplicates, malformed records, correlated channels…): seeded, deterministic labelled observations in canonical order
/// (timestamp ascending). <c>workbench generate --preset &lt;name&gt;</c> writes it like a spec preset; the same seed
/// gives a byte-identical file.
/// </summary>
public abstract class PipelineDataset
{
    /// <summary>The preset name, e.g. <c>market-ticks</c>.</summary>
    public abstract string Name { get; }

    /// <summary>One line: what the data is shaped like and which anomalies it carries.</summary>
    public abstract string Description { get; }

    /// <summary>The seed used when none is given.</summary>
    public abstract long DefaultSeed { get; }

    /// <summary>The generator's parameters as JSON (stored in the file's recipe).</summary>
    public abstract string SpecJson { get; }

    /// <summary>
    /// How <c>workbench generate</c> writes the preset; null = the defaults. A preset that carries exact re-sent rows (the
    /// market ticks' duplicates, which its pipeline must remove) declares <c>DuplicateTimestamps = Keep</c>, so the file
    /// keeps them and says so in its metadata.
    /// </summary>
    public virtual Workbench.Data.DatasetWriterOptions? WriterOptions => null;

    /// <summary>The observations for <paramref name="seed"/>, in canonical order.</summary>
    public abstract IEnumerable<LabeledObservation> Generate(long seed);
}
