namespace Workbench.Kernel;

/// <summary>How a <see cref="JupyterKernel"/> runs.</summary>
public sealed record KernelOptions
{
    /// <summary>Folder relative <c>#r</c> paths start from; default the current directory (Jupyter starts a kernel in the notebook's folder).</summary>
    public string? BaseDirectory { get; init; }

    /// <summary>Where log lines go; default standard error.</summary>
    public TextWriter? Log { get; init; }

    /// <summary>Trace every message received and sent.</summary>
    public bool Verbose { get; init; }

    /// <summary>The clock of message dates, stream flushes and the parent-process watch.</summary>
    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>Process id whose death ends the kernel (Jupyter's <c>JPY_PARENT_PID</c>); null to not watch.</summary>
    public int? ParentProcessId { get; init; }
}
