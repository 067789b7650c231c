using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Workbench.Notebooks;

/// <summary>A notebook cannot be exported; the message names the notebook and the cell.</summary>
public sealed class NotebookExportException(string message) : Exception(message);

/// <summary>
/// Turns a C# notebook into a .NET 10 file-based app (<c>dotnet run app.cs</c>): <c>#r "nuget: Id, Version"</c> becomes
/// <c>#:package Id@Version</c> (the highest installed version when none is given); <c>#r</c> of a <c>Workbench.*.dll</c>
/// becomes <c>#:project</c> of its csproj under the repository's <c>src/</c> (path relative to the app file); other files
/// in <c>artifacts/notebook-lib/</c> are dependencies those projects bring and are dropped; any other <c>#r</c> is an error.
/// Cells follow in order; <c>using</c> directives are hoisted to the top and type declarations moved to the end (C#
/// requires both); a cell's trailing expression becomes <c>display(expr);</c>; markdown becomes <c>//</c> comments; a small
/// <c>display</c> local function writes the value's text to standard output. The app sets
/// <c>ManagePackageVersionsCentrally=false</c> and <c>TreatWarningsAsErrors=false</c> so it builds inside this repository too.
/// </summary>
public static class FileBasedAppExporter
{
    private static readonly CSharpParseOptions ScriptParse = CSharpParseOptions.Default.WithKind(SourceCodeKind.Script).WithLanguageVersion(LanguageVersion.Latest);

