using System.Net;
using System.Net.Http.Json;
using MimeKit;

namespace BotEngine.Bot.Tests.Email;

/// <summary>What a client's mail program does: writes mail, answers in a thread (quoting), attaches files; and the channel's configuration.</summary>
internal static class EmailSteps
{
    public const string Mailbox = "support@bank.test";

    public static async Task SaveChannelAsync(HttpClient admin, string id, int smtpPort, DovecotPeer imap)
    {
        var saved = await admin.PutAsJsonAsync($"/api/v1/channels/{id}", new
        {
            type = "email",
            settings = new
            {
                smtpHost = "127.0.0.1",
                smtpPort,
                smtpTls = "none",
                fromAddress = Mailbox,
                fromName = "Северный банк",
                imapHost = "127.0.0.1",
                imapPort = imap.Port,
                imapTls = "none",
                imapUsername = DovecotPeer.User,
                imapPassword = DovecotPeer.Password,
                pollIntervalSeconds = 1,
            },
        });
        Assert.True(saved.StatusCode == HttpStatusCode.OK, await saved.Content.ReadAsStringAsync());
    }

    /// <summary>A client's mail; <paramref name="answering"/> makes it a reply in that mail's thread, as mail programs do.</summary>
    public static MimeMessage ClientMail(string from, string subject, string text, MimeMessage? answering = null, string? answeringId = null,
        IEnumerable<string>? references = null, (string Name, byte[] Content)? file = null)
    {
        var mail = new MimeMessage { Subject = subject, MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId("client.example.com") };
        mail.From.Add(new MailboxAddress("Иван Петров", from));
        mail.To.Add(new MailboxAddress("Северный банк", Mailbox));
        var parent = answeringId ?? answering?.MessageId;
        if (parent is not null)
        {
            mail.InReplyTo = parent;
            foreach (var id in references ?? [])
                mail.References.Add(id);
            mail.References.Add(parent);
        }
        var body = new BodyBuilder { TextBody = text };
        if (file is { } f)
            body.Attachments.Add(f.Name, f.Content, new ContentType("application", "pdf"));
        mail.Body = body.ToMessageBody();
        return mail;
    }

    /// <summary>The Message-ID maildev shows without its angle brackets.</summary>
    public static string MessageIdOf(System.Text.Json.Nodes.JsonObject mail) => mail["messageId"]!.GetValue<string>();

    public static IReadOnlyList<string> ReferencesOf(System.Text.Json.Nodes.JsonObject mail) =>
        mail["references"] is System.Text.Json.Nodes.JsonArray refs ? [.. refs.Select(r => r!.GetValue<string>())] : [];

    public static string InReplyToOf(System.Text.Json.Nodes.JsonObject mail) =>
        mail["inReplyTo"] is System.Text.Json.Nodes.JsonArray ids ? ids[0]!.GetValue<string>() : "";
}
