namespace Workbench.Notebooks;

/// <summary>The language service of a session (Jupyter's <c>complete_request</c>, <c>inspect_request</c>, <c>is_complete_request</c>).</summary>
public sealed partial class NotebookSession
{
    private readonly SemaphoreSlim _languageLock = new(1, 1);
    private SubmissionWorkspace? _language;

    /// <summary>
    /// Completions at <paramref name="cursor"/> (a UTF-16 offset into <paramref name="code"/>), seeing everything the
    /// session's executed cells declared and referenced, its imports and the <see cref="NotebookGlobals"/> members. The
    /// code is not run and need not compile; its <c>#r</c> lines are resolved for it, its magics ignored.
    /// </summary>
    public async Task<CompletionResult> CompleteAsync(string code, int cursor, CancellationToken cancellationToken = default)
    {
        CheckCursor(code, cursor);
        if (LanguageCellText.IsMarkdown(code))
        {
            return new CompletionResult([], cursor, cursor);
        }

        var document = await LanguageDocumentAsync(code, cancellationToken).ConfigureAwait(false);
        return await NotebookCompletion.CompleteAsync(document, cursor, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Describes the symbol at (or just before) <paramref name="cursor"/>: its signature and XML documentation (the
    /// framework's from the SDK's reference pack, a referenced assembly's from the <c>.xml</c> beside it).
    /// <paramref name="detailLevel"/> 1 adds remarks and exceptions.
    /// </summary>
    public async Task<InspectionResult> InspectAsync(string code, int cursor, int detailLevel = 0, CancellationToken cancellationToken = default)
    {
        CheckCursor(code, cursor);
        if (LanguageCellText.IsMarkdown(code))
        {
            return InspectionResult.NotFound;
        }

        var document = await LanguageDocumentAsync(code, cancellationToken).ConfigureAwait(false);
        return await SymbolInspector.InspectAsync(document, cursor, detailLevel, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Whether <paramref name="code"/> is ready to run, needs more lines (with the indent for the next one) or is invalid.</summary>
    public CompletenessResult IsComplete(string code) => CellCompleteness.Assess(code);

    private static void CheckCursor(string code, int cursor)
    {
        ArgumentNullException.ThrowIfNull(code);
        ArgumentOutOfRangeException.ThrowIfNegative(cursor);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(cursor, code.Length);
    }

    private async Task<Microsoft.CodeAnalysis.Document> LanguageDocumentAsync(string code, CancellationToken cancellationToken)
    {
        await _languageLock.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // The workspace is created on first use from the options cells compile with; later cells are read from the
            // scripting state's chain of scripts (a compiled cell is in it, a cell that failed to compile is not).
            _language ??= new SubmissionWorkspace(_scriptOptions, _resolver);
            return _language.Document(Volatile.Read(ref _state)?.Script, LanguageCellText.BlankMagics(code));
        }
        finally
        {
            _languageLock.Release();
        }
    }
}
