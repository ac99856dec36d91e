using System.Net;
using System.Text;
using BotEngine.Channels.Messengers;
using BotEngine.Engine.Channels;
using BotEngine.Engine.Files;
using BotEngine.Engine.Schema;
using BotEngine.Storage.Channels;
using Markdig;
using MimeKit;

namespace BotEngine.Channels.Email;

/// <summary>
/// One of our messages as a mail in its thread: Markdown as HTML with a plain-text alternative, options the client
/// chooses numbered (answered by typing the number, see <see cref="OfferedActions.NumberedAsync"/>), link buttons as
/// links, the engine's files attached (other files linked), and the headers that keep it in the client's thread
/// (In-Reply-To, References, "Re: subject"). The Message-ID comes from our message id, so a retry is the same mail.
/// </summary>
public sealed class EmailComposer(FileStore files)
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().DisableHtml().UseAutoLinks().Build();

    public static string MessageIdOf(string ourMessageId, EmailSettings settings) => $"{ourMessageId}@{settings.Domain}";

    public async Task<MimeMessage> ComposeAsync(Activity activity, string ourMessageId, EmailSettings settings, EmailThreadRow thread, CancellationToken cancellationToken)
    {
        var english = activity.Locale?.StartsWith("en", StringComparison.OrdinalIgnoreCase) == true;
        var html = new StringBuilder();
        var plain = new StringBuilder();
        if (activity.TextFormat == "plain")
        {
            html.Append("<p>").Append(WebUtility.HtmlEncode(activity.Text ?? "").Replace("\n", "<br>\n", StringComparison.Ordinal)).Append("</p>\n");
            plain.Append(activity.Text);
        }
        else if (!string.IsNullOrWhiteSpace(activity.Text))
        {
            html.Append(Markdown.ToHtml(activity.Text, Pipeline));
            plain.Append(MessengerContent.PlainText(activity.Text));
        }

        var choices = OfferedActions.Choices(activity);
        if (choices.Count > 0)
        {
            var hint = english ? "Reply with the number of your choice:" : "Ответьте номером варианта:";
            html.Append("<p>").Append(WebUtility.HtmlEncode(hint)).Append("</p>\n<ol>\n");
            Block(plain, hint);
            for (var i = 0; i < choices.Count; i++)
            {
                var label = OfferedActions.LabelOf(choices[i]);
                html.Append("<li>").Append(WebUtility.HtmlEncode(label)).Append("</li>\n");
                plain.Append('\n').Append(i + 1).Append(". ").Append(label);
            }
            html.Append("</ol>\n");
        }
        var links = (activity.SuggestedActions?.Actions ?? []).Where(a => a.Type == "openUrl" && LinkOf(a) is not null).ToList();
        foreach (var link in links)
        {
            var (label, url) = (OfferedActions.LabelOf(link), LinkOf(link)!);
            html.Append("<p><a href=\"").Append(WebUtility.HtmlEncode(url)).Append("\">").Append(WebUtility.HtmlEncode(label)).Append("</a></p>\n");
            Block(plain, $"{label}: {url}");
        }

        var body = new BodyBuilder();
        foreach (var attachment in activity.Attachments ?? [])
        {
            if (attachment.ContentUrl is not { } url)
                continue;
            var name = attachment.Name ?? "file";
            if (await OurFileAsync(url, cancellationToken) is { } content)
            {
                body.Attachments.Add(name, content, ContentType.Parse(attachment.ContentType ?? FileRules.OctetStream));
            }
            else
            {
                html.Append("<p><a href=\"").Append(WebUtility.HtmlEncode(url)).Append("\">").Append(WebUtility.HtmlEncode(name)).Append("</a></p>\n");
                Block(plain, $"{name}: {url}");
            }
        }
        body.TextBody = plain.ToString().Trim() + "\n";
        body.HtmlBody = $"<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head><body style=\"font-family: Arial, sans-serif; font-size: 14px\">\n{html}</body></html>\n";

        var mail = new MimeMessage
        {
            Subject = thread.Subject.Length == 0 ? (english ? "Re: your request" : "Re: ваше обращение") : "Re: " + thread.Subject,
            MessageId = MessageIdOf(ourMessageId, settings),
            InReplyTo = thread.ReplyToId,
            Body = body.ToMessageBody(),
        };
        mail.From.Add(new MailboxAddress(settings.FromName ?? "", settings.FromAddress));
        mail.To.Add(MailboxAddress.Parse(thread.Address));
        foreach (var id in thread.Refs.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            mail.References.Add(id);
        return mail;
    }

    private async Task<byte[]?> OurFileAsync(string url, CancellationToken cancellationToken) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Segments is [_, "files/", var id, ..] && FileRules.IsValidId(id.TrimEnd('/'))
            ? await files.ContentAsync(id.TrimEnd('/'), cancellationToken)
            : null;

    private static string? LinkOf(CardAction action) =>
        action.Value is System.Text.Json.Nodes.JsonValue value && value.TryGetValue<string>(out var url)
        && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri.AbsoluteUri : null;

    private static void Block(StringBuilder text, string line)
    {
        if (text.Length > 0)
            text.Append("\n\n");
        text.Append(line);
    }
}
