namespace Workbench.Notebooks;

/// <summary>
/// The code the language service hands to Roslyn for a cell that has not run: like <see cref="CellDirectives.Prepare"/>,
/// but without moving any character, so the caller's cursor offsets stay valid. <c>#!</c> magics and <c>#i</c> lines
/// (which are not C#) become spaces; <c>#r</c> lines are kept, for the reference resolver to add their assemblies.
/// </summary>
internal static class LanguageCellText
{
    /// <summary>True when the first non-blank line is <c>#!markdown</c>: the cell is not C#.</summary>
    public static bool IsMarkdown(string code)
    {
        foreach (var line in code.Split('\n'))
        {
            var trimmed = line.Trim();
            if (trimmed.Length > 0)
            {
                return trimmed.StartsWith("#!markdown", StringComparison.Ordinal);
            }
        }

        return false;
    }

    /// <summary><paramref name="code"/> with every <c>#!</c> and <c>#i</c> line blanked (same length, same line breaks).</summary>
    public static string BlankMagics(string code) => Blank(code, static t => t.StartsWith("#!", StringComparison.Ordinal) || IsPackageSource(t));

    /// <summary><paramref name="code"/> with every directive line (<c>#!</c>, <c>#i</c>, <c>#r</c>) blanked.</summary>
    public static string BlankDirectives(string code) =>
        Blank(code, static t => t.StartsWith("#!", StringComparison.Ordinal) || IsPackageSource(t) || t.StartsWith("#r ", StringComparison.Ordinal) || t.StartsWith("#r\t", StringComparison.Ordinal) || t.StartsWith("#r\"", StringComparison.Ordinal));

    private static bool IsPackageSource(string trimmed) => trimmed.StartsWith("#i ", StringComparison.Ordinal) || trimmed.StartsWith("#i\t", StringComparison.Ordinal);

    private static string Blank(string code, Func<string, bool> blank)
    {
        char[]? chars = null;
        var start = 0;
        while (start <= code.Length)
        {
            var end = code.IndexOf('\n', start);
            if (end < 0)
            {
                end = code.Length;
            }

            var line = code.AsSpan(start, end - start);
            if (blank(line.TrimStart().ToString()))
            {
                chars ??= code.ToCharArray();
                for (var i = start; i < end; i++)
                {
                    if (chars[i] != '\r')
                    {
                        chars[i] = ' ';
                    }
                }
            }

            start = end + 1;
        }

        return chars is null ? code : new string(chars);
    }
}
