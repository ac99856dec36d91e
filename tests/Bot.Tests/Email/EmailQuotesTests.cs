using BotEngine.Channels.Email;

namespace BotEngine.Bot.Tests.Email;

/// <summary>What mail programs put under (and around) the client's own words is cut; the words stay.</summary>
public sealed class EmailQuotesTests
{
    [Theory]
    // Gmail in English, the quote header on one line and wrapped onto two.
    [InlineData("Thanks, that worked.\n\nOn Mon, 30 Nov 2026 at 10:00, Severny Bank <support@bank.test> wrote:\n> You can block a card in the app.\n> Regards", "Thanks, that worked.")]
    [InlineData("2\r\n\r\nOn Mon, 30 Nov 2026 at 10:00 Severny Bank <support@bank.test>\r\nwrote:\r\n\r\n> 1. Block a card\r\n> 2. Reissue", "2")]
    // Outlook: the original message rule, and its From/Sent header block under a line of underscores.
    [InlineData("Please call me back.\n\n-----Original Message-----\nFrom: Severny Bank\nSent: Monday\nSubject: Re: card", "Please call me back.")]
    [InlineData("See the attached form.\n\n________________________________\nFrom: Severny Bank <support@bank.test>\nSent: Monday, November 30, 2026 10:00 AM\nTo: Ivan\nSubject: Re: card\n\nOld text", "See the attached form.")]
    // A signature after "-- " and a phone's footer go; a reply written between quoted lines keeps its own lines.
    [InlineData("My card is lost.\n-- \nIvan Petrov\n+7 900 000-00-00", "My card is lost.")]
    [InlineData("> Which card?\nThe blue one.\n> When?\nYesterday.\n\nSent from my iPhone", "The blue one.\nYesterday.")]
    // Words that only look like a header stay.
    [InlineData("On Monday I lost my card.\nWhat now?", "On Monday I lost my card.\nWhat now?")]
    public void English_clients_quotes_and_signatures_are_cut(string mail, string expected) => Assert.Equal(expected, EmailQuotes.Strip(mail));

    [Theory]
    // Mail.ru, Yandex and Thunderbird in Russian: "... написал(а):", also wrapped.
    [InlineData("Спасибо, всё получилось.\n\n30.11.2026, 10:00, Северный банк <support@bank.test> написал(а):\n> Заблокировать карту можно в приложении.", "Спасибо, всё получилось.")]
    [InlineData("Да, позовите оператора.\n\nПонедельник, 30 ноября 2026, 10:00 +03:00 от Северный банк <support@bank.test>:\n\n> Передаю диалог", "Да, позовите оператора.")]
    [InlineData("2\n\n30 нояб. 2026 г., в 10:00, Северный банк <support@bank.test>\nнаписал:\n> 1. Я потерял карту", "2")]
    // Gmail in Russian names no verb: a date and the sender's address before a colon.
    [InlineData("Карту нашёл.\n\nпн, 30 нояб. 2026 г. в 10:00, Северный банк <support@bank.test>:\n> Сделайте по порядку", "Карту нашёл.")]
    // Outlook in Russian: От:/Отправлено: and its "Исходное сообщение" rule.
    [InlineData("Прикладываю выписку.\n\nОт: Северный банк <support@bank.test>\nОтправлено: 30 ноября 2026 г. 10:00\nКому: Иван\nТема: Re: карта", "Прикладываю выписку.")]
    [InlineData("Жду ответа.\n\n----- Исходное сообщение -----\nОт: Северный банк", "Жду ответа.")]
    [InlineData("Где ближайшее отделение?\n\n--\nС уважением, Иван\n\nОтправлено из мобильной Почты Mail.ru", "Где ближайшее отделение?")]
    [InlineData("Отправлено с iPhone", "")]
    public void Russian_clients_quotes_and_signatures_are_cut(string mail, string expected) => Assert.Equal(expected, EmailQuotes.Strip(mail));

    [Fact]
    public void An_html_only_mail_reads_as_its_text_without_the_quoted_block()
    {
        const string html = """
            <html><head><style>p { color: red }</style></head><body>
            <div dir="ltr">Здравствуйте!<br>Карта&nbsp;не   работает.</div>
            <p>Что делать?</p>
            <blockquote>Старое письмо банка</blockquote>
            </body></html>
            """;
        Assert.Equal("Здравствуйте!\nКарта не работает.\n\nЧто делать?", EmailQuotes.Strip(EmailHtmlText.Of(html)));
    }

    [Theory]
    [InlineData("Re: Fwd: RE: Блокировка карты", "Блокировка карты")]
    [InlineData("Ответ: Отв: Вопрос", "Вопрос")]
    [InlineData("Recent charges", "Recent charges")]
    public void Reply_prefixes_are_taken_off_the_subject(string subject, string expected) => Assert.Equal(expected, EmailInbound.Subject(subject));
}
