using System.ComponentModel;

namespace Workbench.Notebooks;

/// <summary>
/// The interrupt check that <see cref="NotebookSession"/> inserts into every loop body and at the start of every block
/// body of cell code (<c>global::Workbench.Notebooks.CellInterrupt.Check(n);</c>, <c>n</c> the session's slot). Public only
/// because compiled cell code calls it; not meant to be called by hand.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public static class CellInterrupt
{
    private static readonly Lock Gate = new();
    private static InterruptFlag[] _slots = [];

    /// <summary>
    /// Throws <see cref="CellInterruptedException"/> when the session owning <paramref name="slot"/> was asked to stop
    /// its running cell; otherwise returns at once (one volatile read).
    /// </summary>
    public static void Check(int slot)
    {
        var slots = Volatile.Read(ref _slots);
        if ((uint)slot < (uint)slots.Length && slots[slot].Requested)
        {
            throw new CellInterruptedException();
        }
    }

    /// <summary>Gives a session its own flag; the slot number is compiled into its cells. Slots are never reused.</summary>
    internal static int Register(InterruptFlag flag)
    {
        lock (Gate)
        {
            var grown = new InterruptFlag[_slots.Length + 1];
            _slots.CopyTo(grown, 0);
            grown[^1] = flag;
            Volatile.Write(ref _slots, grown);
            return grown.Length - 1;
        }
    }
}

/// <summary>One session's interrupt flag: set by <see cref="NotebookSession.Interrupt"/>, cleared when the next cell starts.</summary>
internal sealed class InterruptFlag
{
    private volatile bool _requested;

    public bool Requested => _requested;

    public void Set() => _requested = true;

    public void Clear() => _requested = false;
}

/// <summary>Thrown inside cell code at an interrupt check after <see cref="NotebookSession.Interrupt"/> (or a timeout or cancellation).</summary>
public sealed class CellInterruptedException : OperationCanceledException
{
    /// <summary>Creates the exception with the message "the cell was interrupted".</summary>
    public CellInterruptedException()
        : base("the cell was interrupted")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    public CellInterruptedException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and an inner exception.</summary>
    public CellInterruptedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
