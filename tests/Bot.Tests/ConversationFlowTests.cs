using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BotEngine.Bot.Conversation;
using BotEngine.KnowledgeBase;
using Microsoft.Extensions.DependencyInjection;

namespace BotEngine.Bot.Tests;

/// <summary>The walking skeleton end to end over Direct Line, on both storage engines.</summary>
public sealed class ConversationFlowTests
{
    [Theory]
    [InlineData(StorageKind.Sqlite)]
    [InlineData(StorageKind.Postgres)]
    public async Task Bot_answers_from_the_knowledge_base_and_hands_off_on_request(StorageKind storage)
    {
        await using var engine = await EngineHost.StartAsync(storage);
        var kb = engine.Services.GetRequiredService<KnowledgeRuntime>().Runner.Kb;
        using var chat = await DirectLineClient.StartAsync(engine.BaseUri);

        await chat.SendAsync("Здравствуйте");
        var greeting = await chat.WaitForBotAsync(_ => true);
        Assert.Equal(FirstAnswer(kb, kb.Settings.GreetingArticle["ru"]), DirectLineClient.Text(greeting));
        Assert.NotEmpty(greeting["suggestedActions"]!["actions"]!.AsArray());

        var article = kb.Articles.First(a => a.Id == "card_block_ru");
        var sent = await chat.SendAsync("Как мне заблокировать свою карту?");
        var answer = await chat.WaitForBotAsync(a => a["replyToId"]?.GetValue<string>() == sent);
        Assert.Equal(article.Answers[0].Text, DirectLineClient.Text(answer));

        // A button is a messageBack whose value names the target article.
        var button = answer["suggestedActions"]!["actions"]!.AsArray().First(a => a!["type"]!.GetValue<string>() == "messageBack")!;
        var target = button["value"]!["article"]!.GetValue<string>();
        var pressed = await chat.SendAsync(button["title"]!.GetValue<string>(), value: button["value"]!.DeepClone());
        var linked = await chat.WaitForBotAsync(a => a["replyToId"]?.GetValue<string>() == pressed);
        Assert.Equal(FirstAnswer(kb, target), DirectLineClient.Text(linked));

        await chat.SendAsync("Позовите оператора");
        var token = await engine.OperatorTokenAsync();
        using var api = engine.OperatorClient(token);
        var queued = await Eventually.WaitAsync(async () =>
        {
            var list = await api.GetFromJsonAsync<JsonArray>("/api/v1/dialogs?state=queued");
            return list!.Count == 1 ? list[0]!.AsObject() : null;
        });
        Assert.Equal("directline", queued["channel"]!.GetValue<string>());
        Assert.Equal("queued", queued["state"]!.GetValue<string>());
        Assert.Null(queued["operatorId"]);
    }

