using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace Workbench.Notebooks;

/// <summary>
/// A small, safe Markdown-to-HTML converter for notebook text cells: ATX headings, paragraphs, fenced and indented
/// code, bulleted and numbered lists, block quotes, inline code, emphasis and links. All text is HTML-escaped first
/// (raw HTML in Markdown is shown as text), and link targets other than http(s), mailto, relative or fragment links are
/// dropped. Not CommonMark-complete: nested lists and tables come out as plain paragraphs.
/// </summary>
public static partial class MarkdownHtml
{
    /// <summary>Converts <paramref name="markdown"/> to an HTML fragment.</summary>
    public static string ToHtml(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var lines = markdown.ReplaceLineEndings("\n").Split('\n');
        var html = new StringBuilder();
        var paragraph = new List<string>();
        string? list = null;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
            {
                Flush();
                var code = new StringBuilder();
                for (i++; i < lines.Length && !lines[i].TrimStart().StartsWith("```", StringComparison.Ordinal); i++)
                {
                    code.Append(lines[i]).Append('\n');
                }

                html.Append("<pre><code>").Append(WebUtility.HtmlEncode(code.ToString())).Append("</code></pre>\n");
                continue;
            }

            if (string.IsNullOrWhiteSpace(line))
            {
                Flush();
                continue;
            }

            if (HeadingPattern().Match(line) is { Success: true } h)
            {
                Flush();
                var level = h.Groups[1].Length;
                html.Append("<h").Append(level).Append('>').Append(Inline(h.Groups[2].Value.TrimEnd('#', ' '))).Append("</h").Append(level).Append(">\n");
                continue;
            }

            var bullet = BulletPattern().Match(line);
            var numbered = NumberedPattern().Match(line);
            if (bullet.Success || numbered.Success)
            {
                FlushParagraph();
                var kind = bullet.Success ? "ul" : "ol";
                if (list != kind)
                {
                    CloseList();
                    html.Append('<').Append(kind).Append(">\n");
                    list = kind;
                }

                html.Append("<li>").Append(Inline((bullet.Success ? bullet : numbered).Groups[1].Value)).Append("</li>\n");
                continue;
            }

            if (line.StartsWith("    ", StringComparison.Ordinal) && paragraph.Count == 0 && list is null)
            {
                var code = new StringBuilder();
                for (; i < lines.Length && (lines[i].StartsWith("    ", StringComparison.Ordinal) || lines[i].Length == 0); i++)
                {
                    code.Append(lines[i].Length >= 4 ? lines[i][4..] : string.Empty).Append('\n');
                }

                i--;
                html.Append("<pre><code>").Append(WebUtility.HtmlEncode(code.ToString().TrimEnd('\n') + "\n")).Append("</code></pre>\n");
                continue;
            }

            if (line.StartsWith('>'))
            {
                Flush();
                html.Append("<blockquote>").Append(Inline(line.TrimStart('>', ' '))).Append("</blockquote>\n");
                continue;
            }

            CloseList();
            paragraph.Add(line.Trim());
        }

        Flush();
        return html.ToString();

        void FlushParagraph()
        {
            if (paragraph.Count > 0)
            {
                html.Append("<p>").Append(Inline(string.Join(' ', paragraph))).Append("</p>\n");
                paragraph.Clear();
            }
        }

        void CloseList()
        {
            if (list is not null)
            {
                html.Append("</").Append(list).Append(">\n");
                list = null;
            }
        }

        void Flush()
        {
            FlushParagraph();
            CloseList();
        }
    }

    /// <summary>Inline Markdown of one line or paragraph: escape, then code spans, links, bold, italics.</summary>
    private static string Inline(string text)
    {
        var parts = text.Split('`');
        var sb = new StringBuilder();
        for (var i = 0; i < parts.Length; i++)
        {
            var escaped = WebUtility.HtmlEncode(parts[i]);
            if (i % 2 == 1 && i < parts.Length - 1)
            {
                sb.Append("<code>").Append(escaped).Append("</code>");
                continue;
            }

            if (i % 2 == 1)
            {
                sb.Append('`');
            }

            escaped = LinkPattern().Replace(escaped, m =>
            {
                var target = m.Groups[2].Value;
                var safe = target.StartsWith("http://", StringComparison.OrdinalIgnoreCase) || target.StartsWith("https://", StringComparison.OrdinalIgnoreCase)
                    || target.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase) || !target.Contains(':', StringComparison.Ordinal);
                return safe ? $"<a href=\"{target.Replace("\"", "&quot;", StringComparison.Ordinal)}\">{m.Groups[1].Value}</a>" : m.Groups[1].Value;
            });
            escaped = BoldPattern().Replace(escaped, "<strong>$1</strong>");
            escaped = ItalicPattern().Replace(escaped, "<em>$1</em>");
            sb.Append(escaped);
        }

        return sb.ToString();
    }

    [GeneratedRegex(@"^(#{1,6})\s+(.*)$")]
    private static partial Regex HeadingPattern();

    [GeneratedRegex(@"^\s{0,3}[-*+]\s+(.*)$")]
    private static partial Regex BulletPattern();

    [GeneratedRegex(@"^\s{0,3}\d+[.)]\s+(.*)$")]
    private static partial Regex NumberedPattern();

    [GeneratedRegex(@"\[([^\]]+)\]\(([^)\s]+)\)")]
    private static partial Regex LinkPattern();

    [GeneratedRegex(@"\*\*(.+?)\*\*")]
    private static partial Regex BoldPattern();

    [GeneratedRegex(@"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*(?![\w*])")]
    private static partial Regex ItalicPattern();
}
