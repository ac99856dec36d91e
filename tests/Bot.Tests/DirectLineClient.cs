using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace BotEngine.Bot.Tests;

/// <summary>A test-side Direct Line 3.0 client speaking the protocol over HTTP, as directline-js does.</summary>
public sealed class DirectLineClient : IDisposable
{
    private readonly HttpClient _http;
    private string _watermark = "";

    private DirectLineClient(HttpClient http, string conversationId, string token)
    {
        _http = http;
        ConversationId = conversationId;
        Token = token;
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    }

    public string ConversationId { get; }
    public string Token { get; }
    public List<JsonObject> Received { get; } = [];

    public static async Task<DirectLineClient> StartAsync(Uri baseUri, string secret = EngineHost.DirectLineSecret)
    {
        var http = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v3/directline/conversations");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", secret);
        var response = await http.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return new DirectLineClient(http, body["conversationId"]!.GetValue<string>(), body["token"]!.GetValue<string>());
    }

    /// <summary>A conversation opened with a token a site backend got from <c>tokens/generate</c> (which already made it).</summary>
    public static async Task<DirectLineClient> StartWithTokenAsync(Uri baseUri, string token)
    {
        var http = new HttpClient { BaseAddress = baseUri, Timeout = TimeSpan.FromSeconds(30) };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v3/directline/conversations");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await http.SendAsync(request);
        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var body = (await response.Content.ReadFromJsonAsync<JsonObject>())!;
        return new DirectLineClient(http, body["conversationId"]!.GetValue<string>(), body["token"]!.GetValue<string>());
    }

    public async Task<string> SendAsync(string text, string userId = "user-1", JsonNode? value = null, string? clientActivityId = null)
    {
        var activity = new JsonObject
        {
            ["type"] = "message",
            ["text"] = text,
            ["from"] = new JsonObject { ["id"] = userId, ["name"] = "Test user" },
            ["channelData"] = new JsonObject { ["clientActivityID"] = clientActivityId ?? Guid.NewGuid().ToString("N") },
        };
        if (value is not null)
            activity["value"] = value;
        var response = await _http.PostAsJsonAsync($"/v3/directline/conversations/{ConversationId}/activities", activity);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
    }

    /// <summary>
    /// Files through <c>upload</c>, as directline-js sends them: the activity as a Blob part named <c>activity</c>
    /// (filename "blob"), then one <c>file</c> part per file.
    /// </summary>
    public async Task<HttpResponseMessage> UploadAsync(string? text, string userId, params (string Name, string ContentType, byte[] Content)[] files)
    {
        using var form = new MultipartFormDataContent();
        if (text is not null)
        {
            var activity = new JsonObject
            {
                ["type"] = "message",
                ["text"] = text,
                ["from"] = new JsonObject { ["id"] = userId },
                ["channelData"] = new JsonObject { ["clientActivityID"] = Guid.NewGuid().ToString("N") },
            };
            var part = new StringContent(activity.ToJsonString());
            part.Headers.ContentType = new MediaTypeHeaderValue("application/vnd.microsoft.activity");
            form.Add(part, "activity", "blob");
        }
        foreach (var (name, contentType, content) in files)
        {
            var part = new ByteArrayContent(content);
            part.Headers.ContentType = new MediaTypeHeaderValue(contentType);
            form.Add(part, "file", name);
        }
        return await _http.PostAsync($"/v3/directline/conversations/{ConversationId}/upload?userId={Uri.EscapeDataString(userId)}", form);
    }

    /// <summary>Posts an activity as given (with a fresh clientActivityID) and returns the id the server assigned.</summary>
    public async Task<string> PostActivityAsync(JsonObject activity)
    {
        activity["channelData"] ??= new JsonObject { ["clientActivityID"] = Guid.NewGuid().ToString("N") };
        var response = await _http.PostAsJsonAsync($"/v3/directline/conversations/{ConversationId}/activities", activity);
        response.EnsureSuccessStatusCode();
        return (await response.Content.ReadFromJsonAsync<JsonObject>())!["id"]!.GetValue<string>();
    }

    public async Task<List<JsonObject>> PollAsync()
    {
        var set = (await _http.GetFromJsonAsync<JsonObject>($"/v3/directline/conversations/{ConversationId}/activities?watermark={_watermark}"))!;
        _watermark = set["watermark"]!.GetValue<string>();
        var fresh = set["activities"]!.AsArray().Select(a => a!.AsObject()).ToList();
        Received.AddRange(fresh);
        return fresh;
    }

    /// <summary>Polls until a bot message satisfying the predicate arrives, or fails after the timeout.</summary>
    public async Task<JsonObject> WaitForBotAsync(Func<JsonObject, bool> predicate, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(20));
        var seen = 0;
        while (DateTime.UtcNow < deadline)
        {
            await PollAsync();
            for (; seen < Received.Count; seen++)
            {
                var a = Received[seen];
                if (a["from"]?["role"]?.GetValue<string>() == "bot" && predicate(a))
                    return a;
            }
            await Task.Delay(100);
        }
        throw new TimeoutException($"No matching bot activity within the timeout; got: {string.Join(" | ", Received.Select(a => a["text"]))}");
    }

    public static string? Text(JsonObject activity) => activity["text"]?.GetValue<string>();

    public void Dispose() => _http.Dispose();
}
