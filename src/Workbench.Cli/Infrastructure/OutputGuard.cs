using Workbench.Data;

namespace Workbench.Cli.Infrastructure;

/// <summary>
/// The check every command makes before it reads or writes anything: each output can be written as a file (not a
/// directory, FIFO or device) and no output is an input or another output (<see cref="SafeFile"/>). Fails with one line.
/// </summary>
internal static class OutputGuard
{
    /// <summary>Checks <paramref name="outputs"/> (null paths and <c>-</c> for stdout are skipped) against <paramref name="inputs"/>.</summary>
    /// <exception cref="UnsafePathException">An output is unusable or names an input or another output.</exception>
    public static void Check(IEnumerable<string?> inputs, params (string What, string? Path)[] outputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        var outs = outputs.Where(o => o.Path is { Length: > 0 } and not "-").Select(o => (o.What, o.Path!)).ToArray();
        foreach (var (what, path) in outs)
        {
            SafeFile.CheckOutput(path, what);
        }

        SafeFile.CheckDistinct(inputs.OfType<string>(), outs);
    }

    /// <summary>
    /// The input must be an existing regular file: a missing path, a directory, a FIFO or a device fails with one line
    /// (before anything opens it, so a FIFO cannot block the command).
    /// </summary>
    public static void RequireFile(string path, string what = "")
    {
        ArgumentNullException.ThrowIfNull(path);
        try
        {
            SafeFile.CheckInput(path, what: what.Length == 0 ? "input" : what);
        }
        catch (FileNotFoundException)
        {
            throw new CommandFailedException($"'{path}' does not exist");
        }
    }
}
