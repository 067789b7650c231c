using System.Collections;

namespace Workbench.Notebooks;

/// <summary>
/// A Jupyter MIME bundle: MIME type → content, kept in ordinal key order. Text types (<c>text/plain</c>, <c>text/html</c>, …)
/// hold the text; JSON types (<c>application/json</c>, any <c>…+json</c>) hold their JSON text and are written to the
/// notebook as JSON values, as nbformat requires.
/// </summary>
public sealed class MimeBundle : IReadOnlyDictionary<string, string>
{
    private readonly SortedDictionary<string, string> _items = new(StringComparer.Ordinal);

    /// <summary>An empty bundle.</summary>
    public MimeBundle()
    {
    }

    /// <summary>A bundle with the given entries.</summary>
    public MimeBundle(IEnumerable<KeyValuePair<string, string>> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        foreach (var (k, v) in items)
        {
            Set(k, v);
        }
    }

    /// <summary>Adds or replaces the content for <paramref name="mimeType"/>.</summary>
    public MimeBundle Set(string mimeType, string content)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(mimeType);
        ArgumentNullException.ThrowIfNull(content);
        _items[mimeType] = content;
        return this;
    }

    /// <summary>True when nbformat stores this MIME type as a JSON value rather than a (multi-line) string.</summary>
    public static bool IsJsonMimeType(string mimeType)
    {
        ArgumentNullException.ThrowIfNull(mimeType);
        return mimeType == "application/json" || mimeType.EndsWith("+json", StringComparison.Ordinal);
    }

    /// <inheritdoc/>
    public string this[string key] => _items[key];

    /// <inheritdoc/>
    public IEnumerable<string> Keys => _items.Keys;

    /// <inheritdoc/>
    public IEnumerable<string> Values => _items.Values;

    /// <inheritdoc/>
    public int Count => _items.Count;

    /// <inheritdoc/>
    public bool ContainsKey(string key) => _items.ContainsKey(key);

    /// <inheritdoc/>
    public bool TryGetValue(string key, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out string value) => _items.TryGetValue(key, out value);

    /// <inheritdoc/>
    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
