using System.Reflection;

namespace Workbench.Core;

/// <summary>Facts about the running Workbench build.</summary>
public static class WorkbenchInfo
{
    /// <summary>The Workbench version (without any source revision, so files stay byte-identical across commits).</summary>
    public static string Version { get; } =
        typeof(WorkbenchInfo).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
        ?? "0.0.0";
}
