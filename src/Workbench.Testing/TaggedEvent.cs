using System.Reactive.Linq;

namespace Workbench.Testing;

/// <summary>
/// A pipeline output labelled with the branch that produced it, so several operators fed from one replay can be
/// recorded in one transcript (<c>Observable.Merge(s.DetectAndFlag(a).Tag("a"), s.DetectAndFlag(b).Tag("b"))</c>).
/// Its transcript key is <c>tag:key-of-value</c>.
/// </summary>
/// <param name="Tag">The branch name (non-empty, no line breaks).</param>
/// <param name="Value">The branch's output.</param>
public sealed record TaggedEvent(string Tag, object? Value);

/// <summary>Transcript helpers on observables.</summary>
public static class TranscriptObservable
{
    /// <summary>Wraps every element of <paramref name="source"/> in a <see cref="TaggedEvent"/> named <paramref name="tag"/>.</summary>
    /// <exception cref="ArgumentException"><paramref name="tag"/> is empty, white space or contains a line break.</exception>
    public static IObservable<TaggedEvent> Tag<T>(this IObservable<T> source, string tag)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentException.ThrowIfNullOrWhiteSpace(tag);
        if (tag.AsSpan().IndexOfAny('\r', '\n') >= 0)
        {
            throw new ArgumentException("A tag must not contain a line break.", nameof(tag));
        }

        return source.Select(v => new TaggedEvent(tag, v));
    }
}
