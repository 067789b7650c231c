using System.Text;

namespace Workbench.Data.Decoding;

/// <summary>
/// A reused character buffer that decoded UTF-8 strings are sliced from, so a column chunk's strings cost no
/// allocation once the buffer is large enough. <see cref="Reset"/> starts over: slices handed out before stay valid
/// only until the next reset (they are read before the next chunk is decoded into the same arena).
/// </summary>
internal sealed class CharArena
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false);

    private char[] _buffer = [];
    private int _used;

    /// <summary>The arena's capacity in characters (for the tests of steady-state allocation).</summary>
    public int Capacity => _buffer.Length;

    public void Reset() => _used = 0;

    /// <summary>Makes room for at least <paramref name="chars"/> more characters without reallocating in <see cref="Add"/>.</summary>
    public void Reserve(int chars)
    {
        if (chars > _buffer.Length - _used)
        {
            Grow(chars);
        }
    }

    /// <summary>Decodes <paramref name="utf8"/> (invalid sequences become U+FFFD) and returns its characters.</summary>
    public ReadOnlyMemory<char> Add(ReadOnlySpan<byte> utf8)
    {
        if (utf8.IsEmpty)
        {
            return ReadOnlyMemory<char>.Empty;
        }

        // UTF-8 never takes fewer bytes than UTF-16 takes chars.
        if (utf8.Length > _buffer.Length - _used)
        {
            Grow(utf8.Length);
        }

        var written = Utf8.GetChars(utf8, _buffer.AsSpan(_used));
        var slice = new ReadOnlyMemory<char>(_buffer, _used, written);
        _used += written;
        return slice;
    }

    private void Grow(int chars)
    {
        // Slices already handed out keep the old array alive; new ones come from the larger one.
        var size = (int)Math.Min(Array.MaxLength, Math.Max((long)_buffer.Length * 2, (long)chars + 4096));
        _buffer = new char[size];
        _used = 0;
    }
}
