using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using BotEngine.Channels.Messengers;
using BotEngine.Channels.Messengers.Facebook;
using BotEngine.Channels.Messengers.Viber;
using BotEngine.Channels.Messengers.Vk;

namespace BotEngine.Bot.Tests.Messengers;

/// <summary>What a messenger's servers do towards the engine: signed webhook calls in each messenger's format.</summary>
internal static class MessengerSteps
{
    public const string VkSecret = "vk-callback-secret";
    public const string VkConfirmation = "c0nf1rm";
    public const long VkGroup = 4242;
    public const string FacebookAppSecret = "fb-app-secret-0001";
    public const string FacebookVerifyToken = "fb-verify-token";
    private static int _nextMessage = 100;

    public static int NextId() => Interlocked.Increment(ref _nextMessage);

    public static Task<HttpResponseMessage> ViberAsync(EngineHost engine, string channel, JsonObject callback, string? signatureKey = FakeMessengerApi.ViberToken)
    {
        var body = Encoding.UTF8.GetBytes(callback.ToJsonString());
        var request = new HttpRequestMessage(HttpMethod.Post, ViberWebhook.PathOf(channel)) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new("application/json");
        if (signatureKey is not null)
            request.Headers.Add(ViberWebhook.SignatureHeader, WebhookSignature.Of(signatureKey, body));
        return engine.Http.SendAsync(request);
    }

    public static JsonObject ViberMessage(string user, string? text, long? token = null, string? tracking = null, JsonObject? extra = null)
    {
        var message = new JsonObject { ["type"] = "text", ["text"] = text };
        if (tracking is not null)
            message["tracking_data"] = tracking;
        foreach (var (key, value) in extra ?? [])
            message[key] = value?.DeepClone();
        return new JsonObject
        {
            ["event"] = "message",
            ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            ["message_token"] = token ?? NextId(),
            ["sender"] = new JsonObject { ["id"] = user, ["name"] = "Иван Петров", ["language"] = "ru", ["api_version"] = 10 },
            ["message"] = message,
        };
    }

    public static Task<HttpResponseMessage> VkAsync(EngineHost engine, string channel, JsonObject callback) =>
        engine.Http.PostAsJsonAsync(VkCallback.PathOf(channel), callback);

    public static JsonObject VkMessage(long peer, string? text, long? id = null, JsonObject? extra = null, string secret = VkSecret, long group = VkGroup)
    {
        var message = new JsonObject { ["id"] = id ?? NextId(), ["date"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), ["peer_id"] = peer, ["from_id"] = peer, ["text"] = text ?? "" };
        foreach (var (key, value) in extra ?? [])
            message[key] = value?.DeepClone();
        return new JsonObject
        {
            ["type"] = "message_new",
            ["event_id"] = Guid.NewGuid().ToString("N"),
            ["v"] = "5.199",
            ["group_id"] = group,
            ["secret"] = secret,
            ["object"] = new JsonObject { ["message"] = message, ["client_info"] = new JsonObject { ["lang_id"] = 0, ["inline_keyboard"] = true } },
        };
    }

    public static Task<HttpResponseMessage> FacebookAsync(EngineHost engine, string channel, params JsonObject[] messaging) =>
        FacebookSignedAsync(engine, channel, new JsonObject
        {
            ["object"] = "page",
            ["entry"] = new JsonArray(new JsonObject { ["id"] = "page-1", ["time"] = 1, ["messaging"] = new JsonArray([.. messaging.Select(m => m.DeepClone())]) }),
        }, FacebookAppSecret);

    public static Task<HttpResponseMessage> FacebookSignedAsync(EngineHost engine, string channel, JsonObject body, string? secret)
    {
        var bytes = Encoding.UTF8.GetBytes(body.ToJsonString());
        var request = new HttpRequestMessage(HttpMethod.Post, FacebookWebhook.PathOf(channel)) { Content = new ByteArrayContent(bytes) };
        request.Content.Headers.ContentType = new("application/json");
        if (secret is not null)
            request.Headers.Add(FacebookWebhook.SignatureHeader, "sha256=" + WebhookSignature.Of(secret, bytes));
        return engine.Http.SendAsync(request);
    }

    public static JsonObject FacebookText(string psid, string? text, JsonObject? extra = null)
    {
        var message = new JsonObject { ["mid"] = "m_" + Guid.NewGuid().ToString("N"), ["text"] = text };
        foreach (var (key, value) in extra ?? [])
            message[key] = value?.DeepClone();
        return new JsonObject
        {
            ["sender"] = new JsonObject { ["id"] = psid },
            ["recipient"] = new JsonObject { ["id"] = "page-1" },
            ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds(),
            ["message"] = message,
        };
    }

    public static async Task SaveChannelAsync(HttpClient admin, string id, string type, object settings)
    {
        var saved = await admin.PutAsJsonAsync($"/api/v1/channels/{id}", new { type, settings });
        Assert.True(saved.StatusCode == HttpStatusCode.OK, await saved.Content.ReadAsStringAsync());
    }

    public static async Task<JsonObject> QueuedDialogAsync(HttpClient admin, string channel) =>
        await Eventually.WaitAsync(async () =>
            (await admin.GetFromJsonAsync<JsonArray>("/api/v1/dialogs?state=queued"))!.OfType<JsonObject>().FirstOrDefault(d => d["channel"]!.GetValue<string>() == channel));

    /// <summary>The operator takes the queued dialog and writes into it.</summary>
    public static async Task OperatorRepliesAsync(HttpClient admin, string dialogId, string text)
    {
        await OperatorSteps.SetStatusAsync(admin, "online");
        await Eventually.WaitAsync(async () =>
            (await admin.GetFromJsonAsync<JsonObject>($"/api/v1/dialogs/{dialogId}"))!["state"]!.GetValue<string>() is "assigned" or "active" ? true : (bool?)null);
        var reply = await admin.PostAsJsonAsync($"/api/v1/dialogs/{dialogId}/messages", new { text });
        Assert.True(reply.IsSuccessStatusCode, await reply.Content.ReadAsStringAsync());
    }

    /// <summary>A web chat visitor who asked for an operator: the client a deep link is then made for.</summary>
    public static async Task<(DirectLineClient Web, string ClientId, string DialogId)> WebChatClientAsync(EngineHost engine, HttpClient admin)
    {
        var web = await DirectLineClient.StartAsync(engine.BaseUri);
        await web.SendAsync("Позовите оператора", "dl_visitor");
        var dialog = await QueuedDialogAsync(admin, "directline");
        return (web, dialog["clientId"]!.GetValue<string>(), dialog["id"]!.GetValue<string>());
    }

    /// <summary>Makes a deep link for the client on the channel: its URL and token.</summary>
    public static async Task<(string Url, string Token)> DeepLinkAsync(HttpClient admin, string clientId, string channel)
    {
        var made = await admin.PostAsJsonAsync($"/api/v1/clients/{clientId}/deep-links", new { channel });
        Assert.True(made.StatusCode == HttpStatusCode.OK, await made.Content.ReadAsStringAsync());
        var link = (await made.Content.ReadFromJsonAsync<JsonObject>())!;
        return (link["url"]!.GetValue<string>(), link["token"]!.GetValue<string>());
    }

    public static async Task<int> InboundCountAsync(HttpClient admin, string dialogId) =>
        (await admin.GetFromJsonAsync<JsonArray>($"/api/v1/dialogs/{dialogId}/messages"))!.Count(m => m!["direction"]!.GetValue<string>() == "in");
}
