using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;

namespace BotEngine.Bot.Tests;

/// <summary>A client's picture link pointing anywhere but the engine's file store: the operator page fetches it only on a click.</summary>
public sealed partial class BrowserTests
{
    [Fact]
    public async Task A_clients_picture_from_another_site_loads_on_the_operator_page_only_after_a_click()
    {
        using var tracker = new RequestCounter();
        using var chat = await DirectLineClient.StartAsync(_engine.BaseUri);
        await chat.SendAsync("Позовите оператора");
        await chat.PostActivityAsync(new JsonObject
        {
            ["type"] = "message",
            ["from"] = new JsonObject { ["id"] = "user-1" },
            ["text"] = "Вот скриншот",
            ["attachments"] = new JsonArray(new JsonObject { ["contentType"] = "image/png", ["contentUrl"] = tracker.Url, ["name"] = "скриншот.png" }),
        });
        var desk = await OpenOperatorDialogAsync();
        var reveal = desk.Locator("#history .external-image");
        await Microsoft.Playwright.Assertions.Expect(reveal).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await Microsoft.Playwright.Assertions.Expect(reveal).ToContainTextAsync(new Uri(tracker.Url).Authority);
        Assert.Equal(0, tracker.Requests);

        await reveal.ClickAsync();
        await Eventually.WaitAsync(() => Task.FromResult<bool?>(tracker.Requests > 0));
    }

    /// <summary>A loopback listener that counts the connections made to it and answers each with an empty 200.</summary>
    private sealed class RequestCounter : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private int _requests;

        public RequestCounter()
        {
            _listener.Start();
            _ = AcceptAsync();
        }

        public string Url => $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}/pixel.png";

        public int Requests => Volatile.Read(ref _requests);

        private async Task AcceptAsync()
        {
            try
            {
                while (!_stop.IsCancellationRequested)
                {
                    using var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                    Interlocked.Increment(ref _requests);
                    var stream = client.GetStream();
                    await stream.WriteAsync(Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"), _stop.Token);
                }
            }
            catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException or IOException)
            {
            }
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
        }
    }
}
