using BotEngine.Channels.Telegram;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;

namespace BotEngine.Bot.Tests.Telegram;

public sealed class TelegramGroupAddressTests
{
    private static readonly User Bot = new() { Id = 42, IsBot = true, FirstName = "Bank", Username = "bank_bot" };

    [Theory]
    [InlineData("@bank_bot, как заблокировать карту?", "как заблокировать карту?")]
    [InlineData("Подскажите @Bank_Bot курс доллара", "Подскажите курс доллара")]
    [InlineData("/start@bank_bot", "/start")]
    [InlineData("/help", "/help")]
    public void A_mention_or_a_command_for_this_bot_is_addressed_and_the_mention_is_taken_out(string text, string expected) =>
        Assert.Equal(expected, TelegramGroupAddress.AddressedText(Message(text), Bot));

    [Theory]
    [InlineData("Всем привет")]
    [InlineData("Спросите у @other_bot")]
    [InlineData("/help@other_bot")]
    [InlineData("напишите bank_bot или /start")]
    public void Talk_between_members_and_commands_for_other_bots_are_not(string text) =>
        Assert.Null(TelegramGroupAddress.AddressedText(Message(text), Bot));

    [Fact]
    public void A_reply_to_the_bot_or_a_mention_of_the_bot_user_without_a_username_is_addressed()
    {
        var reply = Message("А если карта потеряна?");
        reply.ReplyToMessage = new Message { From = Bot };
        Assert.Equal("А если карта потеряна?", TelegramGroupAddress.AddressedText(reply, Bot));

        var replyToMember = Message("А если карта потеряна?");
        replyToMember.ReplyToMessage = new Message { From = new User { Id = 7, FirstName = "Анна" } };
        Assert.Null(TelegramGroupAddress.AddressedText(replyToMember, Bot));

        var textMention = new Message { Text = "Банк, помогите", Entities = [new MessageEntity { Type = MessageEntityType.TextMention, Offset = 0, Length = 4, User = Bot }] };
        Assert.Equal("помогите", TelegramGroupAddress.AddressedText(textMention, Bot));
    }

    /// <summary>A message with the entities Telegram's server finds: mentions anywhere, a command at the start.</summary>
    private static Message Message(string text)
    {
        var entities = new List<MessageEntity>();
        foreach (System.Text.RegularExpressions.Match m in System.Text.RegularExpressions.Regex.Matches(text, @"(?<=^|\s)@\w+"))
            entities.Add(new MessageEntity { Type = MessageEntityType.Mention, Offset = m.Index, Length = m.Length });
        if (System.Text.RegularExpressions.Regex.Match(text, @"^/\w+(@\w+)?") is { Success: true } command)
            entities.Add(new MessageEntity { Type = MessageEntityType.BotCommand, Offset = 0, Length = command.Length });
        return new Message { Text = text, Entities = [.. entities] };
    }
}
