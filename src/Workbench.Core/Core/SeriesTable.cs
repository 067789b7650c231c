using System.Collections;

namespace Workbench.Core;

/// <summary>
/// A series table that cannot change (series id → name) over an array the owner never changes once it is built, so a
/// consumer in this assembly may read <see cref="Names"/> directly: a batch's hot path then maps an id to its name with
/// one array load instead of two interface calls. Handed out as <see cref="IReadOnlyList{T}"/>, read-only.
/// </summary>
internal sealed class SeriesTable(string[] names) : IReadOnlyList<string>
{
    /// <summary>The names, by series id. Never written after construction.</summary>
    public string[] Names { get; } = names;

    public int Count => Names.Length;

    public string this[int index] => Names[index];

    public IEnumerator<string> GetEnumerator() => ((IEnumerable<string>)Names).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
