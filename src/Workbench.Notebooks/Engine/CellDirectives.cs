using System.Text.RegularExpressions;

namespace Workbench.Notebooks;

/// <summary>A directive or magic in a cell could not be honoured; carries the 1-based position in the cell.</summary>
public sealed class CellDirectiveException(string message, CellPosition position) : Exception(message)
{
    /// <summary>Where the directive is.</summary>
    public CellPosition Position { get; } = position;
}

/// <summary>A <c>#r "nuget: Id, Version"</c> directive found in a cell.</summary>
/// <param name="Reference">The quoted text, e.g. <c>nuget: Plotly.NET, 6.0.0</c>.</param>
/// <param name="Id">Package id.</param>
/// <param name="Version">Requested version, or null for the highest installed.</param>
/// <param name="Line">1-based line in the cell.</param>
public sealed record NuGetDirective(string Reference, string Id, string? Version, int Line);

/// <summary>
/// What the runner does to a cell before Roslyn sees it, without moving any line (so Roslyn's positions are the cell's):
/// a first-line Polyglot kernel selector <c>#!csharp</c> / <c>#!c#</c> is blanked; <c>#!markdown</c> as first line marks a
/// cell that is not run; any other <c>#!</c> magic is an error; <c>#i</c> (package source) lines are blanked with a note;
/// <c>#r "nuget: …"</c> lines are collected for offline resolution and left for the reference resolver.
/// </summary>
public static partial class CellDirectives
{
    /// <summary>The result of <see cref="Prepare"/>.</summary>
    /// <param name="Code">The code to compile (same line count as the input).</param>
    /// <param name="IsMarkdown">True when the cell starts with <c>#!markdown</c> and is not code.</param>
    /// <param name="Packages">The <c>#r "nuget: …"</c> directives.</param>
    /// <param name="Notes">Informational notes (ignored <c>#i</c> lines).</param>
    public sealed record Prepared(string Code, bool IsMarkdown, IReadOnlyList<NuGetDirective> Packages, IReadOnlyList<string> Notes);

    /// <summary>Prepares <paramref name="source"/>; throws <see cref="CellDirectiveException"/> for an unsupported magic.</summary>
    public static Prepared Prepare(string source)
    {
        ArgumentNullException.ThrowIfNull(source);
        var lines = source.Split('\n');
        var packages = new List<NuGetDirective>();
        var notes = new List<string>();
        var firstCode = true;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimEnd('\r');
            var trimmed = line.TrimStart();
            var column = line.Length - trimmed.Length + 1;
            if (trimmed.StartsWith("#!", StringComparison.Ordinal))
            {
                var magic = trimmed.Split((char[]?)null, 2, StringSplitOptions.RemoveEmptyEntries)[0];
                if (firstCode && magic is "#!csharp" or "#!c#" or "#!C#")
                {
                    lines[i] = string.Empty;
                    firstCode = false;
                    continue;
                }

                if (firstCode && magic == "#!markdown")
                {
                    return new Prepared(string.Empty, true, [], []);
                }

                throw new CellDirectiveException(
                    $"magic command '{magic}' is not supported by the Workbench notebook runner (only a first-line #!csharp or #!markdown kernel selector)",
                    new CellPosition(i + 1, column));
            }

            if (trimmed.StartsWith("#i ", StringComparison.Ordinal) || trimmed.StartsWith("#i\t", StringComparison.Ordinal))
            {
                notes.Add($"line {i + 1}: '{trimmed}' ignored: packages resolve offline from the local NuGet packages folder");
                lines[i] = string.Empty;
                continue;
            }

            if (NuGetPattern().Match(trimmed) is { Success: true } m)
            {
                var version = m.Groups["version"].Success ? m.Groups["version"].Value.Trim() : null;
                packages.Add(new NuGetDirective(m.Groups["ref"].Value, m.Groups["id"].Value.Trim(), string.IsNullOrEmpty(version) ? null : version, i + 1));
            }

            if (trimmed.Length > 0 && !trimmed.StartsWith("//", StringComparison.Ordinal))
            {
                firstCode = false;
            }
        }

        return new Prepared(string.Join('\n', lines), false, packages, notes);
    }

    [GeneratedRegex("""^#r\s+"(?<ref>nuget:\s*(?<id>[^,"]+?)\s*(,\s*(?<version>[^"]*))?)"\s*$""")]
    private static partial Regex NuGetPattern();
}
