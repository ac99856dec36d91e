using System.Text;
using MimeKit.Text;

namespace BotEngine.Channels.Email;

/// <summary>
/// The text of an HTML-only mail: tags dropped, blocks and line breaks as new lines, and what a mail client quotes
/// (blockquote) or never shows (head, style, script) left out.
/// </summary>
public static class EmailHtmlText
{
    private static readonly HashSet<string> Skipped = new(StringComparer.OrdinalIgnoreCase) { "blockquote", "head", "style", "script", "title" };
    private static readonly HashSet<string> Blocks = new(StringComparer.OrdinalIgnoreCase) { "p", "div", "br", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "hr" };

    public static string Of(string html)
    {
        var text = new StringBuilder();
        var skipping = 0;
        using var reader = new StringReader(html);
        var tokenizer = new HtmlTokenizer(reader);
        while (tokenizer.ReadNextToken(out var token))
        {
            switch (token)
            {
                case HtmlTagToken tag when Skipped.Contains(tag.Name):
                    if (!tag.IsEmptyElement)
                        skipping = Math.Max(0, skipping + (tag.IsEndTag ? -1 : 1));
                    break;
                case HtmlTagToken tag when skipping == 0 && Blocks.Contains(tag.Name):
                    if (tag.Name.Equals("li", StringComparison.OrdinalIgnoreCase) && !tag.IsEndTag)
                        text.Append("\n- ");
                    else
                        text.Append('\n');
                    break;
                case HtmlDataToken data when skipping == 0:
                    text.Append(data.Data.Replace('\n', ' '));
                    break;
            }
        }
        // Source line breaks and runs of spaces mean nothing in HTML; the breaks added above do.
        var lines = text.ToString().Split('\n').Select(l => string.Join(' ', l.Split((char[])[' ', '\t', '\r', '\u00a0'], StringSplitOptions.RemoveEmptyEntries)));
        return string.Join('\n', lines).Trim();
    }
}
