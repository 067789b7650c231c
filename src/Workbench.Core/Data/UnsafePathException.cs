namespace Workbench.Data;

/// <summary>
/// A path cannot be used as given: an output that names an input, a device/FIFO/directory where a file is written, an
/// input that is not a regular file. The message is one line naming the path and what to do.
/// </summary>
public sealed class UnsafePathException : IOException
{
    /// <summary>An error about <paramref name="path"/>.</summary>
    public UnsafePathException(string path, string message)
        : base(message)
    {
        Path = path;
    }

    /// <summary>The path in question.</summary>
    public string Path { get; }
}
