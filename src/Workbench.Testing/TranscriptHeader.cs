using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Workbench.Generation;

namespace Workbench.Testing;

/// <summary>Header lines describing a transcript's source, for <see cref="RecordingOptions.Header"/>.</summary>
public static class TranscriptHeader
{
    /// <summary>
    /// Describes a generated dataset: one line with the seed, size and clock, one with the SHA-256 (first 16 hex
    /// digits) of the spec's canonical JSON (so any change of the spec shows), and one line per injected event
    /// (series, id, kind, first index and timestamp, length), in the generator's order.
    /// </summary>
    public static IReadOnlyList<string> ForGenerated(DatasetGenerator generator)
    {
        ArgumentNullException.ThrowIfNull(generator);
        var spec = generator.Spec;
        var json = spec.ToJson();
        var lines = new List<string>
        {
            string.Create(
                CultureInfo.InvariantCulture,
                $"dataset seed={spec.Seed} sources={spec.Sources} metrics={string.Join('+', spec.Metrics.Select(m => m.Name))} points={spec.Points} start={TranscriptFormat.Time(spec.Start)} frequency={TranscriptFormat.Duration(spec.Frequency)}"),
            "dataset spec-sha256=" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(json)))[..16],
        };
        foreach (var e in generator.Events)
        {
            lines.Add(string.Create(
                CultureInfo.InvariantCulture,
                $"event {e.Series} #{e.EventId} {e.Kind.Name} at {e.Start} ({TranscriptFormat.Time(generator.TimestampAt(e.Start))}) length {e.Length}"));
        }

        return lines;
    }
}
