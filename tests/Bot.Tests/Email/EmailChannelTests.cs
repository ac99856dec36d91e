using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using BotEngine.Bot.Tests.Messengers;
using BotEngine.Engine.Files;
using BotEngine.Storage.Channels;
using Microsoft.Extensions.DependencyInjection;

namespace BotEngine.Bot.Tests.Email;

/// <summary>
/// The e-mail channel against real mail servers written by others: the engine polls Dovecot (IMAP) for the client's
/// mail and sends its answers to maildev (SMTP).
/// </summary>
public sealed class EmailChannelTests
{
    private const string Client = "ivan.petrov@client.example.com";

    [Fact]
    public async Task A_client_writes_chooses_a_numbered_option_sends_a_file_and_gets_the_operators_reply_in_the_thread()
    {
        await using var maildev = await MaildevPeer.StartAsync();
        await using var dovecot = await DovecotPeer.StartAsync();
        await using var engine = await EngineHost.StartAsync(StorageKind.Postgres);
        using var admin = engine.OperatorClient(await engine.OperatorTokenAsync());
        await EmailSteps.SaveChannelAsync(admin, "support-mail", maildev.SmtpPort, dovecot);

        var first = EmailSteps.ClientMail(Client, "Блокировка", "Как мне заблокировать свою карту?\n\n-- \nИван Петров\n+7 900 000-00-00");
        await dovecot.DeliverAsync(first);
        // The greeting, then the answer: HTML from Markdown with a plain-text part, its buttons as numbered options.
        var greeting = await maildev.WaitForAsync(m => MaildevPeer.Text(m).Contains("Северного банка", StringComparison.Ordinal));
        var answer = await maildev.WaitForAsync(m => MaildevPeer.Text(m).Contains("Заблокировать карту можно", StringComparison.Ordinal));
        foreach (var mail in (JsonObject[])[greeting, answer])
        {
            Assert.Equal(Client, MaildevPeer.To(mail));
            Assert.Equal("Re: Блокировка", mail["subject"]!.GetValue<string>());
            Assert.Equal(first.MessageId, EmailSteps.InReplyToOf(mail));
            Assert.Contains(EmailSteps.Mailbox, MaildevPeer.Header(mail, "from"), StringComparison.Ordinal);
        }
        Assert.Contains("<strong>бесплатно</strong>", MaildevPeer.Html(answer), StringComparison.Ordinal);
        Assert.DoesNotContain("**", MaildevPeer.Text(answer), StringComparison.Ordinal);
        Assert.Contains("2. Перевыпуск карты", MaildevPeer.Text(answer), StringComparison.Ordinal);
        Assert.Contains("<li>Перевыпуск карты</li>", MaildevPeer.Html(answer), StringComparison.Ordinal);

        // The client answers "2" in the thread, quoting our mail under their answer as mail programs do.
        var choice = EmailSteps.ClientMail(Client, "Re: Блокировка",
            "2\n\n30 нояб. 2026 г., в 10:00, Северный банк <support@bank.test> написал(а):\n> Заблокировать карту можно в любой момент\n> 1. Я потерял карту",
            answeringId: EmailSteps.MessageIdOf(answer), references: [first.MessageId!]);
        await dovecot.DeliverAsync(choice);
        var reissue = await maildev.WaitForAsync(m => MaildevPeer.Text(m).Contains("Плановый перевыпуск", StringComparison.Ordinal));
        Assert.Equal(choice.MessageId, EmailSteps.InReplyToOf(reissue));
        Assert.Contains(first.MessageId, EmailSteps.ReferencesOf(reissue));

        var pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n% a tiny stand-in for the client's form\n%%EOF\n");
        var withFile = EmailSteps.ClientMail(Client, "Re: Блокировка", "Вот скан заявления", answeringId: EmailSteps.MessageIdOf(reissue),
            references: [first.MessageId!, choice.MessageId!], file: ("заявление.pdf", pdf));
        await dovecot.DeliverAsync(withFile);
        var handoff = EmailSteps.ClientMail(Client, "Re: Блокировка", "Позовите оператора", answering: withFile, references: [first.MessageId!]);
        await dovecot.DeliverAsync(handoff);

        // One dialog for the whole thread, queued for an operator, with the file stored and no quoted text kept.
        var dialogId = (await MessengerSteps.QueuedDialogAsync(admin, "support-mail"))["id"]!.GetValue<string>();
        var messages = (await admin.GetFromJsonAsync<JsonArray>($"/api/v1/dialogs/{dialogId}/messages"))!.OfType<JsonObject>().ToList();
        var inbound = messages.Where(m => m["direction"]!.GetValue<string>() == "in").Select(m => m["text"]?.GetValue<string>() ?? "").ToList();
        Assert.Equal(4, inbound.Count);
        Assert.Equal("Как мне заблокировать свою карту?", inbound[0]);
        Assert.All(inbound, text => Assert.DoesNotContain("написал", text, StringComparison.Ordinal));
        var scan = messages.Single(m => m["text"]?.GetValue<string>() == "Вот скан заявления");
        var fileUrl = new Uri(scan["activity"]!["attachments"]![0]!["contentUrl"]!.GetValue<string>());
        Assert.Equal(pdf, await engine.Services.GetRequiredService<FileStore>().ContentAsync(fileUrl.Segments[2].TrimEnd('/'), CancellationToken.None));

        // In the workplace the mail is listed as e-mail, due an answer within Workplace:EmailResponseTarget (4 h), not a chat's minute.
        await OperatorSteps.SetStatusAsync(admin, "online");
        var row = await Eventually.WaitAsync(async () => (await admin.GetFromJsonAsync<JsonObject>("/api/v1/workplace/dialogs"))!["mine"]!.AsArray()
            .OfType<JsonObject>().FirstOrDefault(d => d["id"]!.GetValue<string>() == dialogId && d["responseDueAt"] is not null));
        Assert.Equal("email", row["channelType"]!.GetValue<string>());
        Assert.Equal(TimeSpan.FromHours(4), row["responseDueAt"]!.GetValue<DateTimeOffset>() - row["awaitingReplySince"]!.GetValue<DateTimeOffset>());
        await MessengerSteps.OperatorRepliesAsync(admin, dialogId, "Здравствуйте! Я **оператор** и помогу.");
        var reply = await maildev.WaitForAsync(m => MaildevPeer.Text(m).Contains("Я оператор и помогу", StringComparison.Ordinal));
        Assert.Equal(handoff.MessageId, EmailSteps.InReplyToOf(reply));
        Assert.Contains(first.MessageId, EmailSteps.ReferencesOf(reply));
        Assert.Equal("Re: Блокировка", reply["subject"]!.GetValue<string>());
        Assert.Contains("<strong>оператор</strong>", MaildevPeer.Html(reply), StringComparison.Ordinal);
        var closed = await admin.PostAsJsonAsync($"/api/v1/dialogs/{dialogId}/close", new { topic = "Блокировка карты", clientDissatisfied = false });
        Assert.True(closed.IsSuccessStatusCode, await closed.Content.ReadAsStringAsync());

        // The sender's address is the client's e-mail; the channel's passwords are never shown.
        var clientId = (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/dialogs/{dialogId}"))!["clientId"]!.GetValue<string>();
        var card = (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/clients/{clientId}"))!;
        Assert.Contains(Client, card.ToJsonString(), StringComparison.Ordinal);
        var channel = (await admin.GetFromJsonAsync<JsonObject>("/api/v1/channels/support-mail"))!;
        Assert.DoesNotContain(DovecotPeer.Password, channel.ToJsonString(), StringComparison.Ordinal);
        Assert.Contains("imapPassword", channel["secretsSet"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.NotNull(channel["health"]!["lastInboundAt"]);
    }

    [Fact]
    public async Task A_mail_fetched_twice_is_taken_once_and_a_restarted_engine_does_not_read_the_mailbox_again()
    {
        await using var maildev = await MaildevPeer.StartAsync();
        await using var dovecot = await DovecotPeer.StartAsync();
        var dataDir = TestDatabases.NewTempDir();
        try
        {
            var handoff = EmailSteps.ClientMail(Client, "Карта", "Позовите оператора");
            string dialogId;
            await using (var engine = await EngineHost.StartAsync(StorageKind.Sqlite, ["--data-dir", dataDir], keepData: true))
            {
                using var admin = engine.OperatorClient(await engine.OperatorTokenAsync());
                await RefusesBadSettingsAsync(admin);
                await EmailSteps.SaveChannelAsync(admin, "support-mail", maildev.SmtpPort, dovecot);
                await dovecot.DeliverAsync(handoff);
                dialogId = (await MessengerSteps.QueuedDialogAsync(admin, "support-mail"))["id"]!.GetValue<string>();
                // The same mail again (a second copy in the folder, under a new UID): taken by its Message-ID once.
                var copy = await dovecot.DeliverAsync(handoff);
                await CursorReachesAsync(engine, copy);
                await TurnWaits.AllProcessedAsync(engine.Services);
                Assert.Equal(1, await MessengerSteps.InboundCountAsync(admin, dialogId));
            }

            await using (var restarted = await EngineHost.StartAsync(StorageKind.Sqlite, ["--data-dir", dataDir], keepData: true))
            {
                using var admin = restarted.OperatorClient(await restarted.OperatorTokenAsync());
                var more = EmailSteps.ClientMail(Client, "Re: Карта", "Жду ответа", answering: handoff);
                var uid = await dovecot.DeliverAsync(more);
                await CursorReachesAsync(restarted, uid);
                await TurnWaits.AllProcessedAsync(restarted.Services);
                // The mail after the restart joined the dialog; the two before it were not read again.
                Assert.Equal(2, await MessengerSteps.InboundCountAsync(admin, dialogId));
            }
        }
        finally
        {
            TestDatabases.TryDelete(dataDir);
        }
    }

    [Fact]
    public async Task An_smtp_server_that_is_down_delays_the_answers_which_then_arrive_once()
    {
        var smtpPort = CrashRecoveryTests.FreePort();
        await using var dovecot = await DovecotPeer.StartAsync();
        await using var engine = await EngineHost.StartAsync(StorageKind.Sqlite);
        using var admin = engine.OperatorClient(await engine.OperatorTokenAsync());
        await EmailSteps.SaveChannelAsync(admin, "support-mail", smtpPort, dovecot);

        await dovecot.DeliverAsync(EmailSteps.ClientMail(Client, "Карта", "Как мне заблокировать свою карту?"));
        // Nothing listens on the SMTP port yet: the delivery fails and shows in the channel's health.
        await Eventually.WaitAsync(async () =>
            (await admin.GetFromJsonAsync<JsonObject>("/api/v1/channels/support-mail"))!["health"]!["lastError"] is not null ? true : (bool?)null);

        await using var maildev = await MaildevPeer.StartAsync(smtpPort);
        await maildev.WaitForAsync(m => MaildevPeer.Text(m).Contains("Заблокировать карту можно", StringComparison.Ordinal), TimeSpan.FromSeconds(90));
        await maildev.WaitForAsync(m => MaildevPeer.Text(m).Contains("Северного банка", StringComparison.Ordinal));
        await TurnWaits.AllProcessedAsync(engine.Services);
        await Task.Delay(TimeSpan.FromSeconds(3)); // the outbox's beat: a second copy would have gone by now
        var mails = await maildev.MailsAsync();
        Assert.Equal(2, mails.Count);
        Assert.Equal(2, mails.Select(EmailSteps.MessageIdOf).Distinct().Count());
    }

    private static async Task RefusesBadSettingsAsync(HttpClient admin)
    {
        var cases = new (object Settings, string Field)[]
        {
            (new { smtpHost = "http://mail.example.com", fromAddress = EmailSteps.Mailbox }, "settings.smtpHost"),
            (new { smtpHost = "127.0.0.1" }, "settings.fromAddress"),
            (new { smtpHost = "127.0.0.1", fromAddress = "Bank <support@bank.test>" }, "settings.fromAddress"),
            (new { smtpHost = "127.0.0.1", fromAddress = EmailSteps.Mailbox, smtpPort = 70000 }, "settings.smtpPort"),
            (new { smtpHost = "127.0.0.1", fromAddress = EmailSteps.Mailbox, smtpTls = "ssl3" }, "settings.smtpTls"),
            (new { smtpHost = "127.0.0.1", fromAddress = EmailSteps.Mailbox, imapHost = "127.0.0.1", imapUsername = "x" }, "settings.imapPassword"),
            (new { smtpHost = "127.0.0.1", fromAddress = EmailSteps.Mailbox, imapFolder = "INBOX" }, "settings.imapFolder"),
            (new { smtpHost = "127.0.0.1", fromAddress = EmailSteps.Mailbox, pop3Host = "x" }, "settings.pop3Host"),
        };
        foreach (var (settings, field) in cases)
        {
            var response = await admin.PutAsJsonAsync("/api/v1/channels/bad-mail", new { type = "email", settings });
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains(field, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    /// <summary>Waits until the engine has taken the mail up to <paramref name="uid"/> (the stored polling cursor).</summary>
    private static Task CursorReachesAsync(EngineHost engine, uint uid) =>
        Eventually.WaitAsync(async () =>
            (await engine.Services.GetRequiredService<ChannelStore>().FindAsync("support-mail", CancellationToken.None))?.InboundCursor is { } cursor
            && uint.Parse(cursor.Split(':')[1], System.Globalization.CultureInfo.InvariantCulture) >= uid ? true : (bool?)null, TimeSpan.FromSeconds(60));
}
