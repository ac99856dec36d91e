using System.Text;
using BotEngine.Engine.Channels;
using BotEngine.Engine.Knowledge;
using BotEngine.Engine.Schema;
using Markdig;
using Markdig.Syntax;

namespace BotEngine.Channels.Messengers;

/// <summary>
/// One of our messages in the form a plain-text messenger can show, within its capabilities: Markdown as plain text,
/// buttons it can show as buttons, and what it cannot show degraded into the text (options numbered so the client
/// can type the number, links and files as "name: URL").
/// </summary>
public sealed record MessengerContent(
    IReadOnlyList<string> Parts,
    IReadOnlyList<MessengerButton> Buttons,
    IReadOnlyList<Attachment> Files,
    bool AsksForPhone)
{
    public static MessengerContent From(Activity activity, string messageId, ChannelCapabilities capabilities)
    {
        var text = new StringBuilder(activity.TextFormat == "plain" ? activity.Text ?? "" : PlainText(activity.Text));
        var actions = activity.SuggestedActions?.Actions ?? [];
        var choices = OfferedActions.Choices(activity);
        var links = actions.Where(a => a.Type == "openUrl" && LinkOf(a) is not null).ToList();
        var buttons = new List<MessengerButton>();

        var shownLinks = capabilities.Buttons && capabilities.UrlButtons ? links.Count : 0;
        var numbered = choices.Count > 0 && (!capabilities.Buttons || choices.Count + shownLinks > capabilities.MaxButtons
            || choices.Any(c => OfferedActions.LabelOf(c).Length > capabilities.MaxButtonLabel));
        if (numbered)
        {
            AppendBlock(text, choices.Select((c, i) => $"{i + 1}. {OfferedActions.LabelOf(c)}"));
            // The numbers still make buttons where they fit: a tap is easier than typing.
            if (capabilities.Buttons && choices.Count <= capabilities.MaxButtons)
                buttons.AddRange(choices.Select((c, i) => new MessengerButton((i + 1).ToString(System.Globalization.CultureInfo.InvariantCulture), PayloadOf(actions, c, messageId), null)));
        }
        else
        {
            buttons.AddRange(choices.Select(c => new MessengerButton(OfferedActions.LabelOf(c), PayloadOf(actions, c, messageId), null)));
        }
        if (shownLinks > 0 && buttons.Count + links.Count <= capabilities.MaxButtons && links.All(l => OfferedActions.LabelOf(l).Length <= capabilities.MaxButtonLabel))
            buttons.AddRange(links.Select(l => new MessengerButton(OfferedActions.LabelOf(l), null, LinkOf(l))));
        else
            AppendBlock(text, links.Select(l => $"{OfferedActions.LabelOf(l)}: {LinkOf(l)}"));

        var attachments = (activity.Attachments ?? []).Where(a => a.ContentUrl is not null).ToList();
        var files = attachments.Where(a => IsImage(a) ? capabilities.Images : capabilities.Files).ToList();
        AppendBlock(text, attachments.Except(files).Select(a => $"{a.Name ?? "file"}: {a.ContentUrl}"));

        var asksForPhone = capabilities.ContactRequest && activity.ChannelData?[BotResponder.ExpectsField]?.GetValue<string>() == "phone";
        return new MessengerContent(Split(text.ToString().Trim(), capabilities.MaxTextLength), buttons, files, asksForPhone);
    }

    public static bool IsImage(Attachment attachment) =>
        attachment.ContentType is { } type && type.StartsWith("image/", StringComparison.Ordinal) && type != "image/svg+xml";

    /// <summary>Markdown as the plain text a messenger shows (emphasis dropped, links kept as their text and address).</summary>
    public static string PlainText(string? markdown)
    {
        if (string.IsNullOrWhiteSpace(markdown))
            return "";
        var document = Markdown.Parse(markdown);
        var writer = new StringBuilder();
        foreach (var link in document.Descendants<Markdig.Syntax.Inlines.LinkInline>().Where(l => !l.IsImage && l.Url is { Length: > 0 }).ToList())
        {
            // "[site](https://x)" reads "site (https://x)" in plain text, so the address is not lost.
            if (Uri.TryCreate(link.Url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
                link.InsertAfter(new Markdig.Syntax.Inlines.LiteralInline($" ({uri.AbsoluteUri})"));
        }
        using var output = new StringWriter(writer);
        var renderer = new Markdig.Renderers.HtmlRenderer(output) { EnableHtmlForBlock = false, EnableHtmlForInline = false, EnableHtmlEscape = false };
        renderer.Render(document);
        output.Flush();
        return writer.ToString().Trim();
    }

    /// <summary>Splits a text at a messenger's limit, at a line break where there is one.</summary>
    public static IReadOnlyList<string> Split(string text, int maxLength)
    {
        var parts = new List<string>();
        var rest = text.Trim();
        while (rest.Length > maxLength)
        {
            var cut = rest.LastIndexOf('\n', maxLength - 1);
            if (cut < maxLength / 2)
                cut = rest.LastIndexOf(' ', maxLength - 1);
            if (cut < maxLength / 2)
                cut = maxLength;
            parts.Add(rest[..cut].Trim());
            rest = rest[cut..].Trim();
        }
        if (rest.Length > 0)
            parts.Add(rest);
        return parts;
    }

    private static string PayloadOf(IList<CardAction> actions, CardAction action, string messageId) => ButtonPayload.Of(messageId, actions.IndexOf(action));

    private static string? LinkOf(CardAction action) =>
        action.Value is System.Text.Json.Nodes.JsonValue value && value.TryGetValue<string>(out var url)
        && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri.AbsoluteUri : null;

    private static void AppendBlock(StringBuilder text, IEnumerable<string> lines)
    {
        var block = string.Join('\n', lines);
        if (block.Length == 0)
            return;
        if (text.Length > 0)
            text.Append("\n\n");
        text.Append(block);
    }
}
