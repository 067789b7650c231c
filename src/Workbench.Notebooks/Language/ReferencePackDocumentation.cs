using System.Collections.Concurrent;
using System.Globalization;
using System.Xml;
using Microsoft.CodeAnalysis;

namespace Workbench.Notebooks;

/// <summary>
/// XML documentation of the shared framework, read from the reference pack the SDK installs beside the runtime
/// (<c>&lt;dotnet root&gt;/packs/Microsoft.NETCore.App.Ref/&lt;highest 10.x&gt;/ref/net10.0/*.xml</c>). Sessions compile
/// against the runtime's implementation assemblies, which ship without docs, and a type's docs live in the file of the
/// reference assembly that exposes it (<c>List&lt;T&gt;</c>, implemented in System.Private.CoreLib, is documented in
/// System.Collections.xml). So a member id is looked up in the files named after its namespace and its prefixes first,
/// then System.Runtime.xml, then the rest; each file is indexed once, when first needed.
/// </summary>
internal sealed class ReferencePackDocumentation : DocumentationProvider
{
    private static readonly string RuntimeDirectory = Path.GetDirectoryName(typeof(object).Assembly.Location) ?? string.Empty;

    private readonly string _folder;
    private readonly IReadOnlyList<string> _files;
    private readonly ConcurrentDictionary<string, Lazy<Dictionary<string, string>>> _indexes = new(StringComparer.OrdinalIgnoreCase);

    private ReferencePackDocumentation(string folder)
    {
        _folder = folder;
        _files = [.. Directory.EnumerateFiles(folder, "*.xml").Select(Path.GetFileNameWithoutExtension).OfType<string>().Order(StringComparer.Ordinal)];
    }

    /// <summary>The provider of the running runtime's reference pack, or null when no 10.x pack is installed.</summary>
    public static ReferencePackDocumentation? ForRunningRuntime { get; } = Create();

    /// <summary>The reference pack folder in use (for diagnostics and tests).</summary>
    public string Folder => _folder;

    /// <summary>The ref folder of the highest 10.x <c>Microsoft.NETCore.App.Ref</c> pack under the running dotnet root, or null.</summary>
    public static string? FindReferencePackFolder()
    {
        // <root>/shared/Microsoft.NETCore.App/<version>/System.Private.CoreLib.dll → <root>
        var runtimeDir = Path.GetDirectoryName(typeof(object).Assembly.Location);
        var root = runtimeDir is null ? null : Directory.GetParent(runtimeDir)?.Parent?.Parent?.FullName;
        if (root is null || !Directory.Exists(Path.Combine(root, "packs", "Microsoft.NETCore.App.Ref")))
        {
            root = Path.GetDirectoryName(Environment.ProcessPath) is { } host && Directory.Exists(Path.Combine(host, "packs")) ? host : null;
        }

        if (root is null)
        {
            return null;
        }

        var packs = Path.Combine(root, "packs", "Microsoft.NETCore.App.Ref");
        if (!Directory.Exists(packs))
        {
            return null;
        }

        var best = Directory.EnumerateDirectories(packs)
            .Select(d => (Dir: d, Version: Version.TryParse(Path.GetFileName(d).Split('-')[0], out var v) ? v : null))
            .Where(p => p.Version is { Major: 10 } && Directory.Exists(Path.Combine(p.Dir, "ref", "net10.0")))
            .OrderByDescending(p => p.Version)
            .ThenByDescending(p => Path.GetFileName(p.Dir), StringComparer.Ordinal)
            .Select(p => p.Dir)
            .FirstOrDefault();
        return best is null ? null : Path.Combine(best, "ref", "net10.0");
    }

    /// <summary>True when <paramref name="path"/> is an assembly of the running shared framework.</summary>
    public static bool IsFrameworkAssembly(string path) =>
        string.Equals(Path.GetDirectoryName(Path.GetFullPath(path))?.TrimEnd(Path.DirectorySeparatorChar), RuntimeDirectory, StringComparison.Ordinal);

    protected override string? GetDocumentationForSymbol(string documentationMemberID, CultureInfo preferredCulture, CancellationToken cancellationToken = default)
    {
        foreach (var file in Candidates(documentationMemberID))
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (Index(file).TryGetValue(documentationMemberID, out var xml))
            {
                return xml;
            }
        }

        return null;
    }

    public override bool Equals(object? obj) => ReferenceEquals(this, obj);

    public override int GetHashCode() => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(this);

    private IEnumerable<string> Candidates(string id)
    {
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var name = id.Length > 2 && id[1] == ':' ? id[2..] : id;
        var paren = name.IndexOf('(', StringComparison.Ordinal);
        if (paren >= 0)
        {
            name = name[..paren];
        }

        for (var prefix = name; prefix.Length > 0; prefix = prefix.LastIndexOf('.') is var dot and > 0 ? prefix[..dot] : string.Empty)
        {
            if (_files.Contains(prefix, StringComparer.OrdinalIgnoreCase) && seen.Add(prefix))
            {
                yield return prefix;
            }
        }

        if (seen.Add("System.Runtime"))
        {
            yield return "System.Runtime";
        }

        foreach (var file in _files.Where(seen.Add))
        {
            yield return file;
        }
    }

    private Dictionary<string, string> Index(string file) =>
        _indexes.GetOrAdd(file, f => new Lazy<Dictionary<string, string>>(() => Read(Path.Combine(_folder, f + ".xml")))).Value;

    private static Dictionary<string, string> Read(string path)
    {
        var members = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using var reader = XmlReader.Create(path, new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, IgnoreWhitespace = false, XmlResolver = null });
            reader.MoveToContent();
            while (!reader.EOF)
            {
                if (reader.NodeType == XmlNodeType.Element && reader.Name == "member" && reader.GetAttribute("name") is { } name)
                {
                    members.TryAdd(name, reader.ReadOuterXml());
                }
                else
                {
                    reader.Read();
                }
            }
        }
        catch (Exception e) when (e is XmlException or IOException or UnauthorizedAccessException)
        {
            // A damaged or unreadable file documents nothing; inspection then shows the signature alone.
        }

        return members;
    }

    private static ReferencePackDocumentation? Create() => FindReferencePackFolder() is { } folder ? new ReferencePackDocumentation(folder) : null;
}
