namespace Workbench.Generation;

/// <summary>
/// A dataset spec is invalid: names the offending key path (e.g. <c>metrics[1].seasonalities[0].period</c>) and the
/// reason, and the file when the spec was loaded from one.
/// </summary>
public class DatasetSpecException : Exception
{
    /// <summary>Creates the exception for <paramref name="keyPath"/> (empty for the whole document).</summary>
    public DatasetSpecException(string keyPath, string reason, string? filePath = null, Exception? innerException = null)
        : base(Format(keyPath, reason, filePath), innerException)
    {
        KeyPath = keyPath;
        Reason = reason;
        FilePath = filePath;
    }

    /// <summary>The key path of the offending value, e.g. <c>anomalies.kinds.spike.length.min</c>; empty for the document root.</summary>
    public string KeyPath { get; }

    /// <summary>Why the value is invalid.</summary>
    public string Reason { get; }

    /// <summary>The spec file, when the spec was loaded from a file.</summary>
    public string? FilePath { get; }

    /// <summary>The same error attributed to <paramref name="filePath"/>.</summary>
    internal DatasetSpecException InFile(string filePath) => new(KeyPath, Reason, filePath, InnerException);

    private static string Format(string keyPath, string reason, string? filePath) =>
        $"Invalid dataset spec{(filePath is null ? string.Empty : $" '{filePath}'")}: {(keyPath.Length == 0 ? "(root)" : keyPath)}: {reason}";
}

/// <summary>
/// The anomalies a spec asks for cannot be placed: an anomalous source's events do not fit in its series with the
/// spec's minimum gap and edge margin. <see cref="DatasetSpecException.KeyPath"/> is <c>anomalies</c>.
/// </summary>
public sealed class AnomalyPlacementException : DatasetSpecException
{
    /// <summary>Creates the exception for the source named <paramref name="source"/>.</summary>
    public AnomalyPlacementException(string source, string reason)
        : base("anomalies", $"source '{source}': {reason}") => Source = source;

    /// <summary>The source whose events could not be placed.</summary>
    public new string Source { get; }
}
