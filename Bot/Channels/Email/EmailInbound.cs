using System.Text.Json.Nodes;
using BotEngine.Engine.Channels;
using BotEngine.Engine.Clients;
using BotEngine.Engine.Files;
using BotEngine.Engine.Pipeline;
using BotEngine.Engine.Schema;
using BotEngine.Storage;
using BotEngine.Storage.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using MimeKit;

namespace BotEngine.Channels.Email;

/// <summary>
/// Turns a client's mail into our activity on the inbound gateway. The sender's address is the client's account; the
/// thread (In-Reply-To, then References, newest first) picks the conversation, a new thread starts one; the
/// Message-ID makes a mail fetched twice a no-op. Quoted text and signatures are cut, a typed option number becomes
/// the chosen option, attachments go into the file store (each within <c>Files:MaxFileBytes</c>). Our own mail,
/// bounces and auto-replies are not taken, so two robots cannot answer each other forever.
/// </summary>
public sealed partial class EmailInbound(
    InboundGateway gateway,
    EmailThreadStore threads,
    OfferedActions offered,
    FileStore files,
    FileUrls urls,
    ChannelHealthRecorder health,
    ClientIdentity identity,
    IOptions<FilesOptions> fileOptions,
    TimeProvider time,
    ILogger<EmailInbound> logger)
{
    /// <summary>The longest text taken from a mail (what the Direct Line channel allows a message).</summary>
    public const int MaxTextLength = 4000;

    /// <summary>Takes the mail; false when it is not a client's (ours, automatic, without a sender).</summary>
    public async Task<bool> AcceptAsync(ChannelInstance channel, MimeMessage mail, string fallbackId, CancellationToken cancellationToken)
    {
        var settings = EmailSettings.Of(channel);
        if ((mail.From.Mailboxes.FirstOrDefault() ?? mail.Sender) is not { Address.Length: > 0 } sender)
        {
            LogSkipped(logger, channel.Id, fallbackId, "no sender");
            return false;
        }
        var address = sender.Address.Trim().ToLowerInvariant();
        if (address == settings.FromAddress.ToLowerInvariant() || IsAutomatic(mail))
        {
            LogSkipped(logger, channel.Id, fallbackId, "our own or an automatic mail");
            return false;
        }
        var messageId = string.IsNullOrWhiteSpace(mail.MessageId) ? fallbackId : mail.MessageId.Trim();
        var subject = Subject(mail.Subject);

        var conversation = await threads.ConversationOfAsync(channel.Id, [messageId], cancellationToken)
            ?? await ParentThreadAsync(channel.Id, mail, address, cancellationToken)
            ?? EmailConversations.Id(channel.Id, address, messageId);
        var thread = await threads.FindAsync(conversation, cancellationToken);
        var newThread = thread is null;
        var refs = Chain(thread?.Refs, [.. mail.References, mail.InReplyTo, messageId]);
        await threads.RecordAsync(new EmailThreadRow(conversation, channel.Id, address, thread?.Subject ?? subject, messageId, refs),
            messageId, EmailThreadStore.Inbound, time.NowMicros(), cancellationToken);

        var body = mail.TextBody is { Length: > 0 } plain ? plain : mail.HtmlBody is { } html ? EmailHtmlText.Of(html) : "";
        var text = EmailQuotes.Strip(body);
        if (text.Length == 0 && newThread)
            text = subject;
        if (text.Length > MaxTextLength)
            text = text[..MaxTextLength];

        var activity = new Activity
        {
            Type = Activity.Types.Message,
            From = new ChannelAccount { Id = address, Name = sender.Name is { Length: > 0 } name ? name : null, Role = "user" },
            Recipient = new ChannelAccount { Id = OutboundWriter.BotAccountId, Role = "bot" },
            Text = text.Length > 0 ? text : null,
            ChannelData = new JsonObject { [EmailChannelType.TypeName] = new JsonObject { ["messageId"] = messageId, ["subject"] = mail.Subject ?? "" } },
        };
        var stored = Attachments(channel.Id, mail);
        if (stored.Count == 0 && await offered.NumberedAsync(conversation, text, cancellationToken) is { } chosen)
        {
            activity.Text = chosen.Text ?? chosen.Title;
            activity.Value = chosen.Value?.DeepClone();
        }
        if (stored.Count > 0)
            activity.Attachments = [.. stored.Select(f => new Attachment { ContentType = f.ContentType, ContentUrl = urls.Absolute(f.Id, f.Name), Name = f.Name })];
        if (activity.Text is null && stored.Count == 0)
        {
            LogSkipped(logger, channel.Id, messageId, "nothing but quoted text");
            return false;
        }

        var inbound = new InboundActivity(channel.Id, conversation, address, activity.From.Name, $"email:{messageId}", activity);
        var receipt = await gateway.AcceptAsync(inbound, stored.Count == 0 ? null : (c, t, _, _, _) => files.InsertAsync(c, t, stored, UploaderKinds.Client, conversation), cancellationToken);
        await health.InboundAsync(channel.Id, cancellationToken);
        if (newThread && !receipt.Duplicate)
        {
            try
            {
                await identity.NoteEmailAsync(channel.Id, conversation, address, address, cancellationToken);
            }
            catch (ClientProfileException ex)
            {
                LogAddressNotKept(logger, channel.Id, ex.Message);
            }
        }
        return true;
    }

    /// <summary>The conversation of the message this one answers, when it is this sender's thread.</summary>
    private async Task<string?> ParentThreadAsync(string channel, MimeMessage mail, string address, CancellationToken cancellationToken)
    {
        var parents = new List<string>();
        if (!string.IsNullOrWhiteSpace(mail.InReplyTo))
            parents.Add(mail.InReplyTo.Trim());
        parents.AddRange(mail.References.Reverse().Where(r => !string.IsNullOrWhiteSpace(r)));
        if (await threads.ConversationOfAsync(channel, parents, cancellationToken) is not { } found)
            return null;
        // Somebody else answering a client's thread starts a thread of their own.
        return (await threads.FindAsync(found, cancellationToken))?.Address == address ? found : null;
    }

    private List<NewFile> Attachments(string channel, MimeMessage mail)
    {
        var limit = fileOptions.Value.MaxFileBytes;
        var stored = new List<NewFile>();
        foreach (var part in mail.Attachments.OfType<MimePart>())
        {
            using var content = new MemoryStream();
            part.Content?.DecodeTo(content);
            var name = FileRules.NormalizeName(part.FileName);
            if (content.Length == 0 || content.Length > limit)
            {
                LogFileNotTaken(logger, channel, name, content.Length);
                continue;
            }
            stored.Add(FileRules.Create(FileRules.NewId(), name.Length > 0 ? name : "file", FileRules.NormalizeType(part.ContentType.MimeType), content.ToArray()));
        }
        return stored;
    }

    /// <summary>Bounces and auto-replies (RFC 3834's Auto-Submitted, the older Precedence, a null sender) are not a client's words.</summary>
    private static bool IsAutomatic(MimeMessage mail) =>
        (mail.Headers[HeaderId.AutoSubmitted] is { Length: > 0 } auto && !auto.Trim().Equals("no", StringComparison.OrdinalIgnoreCase))
        || mail.Headers[HeaderId.Precedence]?.Trim().ToLowerInvariant() is "bulk" or "junk" or "list" or "auto_reply"
        || mail.Headers["X-Autoreply"] is not null
        || mail.Headers[HeaderId.ReturnPath]?.Trim() == "<>";

    /// <summary>The subject without the "Re:"/"Fwd:"/"Ответ:" prefixes clients stack up.</summary>
    public static string Subject(string? subject)
    {
        var text = (subject ?? "").Trim();
        string before;
        do
        {
            before = text;
            foreach (var prefix in (string[])["Re:", "RE:", "Fwd:", "FW:", "Fw:", "Ответ:", "Отв:", "На:"])
            {
                if (text.StartsWith(prefix, StringComparison.OrdinalIgnoreCase))
                    text = text[prefix.Length..].TrimStart();
            }
        }
        while (text != before);
        return text.Length <= 300 ? text : text[..300];
    }

    /// <summary>The References of the thread: earlier ones first, no repeats, the newest 20 kept.</summary>
    public static string Chain(string? existing, IEnumerable<string?> added)
    {
        var ids = new List<string>((existing ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries));
        foreach (var id in added)
        {
            if (!string.IsNullOrWhiteSpace(id) && !ids.Contains(id.Trim(), StringComparer.Ordinal))
                ids.Add(id.Trim());
        }
        return string.Join(' ', ids.TakeLast(20));
    }

    [LoggerMessage(EventId = 1500, Level = LogLevel.Information, Message = "E-mail channel {Channel}: mail {MessageId} not taken ({Reason})")]
    private static partial void LogSkipped(ILogger logger, string channel, string messageId, string reason);

    [LoggerMessage(EventId = 1501, Level = LogLevel.Warning, Message = "E-mail channel {Channel}: attachment '{Name}' of {Bytes} bytes not stored (empty, or over Files:MaxFileBytes)")]
    private static partial void LogFileNotTaken(ILogger logger, string channel, string name, long bytes);

    [LoggerMessage(EventId = 1502, Level = LogLevel.Warning, Message = "E-mail channel {Channel}: the sender's address was not kept in the profile: {Reason}")]
    private static partial void LogAddressNotKept(ILogger logger, string channel, string reason);
}
