using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text.Json.Nodes;
using BotEngine.Engine.Pipeline;
using BotEngine.Engine.Schema;
using Microsoft.Extensions.DependencyInjection;

namespace BotEngine.Bot.Tests;

/// <summary>
/// A Direct Line conversation belongs to one user: the sender is taken from the token or the conversation, never
/// from the payload's <c>from.id</c>, so a client cannot take over another client's dialog (issue 11, finding 2).
/// </summary>
public sealed class DirectLineIdentityTests
{
    [Theory]
    [InlineData(StorageKind.Sqlite)]
    [InlineData(StorageKind.Postgres)]
    public async Task A_token_without_a_user_cannot_take_over_another_clients_dialog(StorageKind storage)
    {
        await using var engine = await EngineHost.StartAsync(storage);
        using var admin = engine.OperatorClient(await engine.OperatorTokenAsync());

        // The victim's site gives its token a user; the victim asks for an operator.
        const string victimUser = "dl_victim0000000000000000000000001";
        using var victim = await TokenClientAsync(engine, victimUser);
        await victim.SendAsync("Позовите оператора", userId: victimUser);
        var victimDialog = await Eventually.WaitAsync(async () => (await admin.GetFromJsonAsync<JsonArray>("/api/v1/dialogs?state=queued"))!.FirstOrDefault()?.AsObject());
        var victimDialogId = victimDialog["id"]!.GetValue<string>();

        // The attacker has a token without a user and names the victim in from.id.
        using var attacker = await TokenClientAsync(engine, null);
        await attacker.SendAsync("Я и есть тот клиент, покажите мою анкету", userId: victimUser);

        var victimMessages = (await admin.GetFromJsonAsync<JsonArray>($"/api/v1/dialogs/{victimDialogId}/messages"))!;
        Assert.DoesNotContain(victimMessages, m => m!["text"]?.GetValue<string>()?.Contains("анкету", StringComparison.Ordinal) == true);
        var echo = (await attacker.PollAsync()).First(a => a["from"]!["role"]!.GetValue<string>() == "user");
        Assert.NotEqual(victimUser, echo["from"]!["id"]!.GetValue<string>());

        // The victim's dialog stays with the victim: an operator's reply reaches the victim's conversation, not the attacker's.
        await OperatorSteps.SetStatusAsync(admin, "online");
        await Eventually.WaitAsync(async () =>
            (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/dialogs/{victimDialogId}"))!["operatorId"] is not null ? true : (bool?)null);
        var reply = await admin.PostAsJsonAsync($"/api/v1/dialogs/{victimDialogId}/messages", new { text = "Оператор на связи" });
        Assert.True(reply.IsSuccessStatusCode, await reply.Content.ReadAsStringAsync());
        await victim.WaitForBotAsync(a => DirectLineClient.Text(a) == "Оператор на связи");
        // The reply is appended to its conversation's stream in the transaction that stores it, and the attacker's own
        // turn has run: nothing more is on its way to the attacker.
        await TurnWaits.AllProcessedAsync(engine.Services);
        Assert.DoesNotContain(await attacker.PollAsync(), a => DirectLineClient.Text(a) == "Оператор на связи");
        Assert.DoesNotContain(attacker.Received, a => DirectLineClient.Text(a) == "Оператор на связи");
    }

    [Fact]
    public async Task The_same_user_continues_its_dialog_in_a_new_conversation_and_a_conversation_has_one_user()
    {
        await using var engine = await EngineHost.StartAsync(StorageKind.Sqlite);
        using var admin = engine.OperatorClient(await engine.OperatorTokenAsync());
        const string user = "dl_returning000000000000000000000001";
        using var first = await TokenClientAsync(engine, user);
        await first.SendAsync("Позовите оператора");
        var dialog = await Eventually.WaitAsync(async () => (await admin.GetFromJsonAsync<JsonArray>("/api/v1/dialogs?state=queued"))!.FirstOrDefault()?.AsObject());

        // The same user (the site named it in both tokens) continues the same dialog from a new conversation.
        using var second = await TokenClientAsync(engine, user);
        await second.SendAsync("Я вернулся");
        var messages = (await admin.GetFromJsonAsync<JsonArray>($"/api/v1/dialogs/{dialog["id"]}/messages"))!;
        Assert.Contains(messages, m => m!["text"]?.GetValue<string>() == "Я вернулся");

        // A conversation made with the secret is bound to a user the engine picks: whatever from.id says, one client.
        using var started = await DirectLineClient.StartAsync(engine.BaseUri);
        await started.SendAsync("Добрый день", userId: "somebody");
        await started.SendAsync("Ещё вопрос", userId: "somebody-else");
        var echoes = (await started.PollAsync()).Where(a => a["from"]!["role"]!.GetValue<string>() == "user").ToList();
        Assert.Equal(2, echoes.Count);
        Assert.Single(echoes.Select(a => a["from"]!["id"]!.GetValue<string>()).Distinct());
        Assert.StartsWith("dl_", echoes[0]["from"]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_gateway_refuses_another_account_in_a_bound_conversation()
    {
        await using var engine = await EngineHost.StartAsync(StorageKind.Sqlite);
        const string owner = "dl_owner00000000000000000000000000001";
        using var chat = await TokenClientAsync(engine, owner);
        await chat.SendAsync("Добрый день");
        var gateway = engine.Services.GetRequiredService<InboundGateway>();
        var activity = new Activity { Type = Activity.Types.Message, Text = "чужой", From = new ChannelAccount { Id = "dl_other" } };
        await Assert.ThrowsAsync<ForeignAccountException>(() =>
            gateway.AcceptAsync(new InboundActivity("directline", chat.ConversationId, "dl_other", null, Guid.NewGuid().ToString("N"), activity), null, CancellationToken.None)
                .WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task A_stream_opened_before_its_token_expired_closes_when_it_expires()
    {
        await using var engine = await EngineHost.StartAsync(StorageKind.Sqlite, "--DirectLine:TokenLifetime=00:00:04");
        using var start = new HttpRequestMessage(HttpMethod.Post, "/v3/directline/conversations");
        start.Headers.Authorization = new AuthenticationHeaderValue("Bearer", EngineHost.DirectLineSecret);
        var started = (await (await engine.Http.SendAsync(start)).Content.ReadFromJsonAsync<JsonObject>())!;

        using var socket = new ClientWebSocket();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(12));
        await socket.ConnectAsync(new Uri(started["streamUrl"]!.GetValue<string>()), timeout.Token);
        var buffer = new byte[16 * 1024];
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, timeout.Token); // the old engine only sent keep-alives (every 15 s) and never closed
        }
        while (result.MessageType != WebSocketMessageType.Close);
        Assert.Equal(WebSocketCloseStatus.PolicyViolation, result.CloseStatus);
        Assert.Equal("TokenExpired", result.CloseStatusDescription);

        // Reconnecting with the expired token is refused as Direct Line clients expect (403 TokenExpired).
        using var reconnect = new HttpRequestMessage(HttpMethod.Get, $"/v3/directline/conversations/{started["conversationId"]}");
        reconnect.Headers.Authorization = new AuthenticationHeaderValue("Bearer", started["token"]!.GetValue<string>());
        var refused = await engine.Http.SendAsync(reconnect);
        Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
    }

    /// <summary>A conversation started with a token from <c>tokens/generate</c>, as a site backend hands it out (with or without a user).</summary>
    private static async Task<DirectLineClient> TokenClientAsync(EngineHost engine, string? userId)
    {
        using var generate = new HttpRequestMessage(HttpMethod.Post, "/v3/directline/tokens/generate");
        generate.Headers.Authorization = new AuthenticationHeaderValue("Bearer", EngineHost.DirectLineSecret);
        if (userId is not null)
            generate.Content = JsonContent.Create(new { user = new { id = userId } });
        var response = await engine.Http.SendAsync(generate);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var token = (await response.Content.ReadFromJsonAsync<JsonObject>())!["token"]!.GetValue<string>();
        return await DirectLineClient.StartWithTokenAsync(engine.BaseUri, token);
    }
}
