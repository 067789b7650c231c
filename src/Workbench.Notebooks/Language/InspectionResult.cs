namespace Workbench.Notebooks;

/// <summary>The answer to <see cref="NotebookSession.InspectAsync"/>.</summary>
/// <param name="Found">True when a symbol is at (or just before) the cursor.</param>
/// <param name="PlainText">Its signature, a blank line and its documentation (summary, parameters, returns); empty when not found.</param>
/// <param name="Markdown">The same as Markdown (the signature in a <c>csharp</c> code block), or null when not found.</param>
public sealed record InspectionResult(bool Found, string PlainText, string? Markdown)
{
    /// <summary>Nothing at the cursor.</summary>
    public static InspectionResult NotFound { get; } = new(false, string.Empty, null);
}
