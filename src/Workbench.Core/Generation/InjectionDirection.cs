namespace Workbench.Generation;

/// <summary>The sign of an injected displacement (spike, level shift, drift).</summary>
public enum InjectionDirection
{
    /// <summary>The value moves up (positive displacement).</summary>
    Up,

    /// <summary>The value moves down (negative displacement).</summary>
    Down,

    /// <summary>Up or down with probability ½ each, drawn from the seeded stream when the event is planned or starts.</summary>
    Random,
}
