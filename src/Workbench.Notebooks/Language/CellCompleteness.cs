using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Workbench.Notebooks;

/// <summary>
/// Decides <see cref="CompletenessStatus"/> for a cell: directive lines are blanked first (a cell of only directives is
/// complete); Roslyn's <see cref="SyntaxFactory.IsCompleteSubmission"/> says whether more input can finish the text
/// (open braces, parentheses, strings, a statement not ended); a complete text with syntax errors is invalid.
/// </summary>
internal static class CellCompleteness
{
    private const string IndentUnit = "    ";

    private static readonly CSharpParseOptions ScriptParseOptions = new(LanguageVersion.Latest, DocumentationMode.None, SourceCodeKind.Script);

    public static CompletenessResult Assess(string code)
    {
        ArgumentNullException.ThrowIfNull(code);
        if (LanguageCellText.IsMarkdown(code))
        {
            return new CompletenessResult(CompletenessStatus.Complete, string.Empty);
        }

        var text = LanguageCellText.BlankDirectives(code);
        if (string.IsNullOrWhiteSpace(text))
        {
            return new CompletenessResult(CompletenessStatus.Complete, string.Empty);
        }

        var tree = SyntaxFactory.ParseSyntaxTree(text, ScriptParseOptions);
        var root = tree.GetRoot();
        var depth = 0;
        var unmatchedClose = false;
        foreach (var token in root.DescendantTokens())
        {
            if (token.IsMissing)
            {
                continue;
            }

            if (token.IsKind(SyntaxKind.OpenBraceToken))
            {
                depth++;
            }
            else if (token.IsKind(SyntaxKind.CloseBraceToken))
            {
                if (depth == 0)
                {
                    unmatchedClose = true;
                }
                else
                {
                    depth--;
                }
            }
        }

        // A '}' that closes nothing can never be fixed by typing more, whatever the parser's recovery makes of it.
        if (unmatchedClose || HasSkippedCloseBrace(root))
        {
            return new CompletenessResult(CompletenessStatus.Invalid, string.Empty);
        }

        if (!SyntaxFactory.IsCompleteSubmission(tree))
        {
            return new CompletenessResult(CompletenessStatus.Incomplete, string.Concat(Enumerable.Repeat(IndentUnit, depth)));
        }

        return tree.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error)
            ? new CompletenessResult(CompletenessStatus.Invalid, string.Empty)
            : new CompletenessResult(CompletenessStatus.Complete, string.Empty);
    }

    private static bool HasSkippedCloseBrace(SyntaxNode root) =>
        root.DescendantTrivia(descendIntoTrivia: true)
            .Where(t => t.IsKind(SyntaxKind.SkippedTokensTrivia))
            .SelectMany(t => t.GetStructure()!.DescendantTokens())
            .Any(t => t.IsKind(SyntaxKind.CloseBraceToken) || t.IsKind(SyntaxKind.CloseParenToken) || t.IsKind(SyntaxKind.CloseBracketToken));
}
