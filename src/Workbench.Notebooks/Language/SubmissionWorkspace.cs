using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Scripting;
using Microsoft.CodeAnalysis.Scripting;
using Microsoft.CodeAnalysis.Text;

namespace Workbench.Notebooks;

/// <summary>
/// A Roslyn workspace mirroring a session's scripting state, for completion and inspection: every cell that compiled
/// (the chain of <see cref="Script.Previous"/> from the session's last state) is a submission project
/// (<see cref="SourceCodeKind.Script"/>, <c>IsSubmission</c>, host object <see cref="NotebookGlobals"/>) referencing the one
/// before it, with the cell's own compilation options (imports, reference resolver) and references; the code being typed
/// is one more submission after the last. Projects of executed cells are added once and never change, so their
/// compilations are built once and reused; a keystroke only forks the last document. Not thread-safe: the session
/// serialises access.
/// </summary>
internal sealed class SubmissionWorkspace : IDisposable
{
    private readonly AdhocWorkspace _workspace = new();
    private readonly DocumentedReferences _references = new();
    private readonly MetadataReferenceResolver _resolver;
    private readonly CSharpCompilationOptions _templateOptions;
    private readonly CSharpParseOptions _templateParseOptions;
    private readonly List<MetadataReference> _templateReferences;
    private readonly List<Submission> _submissions = [];
    private Solution _solution;
    private DocumentId? _current;
    private string? _currentText;
    private int _generation;

    /// <summary>Creates the workspace for a session whose cells compile with <paramref name="options"/>.</summary>
    public SubmissionWorkspace(ScriptOptions options, MetadataReferenceResolver sessionResolver)
    {
        _resolver = _references.Wrap(sessionResolver);
        var template = CSharpScript.Create(string.Empty, options, typeof(NotebookGlobals)).GetCompilation();
        _templateOptions = ((CSharpCompilationOptions)template.Options).WithMetadataReferenceResolver(_resolver);
        _templateParseOptions = (CSharpParseOptions)template.SyntaxTrees.First().Options;
        _templateReferences = [.. template.References.Select(_references.Document).Distinct()];
        _solution = _workspace.CurrentSolution;
    }

    /// <summary>
    /// The document holding <paramref name="code"/> as the submission after <paramref name="last"/> (the session's latest
    /// script, null before the first cell), after adding projects for cells run since the previous call.
    /// </summary>
    public Document Document(Script? last, string code)
    {
        if (Synchronise(last) || _currentText != code)
        {
            // Same text as the last request (a completion then an inspection, or a repeated request): same document, so
            // Roslyn's cached syntax tree and semantic model are reused.
            _solution = _solution.WithDocumentText(_current!, SourceText.From(code), PreservationMode.PreserveIdentity);
            _currentText = code;
        }

        return _solution.GetDocument(_current!)!;
    }

    public void Dispose() => _workspace.Dispose();

    /// <summary>Brings the projects in line with the chain ending at <paramref name="last"/>; true when anything changed.</summary>
    private bool Synchronise(Script? last)
    {
        var chain = new List<Script>();
        for (var s = last; s is not null; s = s.Previous)
        {
            chain.Add(s);
        }

        chain.Reverse();
        var same = 0;
        while (same < chain.Count && same < _submissions.Count && ReferenceEquals(chain[same], _submissions[same].Script))
        {
            same++;
        }

        if (same == chain.Count && same == _submissions.Count && _current is not null)
        {
            return false;
        }

        if (_current is not null)
        {
            _solution = _solution.RemoveProject(_current.ProjectId);
            _current = null;
        }

        for (var i = _submissions.Count - 1; i >= same; i--)
        {
            _solution = _solution.RemoveProject(_submissions[i].Project);
            _submissions.RemoveAt(i);
        }

        for (var i = same; i < chain.Count; i++)
        {
            var compilation = chain[i].GetCompilation();
            var references = (i == 0 ? _templateReferences : _submissions[i - 1].References)
                .Concat(compilation.References.Select(_references.Document))
                .Distinct()
                .ToList();
            var options = ((CSharpCompilationOptions)compilation.Options).WithMetadataReferenceResolver(_resolver);
            var parse = compilation.SyntaxTrees.FirstOrDefault()?.Options as CSharpParseOptions ?? _templateParseOptions;
            var project = AddSubmission($"cell{i + 1}", chain[i].Code, options, parse, references, i == 0 ? null : _submissions[i - 1].Project);
            _submissions.Add(new Submission(chain[i], project.ProjectId, references));
        }

        var previous = _submissions.Count == 0 ? null : _submissions[^1];
        var currentOptions = previous is null
            ? _templateOptions
            : ((CSharpCompilationOptions)previous.Script.GetCompilation().Options).WithMetadataReferenceResolver(_resolver);
        _current = AddSubmission($"current{++_generation}", string.Empty, currentOptions, _templateParseOptions, previous?.References ?? _templateReferences, previous?.Project);
        return true;
    }

    private DocumentId AddSubmission(string name, string code, CSharpCompilationOptions options, CSharpParseOptions parse, IReadOnlyList<MetadataReference> references, ProjectId? previous)
    {
        var projectId = ProjectId.CreateNewId(name);
        var documentId = DocumentId.CreateNewId(projectId, name);
        var info = ProjectInfo.Create(
            projectId,
            VersionStamp.Create(),
            name,
            $"Workbench.Notebook.{name}",
            LanguageNames.CSharp,
            compilationOptions: options,
            parseOptions: parse.WithKind(SourceCodeKind.Script),
            documents:
            [
                DocumentInfo.Create(
                    documentId,
                    name + ".csx",
                    sourceCodeKind: SourceCodeKind.Script,
                    loader: TextLoader.From(TextAndVersion.Create(SourceText.From(code), VersionStamp.Create()))),
            ],
            projectReferences: previous is null ? null : [new ProjectReference(previous)],
            metadataReferences: references,
            isSubmission: true,
            hostObjectType: typeof(NotebookGlobals));
        _solution = _solution.AddProject(info);
        return documentId;
    }

    private sealed record Submission(Script Script, ProjectId Project, IReadOnlyList<MetadataReference> References);
}
