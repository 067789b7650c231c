namespace Workbench.Core;

/// <summary>
/// How a dataset file was made, stored in its Parquet key-value metadata so it can be regenerated exactly.
/// </summary>
/// <param name="Source">What produced the file: <c>generate</c>, <c>import-nab</c>, … .</param>
/// <param name="Spec">The generator spec (canonical JSON) or the import's parameters.</param>
/// <param name="Seed">The random seed, when the source is random.</param>
/// <param name="ToolVersion">The Workbench version that wrote the file.</param>
public sealed record DatasetRecipe(string Source, string Spec, long? Seed, string ToolVersion)
{
    /// <summary>A recipe stamped with the running Workbench version.</summary>
    public static DatasetRecipe Create(string source, string spec, long? seed) =>
        new(source, spec, seed, WorkbenchInfo.Version);
}
