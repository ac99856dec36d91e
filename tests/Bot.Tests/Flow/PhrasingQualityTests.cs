using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;

namespace BotEngine.Bot.Tests.Flow;

/// <summary>The KB editor's phrasing quality hints: cross-validation confusions, too few phrasings, duplicates.</summary>
public sealed class PhrasingQualityTests
{
    /// <summary>
    /// Two articles about a lost card worded alike (one also repeats two of the other's phrasings), one with two
    /// phrasings, two with the same title, and distinct ones around them.
    /// </summary>
    private const string Kb = """
        {
          "settings": { "fallbackText": { "en": "Sorry?" } },
          "articles": [
            { "id": "card_lost", "title": "Lost card", "questions": ["I lost my card", "my card is lost", "lost my bank card", "I have lost my debit card", "where is my card, I lost it", "card lost yesterday"],
              "answers": [ { "text": "Blocked." } ] },
            { "id": "card_gone", "title": "Card gone", "questions": ["I lost my card", "my card is lost", "lost card help", "lost my card today", "my lost card", "help, card lost"],
              "answers": [ { "text": "Blocked too." } ] },
            { "id": "rates", "title": "Exchange rates", "questions": ["dollar rate today", "euro exchange rate"],
              "answers": [ { "text": "Rates are on our site." } ] },
            { "id": "hours", "title": "Opening hours", "questions": ["when are you open", "opening hours", "what time does the branch open", "working hours of the office", "are you open on sunday"],
              "answers": [ { "text": "9 to 18." } ] },
            { "id": "hours_copy", "title": "Opening hours", "questions": ["do you work on saturday", "holiday schedule", "branch schedule on holidays", "are branches open on new year", "schedule for public holidays"],
              "answers": [ { "text": "Holidays differ." } ] },
            { "id": "transfer", "title": "Transfers", "questions": ["how to send money", "transfer money to a friend", "send a payment to another account", "make a bank transfer", "wire funds abroad"],
              "answers": [ { "text": "Use Transfers." } ] }
          ]
        }
        """;

    [Fact]
    public async Task The_quality_report_names_confused_articles_few_phrasings_and_duplicates()
    {
        await using var engine = await FlowEngine.StartAsync(StorageKind.Sqlite);
        using var admin = await engine.OperatorAsync();
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync("/api/v1/kb/import?replace=true", new StringContent(Kb, Encoding.UTF8, "application/json"))).StatusCode);

        // The cross-validation runs in the background, once per revision: the report says so until it is ready.
        var report = await engine.WaitAsync(async () =>
        {
            var r = await admin.GetFromJsonAsync<JsonObject>("/api/v1/kb/quality");
            return r!["confusions"]!.GetValue<string>() == "ready" ? r : null;
        }, "the cross-validated hints", timeout: TimeSpan.FromSeconds(60));
        var hints = report["hints"]!.AsArray().Select(h => h!.AsObject()).ToList();
        JsonObject Hint(string kind, string article, string? other = null) => Assert.Single(hints,
            h => h["kind"]!.GetValue<string>() == kind && h["articleId"]!.GetValue<string>() == article && (other is null || h["otherId"]?.GetValue<string>() == other));

        var few = Hint("few_phrasings", "rates");
        Assert.Equal(2, few["count"]!.GetValue<int>());
        Assert.Equal(2, Hint("duplicate", "card_lost", "card_gone")["count"]!.GetValue<int>());
        Assert.Equal(2, Hint("duplicate", "card_gone", "card_lost")["count"]!.GetValue<int>());
        Assert.Equal(0, Hint("duplicate", "hours", "hours_copy")["count"]!.GetValue<int>()); // the same title
        // The two lost-card articles are taken for each other; the distinct ones are not named.
        var confused = hints.Where(h => h["kind"]!.GetValue<string>() == "confused").ToList();
        Assert.Contains(confused, h => h["articleId"]!.GetValue<string>() is "card_lost" or "card_gone" && h["otherId"]!.GetValue<string>() is "card_lost" or "card_gone");
        Assert.DoesNotContain(confused, h => h["articleId"]!.GetValue<string>() == "transfer");
        Assert.All(confused, h => Assert.NotEmpty(h["examples"]!.AsArray()));

        // Editors see it with view_kb; without a token it is refused.
        using var anonymous = engine.Server.CreateClient();
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/v1/kb/quality")).StatusCode);
    }
}
