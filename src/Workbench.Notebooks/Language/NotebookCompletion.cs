using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Tags;
using RoslynCompletion = Microsoft.CodeAnalysis.Completion;

namespace Workbench.Notebooks;

/// <summary>
/// Turns Roslyn's completion list at a position into a <see cref="CompletionResult"/>: the span Roslyn would replace,
/// items whose filter text starts with what is typed in that span (case-insensitive), in Roslyn's order, one item per
/// inserted text, with a lower-case kind taken from the item's tags.
/// </summary>
internal static class NotebookCompletion
{
    private static readonly (string Tag, string Kind)[] Kinds =
    [
        (WellKnownTags.Method, "method"), (WellKnownTags.ExtensionMethod, "method"), (WellKnownTags.Property, "property"),
        (WellKnownTags.Field, "field"), (WellKnownTags.Event, "event"), (WellKnownTags.Local, "local"),
        (WellKnownTags.RangeVariable, "local"), (WellKnownTags.Parameter, "parameter"), (WellKnownTags.Constant, "constant"),
        (WellKnownTags.Class, "class"), (WellKnownTags.Structure, "struct"), (WellKnownTags.Interface, "interface"),
        (WellKnownTags.Enum, "enum"), (WellKnownTags.EnumMember, "enum-member"), (WellKnownTags.Delegate, "delegate"),
        (WellKnownTags.Namespace, "namespace"), (WellKnownTags.Keyword, "keyword"), (WellKnownTags.TypeParameter, "type-parameter"),
        (WellKnownTags.Module, "class"), (WellKnownTags.Label, "label"), (WellKnownTags.Snippet, "snippet"),
    ];

    public static async Task<CompletionResult> CompleteAsync(Document document, int cursor, CancellationToken cancellationToken)
    {
        var service = RoslynCompletion.CompletionService.GetService(document);
        if (service is null)
        {
            return new CompletionResult([], cursor, cursor);
        }

        var list = await service.GetCompletionsAsync(document, cursor, cancellationToken: cancellationToken).ConfigureAwait(false);
        var span = list.Span;
        var text = await document.GetTextAsync(cancellationToken).ConfigureAwait(false);
        var typed = text.ToString(Microsoft.CodeAnalysis.Text.TextSpan.FromBounds(span.Start, Math.Min(cursor, span.End)));
        var items = new List<CompletionItem>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in list.ItemsList.Where(i => i.FilterText.StartsWith(typed, StringComparison.OrdinalIgnoreCase)).Order())
        {
            var insert = item.Properties.TryGetValue("InsertionText", out var insertion) && !string.IsNullOrEmpty(insertion) ? insertion : item.DisplayText;
            if (seen.Add(insert))
            {
                items.Add(new CompletionItem(insert, KindOf(item), string.IsNullOrEmpty(item.InlineDescription) ? null : item.InlineDescription));
            }
        }

        return new CompletionResult(items, span.Start, span.End);
    }

    private static string KindOf(RoslynCompletion.CompletionItem item)
    {
        foreach (var (tag, kind) in Kinds)
        {
            if (item.Tags.Contains(tag))
            {
                return kind;
            }
        }

        return "text";
    }
}
