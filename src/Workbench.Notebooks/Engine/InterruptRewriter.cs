using System.Globalization;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Text;

namespace Workbench.Notebooks;

/// <summary>
/// Makes cell code interruptible without moving a line: an interrupt check (<see cref="CellInterrupt.Check"/>) is
/// inserted right after the <c>{</c> of every loop body (<c>while</c>, <c>do</c>, <c>for</c>, <c>foreach</c>; a
/// single-statement body becomes <c>{ check; statement }</c> on its own line), of every method, local function,
/// accessor, constructor, operator, lambda and anonymous-method block body, and before every <c>goto</c>. Nothing is
/// inserted that contains a newline, so lines keep their numbers; the <see cref="ColumnMap"/> turns positions in the
/// rewritten code back into the user's columns. Code that does not parse is left as it is (the compiler reports the
/// errors at the user's positions).
/// </summary>
internal static class InterruptRewriter
{
    private static readonly CSharpParseOptions ParseOptions = CSharpParseOptions.Default
        .WithKind(SourceCodeKind.Script)
        .WithLanguageVersion(LanguageVersion.Preview);

    /// <summary>Inserts the checks of <paramref name="slot"/> into <paramref name="code"/>.</summary>
    public static (string Code, ColumnMap Map) Rewrite(string code, int slot)
    {
        ArgumentNullException.ThrowIfNull(code);
        var tree = CSharpSyntaxTree.ParseText(code, ParseOptions);
        if (tree.GetDiagnostics().Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            return (code, ColumnMap.Identity);
        }

        var check = $"global::Workbench.Notebooks.CellInterrupt.Check({slot.ToString(CultureInfo.InvariantCulture)});";
        var insertions = new List<Insertion>();
        foreach (var node in tree.GetRoot().DescendantNodes())
        {
            switch (node)
            {
                case WhileStatementSyntax w:
                    AddBody(w.Statement);
                    break;
                case DoStatementSyntax d:
                    AddBody(d.Statement);
                    break;
                case ForStatementSyntax f:
                    AddBody(f.Statement);
                    break;
                case CommonForEachStatementSyntax fe:
                    AddBody(fe.Statement);
                    break;
                case GotoStatementSyntax g:
                    AddWrapped(g);
                    break;
                case BaseMethodDeclarationSyntax { Body: { } body }:
                    AddAfterBrace(body);
                    break;
                case LocalFunctionStatementSyntax { Body: { } body }:
                    AddAfterBrace(body);
                    break;
                case AccessorDeclarationSyntax { Body: { } body }:
                    AddAfterBrace(body);
                    break;
                case AnonymousFunctionExpressionSyntax { Block: { } body }:
                    AddAfterBrace(body);
                    break;
                default:
                    break;
            }
        }

        if (insertions.Count == 0)
        {
            return (code, ColumnMap.Identity);
        }

        // At one position a closing brace (ending the statement before it) goes before an opening text.
        insertions.Sort((a, b) => a.Position != b.Position ? a.Position.CompareTo(b.Position) : a.Order.CompareTo(b.Order));
        var text = tree.GetText();
        var changes = insertions.Select(i => new TextChange(new TextSpan(i.Position, 0), i.Text));
        var rewritten = text.WithChanges(changes).ToString();
        var perLine = new Dictionary<int, List<(int Column, int Length)>>();
        foreach (var i in insertions)
        {
            var at = text.Lines.GetLinePosition(i.Position);
            if (!perLine.TryGetValue(at.Line, out var list))
            {
                perLine[at.Line] = list = [];
            }

            list.Add((at.Character, i.Text.Length));
        }

        return (rewritten, new ColumnMap(perLine));

        void AddBody(StatementSyntax body)
        {
            switch (body)
            {
                case BlockSyntax block:
                    AddAfterBrace(block);
                    break;
                case LocalDeclarationStatementSyntax or LabeledStatementSyntax or LocalFunctionStatementSyntax:
                    // Not allowed as an embedded statement: wrapping it in a block would hide the compiler's error.
                    break;
                default:
                    AddWrapped(body);
                    break;
            }
        }

        void AddWrapped(StatementSyntax statement)
        {
            insertions.Add(new Insertion(statement.SpanStart, 1, "{ " + check + " "));
            insertions.Add(new Insertion(statement.Span.End, 0, " }"));
        }

        void AddAfterBrace(BlockSyntax block)
        {
            if (!block.OpenBraceToken.IsMissing)
            {
                insertions.Add(new Insertion(block.OpenBraceToken.Span.End, 1, " " + check));
            }
        }
    }

    private readonly record struct Insertion(int Position, int Order, string Text);
}

/// <summary>
/// Maps 0-based columns of rewritten cell code back to the user's columns (line numbers are unchanged). A position
/// inside inserted text maps to the column where it was inserted.
/// </summary>
internal sealed class ColumnMap
{
    private readonly IReadOnlyDictionary<int, List<(int Column, int Length)>> _perLine;

    public ColumnMap(IReadOnlyDictionary<int, List<(int Column, int Length)>> perLine) => _perLine = perLine;

    /// <summary>No insertions.</summary>
    public static ColumnMap Identity { get; } = new(new Dictionary<int, List<(int Column, int Length)>>());

    /// <summary>The user's 0-based column of 0-based <paramref name="column"/> on 0-based <paramref name="line"/>.</summary>
    public int ToOriginal(int line, int column)
    {
        if (!_perLine.TryGetValue(line, out var insertions))
        {
            return column;
        }

        var shift = 0;
        foreach (var (at, length) in insertions)
        {
            var start = at + shift;
            if (column < start)
            {
                break;
            }

            if (column < start + length)
            {
                return at;
            }

            shift += length;
        }

        return column - shift;
    }
}
