namespace Workbench.Notebooks;

/// <summary>Whether a cell's text is ready to run (Jupyter's <c>is_complete_request</c>).</summary>
public enum CompletenessStatus
{
    /// <summary>Runs as it is: a complete submission without syntax errors (or only directives).</summary>
    Complete,

    /// <summary>More input is expected: an open brace, parenthesis, string or a statement not yet ended.</summary>
    Incomplete,

    /// <summary>Complete but with a syntax error that typing more cannot fix (e.g. an unmatched <c>}</c>); run it to see the error.</summary>
    Invalid,
}

/// <summary>The answer to <see cref="NotebookSession.IsComplete"/>.</summary>
/// <param name="Status">The verdict.</param>
/// <param name="Indent">For <see cref="CompletenessStatus.Incomplete"/>, four spaces per open brace; otherwise empty.</param>
public sealed record CompletenessResult(CompletenessStatus Status, string Indent);
