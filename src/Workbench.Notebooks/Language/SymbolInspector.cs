using System.Globalization;
using System.Text;
using System.Xml;
using System.Xml.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Workbench.Notebooks;

/// <summary>
/// Finds the symbol at (or just before) a position and describes it: its signature, minimally qualified at that
/// position, and its XML documentation (summary, parameters, type parameters, returns; with <c>detailLevel</c> ≥ 1 also
/// remarks and exceptions). An unresolved overload (a method group such as <c>Console.WriteLine</c> without arguments)
/// shows the overload with the fewest parameters and how many others there are.
/// </summary>
internal static class SymbolInspector
{
    private static readonly SymbolDisplayFormat Signature = new(
        globalNamespaceStyle: SymbolDisplayGlobalNamespaceStyle.Omitted,
        typeQualificationStyle: SymbolDisplayTypeQualificationStyle.NameAndContainingTypesAndNamespaces,
        genericsOptions: SymbolDisplayGenericsOptions.IncludeTypeParameters | SymbolDisplayGenericsOptions.IncludeVariance | SymbolDisplayGenericsOptions.IncludeTypeConstraints,
        memberOptions: SymbolDisplayMemberOptions.IncludeParameters | SymbolDisplayMemberOptions.IncludeType | SymbolDisplayMemberOptions.IncludeContainingType
            | SymbolDisplayMemberOptions.IncludeRef | SymbolDisplayMemberOptions.IncludeExplicitInterface | SymbolDisplayMemberOptions.IncludeConstantValue,
        delegateStyle: SymbolDisplayDelegateStyle.NameAndSignature,
        extensionMethodStyle: SymbolDisplayExtensionMethodStyle.Default,
        parameterOptions: SymbolDisplayParameterOptions.IncludeParamsRefOut | SymbolDisplayParameterOptions.IncludeType | SymbolDisplayParameterOptions.IncludeName
            | SymbolDisplayParameterOptions.IncludeDefaultValue | SymbolDisplayParameterOptions.IncludeExtensionThis | SymbolDisplayParameterOptions.IncludeOptionalBrackets,
        propertyStyle: SymbolDisplayPropertyStyle.ShowReadWriteDescriptor,
        localOptions: SymbolDisplayLocalOptions.IncludeType | SymbolDisplayLocalOptions.IncludeConstantValue | SymbolDisplayLocalOptions.IncludeRef,
        kindOptions: SymbolDisplayKindOptions.IncludeNamespaceKeyword | SymbolDisplayKindOptions.IncludeTypeKeyword,
        miscellaneousOptions: SymbolDisplayMiscellaneousOptions.UseSpecialTypes | SymbolDisplayMiscellaneousOptions.EscapeKeywordIdentifiers
            | SymbolDisplayMiscellaneousOptions.UseErrorTypeSymbolName | SymbolDisplayMiscellaneousOptions.IncludeNullableReferenceTypeModifier);

    private static readonly SymbolDisplayFormat ScriptMember = Signature.RemoveMemberOptions(SymbolDisplayMemberOptions.IncludeContainingType);

    public static async Task<InspectionResult> InspectAsync(Document document, int cursor, int detailLevel, CancellationToken cancellationToken)
    {
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        if (model is null || root is null)
        {
            return InspectionResult.NotFound;
        }

        var (symbol, overloads) = SymbolAt(model, root, cursor, cancellationToken);
        if (symbol is null && cursor > 0)
        {
            (symbol, overloads) = SymbolAt(model, root, cursor - 1, cancellationToken);
        }

        if (symbol is null)
        {
            return InspectionResult.NotFound;
        }

        var format = symbol.ContainingType is { IsScriptClass: true } ? ScriptMember : Signature;
        var position = Math.Min(cursor, root.FullSpan.End);
        // Minimal display drops the type keyword (class, record struct…), so a type is shown namespace-qualified instead.
        var signature = symbol is ITypeSymbol ? symbol.ToDisplayString(format) : symbol.ToMinimalDisplayString(model, position, format);
        if (overloads > 0)
        {
            signature += string.Create(CultureInfo.InvariantCulture, $" (+ {overloads} overload{(overloads == 1 ? string.Empty : "s")})");
        }

        var docs = Documentation(symbol, model, position, detailLevel, cancellationToken);
        var plain = docs.Length == 0 ? signature : $"{signature}\n\n{docs}";
        var markdown = docs.Length == 0 ? $"```csharp\n{signature}\n```" : $"```csharp\n{signature}\n```\n\n{docs}";
        return new InspectionResult(true, plain, markdown);
    }

    private static (ISymbol? Symbol, int Overloads) SymbolAt(SemanticModel model, SyntaxNode root, int position, CancellationToken cancellationToken)
    {
        if (position < 0 || position > root.FullSpan.End)
        {
            return (null, 0);
        }

        var token = root.FindToken(position);
        if (!token.Span.Contains(position) || !IsNameLike(token))
        {
            return (null, 0);
        }

        var node = token.Parent;
        if (node is null)
        {
            return (null, 0);
        }

        if (model.GetDeclaredSymbol(node, cancellationToken) is { } declared && DeclaresWith(node, token))
        {
            return (declared, 0);
        }

        var info = model.GetSymbolInfo(node, cancellationToken);
        if (info.Symbol is { } bound)
        {
            return (bound, 0);
        }

        var candidates = info.CandidateSymbols.IsEmpty ? model.GetMemberGroup(node, cancellationToken) : info.CandidateSymbols;
        if (!candidates.IsEmpty)
        {
            var best = candidates.OrderBy(c => c is IMethodSymbol m ? m.Parameters.Length : 0).First();
            return (best, candidates.Length - 1);
        }

        return node is ExpressionSyntax or TypeSyntax && model.GetTypeInfo(node, cancellationToken).Type is { TypeKind: not TypeKind.Error } type ? (type, 0) : (null, 0);
    }

