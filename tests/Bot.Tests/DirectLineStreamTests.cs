using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace BotEngine.Bot.Tests;

/// <summary>The Direct Line WebSocket stream that WebChat uses by default: activity sets arrive as they are stored.</summary>
public sealed class DirectLineStreamTests
{
    [Fact]
    public async Task The_stream_url_delivers_the_echo_and_the_reply()
    {
        await using var engine = await EngineHost.StartAsync(StorageKind.Sqlite);
        using var chat = await DirectLineClient.StartAsync(engine.BaseUri);
        using var reconnect = new HttpRequestMessage(HttpMethod.Get, $"/v3/directline/conversations/{chat.ConversationId}");
        reconnect.Headers.Authorization = new("Bearer", chat.Token);
        var conversation = JsonNode.Parse(await (await engine.Http.SendAsync(reconnect)).Content.ReadAsStringAsync())!;
        var streamUrl = conversation["streamUrl"]!.GetValue<string>();

        using var socket = new ClientWebSocket();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await socket.ConnectAsync(new Uri(streamUrl), timeout.Token);
        var sent = await chat.SendAsync("Как заблокировать карту?");

        var seen = new List<JsonObject>();
        var buffer = new byte[64 * 1024];
        while (!seen.Any(a => a["replyToId"]?.GetValue<string>() == sent))
        {
            using var frame = new MemoryStream();
            WebSocketReceiveResult result;
            do
            {
                result = await socket.ReceiveAsync(buffer, timeout.Token);
                frame.Write(buffer, 0, result.Count);
            }
            while (!result.EndOfMessage);
            if (frame.Length == 0)
                continue; // keep-alive
            var set = JsonNode.Parse(Encoding.UTF8.GetString(frame.ToArray()))!;
            Assert.NotNull(set["watermark"]);
            seen.AddRange(set["activities"]!.AsArray().Select(a => a!.AsObject()));
        }
        Assert.Contains(seen, a => a["id"]!.GetValue<string>() == sent && a["from"]!["role"]!.GetValue<string>() == "user");
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
    }
}
