using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace BotEngine.Bot.Tests;

/// <summary>
/// Bounded, strictly read input (issue 11, findings 3 and 7): body limits per route, text length, JSON depth,
/// duplicate keys and invalid UTF-8 are clear 4xx answers naming the problem, never a 500 and never stored.
/// </summary>
public sealed class InputLimitTests : IAsyncLifetime
{
    private EngineHost _engine = null!;

    public async Task InitializeAsync() => _engine = await EngineHost.StartAsync(StorageKind.Sqlite, "--Limits:MaxKbImportBytes=200000");

    public async Task DisposeAsync() => await _engine.DisposeAsync();

    [Fact]
    public async Task An_activity_over_the_body_limit_is_413_naming_the_limit_even_at_35_MB()
    {
        using var chat = await DirectLineClient.StartAsync(_engine.BaseUri);
        foreach (var size in new[] { 70 * 1024, 35 * 1024 * 1024 })
        {
            var response = await PostActivityAsync(chat, Encoding.UTF8.GetBytes($$"""{"type":"message","text":"{{new string('a', size)}}"}"""));
            Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
            var error = (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!;
            Assert.Equal("MessageSizeTooBig", error["code"]!.GetValue<string>());
            Assert.Contains("DirectLine:MaxActivityBytes", error["message"]!.GetValue<string>());
        }
        // Without a Content-Length (chunked) the limit holds as well.
        var chunked = new HttpRequestMessage(HttpMethod.Post, $"/v3/directline/conversations/{chat.ConversationId}/activities")
        {
            Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes($$"""{"type":"message","text":"{{new string('b', 200_000)}}"}"""))),
        };
        chunked.Headers.TransferEncodingChunked = true;
        chunked.Headers.Authorization = new AuthenticationHeaderValue("Bearer", chat.Token);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, (await _engine.Http.SendAsync(chunked)).StatusCode);
        // And a chunked body within the limit is read whole and taken.
        var small = new HttpRequestMessage(HttpMethod.Post, $"/v3/directline/conversations/{chat.ConversationId}/activities")
        {
            Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes("""{"type":"message","from":{"id":"user-1"},"text":"привет"}"""))),
        };
        small.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        small.Headers.TransferEncodingChunked = true;
        small.Headers.Authorization = new AuthenticationHeaderValue("Bearer", chat.Token);
        var taken = await _engine.Http.SendAsync(small);
        Assert.Equal(HttpStatusCode.OK, taken.StatusCode);
        Assert.False(string.IsNullOrEmpty((await taken.Content.ReadFromJsonAsync<JsonObject>())!["id"]?.GetValue<string>()));
    }

    [Fact]
    public async Task A_text_over_4000_characters_is_refused_and_4000_is_accepted()
    {
        using var chat = await DirectLineClient.StartAsync(_engine.BaseUri);
        var response = await PostActivityAsync(chat, Encoding.UTF8.GetBytes($$"""{"type":"message","text":"{{new string('я', 4001)}}"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("4000", (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["message"]!.GetValue<string>());
        var accepted = await PostActivityAsync(chat, Encoding.UTF8.GetBytes($$"""{"type":"message","text":"{{new string('я', 4000)}}"}"""));
        Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
    }

    [Theory]
    [InlineData("""{"type":"message","text":"hi","channelData":{"clientActivityID":"a","clientActivityID":"b"}}""", "clientActivityID")]
    [InlineData("""{"type":"message","text":"hi","value":{"article":"a","article":"b"}}""", "article")]
    [InlineData("""{"type":"message","text":"hi","Text":"again"}""", "Text")]
    [InlineData("""{"type":"message","text":"hi","channelData":{"x":"\uD800"}}""", "UTF")]
    public async Task Duplicate_keys_and_lone_surrogates_anywhere_in_an_activity_are_400(string json, string named)
    {
        using var chat = await DirectLineClient.StartAsync(_engine.BaseUri);
        var response = await PostActivityAsync(chat, Encoding.UTF8.GetBytes(json));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!;
        Assert.Equal("BadArgument", error["code"]!.GetValue<string>());
        Assert.Contains(named, error["message"]!.GetValue<string>());
        Assert.DoesNotContain(await chat.PollAsync(), a => a["from"]!["role"]!.GetValue<string>() == "user");
    }

    [Fact]
    public async Task Invalid_UTF8_and_deep_nesting_are_400()
    {
        using var chat = await DirectLineClient.StartAsync(_engine.BaseUri);
        byte[] badUtf8 = [.. Encoding.UTF8.GetBytes("""{"type":"message","text":"hi","channelData":{"clientActivityID":"""), 0x22, 0xC3, 0x28, 0xFF, 0x22, 0x7D, 0x7D];
        Assert.Equal(HttpStatusCode.BadRequest, (await PostActivityAsync(chat, badUtf8)).StatusCode);
        byte[] badText = [.. Encoding.UTF8.GetBytes("""{"type":"message","text":"""), 0x22, 0xED, 0xA0, 0x80, 0x22, 0x7D];
        Assert.Equal(HttpStatusCode.BadRequest, (await PostActivityAsync(chat, badText)).StatusCode);
        var deep = """{"type":"message","text":"hi","value":""" + new string('[', 200) + new string(']', 200) + "}";
        var response = await PostActivityAsync(chat, Encoding.UTF8.GetBytes(deep));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("depth", (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Tokens_generate_with_a_duplicate_or_mistyped_user_id_is_400()
    {
        foreach (var body in new[] { """{"user":{"id":"dl_a","id":"dl_b"}}""", """{"user":{"id":42}}""", """{"user":"dl_a"}""", """[1]""" })
        {
            using var generate = new HttpRequestMessage(HttpMethod.Post, "/v3/directline/tokens/generate") { Content = new StringContent(body, Encoding.UTF8, "application/json") };
            generate.Headers.Authorization = new AuthenticationHeaderValue("Bearer", EngineHost.DirectLineSecret);
            var response = await _engine.Http.SendAsync(generate);
            Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{body}: {(int)response.StatusCode}");
            Assert.Equal("BadArgument", (await response.Content.ReadFromJsonAsync<JsonObject>())!["error"]!["code"]!.GetValue<string>());
        }
    }

    [Fact]
    public async Task Api_bodies_are_read_strictly_and_bounded()
    {
        using var admin = _engine.OperatorClient(await _engine.OperatorTokenAsync());
        // A null article was a NullReferenceException (500) in the file-reference scan.
        var nullArticle = await admin.PostAsync("/api/v1/kb/import", new StringContent("""{"articles":[null]}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, nullArticle.StatusCode);
        Assert.Contains("articles[0]", await nullArticle.Content.ReadAsStringAsync());

        var duplicate = await admin.PostAsync("/api/v1/nlu/classify", new StringContent("""{"text":"a","text":"b"}""", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, duplicate.StatusCode);
        Assert.Equal("application/problem+json", duplicate.Content.Headers.ContentType!.MediaType);
        Assert.Contains("appears twice", (await duplicate.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>());

        // Over the default body limit (1 MB), and over KB import's own limit (set to 200 KB here), with and without Content-Length.
        // The engine answers a declared oversize body at once and closes the connection unread; a client that sent it
        // without waiting (no "Expect: 100-continue") could fail writing into the closed socket before it reads the answer.
        using var oversize = new HttpRequestMessage(HttpMethod.Post, "/api/v1/nlu/classify")
        {
            Content = new StringContent($$"""{"text":"{{new string('a', 1_100_000)}}"}""", Encoding.UTF8, "application/json"),
        };
        oversize.Headers.ExpectContinue = true;
        var big = await admin.SendAsync(oversize);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, big.StatusCode);
        Assert.Contains("Limits:MaxBodyBytes", (await big.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>());
        var import = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes($$"""{"articles":[],"x":"{{new string('a', 300_000)}}"}""")));
        import.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var chunked = new HttpRequestMessage(HttpMethod.Post, "/api/v1/kb/import") { Content = import };
        chunked.Headers.TransferEncodingChunked = true;
        var tooBig = await admin.SendAsync(chunked);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooBig.StatusCode);
        Assert.Contains("Limits:MaxKbImportBytes", (await tooBig.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>());
    }

    [Fact]
    public async Task Limits_are_validated_at_start()
    {
        await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(async () =>
        {
            await using var engine = await EngineHost.StartAsync(StorageKind.Sqlite, "--DirectLine:MaxTextLength=0");
        });
        await Assert.ThrowsAsync<Microsoft.Extensions.Options.OptionsValidationException>(async () =>
        {
            await using var engine = await EngineHost.StartAsync(StorageKind.Sqlite, "--RateLimits:ConversationPerSecond=-1");
        });
    }

    private async Task<HttpResponseMessage> PostActivityAsync(DirectLineClient chat, byte[] body)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v3/directline/conversations/{chat.ConversationId}/activities")
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", chat.Token);
        // As a careful client does with a large body: the engine refuses it before it is sent.
        request.Headers.ExpectContinue = body.Length > 1024 * 1024;
        return await _engine.Http.SendAsync(request);
    }
}
