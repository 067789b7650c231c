namespace Workbench.Kernel;

/// <summary>
/// Jupyter messaging counts cursor positions in Unicode code points; .NET strings index UTF-16 code units. These
/// convert between the two (a position past the end is clamped to the end; a position inside a surrogate pair
/// rounds down to the pair's start).
/// </summary>
public static class CodePoints
{
    /// <summary>The UTF-16 index of code point <paramref name="codePoint"/> in <paramref name="text"/>.</summary>
    public static int ToUtf16(string text, int codePoint)
    {
        ArgumentNullException.ThrowIfNull(text);
        var index = 0;
        for (var n = 0; n < codePoint && index < text.Length; n++)
        {
            index += char.IsHighSurrogate(text[index]) && index + 1 < text.Length && char.IsLowSurrogate(text[index + 1]) ? 2 : 1;
        }

        return index;
    }

    /// <summary>The code-point position of UTF-16 index <paramref name="utf16"/> in <paramref name="text"/>.</summary>
    public static int FromUtf16(string text, int utf16)
    {
        ArgumentNullException.ThrowIfNull(text);
        var end = Math.Clamp(utf16, 0, text.Length);
        var count = 0;
        for (var i = 0; i < end; i++)
        {
            if (!(char.IsLowSurrogate(text[i]) && i > 0 && char.IsHighSurrogate(text[i - 1])))
            {
                count++;
            }
        }

        return count;
    }
}
