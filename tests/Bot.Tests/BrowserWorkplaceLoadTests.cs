using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BotEngine.Storage;
using Dapper;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace BotEngine.Bot.Tests;

/// <summary>The workplace with a full day's load: 50 dialogs in the list and one with 2,000 messages (issue 14's acceptance).</summary>
public sealed partial class BrowserTests
{
    [Fact]
    public async Task The_workplace_opens_a_2000_message_dialog_with_50_dialogs_in_the_list_quickly()
    {
        using var api = _engine.OperatorClient(await _engine.OperatorTokenAsync());
        var adminId = (await api.GetFromJsonAsync<JsonObject>("/api/v1/operators/me"))!["id"]!.GetValue<string>();
        (await api.PutAsJsonAsync($"/api/v1/operators/{adminId}", new { maxDialogs = 60 })).EnsureSuccessStatusCode();
        await OperatorSteps.SetStatusAsync(api, "online");
        var clients = new List<DirectLineClient>();
        try
        {
            for (var batch = 0; batch < 5; batch++)
            {
                var started = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => DirectLineClient.StartAsync(_engine.BaseUri)));
                clients.AddRange(started);
                await Task.WhenAll(started.Select(c => c.SendAsync("Позовите оператора")));
            }
            var held = await Eventually.WaitAsync(async () =>
            {
                var list = (await api.GetFromJsonAsync<JsonArray>("/api/v1/dialogs?state=assigned,active"))!;
                return list.Count >= 50 ? list : null;
            }, TimeSpan.FromSeconds(120));

            // One of them gets a long history: 2,000 earlier messages, client and operator in turn.
            var big = held[0]!.AsObject();
            var dialogId = big["id"]!.GetValue<string>();
            var database = _engine.Services.GetRequiredService<Database>();
            var conversationId = await database.ReadAsync(c => c.ExecuteScalarAsync<string>("SELECT conversation_id FROM dialogs WHERE id = @dialogId", new { dialogId }), CancellationToken.None);
            var start = TimeExtensions.ToMicros(DateTimeOffset.UtcNow.AddHours(-3));
            var rows = Enumerable.Range(0, 2000).Select(i => new
            {
                Id = Ids.New(), DialogId = dialogId, ConversationId = conversationId, Seq = -3000 + i,
                Direction = i % 2 == 0 ? "in" : "out", Author = i % 2 == 0 ? "client" : "operator", AuthorId = i % 2 == 0 ? null : adminId,
                Text = $"Сообщение истории № {i + 1}: уточняю детали по карте и переводу",
                Activity = new JsonObject { ["type"] = "message", ["text"] = $"Сообщение истории № {i + 1}: уточняю детали по карте и переводу" }.ToJsonString(),
                CreatedAt = start + i * 1_000_000L,
            }).ToList();
            await database.WriteAsync((c, t) => c.ExecuteAsync("""
                INSERT INTO messages (id, dialog_id, conversation_id, channel, seq, direction, author, author_id, text, activity, created_at, processed_at)
                VALUES (@Id, @DialogId, @ConversationId, 'directline', @Seq, @Direction, @Author, @AuthorId, @Text, @Activity, @CreatedAt, @CreatedAt)
                """, rows, t), CancellationToken.None);

            var desk = await _browser.NewPageAsync(new() { Locale = "ru-RU", ViewportSize = new() { Width = 1280, Height = 800 } });
            await desk.GotoAsync(new Uri(_engine.BaseUri, "/operator").ToString());
            await desk.FillAsync("#login-name", "admin");
            await desk.FillAsync("#login-password", EngineHost.AdminPassword);
            var listShown = Stopwatch.StartNew();
            await desk.ClickAsync("#login button[type=submit]");
            await Assertions.Expect(desk.Locator("#mine .dialog-item")).ToHaveCountAsync(50, new() { Timeout = 30_000 });
            listShown.Stop();

            // Open a small dialog first, then the big one: the time is from the click to the 2,000th message on screen.
            await desk.Locator($"#mine .dialog-item:not([data-dialog-id='{dialogId}'])").First.ClickAsync();
            await Assertions.Expect(desk.Locator("#reply")).ToBeVisibleAsync(new() { Timeout = Wait });
            var opened = Stopwatch.StartNew();
            await desk.Locator($"#mine .dialog-item[data-dialog-id='{dialogId}']").ClickAsync();
            await desk.WaitForFunctionAsync("document.querySelectorAll('#history .msg').length >= 2000", null, new() { Timeout = 60_000 });
            opened.Stop();
            // The page answers typing right away after that.
            var typed = Stopwatch.StartNew();
            await desk.FillAsync("#reply-text", "Проверяю отклик");
            await Assertions.Expect(desk.Locator("#reply-text")).ToHaveValueAsync("Проверяю отклик");
            typed.Stop();

            var report = $"50 dialogs listed {listShown.ElapsedMilliseconds} ms after sign-in; 2,000-message dialog opened in {opened.ElapsedMilliseconds} ms; typing answered in {typed.ElapsedMilliseconds} ms";
            await File.WriteAllTextAsync(ScreenshotPath("workplace-timing.txt"), report);
            await desk.ScreenshotAsync(new() { Path = ScreenshotPath("operator-ru-2000-messages.png") });
            Assert.True(opened.Elapsed < TimeSpan.FromSeconds(10), report);
        }
        finally
        {
            foreach (var client in clients)
                client.Dispose();
        }
    }
}
