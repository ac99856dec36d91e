using BotEngine.Engine.Knowledge;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace BotEngine.Bot.Tests;

/// <summary>
/// The labelling page (/kb/labelling): clients write what the bot misses, an editor labels the groups in the page
/// (an article found by search, "not an intent", skip, dialog CHECKED), trains from the page, and the bot answers.
/// </summary>
public sealed partial class BrowserTests
{
    // A topic the demo KB has no words for; the first text is written by two clients.
    private static readonly string[] TireTexts = ["snow tires", "snow tires", "snow tyres", "studded snow tires", "snow tires sale"];

    [Fact]
    public async Task An_editor_labels_missed_messages_in_the_labelling_page_trains_and_the_bot_answers_them()
    {
        await CreateKbOperatorAsync("labeller", "view_kb", "modify_knowledgebase");
        var kb = _engine.Services.GetRequiredService<KnowledgeRuntime>().Runner.Kb;
        var fallback = kb.Settings.FallbackText["en"];
        var cardLost = kb.Articles.Single(a => a.Id == "card_lost_en").Answers[0].Text;
        foreach (var text in TireTexts.Concat(["zebra quasar", "plugh xyzzy", "qwerty zxcvb"]))
            await AskAsync(text, fallback);

        var page = await _browser.NewPageAsync(new() { Locale = "en-US", ViewportSize = new() { Width = 1280, Height = 800 } });
        await page.GotoAsync(new Uri(_engine.BaseUri, "/kb/labelling").ToString());
        await page.FillAsync("#login-name", "labeller");
        await page.FillAsync("#login-password", "password-labeller");
        await page.ClickAsync("#login button[type=submit]");
        await Assertions.Expect(page.Locator("#main")).ToBeVisibleAsync(new() { Timeout = 10_000 });
        await Assertions.Expect(page.Locator("header h1")).ToHaveTextAsync("Labelling");

        // Ranked: the text two clients wrote comes first, with its count and the classifier's candidates.
        var groups = page.Locator("#groups .lab-group");
        await Assertions.Expect(groups).ToHaveCountAsync(7, new() { Timeout = 10_000 });
        await Assertions.Expect(groups.First.Locator(".text")).ToHaveTextAsync("snow tires");
        await Assertions.Expect(groups.First.Locator(".times")).ToHaveTextAsync("×2");
        await Assertions.Expect(page.Locator("#count")).ToContainTextAsync("7 groups, 8 messages");
        await Assertions.Expect(page.Locator("#model-rows")).ToContainTextAsync("No training yet");
        await LabellingScreenshotsAsync(page, "en-inbox");

        // The filters: Russian messages only leaves none of these; all languages brings them back.
        await page.SelectOptionAsync("#f-language", "ru");
        await page.ClickAsync("#filters button[type=submit]");
        await Assertions.Expect(page.Locator("#groups .empty")).ToHaveTextAsync("Nothing to label", new() { Timeout = 10_000 });
        await page.SelectOptionAsync("#f-language", "");
        await page.ClickAsync("#filters button[type=submit]");
        await Assertions.Expect(groups).ToHaveCountAsync(7, new() { Timeout = 10_000 });

        // Each tire group gets the lost-card article through the search (the whole group at once: both messages of the
        // first). The searches are all typed first: each label reloads the list, and what is typed in the other groups stays.
        foreach (var text in TireTexts.Distinct())
            await page.Locator($"#groups .lab-group[data-text='{text}'] .search").FillAsync("lost stolen card");
        foreach (var text in TireTexts.Distinct())
        {
            var group = page.Locator($"#groups .lab-group[data-text='{text}']");
            await Assertions.Expect(group.Locator(".search")).ToHaveValueAsync("lost stolen card");
            await group.Locator(".hit[data-article='card_lost_en']").ClickAsync(new() { Timeout = 10_000 });
            await Assertions.Expect(page.Locator("#notice")).ToContainTextAsync($"“{text}” → Lost or stolen card", new() { Timeout = 10_000 });
        }
        await Assertions.Expect(groups).ToHaveCountAsync(3, new() { Timeout = 10_000 });

        await page.Locator("#groups .lab-group[data-text='zebra quasar'] .not-intent").ClickAsync();
        await Assertions.Expect(page.Locator("#notice")).ToContainTextAsync("is not an intent", new() { Timeout = 10_000 });
        await page.Locator("#groups .lab-group[data-text='plugh xyzzy'] .skip").ClickAsync();
        await Assertions.Expect(page.Locator("#notice")).ToHaveTextAsync("1 messages skipped", new() { Timeout = 10_000 });
        await page.Locator("#groups .lab-group[data-text='qwerty zxcvb'] .check").ClickAsync();
        await Assertions.Expect(page.Locator("#notice")).ToContainTextAsync("marked checked", new() { Timeout = 10_000 });
        await Assertions.Expect(page.Locator("#groups .empty")).ToBeVisibleAsync(new() { Timeout = 10_000 });

        // Labels answer at once, before any training.
        await AskAsync("Snow tyres", cardLost);

        // Train now: the same job the nightly schedule runs; the registry shows the promoted model and what it changed.
        await page.ClickAsync("#train");
        var current = page.Locator("#model-rows tr[data-status='promoted']");
        await Assertions.Expect(current).ToHaveCountAsync(1, new() { Timeout = 180_000 });
        await Assertions.Expect(current).ToContainTextAsync("current");
        await Assertions.Expect(current.Locator(".quality")).ToContainTextAsync("accuracy");
        await Assertions.Expect(page.Locator("#notice")).ToContainTextAsync("Training done", new() { Timeout = 10_000 });
        // The trained model answers the same words in an order nobody labelled.
        await AskAsync("studded snow tyres", cardLost);
        await LabellingScreenshotsAsync(page, "en-models");

        // The Russian page: every label in Russian.
        await page.GotoAsync(new Uri(_engine.BaseUri, "/kb/labelling?lang=ru").ToString());
        await Assertions.Expect(page.Locator("header h1")).ToHaveTextAsync("Разметка обращений", new() { Timeout = 10_000 });
        await Assertions.Expect(page.Locator("#model-rows tr[data-status='promoted']")).ToContainTextAsync("текущая", new() { Timeout = 10_000 });
        await Assertions.Expect(page.Locator("#train")).ToHaveTextAsync("Обучить сейчас");
        await LabellingScreenshotsAsync(page, "ru-models");
    }

    /// <summary>A new Direct Line client writes; the bot answers it with <paramref name="expected"/> (a timeout lists what came instead).</summary>
    private async Task AskAsync(string text, string expected)
    {
        using var client = await DirectLineClient.StartAsync(_engine.BaseUri);
        var id = await client.SendAsync(text, userId: "u-" + Guid.NewGuid().ToString("N")[..12]);
        await client.WaitForBotAsync(a => a["replyToId"]?.GetValue<string>() == id && DirectLineClient.Text(a) == expected, TimeSpan.FromSeconds(30));
    }

    private static async Task LabellingScreenshotsAsync(IPage page, string name)
    {
        if (Environment.GetEnvironmentVariable("BOTENGINE_SCREENSHOTS") is not { Length: > 0 } folder)
            return;
        Directory.CreateDirectory(folder);
        foreach (var (width, height) in new[] { (1280, 800), (1920, 1080) })
        {
            await page.SetViewportSizeAsync(width, height);
            await page.ScreenshotAsync(new() { Path = Path.Combine(folder, $"labelling-{name}-{width}x{height}.png"), FullPage = false });
        }
        await page.SetViewportSizeAsync(1280, 800);
    }
}
