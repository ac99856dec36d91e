using BotEngine.Channels.Telegram;
using BotEngine.Engine.Channels;

namespace BotEngine.Bot.Tests.Telegram;

public sealed class TelegramHtmlTests
{
    [Theory]
    [InlineData("Привет, **мир**!", "Привет, <b>мир</b>!")]
    [InlineData("*курсив* и ~~зачёркнуто~~ и `код`", "<i>курсив</i> и <s>зачёркнуто</s> и <code>код</code>")]
    [InlineData("a < b & c > d", "a &lt; b &amp; c &gt; d")]
    [InlineData("[сайт](https://example.com/a?b=1&c=2)", "<a href=\"https://example.com/a?b=1&amp;c=2\">сайт</a>")]
    [InlineData("[плохая](javascript:alert(1))", "плохая")]
    [InlineData("# Заголовок\n\nТекст", "<b>Заголовок</b>\n\nТекст")]
    [InlineData("- один\n- два", "• один\n• два")]
    [InlineData("3. три\n4. четыре", "3. три\n4. четыре")]
    [InlineData("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;")]
    [InlineData("Привет 👋 «ёлка» \"да\"", "Привет 👋 «ёлка» &quot;да&quot;")]
    public void Markdown_becomes_the_HTML_Telegram_shows(string markdown, string html) =>
        Assert.Equal(html, TelegramHtml.FromMarkdown(markdown));

    [Fact]
    public void Long_text_is_split_below_Telegrams_limit_at_line_breaks()
    {
        var text = string.Join('\n', Enumerable.Range(0, 600).Select(i => $"строка номер {i:000}"));
        var parts = TelegramText.Split(text);
        Assert.True(parts.Count > 1);
        Assert.All(parts, p => Assert.True(p.Length <= TelegramText.MaxLength));
        Assert.Equal(text.Replace("\n", ""), string.Concat(parts).Replace("\n", ""));
    }

    [Fact]
    public void Callback_data_names_the_message_and_the_button_within_64_bytes()
    {
        var data = ButtonPayload.Of("0195f3a2b4c64d7e8f90a1b2c3d4e5f6", 12);
        Assert.True(System.Text.Encoding.UTF8.GetByteCount(data) <= 64);
        Assert.True(ButtonPayload.TryParse(data, out var id, out var index));
        Assert.Equal(("0195f3a2b4c64d7e8f90a1b2c3d4e5f6", 12), (id, index));
        Assert.False(ButtonPayload.TryParse("x:1:2", out _, out _));
        Assert.False(ButtonPayload.TryParse("m::-1", out _, out _));
    }
}
