using System.Collections.Concurrent;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;

namespace Workbench.Notebooks;

/// <summary>
/// The metadata references of the language service: the same files as the session's, but carrying documentation
/// (framework assemblies: <see cref="ReferencePackDocumentation"/>; any other assembly: the <c>.xml</c> beside it, when
/// present). One reference object per file and alias set, shared by every submission project, so Roslyn reads each
/// file once and the submissions agree on their assemblies.
/// </summary>
internal sealed class DocumentedReferences
{
    private readonly ConcurrentDictionary<(string Path, string Aliases, bool EmbedInteropTypes), PortableExecutableReference> _byFile = new();

    /// <summary>The documented twin of <paramref name="reference"/> (itself when it is not a file).</summary>
    public MetadataReference Document(MetadataReference reference) =>
        reference is PortableExecutableReference { FilePath: { } path } pe && File.Exists(path) ? Document(path, pe.Properties) : reference;

    /// <summary>The documented reference of the file at <paramref name="path"/>.</summary>
    public PortableExecutableReference Document(string path, MetadataReferenceProperties properties)
    {
        var full = Path.GetFullPath(path);
        return _byFile.GetOrAdd((full, string.Join(',', properties.Aliases), properties.EmbedInteropTypes), _ => Create(full, properties));
    }

    /// <summary>A resolver that resolves like <paramref name="inner"/> and hands back documented references.</summary>
    public MetadataReferenceResolver Wrap(MetadataReferenceResolver inner) => new Resolver(inner, this);

    private static PortableExecutableReference Create(string path, MetadataReferenceProperties properties)
    {
        DocumentationProvider? docs = null;
        if (ReferencePackDocumentation.IsFrameworkAssembly(path))
        {
            docs = ReferencePackDocumentation.ForRunningRuntime;
        }
        else if (Path.ChangeExtension(path, ".xml") is var xml && File.Exists(xml))
        {
            docs = XmlDocumentationProvider.CreateFromFile(xml);
        }

        return MetadataReference.CreateFromFile(path, properties, docs);
    }

    private sealed class Resolver(MetadataReferenceResolver inner, DocumentedReferences owner) : MetadataReferenceResolver
    {
        public override bool ResolveMissingAssemblies => inner.ResolveMissingAssemblies;

        public override ImmutableArray<PortableExecutableReference> ResolveReference(string reference, string? baseFilePath, MetadataReferenceProperties properties)
        {
            ImmutableArray<PortableExecutableReference> resolved;
            try
            {
                resolved = inner.ResolveReference(reference, baseFilePath, properties);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or BadImageFormatException or ArgumentException)
            {
                // A broken #r in a cell being typed reports as unresolved; it must not break completion.
                return [];
            }

            return [.. resolved.Select(r => r.FilePath is { } p && File.Exists(p) ? owner.Document(p, r.Properties) : r)];
        }

        public override PortableExecutableReference? ResolveMissingAssembly(MetadataReference definition, AssemblyIdentity referenceIdentity)
        {
            var resolved = inner.ResolveMissingAssembly(definition, referenceIdentity);
            return resolved is { FilePath: { } p } && File.Exists(p) ? owner.Document(p, resolved.Properties) : resolved;
        }

        public override bool Equals(object? other) => other is Resolver r && ReferenceEquals(r.Inner, Inner);

        public override int GetHashCode() => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(inner);

        private MetadataReferenceResolver Inner => inner;
    }
}
