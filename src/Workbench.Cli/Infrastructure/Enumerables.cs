namespace Workbench.Cli.Infrastructure;

/// <summary>Small sequence helpers for progress reporting.</summary>
public static class Enumerables
{
    /// <summary>Yields <paramref name="items"/> unchanged, calling <paramref name="seen"/> after each one is consumed.</summary>
    public static IEnumerable<T> Counted<T>(IEnumerable<T> items, Action<T> seen)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(seen);
        return Iterate();

        IEnumerable<T> Iterate()
        {
            foreach (var item in items)
            {
                yield return item;
                seen(item);
            }
        }
    }
}
