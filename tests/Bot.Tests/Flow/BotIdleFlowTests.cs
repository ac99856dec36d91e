using System.Net;
using System.Net.Http.Json;
using BotEngine.Conversations;
using BotEngine.Engine.Desk;
using BotEngine.Engine.Knowledge;
using Microsoft.Extensions.DependencyInjection;

namespace BotEngine.Bot.Tests.Flow;

/// <summary>Bot behaviour settings on the fake clock: a dialog with the bot ends when idle, and the greeting is said once a dialog.</summary>
public sealed class BotIdleFlowTests
{
    private const string AskDigits = "Введите последние 4 цифры карты, которую нужно заблокировать.";
    private const string Listening = "Я на связи. Напишите, пожалуйста, ваш вопрос.";

    [Fact]
    public async Task An_idle_dialog_with_the_bot_closes_after_its_timeout_and_the_next_message_starts_afresh_with_the_greeting()
    {
        // The loop's own round waits a (fake) day: the test closes by hand, so nothing races it.
        await using var engine = await FlowEngine.StartAsync(StorageKind.Sqlite, "--BotIdle:CheckInterval=1.00:00:00");
        var kb = engine.Services.GetRequiredService<KnowledgeRuntime>().Runner.Kb;
        var greeting = kb.Articles.Single(a => a.Id == kb.Settings.GreetingArticle["ru"]).Answers[0].Text;
        var closer = engine.Services.GetRequiredService<BotIdleCloser>();
        var client = engine.Client("idle-client");
        string? first = null;

        // A greeting, then "hello" again: not the greeting twice. Then a scenario starts and the client goes quiet.
        await new TestFlow(client)
            .Send("Здравствуйте")
            .ExpectReply(greeting)
            .Send("Привет")
            .ExpectAnswer(Listening)
            .Send("Заявка на блокировку карты")
            .ExpectAnswer(AskDigits)
            .Then(c => first = c.DialogId)
            .RunAsync();

        // Nine minutes of silence leave it open (the default timeout is ten); past ten it is closed by timeout, silently,
        // with the bot's memory of it (the scenario) dropped.
        engine.Advance(TimeSpan.FromMinutes(9));
        Assert.Equal(0, await closer.CloseIdleAsync(CancellationToken.None));
        Assert.Equal(DialogStates.Bot, (await engine.DialogAsync(first!)).State);
        engine.Advance(TimeSpan.FromMinutes(1.5));
        Assert.Equal(1, await closer.CloseIdleAsync(CancellationToken.None));
        var closed = await engine.DialogAsync(first!);
        Assert.Equal(DialogStates.Closed, closed.State);
        Assert.Equal("timeout", closed.ClosedBy);
        Assert.Equal("{}", closed.BotState);
        Assert.Contains("closed", await engine.DialogEventsAsync(first!));
        Assert.Equal(0, await closer.CloseIdleAsync(CancellationToken.None)); // closed once

        // The next message starts a new dialog: greeted again, and "1234" is no answer to a question nobody asks now.
        await new TestFlow(client)
            .Send("1234")
            .ExpectReply(greeting)
            .ExpectAnswer(kb.Settings.FallbackText["ru"])
            .RunAsync();
        Assert.NotEqual(first, client.DialogId);
    }

    [Fact]
    public async Task The_call_centres_bot_idle_timeout_and_message_apply_a_message_keeps_the_dialog_open_and_handed_off_dialogs_are_not_the_bots()
    {
        await using var engine = await FlowEngine.StartAsync(StorageKind.Sqlite, "--BotIdle:CheckInterval=1.00:00:00");
        using var admin = await engine.OperatorAsync();
        var closer = engine.Services.GetRequiredService<BotIdleCloser>();
        Assert.Equal(HttpStatusCode.BadRequest, (await admin.PutAsJsonAsync("/api/v1/call-centres/default", new { timers = new { botIdleTimeout = "-00:01:00" } })).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await admin.PutAsJsonAsync("/api/v1/call-centres/default",
            new { timers = new { botIdleTimeout = "00:03:00", botIdleCloseMessage = "Диалог закрыт: вы долго молчали." } })).StatusCode);

        var quiet = engine.Client("quiet");
        var talking = engine.Client("talking");
        var handedOff = engine.Client("handed-off");
        await new TestFlow(quiet).Send("Здравствуйте").ExpectReplyEventually(r => !string.IsNullOrEmpty(r.Text)).RunAsync();
        await new TestFlow(talking).Send("Здравствуйте").ExpectReplyEventually(r => !string.IsNullOrEmpty(r.Text)).RunAsync();
        await new TestFlow(handedOff).Send("Позовите оператора").ExpectDialogState(DialogStates.Queued).RunAsync();

        engine.Advance(TimeSpan.FromMinutes(2));
        await new TestFlow(talking).Send("Как заблокировать карту?").ExpectAnswer(r => Assert.StartsWith("Заблокировать карту можно", r.Text, StringComparison.Ordinal)).RunAsync();
        engine.Advance(TimeSpan.FromMinutes(1.5));
        Assert.Equal(1, await closer.CloseIdleAsync(CancellationToken.None));
        Assert.Equal(DialogStates.Closed, (await quiet.DialogAsync()).State);
        Assert.Equal(DialogStates.Bot, (await talking.DialogAsync()).State);
        Assert.Equal(DialogStates.Queued, (await handedOff.DialogAsync()).State);
        await quiet.ReplyMatchingAsync(r => r.Text == "Диалог закрыт: вы долго молчали.", "the call centre's closing message");

        // The background loop closes the other one on its own at its next round.
        engine.Advance(TimeSpan.FromDays(1));
        await engine.WaitAsync(async () => (await talking.DialogAsync()).State == DialogStates.Closed, "the loop closing the idle dialog");
    }
}