    /// <summary>
    /// The app text for <paramref name="notebook"/> (read from <paramref name="notebookPath"/>), to be written at
    /// <paramref name="outputPath"/> (used for relative <c>#:project</c> paths). <paramref name="packagesFolder"/> is the
    /// NuGet folder consulted for versionless package references (null: machine default).
    /// </summary>
    public static string Export(Notebook notebook, string notebookPath, string outputPath, string? packagesFolder = null)
    {
        ArgumentNullException.ThrowIfNull(notebook);
        ArgumentException.ThrowIfNullOrWhiteSpace(notebookPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(outputPath);
        var notebookDir = Path.GetDirectoryName(Path.GetFullPath(notebookPath))!;
        var outputDir = Path.GetDirectoryName(Path.GetFullPath(outputPath))!;
        var repoRoot = FindRepoRoot(notebookDir);
        var headers = new List<string>();
        var usings = new List<string>();
        var body = new StringBuilder();
        var types = new StringBuilder();
        for (var i = 0; i < notebook.Cells.Count; i++)
        {
            var cell = notebook.Cells[i];
            var where = $"{notebookPath}: cell {i + 1}";
            if (cell.CellType != NotebookCellType.Code)
            {
                body.Append("// ---- cell ").Append(i + 1).Append(" (markdown) ----\n");
                foreach (var line in cell.Source.ReplaceLineEndings("\n").TrimEnd('\n').Split('\n'))
                {
                    body.Append(line.Length == 0 ? "//" : "// " + line).Append('\n');
                }

                body.Append('\n');
                continue;
            }

            CellDirectives.Prepared prepared;
            try
            {
                prepared = CellDirectives.Prepare(cell.Source);
            }
            catch (CellDirectiveException e)
            {
                throw new NotebookExportException($"{where} ({e.Position}): {e.Message}");
            }

            if (prepared.IsMarkdown)
            {
                continue;
            }

            var root = (CompilationUnitSyntax)CSharpSyntaxTree.ParseText(prepared.Code, ScriptParse).GetRoot();
            if (root.GetDiagnostics().FirstOrDefault(d => d.Severity == DiagnosticSeverity.Error) is { } syntaxError)
            {
                var at = syntaxError.Location.GetLineSpan().StartLinePosition;
                throw new NotebookExportException($"{where} (line {at.Line + 1}, col {at.Character + 1}): {syntaxError.GetMessage(System.Globalization.CultureInfo.InvariantCulture)}");
            }

            foreach (var directive in root.GetReferenceDirectives())
            {
                if (Reference(directive.File.ValueText, notebookDir, outputDir, repoRoot, packagesFolder, where) is { } header && !headers.Contains(header))
                {
                    headers.Add(header);
                }
            }

            foreach (var u in root.Usings)
            {
                var text = StripDirectives(u).ToString().Trim();
                if (!usings.Contains(text))
                {
                    usings.Add(text);
                }
            }

            body.Append("// ---- cell ").Append(i + 1).Append(" ----\n");
            foreach (var member in root.Members)
            {
                switch (member)
                {
                    case BaseTypeDeclarationSyntax or DelegateDeclarationSyntax:
                        types.Append(StripDirectives(member).ToFullString().Trim('\n', '\r')).Append("\n\n");
                        break;
                    case GlobalStatementSyntax { Statement: ExpressionStatementSyntax { SemicolonToken.IsMissing: true } last }:
                        body.Append(Leading(member)).Append("display(").Append(last.Expression.ToString()).Append(");\n");
                        break;
                    case MethodDeclarationSyntax method:
                        var local = method.WithModifiers(SyntaxFactory.TokenList(method.Modifiers.Where(m => m.Kind() is SyntaxKind.StaticKeyword or SyntaxKind.AsyncKeyword or SyntaxKind.UnsafeKeyword)));
                        body.Append(StripDirectives(local).ToFullString().TrimStart('\n', '\r').TrimEnd()).Append('\n');
                        break;
                    case GlobalStatementSyntax or FieldDeclarationSyntax:
                        body.Append(StripDirectives(member).ToFullString().TrimStart('\n', '\r').TrimEnd()).Append('\n');
                        break;
                    default:
                        var pos = member.GetLocation().GetLineSpan().StartLinePosition;
                        throw new NotebookExportException($"{where} (line {pos.Line + 1}, col {pos.Character + 1}): a top-level {member.Kind()} cannot be exported to a file-based app");
                }
            }

            body.Append('\n');
        }

        var app = new StringBuilder();
        app.Append("// Exported from ").Append(Path.GetFileName(notebookPath)).Append(" by `workbench notebook export`; run with `dotnet run ").Append(Path.GetFileName(outputPath)).Append("`.\n");
        app.Append("#:property ManagePackageVersionsCentrally=false\n#:property TreatWarningsAsErrors=false\n");
        foreach (var h in headers)
        {
            app.Append(h).Append('\n');
        }

        app.Append('\n');
        foreach (var u in usings)
        {
            app.Append(u).Append('\n');
        }

        if (usings.Count > 0)
        {
            app.Append('\n');
        }

        app.Append(body);
        app.Append("// ---- notebook helpers ----\n");
        app.Append("static void display(object? value) => Console.WriteLine(value?.ToString() ?? \"<null>\");\n");
        if (types.Length > 0)
        {
            app.Append("\n// ---- types declared in cells ----\n").Append(types);
        }

        return app.ToString();
    }

    /// <summary>Reads <paramref name="notebookPath"/>, exports it and writes the app to <paramref name="outputPath"/>.</summary>
    public static void ExportFile(string notebookPath, string outputPath, string? packagesFolder = null)
    {
        var text = Export(Notebook.Load(notebookPath), notebookPath, outputPath, packagesFolder);
        var dir = Path.GetDirectoryName(Path.GetFullPath(outputPath));
        if (!string.IsNullOrEmpty(dir))
        {
            Directory.CreateDirectory(dir);
        }

        Workbench.Data.SafeFile.WriteAllText(outputPath, text, new UTF8Encoding(false));
    }

    private static string? Reference(string reference, string notebookDir, string outputDir, string? repoRoot, string? packagesFolder, string where)
    {
        if (reference.StartsWith("nuget:", StringComparison.OrdinalIgnoreCase))
        {
            var parts = reference["nuget:".Length..].Split(',', 2, StringSplitOptions.TrimEntries);
            var id = parts[0];
            var version = parts.Length > 1 && parts[1].Length > 0 ? parts[1] : null;
            if (version is null)
            {
                try
                {
                    version = new OfflineNuGet(packagesFolder).Resolve(id, null)[0].Version;
                }
                catch (PackageNotFoundException e)
                {
                    throw new NotebookExportException($"{where}: {e.Message}");
                }
            }

            return $"#:package {id}@{version}";
        }

        var name = Path.GetFileNameWithoutExtension(reference);
        if (name.StartsWith("Workbench.", StringComparison.Ordinal) && repoRoot is not null)
        {
            var csproj = Path.Combine(repoRoot, "src", name, name + ".csproj");
            if (File.Exists(csproj))
            {
                return "#:project " + Path.GetRelativePath(outputDir, csproj).Replace('\\', '/');
            }
        }

        var full = Path.GetFullPath(Path.Combine(notebookDir, reference));
        if (repoRoot is not null && full.StartsWith(Path.Combine(repoRoot, "artifacts", "notebook-lib") + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            return null;
        }

        throw new NotebookExportException($"{where}: #r \"{reference}\" cannot be exported (only nuget: packages and Workbench assemblies map to a file-based app)");
    }

    private static string? FindRepoRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Workbench.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }

    private static string Leading(SyntaxNode node) =>
        string.Concat(node.GetLeadingTrivia().Where(t => !t.IsDirective).Select(t => t.ToFullString())).TrimStart('\n', '\r');

    private static T StripDirectives<T>(T node)
        where T : SyntaxNode =>
        node.WithLeadingTrivia(node.GetLeadingTrivia().Where(t => !t.IsDirective));
}