    private static bool IsNameLike(SyntaxToken token) =>
        token.IsKind(SyntaxKind.IdentifierToken) || SyntaxFacts.IsPredefinedType(token.Kind()) || token.IsKind(SyntaxKind.ThisKeyword) || token.IsKind(SyntaxKind.BaseKeyword);

    private static bool DeclaresWith(SyntaxNode node, SyntaxToken token) => node switch
    {
        VariableDeclaratorSyntax v => v.Identifier == token,
        BaseTypeDeclarationSyntax t => t.Identifier == token,
        MethodDeclarationSyntax m => m.Identifier == token,
        LocalFunctionStatementSyntax f => f.Identifier == token,
        PropertyDeclarationSyntax p => p.Identifier == token,
        ParameterSyntax p => p.Identifier == token,
        DelegateDeclarationSyntax d => d.Identifier == token,
        EnumMemberDeclarationSyntax e => e.Identifier == token,
        SingleVariableDesignationSyntax s => s.Identifier == token,
        ForEachStatementSyntax f => f.Identifier == token,
        TypeParameterSyntax t => t.Identifier == token,
        _ => false,
    };

    private static string Documentation(ISymbol symbol, SemanticModel model, int position, int detailLevel, CancellationToken cancellationToken)
    {
        var source = symbol is IMethodSymbol { ReducedFrom: { } reduced } ? reduced : symbol;
        var xml = source.OriginalDefinition.GetDocumentationCommentXml(CultureInfo.InvariantCulture, expandIncludes: true, cancellationToken);
        if (string.IsNullOrWhiteSpace(xml))
        {
            return string.Empty;
        }

        XElement member;
        try
        {
            member = XElement.Parse(xml, LoadOptions.None);
        }
        catch (XmlException)
        {
            return string.Empty;
        }

        var parts = new List<string>();
        if (member.Element("summary") is { } summary)
        {
            parts.Add(Render(summary, model, position));
        }

        var typeParameters = member.Elements("typeparam").Select(p => $"  {p.Attribute("name")?.Value}: {Render(p, model, position)}").ToList();
        if (typeParameters.Count > 0)
        {
            parts.Add("Type parameters:\n" + string.Join('\n', typeParameters));
        }

        var parameters = member.Elements("param").Select(p => $"  {p.Attribute("name")?.Value}: {Render(p, model, position)}").ToList();
        if (parameters.Count > 0)
        {
            parts.Add("Parameters:\n" + string.Join('\n', parameters));
        }

        if (member.Element("returns") is { } returns)
        {
            parts.Add("Returns: " + Render(returns, model, position));
        }

        if (member.Element("value") is { } value && symbol is IPropertySymbol)
        {
            parts.Add("Value: " + Render(value, model, position));
        }

        if (detailLevel > 0)
        {
            if (member.Element("remarks") is { } remarks)
            {
                parts.Add("Remarks: " + Render(remarks, model, position));
            }

            var exceptions = member.Elements("exception").Select(e => $"  {CrefText(e.Attribute("cref")?.Value, model, position)}: {Render(e, model, position)}").ToList();
            if (exceptions.Count > 0)
            {
                parts.Add("Exceptions:\n" + string.Join('\n', exceptions));
            }
        }

        return string.Join("\n\n", parts.Where(p => p.Length > 0));
    }

    private static string Render(XElement element, SemanticModel model, int position)
    {
        var text = new StringBuilder();
        Append(element, text, model, position);
        var lines = text.ToString().Split('\n').Select(l => string.Join(' ', l.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries)));
        return string.Join('\n', lines).Trim();
    }

    private static void Append(XElement element, StringBuilder text, SemanticModel model, int position)
    {
        foreach (var node in element.Nodes())
        {
            switch (node)
            {
                case XText t:
                    text.Append(t.Value.Replace('\n', ' ').Replace('\r', ' '));
                    break;
                case XElement { Name.LocalName: "see" or "seealso" } see:
                    text.Append(see.Attribute("langword")?.Value ?? (see.IsEmpty ? CrefText(see.Attribute("cref")?.Value ?? see.Attribute("href")?.Value, model, position) : see.Value));
                    break;
                case XElement { Name.LocalName: "paramref" or "typeparamref" } reference:
                    text.Append(reference.Attribute("name")?.Value);
                    break;
                case XElement { Name.LocalName: "para" or "br" } para:
                    text.Append('\n');
                    Append(para, text, model, position);
                    text.Append('\n');
                    break;
                case XElement child:
                    Append(child, text, model, position);
                    break;
            }
        }
    }

    private static string CrefText(string? cref, SemanticModel model, int position)
    {
        if (string.IsNullOrEmpty(cref))
        {
            return string.Empty;
        }

        if (DocumentationCommentId.GetFirstSymbolForDeclarationId(cref, model.Compilation) is { } target)
        {
            return target.ToMinimalDisplayString(model, position, SymbolDisplayFormat.MinimallyQualifiedFormat);
        }

        var name = cref.Length > 2 && cref[1] == ':' ? cref[2..] : cref;
        var paren = name.IndexOf('(', StringComparison.Ordinal);
        name = paren >= 0 ? name[..paren] : name;
        return name[(name.LastIndexOf('.') + 1)..];
    }
}
