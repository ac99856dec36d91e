using BotEngine.Channels.Messengers;
using BotEngine.Channels.Messengers.Vk;
using BotEngine.Engine.Channels;
using BotEngine.Engine.Schema;

namespace BotEngine.Bot.Tests.Messengers;

/// <summary>How an answer is shaped for a plain-text messenger: buttons where they fit, numbered options and links as text where not.</summary>
public sealed class MessengerContentTests
{
    private static Activity Answer(string text, params CardAction[] actions) => new()
    {
        Type = Activity.Types.Message,
        Text = text,
        SuggestedActions = new SuggestedActions { Actions = [.. actions] },
    };

    private static CardAction Choice(string title) => new() { Type = "imBack", Title = title, Text = title, Value = title };

    private static CardAction Link(string title, string url) => new() { Type = "openUrl", Title = title, Value = url };

    [Fact]
    public void Markdown_becomes_plain_text_with_link_addresses_kept()
    {
        var content = MessengerContent.From(Answer("Карту можно **заблокировать** в [приложении](https://bank.example/app)."), "m1", ChannelCapabilities.Of("vk"));
        Assert.Equal(["Карту можно заблокировать в приложении (https://bank.example/app)."], content.Parts);
    }

    [Fact]
    public void Buttons_that_fit_stay_buttons_carrying_the_message_and_index()
    {
        var content = MessengerContent.From(Answer("Что сделать?", Choice("Заблокировать"), Link("Сайт", "https://bank.example/"), Choice("Перевыпустить")), "m1", ChannelCapabilities.Of("viber"));
        Assert.Equal(["Что сделать?"], content.Parts);
        Assert.Equal([("Заблокировать", "m:m1:0", null), ("Перевыпустить", "m:m1:2", null), ("Сайт", null, "https://bank.example/")],
            content.Buttons.Select(b => (b.Label, b.Payload, b.Url)));
    }

    [Fact]
    public void Too_many_or_too_long_options_are_numbered_in_the_text_and_links_become_text()
    {
        var options = Enumerable.Range(1, 12).Select(i => Choice($"Вариант {i}")).Append(Link("Сайт", "https://bank.example/")).ToArray();
        var content = MessengerContent.From(Answer("Выберите:", options), "m7", ChannelCapabilities.Of("vk"));
        var text = Assert.Single(content.Parts);
        Assert.StartsWith("Выберите:\n\n1. Вариант 1\n2. Вариант 2\n", text, StringComparison.Ordinal);
        Assert.Contains("12. Вариант 12", text, StringComparison.Ordinal);
        // Twelve numbers do not fit VK's ten buttons, so only the link is a button.
        Assert.Equal([("Сайт", (string?)null, "https://bank.example/")], content.Buttons.Select(b => (b.Label, b.Payload, b.Url)));
        var facebook = Assert.Single(MessengerContent.From(Answer("Выберите:", options), "m7", ChannelCapabilities.Of("facebook")).Parts);
        Assert.EndsWith("Сайт: https://bank.example/", facebook, StringComparison.Ordinal);

        var longLabels = MessengerContent.From(Answer("Тема?", Choice("Очень длинное название варианта ответа"), Choice("Коротко")), "m8", ChannelCapabilities.Of("facebook"));
        Assert.Contains("1. Очень длинное название варианта ответа", longLabels.Parts[0], StringComparison.Ordinal);
        Assert.Equal([("1", "m:m8:0"), ("2", "m:m8:1")], longLabels.Buttons.Select(b => (b.Label, b.Payload)));
    }

    [Fact]
    public void Files_a_channel_cannot_send_are_links_and_long_text_is_split_at_the_limit()
    {
        var activity = Answer(string.Join("\n", Enumerable.Repeat(new string('я', 90), 60)));
        activity.Attachments = [new Attachment { ContentType = "application/pdf", ContentUrl = "https://engine.example/files/ab/tariffs.pdf", Name = "tariffs.pdf" }];
        var content = MessengerContent.From(activity, "m9", ChannelCapabilities.Of("vk"));
        Assert.True(content.Parts.Count >= 2);
        Assert.All(content.Parts, p => Assert.True(p.Length <= 4096));
        Assert.EndsWith("tariffs.pdf: https://engine.example/files/ab/tariffs.pdf", content.Parts[^1], StringComparison.Ordinal);
        Assert.Empty(content.Files);
        Assert.Single(MessengerContent.From(activity, "m9", ChannelCapabilities.Of("viber")).Files);
    }

    [Fact]
    public void Vks_random_id_is_the_same_for_every_retry_of_a_part_and_differs_between_parts()
    {
        Assert.Equal(VkSender.RandomId("0195f3a2b4c6", 0), VkSender.RandomId("0195f3a2b4c6", 0));
        Assert.NotEqual(VkSender.RandomId("0195f3a2b4c6", 0), VkSender.RandomId("0195f3a2b4c6", 1));
        Assert.InRange(VkSender.RandomId("x", 3), 0, int.MaxValue);
    }

    [Fact]
    public void A_conversation_id_names_type_channel_and_peer()
    {
        var id = MessengerConversations.Id("viber", "shop", "01234567890A=");
        Assert.Equal("01234567890A=", MessengerConversations.PeerOf("viber", id));
        Assert.Throws<FormatException>(() => MessengerConversations.PeerOf("vk", id));
    }
}
