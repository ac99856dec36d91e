using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Playwright;

namespace BotEngine.Bot.Tests;

/// <summary>Files in the browser: Microsoft's WebChat attach button, and both directions between our chat and operator pages.</summary>
public sealed partial class BrowserTests
{
    [Fact]
    public async Task A_file_attached_in_microsoft_webchat_reaches_the_operator()
    {
        var (page, api, dialogId) = await WebChatWithOperatorAsync();
        using var _ = api;

        // WebChat's attach button sends through Direct Line's upload: the file is stored and the operator can open it.
        var statement = System.Text.Encoding.UTF8.GetBytes("Выписка по счёту 40817810000000000001\n");
        // WebChat 4.18 holds chosen files until the message is sent (sendAttachmentOn: "send").
        await page.Locator("input.webchat__upload-button--file-input").SetInputFilesAsync(new FilePayload { Name = "выписка.txt", MimeType = "text/plain", Buffer = statement });
        await SendInWebChatAsync(page, "Выписка во вложении");
        var attachment = await Eventually.WaitAsync(async () =>
        {
            var history = await api.GetFromJsonAsync<JsonArray>($"/api/v1/dialogs/{dialogId}/messages");
            return history!.Select(m => m!["activity"]!["attachments"]?.AsArray().FirstOrDefault()).FirstOrDefault(a => a is not null)?.AsObject();
        }, TimeSpan.FromSeconds(20));
        Assert.Equal("выписка.txt", attachment["name"]!.GetValue<string>());
        Assert.Equal(statement, await api.GetByteArrayAsync(attachment["contentUrl"]!.GetValue<string>()));
        await Assertions.Expect(page.GetByText("выписка.txt").First).ToBeVisibleAsync(new() { Timeout = 20_000 });
    }

    [Fact]
    public async Task Files_go_both_ways_between_the_built_in_chat_and_the_operator_page()
    {
        var client = await _browser.NewPageAsync(new() { Locale = "ru-RU" });
        await OpenBuiltInChatAsync(client);
        // The page drops what is typed before its Direct Line session is up: wait for "connecting…" to go.
        await Assertions.Expect(client.Locator("#status")).ToHaveTextAsync("", new() { Timeout = 20_000 });
        await client.FillAsync("#text", "Позовите оператора");
        await client.PressAsync("#text", "Enter");
        await Assertions.Expect(client.Locator("#log").GetByText("Позовите оператора")).ToBeVisibleAsync(new() { Timeout = 20_000 });
        var desk = await OpenOperatorDialogAsync();

        // The client attaches a picture: both sides show it inline.
        var png = Convert.FromBase64String("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==");
        await client.Locator("#file").SetInputFilesAsync(new FilePayload { Name = "чек.png", MimeType = "image/png", Buffer = png });
        await Assertions.Expect(client.Locator("#log img[alt='чек.png']")).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await Assertions.Expect(desk.Locator("#history img[alt='чек.png']")).ToBeVisibleAsync(new() { Timeout = 20_000 });

        // The operator's file button stores the file and stages it; Send sends it with the typed text; the client gets a download link.
        await desk.FillAsync("#reply-text", "Памятка во вложении");
        await desk.Locator("#reply-file").SetInputFilesAsync(new FilePayload { Name = "памятка.pdf", MimeType = "application/pdf", Buffer = [1, 2, 3, 4] });
        await Assertions.Expect(desk.Locator("#staged .chip", new() { HasText = "памятка.pdf" })).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await desk.ClickAsync("#send");
        await Assertions.Expect(client.GetByText("Памятка во вложении")).ToBeVisibleAsync(new() { Timeout = 20_000 });
        var link = client.Locator("#log a.file", new() { HasText = "памятка.pdf" });
        await Assertions.Expect(link).ToBeVisibleAsync(new() { Timeout = 10_000 });
        using var http = new HttpClient();
        Assert.Equal([1, 2, 3, 4], await http.GetByteArrayAsync(await link.GetAttributeAsync("href")));
    }

    /// <summary>WebChat asks for an operator; the admin goes online and gets the dialog.</summary>
    private async Task<(IPage Page, HttpClient Api, string DialogId)> WebChatWithOperatorAsync()
    {
        var page = await OpenWebChatAsync();
        await SendInWebChatAsync(page, "Позовите оператора");
        var api = _engine.OperatorClient(await _engine.OperatorTokenAsync());
        await api.PostAsJsonAsync("/api/v1/operators/me/status", new { status = "online" });
        var dialogId = await Eventually.WaitAsync(async () =>
        {
            var list = await api.GetFromJsonAsync<JsonArray>("/api/v1/dialogs?state=assigned");
            return list!.Count == 1 ? list[0]!["id"]!.GetValue<string>() : null;
        });
        return (page, api, dialogId);
    }

    /// <summary>The operator page: the admin signs in, goes online and opens the first dialog the queue gives.</summary>
    private async Task<IPage> OpenOperatorDialogAsync()
    {
        var desk = await _browser.NewPageAsync(new() { Locale = "ru-RU" });
        await desk.GotoAsync(new Uri(_engine.BaseUri, "/operator").ToString());
        await desk.FillAsync("#login-name", "admin");
        await desk.FillAsync("#login-password", EngineHost.AdminPassword);
        await desk.ClickAsync("#login button[type=submit]");
        await desk.SelectOptionAsync("#status", "online");
        var item = desk.Locator("#mine .dialog-item").First;
        await Assertions.Expect(item).ToBeVisibleAsync(new() { Timeout = 20_000 });
        await item.ClickAsync();
        return desk;
    }
}
