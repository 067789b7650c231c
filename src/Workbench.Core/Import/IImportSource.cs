namespace Workbench.Import;

/// <summary>An input file being imported: its column names, then its rows in blocks, only the columns asked for.</summary>
internal interface IImportSource : IAsyncDisposable
{
    /// <summary>The file.</summary>
    string FilePath { get; }

    /// <summary>The column names, in file order.</summary>
    IReadOnlyList<string> ColumnNames { get; }

    /// <summary>Whether rows are located by CSV line numbers (true) or Parquet row indexes.</summary>
    bool IsCsv { get; }

    /// <summary>Reads the file in blocks holding <paramref name="columns"/>.</summary>
    /// <exception cref="ImportException">The file cannot be parsed (names the row).</exception>
    IAsyncEnumerable<SourceChunk> ReadAsync(IReadOnlyCollection<string> columns, CancellationToken ct);
}
