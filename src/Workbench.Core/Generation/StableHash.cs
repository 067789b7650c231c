namespace Workbench.Generation;

/// <summary>A hash of strings that is stable across processes and .NET versions (unlike <see cref="string.GetHashCode()"/>).</summary>
internal static class StableHash
{
    private const ulong FnvOffset = 0xCBF29CE484222325UL;
    private const ulong FnvPrime = 0x00000100000001B3UL;

    /// <summary>64-bit FNV-1a over the UTF-16LE bytes of <paramref name="text"/>.</summary>
    public static ulong Fnv1a64(string text)
    {
        var h = FnvOffset;
        foreach (var c in text)
        {
            h ^= (byte)c;
            h *= FnvPrime;
            h ^= (byte)(c >> 8);
            h *= FnvPrime;
        }

        return h;
    }
}
