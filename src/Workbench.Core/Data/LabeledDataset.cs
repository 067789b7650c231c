using Microsoft.Data.Analysis;

namespace Workbench.Data;

/// <summary>One-call helpers over <see cref="LabeledDatasetReader"/> for notebooks and scripts.</summary>
public static class LabeledDataset
{
    /// <summary>
    /// Reads a labelled dataset file into a DataFrame (see <see cref="LabeledDatasetReader.ToDataFrame"/> for the
    /// columns). Loads the rows into memory: pass <paramref name="maxRows"/> for large files.
    /// </summary>
    /// <param name="path">The dataset file.</param>
    /// <param name="maxRows">Read at most this many rows (the first ones in canonical order); all when null.</param>
    /// <param name="options">Reader options; <see cref="DatasetReaderOptions.Default"/> when null.</param>
    /// <exception cref="DatasetFormatException">The file breaks the format.</exception>
    public static DataFrame ReadDataFrame(string path, long? maxRows = null, DatasetReaderOptions? options = null)
    {
        using var reader = LabeledDatasetReader.Open(path, options);
        return reader.ToDataFrame(maxRows);
    }
}