    [Theory]
    [InlineData(StorageKind.Sqlite)]
    [InlineData(StorageKind.Postgres)]
    public async Task Operator_takes_the_dialog_replies_and_closes_it(StorageKind storage)
    {
        await using var engine = await EngineHost.StartAsync(storage);
        var admin = engine.OperatorClient(await engine.OperatorTokenAsync());
        var created = await admin.PostAsJsonAsync("/api/v1/operators", new { login = "olga", password = "olga-password", displayName = "Ольга" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var olga = engine.OperatorClient(await engine.OperatorTokenAsync("olga", "olga-password"));
        var me = (await olga.GetFromJsonAsync<JsonObject>("/api/v1/operators/me"))!;
        Assert.Equal(3, me["maxDialogs"]!.GetValue<int>());

        using var chat = await DirectLineClient.StartAsync(engine.BaseUri);
        await chat.SendAsync("Хочу поговорить с живым человеком");
        await Eventually.WaitAsync(async () => (await admin.GetFromJsonAsync<JsonArray>("/api/v1/dialogs?state=queued"))!.Count == 1 ? true : (bool?)null);

        Assert.Equal(HttpStatusCode.NoContent, (await olga.PostAsJsonAsync("/api/v1/operators/me/status", new { status = "online" })).StatusCode);
        var dialog = await Eventually.WaitAsync(async () =>
        {
            var list = await olga.GetFromJsonAsync<JsonArray>($"/api/v1/dialogs?state=assigned&operatorId={me["id"]}");
            return list!.Count == 1 ? list[0]!.AsObject() : null;
        });
        var dialogId = dialog["id"]!.GetValue<string>();
        var history = (await olga.GetFromJsonAsync<JsonArray>($"/api/v1/dialogs/{dialogId}/messages"))!;
        Assert.Contains(history, m => m!["author"]!.GetValue<string>() == "client" && m["text"]!.GetValue<string>() == "Хочу поговорить с живым человеком");
        await chat.WaitForBotAsync(a => DirectLineClient.Text(a)?.Contains("Ольга", StringComparison.Ordinal) == true);

        var reply = await olga.PostAsJsonAsync($"/api/v1/dialogs/{dialogId}/messages", new { text = "Добрый день! Меня зовут Ольга, чем помочь?" });
        Assert.Equal(HttpStatusCode.OK, reply.StatusCode);
        var received = await chat.WaitForBotAsync(a => DirectLineClient.Text(a) == "Добрый день! Меня зовут Ольга, чем помочь?");
        Assert.Equal("Ольга", received["from"]!["name"]!.GetValue<string>());

        // The client's messages now go to the operator, not the bot.
        var clientMessage = await chat.SendAsync("Не проходит платёж по карте");
        await Task.Delay(500);
        Assert.DoesNotContain(chat.Received, a => a["replyToId"]?.GetValue<string>() == clientMessage);

        Assert.Equal(HttpStatusCode.NoContent, (await olga.PostAsJsonAsync($"/api/v1/dialogs/{dialogId}/close", new { topic = "Платежи" })).StatusCode);
        var closed = (await olga.GetFromJsonAsync<JsonObject>($"/api/v1/dialogs/{dialogId}"))!;
        Assert.Equal("closed", closed["state"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Conflict, (await olga.PostAsJsonAsync($"/api/v1/dialogs/{dialogId}/messages", new { text = "ещё" })).StatusCode);

        // After closing, the client's next message opens a new dialog with the bot.
        var again = await chat.SendAsync("Здравствуйте");
        await chat.WaitForBotAsync(a => a["replyToId"]?.GetValue<string>() == again);
        // The new dialog is with the bot, not Olga: a supervisor (the admin) sees it.
        var open = (await admin.GetFromJsonAsync<JsonArray>("/api/v1/dialogs?state=bot"))!;
        Assert.Single(open);
        Assert.NotEqual(dialogId, open[0]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task Two_misses_in_a_row_hand_the_dialog_off()
    {
        await using var engine = await EngineHost.StartAsync(StorageKind.Sqlite);
        var kb = engine.Services.GetRequiredService<KnowledgeRuntime>().Runner.Kb;
        using var chat = await DirectLineClient.StartAsync(engine.BaseUri);
        var first = await chat.SendAsync("фыва олдж пролд");
        var fallback = await chat.WaitForBotAsync(a => a["replyToId"]?.GetValue<string>() == first);
        Assert.Equal(kb.Settings.FallbackText["ru"], DirectLineClient.Text(fallback));
        await chat.SendAsync("ячсм ждлорп");
        using var api = engine.OperatorClient(await engine.OperatorTokenAsync());
        await Eventually.WaitAsync(async () => (await api.GetFromJsonAsync<JsonArray>("/api/v1/dialogs?state=queued"))!.Count == 1 ? true : (bool?)null);
    }

    [Fact]
    public async Task A_repeated_client_activity_is_stored_and_answered_once()
    {
        await using var engine = await EngineHost.StartAsync(StorageKind.Sqlite);
        using var chat = await DirectLineClient.StartAsync(engine.BaseUri);
        var first = await chat.SendAsync("Как заблокировать карту?", clientActivityId: "retry-1");
        var second = await chat.SendAsync("Как заблокировать карту?", clientActivityId: "retry-1");
        Assert.Equal(first, second);
        // Repeats racing each other are stored once too.
        var racing = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => chat.SendAsync("Потерял карту", clientActivityId: "retry-2")));
        Assert.Single(racing.Distinct());
        await chat.WaitForBotAsync(a => a["replyToId"]?.GetValue<string>() == first);
        await Task.Delay(500);
        await chat.PollAsync();
        Assert.Equal(2, chat.Received.Count(a => a["from"]!["role"]!.GetValue<string>() == "user"));
        Assert.Single(chat.Received, a => a["replyToId"]?.GetValue<string>() == first);
        var echo = chat.Received.First(a => a["from"]!["role"]!.GetValue<string>() == "user");
        Assert.Equal("retry-1", echo["channelData"]!["clientActivityID"]!.GetValue<string>());
    }

    private static string FirstAnswer(KbDocument kb, string articleId) => kb.Articles.Single(a => a.Id == articleId).Answers[0].Text;
}
