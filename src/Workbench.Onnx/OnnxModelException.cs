namespace Workbench.Onnx;

/// <summary>
/// An ONNX forecaster model cannot be used: the model or its sidecar is missing, unreadable, or they disagree (window,
/// shape, names, element type). The message names the file and the problem.
/// </summary>
public sealed class OnnxModelException : Exception
{
    /// <summary>Creates the exception for <paramref name="path"/> (the model or the sidecar file).</summary>
    public OnnxModelException(string path, string problem, Exception? inner = null)
        : base($"ONNX model '{path}': {problem}", inner)
    {
        FilePath = path;
        Problem = problem;
    }

    /// <summary>The file at fault (full path): the <c>.onnx</c> model or its <c>.json</c> sidecar.</summary>
    public string FilePath { get; }

    /// <summary>What is wrong, without the path.</summary>
    public string Problem { get; }
}
