using System.Runtime.InteropServices;
using System.Xml.Linq;

namespace Workbench.Notebooks;

/// <summary>A package a <c>#r "nuget: …"</c> directive resolved to, and the assemblies it contributes.</summary>
/// <param name="Id">Package id as written in its folder (lower case).</param>
/// <param name="Version">The version folder used.</param>
/// <param name="Assemblies">Full paths of the <c>lib/&lt;tfm&gt;/*.dll</c> files chosen (may be empty for meta-packages).</param>
public sealed record ResolvedPackage(string Id, string Version, IReadOnlyList<string> Assemblies);

/// <summary>A <c>#r "nuget: …"</c> package (or one of its dependencies) is not in the local packages folder.</summary>
public sealed class PackageNotFoundException(string message) : Exception(message);

/// <summary>
/// Resolves <c>#r "nuget: Name, Version"</c> without network, from packages already restored on this machine (the NuGet
/// global packages folder: <c>NUGET_PACKAGES</c>, else <c>~/.nuget/packages</c>). For each package it takes
/// <c>lib/&lt;best framework ≤ net10.0&gt;/*.dll</c> and follows the dependencies of the matching group in its
/// <c>.nuspec</c>, recursively (lowest installed version satisfying the lower bound, as NuGet does). Dependencies the
/// .NET shared framework provides (<c>System.*</c>, <c>Microsoft.NETCore.*</c>, <c>NETStandard.Library</c>, or an assembly
/// of that name in the runtime folder) are skipped, and so are package assemblies the runtime already ships.
/// </summary>
public sealed class OfflineNuGet
{
    private static readonly string[] FrameworkPreference =
    [
        "net10.0", "net9.0", "net8.0", "net7.0", "net6.0", "net5.0", "netcoreapp3.1", "netcoreapp3.0", "netcoreapp2.2",
        "netcoreapp2.1", "netcoreapp2.0", "netstandard2.1", "netstandard2.0", "netstandard1.6", "netstandard1.5",
        "netstandard1.4", "netstandard1.3", "netstandard1.2", "netstandard1.1", "netstandard1.0",
    ];

    private readonly string _runtimeDir = RuntimeEnvironment.GetRuntimeDirectory();

    /// <summary>Uses <paramref name="packagesFolder"/>, or the machine's global packages folder when null.</summary>
    public OfflineNuGet(string? packagesFolder = null)
    {
        PackagesFolder = packagesFolder ?? DefaultPackagesFolder();
    }

    /// <summary>The folder searched (<c>&lt;folder&gt;/&lt;id lower&gt;/&lt;version&gt;/</c>).</summary>
    public string PackagesFolder { get; }

