namespace Workbench.Import;

/// <summary>
/// Expands the inputs of an import: a file; a folder (every file with the format's extensions below it, recursively,
/// in ordinal order of relative path); or a glob whose last path segment holds <c>*</c> or <c>?</c>
/// (<c>data/*.csv</c>). Series named after files use the path relative to the folder (or the file name).
/// </summary>
internal static class ImportInputs
{
    /// <summary>File extensions per format.</summary>
    public static string[] Extensions(ImportFormat format) => format == ImportFormat.Csv ? [".csv", ".tsv", ".txt"] : [".parquet", ".pq"];

    /// <summary>The files, each with the name its series get when the file has no series column.</summary>
    /// <exception cref="ImportException">An input does not exist, or a folder or glob matches no file.</exception>
    public static IReadOnlyList<(string Path, string SeriesName)> Expand(IReadOnlyList<string> inputs, ImportFormat format)
    {
        var result = new List<(string, string)>();
        var extensions = Extensions(format);
        foreach (var input in inputs)
        {
            var name = Path.GetFileName(input);
            if (name.Contains('*', StringComparison.Ordinal) || name.Contains('?', StringComparison.Ordinal))
            {
                var dir = Path.GetDirectoryName(input) is { Length: > 0 } d ? d : ".";
                var matches = Directory.Exists(dir) ? Directory.GetFiles(dir, name).Order(StringComparer.Ordinal).ToArray() : [];
                if (matches.Length == 0)
                {
                    throw new ImportException(input, null, null, "the pattern matches no file", "check the folder and the pattern (only the last path segment may hold * or ?)");
                }

                result.AddRange(matches.Select(m => (m, Path.GetFileNameWithoutExtension(m))));
            }
            else if (Directory.Exists(input))
            {
                var files = Directory.EnumerateFiles(input, "*", SearchOption.AllDirectories)
                    .Where(f => extensions.Contains(Path.GetExtension(f), StringComparer.OrdinalIgnoreCase) && !Path.GetFileName(f).StartsWith('.'))
                    .Select(f => (Path: f, Relative: Path.GetRelativePath(input, f).Replace('\\', '/')))
                    .OrderBy(f => f.Relative, StringComparer.Ordinal)
                    .ToArray();
                if (files.Length == 0)
                {
                    throw new ImportException(input, null, null, $"the folder holds no {string.Join("/", extensions)} file",
                        $"give a folder with {format.ToString().ToLowerInvariant()} files, or the files themselves");
                }

                result.AddRange(files.Select(f => (f.Path, f.Relative[..^Path.GetExtension(f.Relative).Length])));
            }
            else if (File.Exists(input))
            {
                result.Add((input, Path.GetFileNameWithoutExtension(input)));
            }
            else
            {
                throw new ImportException(input, null, null, "no such file or folder", "check the path");
            }
        }

        return result;
    }
}
