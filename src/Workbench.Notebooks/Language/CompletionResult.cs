namespace Workbench.Notebooks;

/// <summary>One completion candidate.</summary>
/// <param name="Text">The text that replaces the span of the <see cref="CompletionResult"/> (e.g. <c>Add</c>, <c>List</c>).</param>
/// <param name="Kind">Lower-case kind: <c>method</c>, <c>property</c>, <c>field</c>, <c>event</c>, <c>local</c>, <c>parameter</c>,
/// <c>class</c>, <c>struct</c>, <c>interface</c>, <c>enum</c>, <c>enum-member</c>, <c>delegate</c>, <c>namespace</c>,
/// <c>keyword</c>, <c>constant</c>, <c>type-parameter</c>, <c>snippet</c>, or <c>text</c> when Roslyn gives no kind.</param>
/// <param name="Detail">A short note Roslyn shows beside the item (e.g. the namespace an import would add), or null.</param>
public sealed record CompletionItem(string Text, string Kind, string? Detail);

/// <summary>The answer to <see cref="NotebookSession.CompleteAsync"/>.</summary>
/// <param name="Items">Candidates in Roslyn's order (its sort text, then display text), deduplicated, filtered by what is typed.</param>
/// <param name="Start">UTF-16 offset in the code where the text to replace starts (the identifier being typed).</param>
/// <param name="End">UTF-16 offset where it ends; equal to <paramref name="Start"/> when nothing is typed yet.</param>
public sealed record CompletionResult(IReadOnlyList<CompletionItem> Items, int Start, int End);
