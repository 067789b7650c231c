using System.Text;

namespace Workbench.Charts;

/// <summary>HTML escaping shared by the figure builders and the report writer.</summary>
internal static class Html
{
    /// <summary>Escapes <c>&amp; &lt; &gt; " '</c> so text is safe in HTML element content and quoted attributes.</summary>
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var i = text.AsSpan().IndexOfAny("&<>\"'");
        if (i < 0) { return text; }
        var sb = new StringBuilder(text.Length + 16);
        sb.Append(text, 0, i);
        for (; i < text.Length; i++)
        {
            var c = text[i];
            switch (c)
            {
                case '&': sb.Append("&amp;"); break;
                case '<': sb.Append("&lt;"); break;
                case '>': sb.Append("&gt;"); break;
                case '"': sb.Append("&quot;"); break;
                case '\'': sb.Append("&#39;"); break;
                default: sb.Append(c); break;
            }
        }

        return sb.ToString();
    }
}
