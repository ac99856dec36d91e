using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace BotEngine.Bot.Tests;

/// <summary>Rate limits on the public endpoints (issue 11): 429 with Retry-After, in the route's error shape.</summary>
public sealed class RateLimitTests
{
    [Fact]
    public async Task Direct_Line_is_limited_per_conversation_and_per_address_with_retry_after()
    {
        await using var engine = await EngineHost.StartAsync(StorageKind.Sqlite,
            "--RateLimits:ConversationBurst=5", "--RateLimits:ConversationPerSecond=1", "--RateLimits:AddressBurst=12", "--RateLimits:AddressPerSecond=1");
        using var chat = await DirectLineClient.StartAsync(engine.BaseUri); // 1 address request

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 8 && limited is null; i++)
        {
            var response = await PollAsync(engine, chat);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
                limited = response;
        }
        Assert.NotNull(limited);
        Assert.True(statuses.Count >= 5, string.Join(",", statuses));
        Assert.True(int.Parse(limited.Headers.GetValues("Retry-After").Single()) >= 1);
        Assert.Equal("TooManyRequests", (await limited.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["code"]!.GetValue<string>());

        // Another conversation from the same address still gets through until the address's bucket is empty.
        using var other = await DirectLineClient.StartAsync(engine.BaseUri);
        Assert.Equal(HttpStatusCode.OK, (await PollAsync(engine, other)).StatusCode);
        var addressLimited = false;
        for (var i = 0; i < 12 && !addressLimited; i++)
        {
            using var start = new HttpRequestMessage(HttpMethod.Post, "/v3/directline/conversations");
            start.Headers.Authorization = new AuthenticationHeaderValue("Bearer", EngineHost.DirectLineSecret);
            addressLimited = (await engine.Http.SendAsync(start)).StatusCode == HttpStatusCode.TooManyRequests;
        }
        Assert.True(addressLimited);
    }

    [Fact]
    public async Task Webchat_tokens_are_limited_per_address()
    {
        await using var engine = await EngineHost.StartAsync(StorageKind.Sqlite, "--RateLimits:WebChatTokenBurst=3", "--RateLimits:WebChatTokensPerMinute=1");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 4; i++)
            statuses.Add((await engine.Http.PostAsync("/webchat/token", null)).StatusCode);
        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.TooManyRequests], statuses);
        var limited = await engine.Http.PostAsync("/webchat/token", null);
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.True(int.Parse(limited.Headers.GetValues("Retry-After").Single()) >= 1);
        Assert.Equal(429, (await limited.Content.ReadFromJsonAsync<JsonObject>())!["status"]!.GetValue<int>());
    }

    private static async Task<HttpResponseMessage> PollAsync(EngineHost engine, DirectLineClient chat)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v3/directline/conversations/{chat.ConversationId}/activities");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", chat.Token);
        return await engine.Http.SendAsync(request);
    }
}
