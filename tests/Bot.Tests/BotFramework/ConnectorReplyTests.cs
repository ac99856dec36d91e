using System.Text.Json.Nodes;
using BotEngine.Channels.BotFramework;
using BotEngine.Engine.Schema;
using BotEngine.Storage.Channels;

namespace BotEngine.Bot.Tests.BotFramework;

/// <summary>Our messages as Connector activities, without a network.</summary>
public sealed class ConnectorReplyTests
{
    private static readonly ConnectorConversationRow Address = new("botframework:teams:a:1", "teams", "https://smba.example/teams", "a:1", "28:bot", "Банк", "29:user", "Иван", "t1", 0);

    [Fact]
    public void Choices_become_suggested_actions_links_a_hero_card_and_files_attachments_from_the_bot_to_the_user()
    {
        var ours = new Activity
        {
            Type = "message",
            Text = "**Карта** заблокирована.",
            TextFormat = "markdown",
            SuggestedActions = new SuggestedActions
            {
                Actions =
                [
                    new CardAction { Type = "messageBack", Title = "Разблокировать", Value = new JsonObject { ["article"] = "unblock" } },
                    new CardAction { Type = "openUrl", Title = "Тарифы", Value = JsonValue.Create("https://bank.example/tariffs") },
                ],
            },
            Attachments = [new Attachment { ContentType = "application/pdf", ContentUrl = "https://engine.example/files/f1/tariffs.pdf", Name = "tariffs.pdf" }],
        };
        var activity = Assert.Single(ConnectorReply.Build(ours, Address));
        Assert.Equal("**Карта** заблокирована.", activity["text"]!.GetValue<string>());
        Assert.Equal("markdown", activity["textFormat"]!.GetValue<string>());
        Assert.Equal("28:bot", activity["from"]!["id"]!.GetValue<string>());
        Assert.Equal("29:user", activity["recipient"]!["id"]!.GetValue<string>());
        var action = Assert.Single(activity["suggestedActions"]!["actions"]!.AsArray())!;
        Assert.Equal(("imBack", "Разблокировать", "Разблокировать"), (action["type"]!.GetValue<string>(), action["title"]!.GetValue<string>(), action["value"]!.GetValue<string>()));
        var attachments = activity["attachments"]!.AsArray();
        Assert.Equal(ConnectorReply.HeroCard, attachments[0]!["contentType"]!.GetValue<string>());
        Assert.Equal("openUrl", attachments[0]!["content"]!["buttons"]![0]!["type"]!.GetValue<string>());
        Assert.Equal("https://engine.example/files/f1/tariffs.pdf", attachments[1]!["contentUrl"]!.GetValue<string>());
        Assert.Equal("Разблокировать", ConnectorReply.ChoiceOf(ours, "Разблокировать")!.Title);
    }

    [Fact]
    public void More_choices_than_the_channel_shows_are_numbered_in_the_text_and_a_typed_number_picks_one()
    {
        var ours = new Activity
        {
            Type = "message",
            Text = "Выберите:",
            SuggestedActions = new SuggestedActions { Actions = [.. Enumerable.Range(1, 8).Select(i => new CardAction { Type = "imBack", Title = $"Вариант {i}", Value = JsonValue.Create($"v{i}") })] },
        };
        var activity = Assert.Single(ConnectorReply.Build(ours, Address));
        Assert.Null(activity["suggestedActions"]);
        Assert.Contains("8. Вариант 8", activity["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("Вариант 3", ConnectorReply.ChoiceOf(ours, " 3 ")!.Title);
        Assert.Null(ConnectorReply.ChoiceOf(ours, "9"));
    }

    [Fact]
    public void A_long_text_is_split_and_the_buttons_ride_on_the_last_part()
    {
        var ours = new Activity
        {
            Type = "message",
            Text = string.Join("\n", Enumerable.Range(0, 3000).Select(i => $"Строка {i}")),
            SuggestedActions = new SuggestedActions { Actions = [new CardAction { Type = "imBack", Title = "Да", Value = JsonValue.Create("да") }] },
        };
        var parts = ConnectorReply.Build(ours, Address);
        Assert.True(parts.Count > 1);
        Assert.All(parts, p => Assert.True(p["text"]!.GetValue<string>().Length <= 20_000));
        Assert.All(parts.SkipLast(1), p => Assert.Null(p["suggestedActions"]));
        Assert.NotNull(parts[^1]["suggestedActions"]);
    }
}
