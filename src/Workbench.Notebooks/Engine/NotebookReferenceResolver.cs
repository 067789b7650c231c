using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Scripting;
using Microsoft.CodeAnalysis.Scripting.Hosting;

namespace Workbench.Notebooks;

/// <summary>
/// Resolves a session's <c>#r</c> references. Paths are relative to the notebook's folder. <c>nuget:</c> references use
/// what <see cref="OfflineNuGet"/> resolved before compilation. Any assembly the host process can load itself (already
/// loaded or on its trusted-platform list, e.g. Workbench.Core when the CLI or the tests run the notebook) is swapped for
/// the host's own file and registered with the script loader, so one copy of each assembly exists and types compare equal
/// between notebook and host. Dependencies of referenced assemblies are found in the host, then beside the referencing file.
/// </summary>
internal sealed class NotebookReferenceResolver : MetadataReferenceResolver
{
    private readonly ScriptMetadataResolver _paths;
    private readonly InteractiveAssemblyLoader _loader;
    private readonly ConcurrentDictionary<string, ImmutableArray<PortableExecutableReference>> _packages = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _hostAssemblies;

    public NotebookReferenceResolver(string baseDirectory, InteractiveAssemblyLoader loader)
    {
        _paths = ScriptMetadataResolver.Default.WithBaseDirectory(baseDirectory);
        _loader = loader;
        _hostAssemblies = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES") is string tpa)
        {
            foreach (var path in tpa.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                _hostAssemblies.TryAdd(Path.GetFileNameWithoutExtension(path), path);
            }
        }

        foreach (var a in AssemblyLoadContext.Default.Assemblies)
        {
            if (!a.IsDynamic && !string.IsNullOrEmpty(a.Location) && a.GetName().Name is { } name)
            {
                _hostAssemblies.TryAdd(name, a.Location);
            }
        }
    }

    /// <summary>
    /// Remembers <paramref name="primary"/> as what the <c>#r "nuget: …"</c> text resolves to (Roslyn accepts one file
    /// per directive) and returns the references for the package's other assemblies, which the caller adds to the cell's
    /// options.
    /// </summary>
    public IReadOnlyList<MetadataReference> AddPackage(string reference, string primary, IEnumerable<string> others)
    {
        _packages[Normalize(reference)] = [Substitute(primary)];
        return [.. others.Select(Substitute)];
    }

    public override bool ResolveMissingAssemblies => true;

    public override ImmutableArray<PortableExecutableReference> ResolveReference(string reference, string? baseFilePath, MetadataReferenceProperties properties)
    {
        if (_packages.TryGetValue(Normalize(reference), out var package))
        {
            return package;
        }

        var resolved = _paths.ResolveReference(reference, null, properties);
        return [.. resolved.Select(r => r.FilePath is { } p ? Substitute(p) : r)];
    }

    public override PortableExecutableReference? ResolveMissingAssembly(MetadataReference definition, AssemblyIdentity referenceIdentity)
    {
        if (_hostAssemblies.ContainsKey(referenceIdentity.Name))
        {
            return FromHost(referenceIdentity.Name);
        }

        if (definition is PortableExecutableReference { FilePath: { } defPath } && Path.GetDirectoryName(defPath) is { } dir)
        {
            var beside = Path.Combine(dir, referenceIdentity.Name + ".dll");
            if (File.Exists(beside))
            {
                return MetadataReference.CreateFromFile(beside);
            }
        }

        return null;
    }

    public override bool Equals(object? other) => ReferenceEquals(this, other);

    public override int GetHashCode() => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(this);

    private PortableExecutableReference Substitute(string path)
    {
        string? name;
        try
        {
            name = AssemblyName.GetAssemblyName(path).Name;
        }
        catch (Exception e) when (e is BadImageFormatException or FileLoadException or FileNotFoundException)
        {
            return MetadataReference.CreateFromFile(path);
        }

        return name is not null && _hostAssemblies.ContainsKey(name) ? FromHost(name) : MetadataReference.CreateFromFile(path);
    }

    private PortableExecutableReference FromHost(string name)
    {
        var assembly = AssemblyLoadContext.Default.LoadFromAssemblyName(new AssemblyName(name));
        _loader.RegisterDependency(assembly);
        return MetadataReference.CreateFromFile(string.IsNullOrEmpty(assembly.Location) ? _hostAssemblies[name] : assembly.Location);
    }

    private static string Normalize(string reference) => new([.. reference.Where(c => !char.IsWhiteSpace(c))]);
}