    /// <summary><c>NUGET_PACKAGES</c> when set, else <c>~/.nuget/packages</c>.</summary>
    public static string DefaultPackagesFolder() =>
        Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } env
            ? env
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");

    /// <summary>
    /// The package <paramref name="id"/> at <paramref name="version"/> (highest installed when null or empty) and its
    /// dependencies, the requested package first. Throws <see cref="PackageNotFoundException"/> naming what is missing.
    /// </summary>
    public IReadOnlyList<ResolvedPackage> Resolve(string id, string? version)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(id);
        var result = new List<ResolvedPackage>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        Visit(id, string.IsNullOrWhiteSpace(version) ? null : version.Trim(), exact: true, requiredBy: null, result, seen);
        return result;
    }

    private void Visit(string id, string? version, bool exact, string? requiredBy, List<ResolvedPackage> result, HashSet<string> seen)
    {
        if (!seen.Add(id))
        {
            return;
        }

        var folder = Path.Combine(PackagesFolder, id.ToLowerInvariant());
        var installed = Directory.Exists(folder)
            ? Directory.GetDirectories(folder).Select(Path.GetFileName).OfType<string>().Where(v => File.Exists(Path.Combine(folder, v, id.ToLowerInvariant() + ".nuspec")) || Directory.Exists(Path.Combine(folder, v, "lib"))).ToList()
            : [];
        if (installed.Count == 0 && requiredBy is not null && IsFrameworkProvided(id))
        {
            return;
        }

        string? chosen = version is null
            ? installed.OrderByDescending(v => v, VersionComparer.Instance).FirstOrDefault()
            : exact
                ? installed.FirstOrDefault(v => string.Equals(v, version, StringComparison.OrdinalIgnoreCase))
                : installed.Where(v => VersionComparer.Instance.Compare(v, version) >= 0).OrderBy(v => v, VersionComparer.Instance).FirstOrDefault();
        if (chosen is null)
        {
            var wanted = version is null ? "any version" : exact ? $"version {version}" : $"a version ≥ {version}";
            var have = installed.Count == 0 ? "none installed" : "installed: " + string.Join(", ", installed.OrderBy(v => v, VersionComparer.Instance));
            var by = requiredBy is null ? string.Empty : $" (needed by {requiredBy})";
            throw new PackageNotFoundException(
                $"NuGet package '{id}' {wanted} is not in the local packages folder {PackagesFolder}{by}; {have}. Restore it once (e.g. a project that references it) — notebooks resolve packages offline.");
        }

        var root = Path.Combine(folder, chosen);
        var assemblies = new List<string>();
        var lib = Path.Combine(root, "lib");
        if (Directory.Exists(lib) && BestFramework(Directory.GetDirectories(lib).Select(Path.GetFileName).OfType<string>()) is { } tfm)
        {
            assemblies.AddRange(Directory.GetFiles(Path.Combine(lib, tfm), "*.dll")
                .Where(p => !File.Exists(Path.Combine(_runtimeDir, Path.GetFileName(p))))
                .OrderBy(p => p, StringComparer.Ordinal));
        }

        result.Add(new ResolvedPackage(id.ToLowerInvariant(), chosen, assemblies));
        foreach (var (depId, depVersion) in Dependencies(Path.Combine(root, id.ToLowerInvariant() + ".nuspec")))
        {
            Visit(depId, depVersion, exact: false, requiredBy: $"{id} {chosen}", result, seen);
        }
    }

    private bool IsFrameworkProvided(string id) =>
        id.StartsWith("System.", StringComparison.OrdinalIgnoreCase)
        || id.StartsWith("Microsoft.NETCore.", StringComparison.OrdinalIgnoreCase)
        || id.Equals("NETStandard.Library", StringComparison.OrdinalIgnoreCase)
        || File.Exists(Path.Combine(_runtimeDir, id + ".dll"));

    private static IEnumerable<(string Id, string? MinVersion)> Dependencies(string nuspec)
    {
        if (!File.Exists(nuspec))
        {
            return [];
        }

        var doc = XDocument.Load(nuspec);
        var deps = doc.Descendants().FirstOrDefault(e => e.Name.LocalName == "dependencies");
        if (deps is null)
        {
            return [];
        }

        var groups = deps.Elements().Where(e => e.Name.LocalName == "group").ToList();
        IEnumerable<XElement> chosen;
        if (groups.Count == 0)
        {
            chosen = deps.Elements().Where(e => e.Name.LocalName == "dependency");
        }
        else
        {
            var byTfm = groups.ToDictionary(g => NormalizeTfm((string?)g.Attribute("targetFramework") ?? string.Empty), g => g);
            var best = BestFramework(byTfm.Keys);
            chosen = best is null
                ? byTfm.TryGetValue(string.Empty, out var any) ? any.Elements() : []
                : byTfm[best].Elements();
        }

        return chosen.Where(e => e.Name.LocalName == "dependency")
            .Select(e => ((string)e.Attribute("id")!, LowerBound((string?)e.Attribute("version"))))
            .ToList();
    }

    private static string? LowerBound(string? range)
    {
        if (string.IsNullOrWhiteSpace(range))
        {
            return null;
        }

        var r = range.Trim().TrimStart('[', '(');
        var comma = r.IndexOf(',', StringComparison.Ordinal);
        r = (comma >= 0 ? r[..comma] : r).TrimEnd(']', ')').Trim();
        return r.Length == 0 ? null : r;
    }

    private static string NormalizeTfm(string tfm)
    {
        var t = tfm.Trim().ToLowerInvariant();
        if (t.StartsWith(".netstandard", StringComparison.Ordinal))
        {
            return "netstandard" + t[".netstandard".Length..];
        }

        if (t.StartsWith(".netcoreapp", StringComparison.Ordinal))
        {
            return "netcoreapp" + t[".netcoreapp".Length..];
        }

        return t;
    }

    private static string? BestFramework(IEnumerable<string> available)
    {
        var set = available.ToDictionary(NormalizeTfm, a => a, StringComparer.Ordinal);
        foreach (var tfm in FrameworkPreference)
        {
            if (set.TryGetValue(tfm, out var original))
            {
                return original;
            }
        }

        return null;
    }

    /// <summary>Orders NuGet version strings: numeric parts, then a release above its pre-releases.</summary>
    private sealed class VersionComparer : IComparer<string>
    {
        public static readonly VersionComparer Instance = new();

        public int Compare(string? x, string? y)
        {
            var (xn, xp) = Split(x ?? string.Empty);
            var (yn, yp) = Split(y ?? string.Empty);
            for (var i = 0; i < Math.Max(xn.Length, yn.Length); i++)
            {
                var c = (i < xn.Length ? xn[i] : 0).CompareTo(i < yn.Length ? yn[i] : 0);
                if (c != 0)
                {
                    return c;
                }
            }

            return (xp, yp) switch
            {
                (null, null) => 0,
                (null, _) => 1,
                (_, null) => -1,
                _ => string.Compare(xp, yp, StringComparison.OrdinalIgnoreCase),
            };
        }

        private static (long[] Numbers, string? Pre) Split(string v)
        {
            var plus = v.IndexOf('+', StringComparison.Ordinal);
            if (plus >= 0)
            {
                v = v[..plus];
            }

            var dash = v.IndexOf('-', StringComparison.Ordinal);
            var pre = dash >= 0 ? v[(dash + 1)..] : null;
            var core = dash >= 0 ? v[..dash] : v;
            return (core.Split('.').Select(p => long.TryParse(p, out var n) ? n : 0).ToArray(), pre);
        }
    }
}
