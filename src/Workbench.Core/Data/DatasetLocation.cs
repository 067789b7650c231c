namespace Workbench.Data;

/// <summary>
/// Where a dataset is: one file, a part folder, or a glob over part files (<c>docs/DATASET_FORMAT.md</c>, "Part
/// folders"), resolved into the ordered list of files that make it up. A folder's parts are its <c>*.parquet</c> files
/// (not those whose name starts with <c>.</c> or <c>_</c>, such as staging files or Spark's <c>_SUCCESS</c>) in ordinal
/// order of their names; a glob (<c>*</c> and <c>?</c>, in the file name only, e.g. <c>out/part-*.parquet</c>)
/// selects files the same way. Read in that order the parts are one dataset in canonical order.
/// </summary>
public sealed class DatasetLocation
{
    private DatasetLocation(string location, IReadOnlyList<string> parts, bool isMultiPart)
    {
        Location = location;
        Parts = parts;
        IsMultiPart = isMultiPart;
    }

    /// <summary>The location as given.</summary>
    public string Location { get; }

    /// <summary>The files, in dataset order (one for a plain file).</summary>
    public IReadOnlyList<string> Parts { get; }

    /// <summary>Whether the location is a folder or a glob (even if it selects one file).</summary>
    public bool IsMultiPart { get; }

    /// <summary>Whether <paramref name="location"/> has a wildcard (<c>*</c> or <c>?</c>).</summary>
    public static bool IsGlob(string location) => location.AsSpan().IndexOfAny('*', '?') >= 0;

    /// <summary>Whether <paramref name="location"/> is a folder or a glob rather than a single file.</summary>
    public static bool IsFolderOrGlob(string location)
    {
        ArgumentNullException.ThrowIfNull(location);
        return IsGlob(location) || Directory.Exists(location);
    }

    /// <summary>Resolves <paramref name="location"/> into its part files.</summary>
    /// <exception cref="FileNotFoundException">Nothing is at the location (a missing file or folder).</exception>
    /// <exception cref="DatasetFormatException">The folder or glob selects no part file, or the glob has a wildcard in a folder name.</exception>
    public static DatasetLocation Resolve(string location)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(location);
        if (IsGlob(location))
        {
            var folder = Path.GetDirectoryName(location);
            var pattern = Path.GetFileName(location);
            if (string.IsNullOrEmpty(folder))
            {
                folder = ".";
            }

            if (IsGlob(folder))
            {
                throw new DatasetFormatException(location, null, null, null, "a wildcard may only appear in the file name (e.g. 'out/part-*.parquet'), not in a folder name");
            }

            if (!Directory.Exists(folder))
            {
                throw new FileNotFoundException($"dataset folder '{folder}' of '{location}' does not exist", location);
            }

            var matched = List(folder, pattern);
            return matched.Count == 0
                ? throw new DatasetFormatException(location, null, null, null, "the pattern matches no part file (names starting with '.' or '_' are not parts)")
                : new DatasetLocation(location, matched, isMultiPart: true);
        }

        if (Directory.Exists(location))
        {
            var parts = List(location, "*.parquet");
            return parts.Count == 0
                ? throw new DatasetFormatException(location, null, null, null, "the folder holds no .parquet part file, so it is not a dataset (names starting with '.' or '_' are not parts)")
                : new DatasetLocation(location, parts, isMultiPart: true);
        }

        SafeFile.CheckInput(location, what: "dataset");
        return new DatasetLocation(location, [location], isMultiPart: false);
    }

    private static List<string> List(string folder, string pattern)
    {
        var files = Directory.EnumerateFiles(folder, pattern, new EnumerationOptions { MatchCasing = MatchCasing.CaseSensitive, RecurseSubdirectories = false })
            .Where(f => Path.GetFileName(f) is { Length: > 0 } name && name[0] is not ('.' or '_'))
            .ToList();
        files.Sort(StringComparer.Ordinal);
        return files;
    }
}
