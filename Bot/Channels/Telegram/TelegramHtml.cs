using System.Text;
using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace BotEngine.Channels.Telegram;

/// <summary>
/// Our answers' Markdown as the HTML subset Telegram shows (b, i, s, code, pre, a, blockquote). What Telegram has no
/// tag for degrades to text: headings bold, list items with bullets or numbers, images as links.
/// </summary>
public static class TelegramHtml
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseEmphasisExtras().UseAutoLinks().Build();

    public static string FromMarkdown(string? markdown)
    {
        if (string.IsNullOrWhiteSpace(markdown))
            return "";
        var html = new StringBuilder();
        WriteBlocks(html, Markdown.Parse(markdown, Pipeline), "");
        return html.ToString().Trim();
    }

    /// <summary>Only what Telegram's HTML parser needs escaped (its whole list): letters and emoji stay as they are.</summary>
    public static string Escape(string text)
    {
        if (text.AsSpan().IndexOfAny("<>&\"") < 0)
            return text;
        var escaped = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            escaped.Append(c switch
            {
                '<' => "&lt;",
                '>' => "&gt;",
                '&' => "&amp;",
                '"' => "&quot;",
                _ => c.ToString(),
            });
        }
        return escaped.ToString();
    }

    private static void WriteBlocks(StringBuilder html, ContainerBlock blocks, string indent)
    {
        foreach (var block in blocks)
        {
            if (html.Length > 0 && html[^1] != '\n')
                html.Append('\n');
            if (html.Length > 0 && indent.Length == 0 && block is not ListBlock)
                html.Append('\n');
            switch (block)
            {
                case HeadingBlock heading:
                    html.Append("<b>");
                    WriteInlines(html, heading.Inline);
                    html.Append("</b>");
                    break;
                case ParagraphBlock paragraph:
                    WriteInlines(html, paragraph.Inline);
                    break;
                case CodeBlock code:
                    html.Append("<pre>").Append(Escape(code.Lines.ToString().TrimEnd())).Append("</pre>");
                    break;
                case QuoteBlock quote:
                    var quoted = new StringBuilder();
                    WriteBlocks(quoted, quote, indent);
                    html.Append("<blockquote>").Append(quoted.ToString().Trim()).Append("</blockquote>");
                    break;
                case ListBlock list:
                    var number = int.TryParse(list.OrderedStart, out var start) ? start : 1;
                    foreach (var item in list.OfType<ListItemBlock>())
                    {
                        if (html.Length > 0 && html[^1] != '\n')
                            html.Append('\n');
                        html.Append(indent).Append(list.IsOrdered ? $"{number++}. " : "• ");
                        var content = new StringBuilder();
                        WriteBlocks(content, item, indent + "   ");
                        html.Append(content.ToString().Trim());
                    }
                    break;
                case ThematicBreakBlock:
                    html.Append("———");
                    break;
                case LeafBlock leaf when leaf.Lines.Count > 0:
                    html.Append(Escape(leaf.Lines.ToString()));
                    break;
            }
        }
    }

    private static void WriteInlines(StringBuilder html, ContainerInline? inlines)
    {
        for (var inline = inlines?.FirstChild; inline is not null; inline = inline.NextSibling)
        {
            switch (inline)
            {
                case LiteralInline literal:
                    html.Append(Escape(literal.Content.ToString()));
                    break;
                case CodeInline code:
                    html.Append("<code>").Append(Escape(code.Content)).Append("</code>");
                    break;
                case LineBreakInline:
                    html.Append('\n');
                    break;
                case AutolinkInline auto:
                    html.Append(Link(auto.IsEmail ? "mailto:" + auto.Url : auto.Url, Escape(auto.Url)));
                    break;
                case LinkInline link:
                    var label = new StringBuilder();
                    WriteInlines(label, link);
                    html.Append(Link(link.Url, label.Length > 0 ? label.ToString() : Escape(link.Url ?? "")));
                    break;
                case EmphasisInline emphasis:
                    var tag = emphasis.DelimiterChar == '~' ? "s" : emphasis.DelimiterCount >= 2 ? "b" : "i";
                    html.Append('<').Append(tag).Append('>');
                    WriteInlines(html, emphasis);
                    html.Append("</").Append(tag).Append('>');
                    break;
                case HtmlEntityInline entity:
                    html.Append(Escape(entity.Transcoded.ToString()));
                    break;
                case HtmlInline raw:
                    html.Append(Escape(raw.Tag));
                    break;
                case ContainerInline container:
                    WriteInlines(html, container);
                    break;
            }
        }
    }

    /// <summary>Only web and mail links become links; anything else (javascript:, relative paths) stays text.</summary>
    private static string Link(string? url, string label) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" or "mailto"
            ? $"<a href=\"{Escape(uri.AbsoluteUri)}\">{label}</a>"
            : label;
}
