using System.Text.Json;

namespace BotEngine.KnowledgeBase.Tests;

/// <summary>A small KB that exercises every feature, in the export format.</summary>
public static class TestKb
{
    public const string Json = """
    {
      "version": 1,
      "recordTypes": [ { "id": "KB", "name": "Справка" }, { "id": "QA", "name": "Ответы" } ],
      "topics": [ { "id": "карты", "name": "Карты" } ],
      "slots": [
        { "id": "card_type", "name": "Тип карты", "class": "card", "type": "dictionary",
          "question": { "text": "Какая у вас карта?" },
          "items": [ { "id": "debit", "value": "Дебетовая", "synonyms": ["дебет"] }, { "id": "credit", "value": "Кредитная" } ] },
        { "id": "amount", "name": "Сумма", "type": "integer", "min": 1, "max": 1000000, "question": { "text": "Какая сумма?" } },
        { "id": "contract", "name": "Договор", "type": "regexExtract", "pattern": "(?<value>[A-Z]{2}-\\d{4})",
          "question": { "text": "Номер договора?" }, "hint": "Номер договора выглядит так: AB-1234.", "maxAttempts": 2 },
        { "id": "phone", "name": "Телефон", "class": "client", "type": "phone", "mask": "+7 (###) ###-##-##",
          "question": { "text": "Ваш телефон?", "attachments": [ { "name": "пример.png", "contentType": "image/png", "url": "https://example.org/p.png" } ] },
          "filledQuestion": { "text": "Ваш номер всё ещё {{phone}}?" } },
        { "id": "comment", "name": "Комментарий", "type": "text",
          "question": { "text": "Опишите проблему", "attachments": [ { "name": "образец.png", "contentType": "image/png", "fileId": "0123456789abcdef0123456789abcdef" } ] } },
        { "id": "urgent", "name": "Срочно", "type": "regexMatch", "kind": "hidden", "pattern": "срочно|urgent" },
        { "id": "city", "name": "Город", "type": "dictionary", "kind": "hidden",
          "items": [ { "id": "msk", "value": "Москва" }, { "id": "spb", "value": "Санкт-Петербург", "synonyms": ["Питер"] } ] },
        { "id": "region", "name": "Регион", "type": "text", "question": { "text": "Ваш регион?" } },
        { "id": "name", "name": "Имя", "type": "text", "question": { "text": "Как к вам обращаться?" } }
      ],
      "agents": [ { "id": "weather", "name": "Погода", "url": "https://agent.example.org/turn", "secret": "0123456789abcdef-secret", "timeoutSeconds": 5, "retries": 1 } ],
      "calendars": [
        { "callCentre": "*", "timeZone": "Europe/Moscow",
          "week": [ { "day": "monday", "from": "09:00", "to": "18:00" }, { "day": "tuesday", "from": "09:00", "to": "18:00" },
                    { "day": "wednesday", "from": "09:00", "to": "18:00" }, { "day": "thursday", "from": "09:00", "to": "18:00" },
                    { "day": "friday", "from": "09:00", "to": "18:00" } ],
          "holidays": [ "2025-01-01" ],
          "outOfHours": { "mode": "queue", "text": { "ru": "Операторы работают с 9 до 18, ваш вопрос в очереди.", "en": "Operators work 9 to 18." }, "noticeOnGreeting": true } },
        { "callCentre": "night", "timeZone": "+03:00", "week": [ { "day": "monday", "from": "09:00", "to": "18:00" } ],
          "outOfHours": { "mode": "collectContacts", "text": { "ru": "Сейчас никто не работает, оставьте контакты." }, "contactArticle": "leave_contacts" } }
      ],
      "articles": [
        { "id": "greeting", "title": "Приветствие", "recordType": "QA",
          "answers": [ { "text": "Здравствуйте! Чем помочь?", "buttons": [ { "label": "Меню", "article": "menu" }, { "label": "Сайт", "url": "https://bank.example.org" } ] } ] },
        { "id": "menu", "title": "Меню", "recordType": "QA", "questions": ["меню"],
          "answers": [ { "text": "Выберите тему", "buttons": [ { "label": "Заблокировать карту", "article": "block_card" }, { "label": "Перевод", "article": "transfer" } ] } ] },
        { "id": "block_card", "title": "Блокировка карты", "recordType": "KB", "topics": ["карты"],
          "questions": ["заблокировать карту", "потерял карту"], "slots": ["card_type"],
          "answers": [
            { "text": "Дебетовая карта заблокирована.", "conditions": [ { "slot": "card_type", "operator": "equals", "value": "debit" } ] },
            { "text": "Кредитная карта заблокирована.", "conditions": [ { "slot": "card_type", "operator": "equals", "value": "credit" } ] },
            { "text": "Новую карту ({{card_type}}) можно заказать в приложении." } ] },
        { "id": "transfer", "title": "Перевод", "questions": ["перевод"], "slots": ["amount", "contract"],
          "answers": [
            { "text": "/operator vip", "conditions": [ { "slot": "amount", "operator": "greaterThan", "value": "100000" } ] },
            { "text": "Перевод {{amount}} ₽ по договору {{contract}} оформлен." } ] },
        { "id": "callback", "title": "Обратный звонок", "questions": ["перезвоните"], "slots": ["phone"],
          "answers": [ { "text": "Перезвоним на {{phone}}." } ] },
        { "id": "complaint", "title": "Жалоба", "questions": ["жалоба"], "slots": ["urgent", "city", "comment"],
          "answers": [
            { "text": "Срочная жалоба!", "conditions": [ { "slot": "urgent", "operator": "equals", "value": "true" } ] },
            { "text": "Город: {{city}}.", "conditions": [ { "slot": "city", "operator": "filled" } ] },
            { "text": "Жалоба принята: {{comment}}" } ] },
        { "id": "weather", "title": "Погода", "questions": ["погода"], "slots": ["region"], "answers": [ { "text": "/redirect weather" } ] },
        { "id": "policy_first", "title": "Первый", "questions": ["первый"], "messagePolicy": "first",
          "answers": [ { "text": "A" }, { "text": "B" } ] },
        { "id": "policy_random", "title": "Случайный", "questions": ["случайный"], "messagePolicy": "random",
          "answers": [ { "text": "A" }, { "text": "B" }, { "text": "C" } ] },
        { "id": "policy_all", "title": "Все", "questions": ["все"], "messagePolicy": "all",
          "answers": [ { "text": "A", "attachments": [ { "name": "a.pdf", "contentType": "application/pdf", "url": "files/a.pdf" } ] }, { "text": "B" } ] },
        { "id": "operator", "title": "Оператор", "questions": ["оператор"], "answers": [ { "text": "Соединяю с оператором." }, { "text": "/operator support skills=cards,vip" } ] },
        { "id": "vip_only", "title": "Для VIP", "questions": ["вип"], "access": { "callCentres": ["vip"], "languages": ["ru"], "lines": ["vip-line"], "skills": ["vip", "premium"] },
          "answers": [ { "text": "VIP" } ] },
        { "id": "leave_contacts", "title": "Оставить контакты", "slots": ["name", "phone"], "answers": [ { "text": "Спасибо, {{name}}, перезвоним на {{phone}}." } ] },
        { "id": "bye", "title": "Пока", "questions": ["пока"], "answers": [ { "text": "До свидания!" }, { "text": "/close" } ] }
      ],
      "settings": {
        "greetingArticle": { "ru": "greeting" },
        "fallbackText": { "ru": "Не понял вас.", "en": "Sorry, I did not get that." },
        "handoffText": { "ru": "Перевожу на оператора." },
        "cancelText": { "ru": "Хорошо, отменили." },
        "minConfidence": 0.4
      }
    }
    """;

    public static KbDocument Load() => KbJson.Parse(Json);

    // Monday 2 June 2025: 10:00 and 20:00 Moscow time (UTC+3).
    public static readonly DateTimeOffset WorkingHours = new(2025, 6, 2, 7, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset Evening = new(2025, 6, 2, 17, 0, 0, TimeSpan.Zero);
    public static readonly DateTimeOffset NewYearNoon = new(2025, 1, 1, 9, 0, 0, TimeSpan.Zero);
}

/// <summary>The classifier stand-in: exact phrases to articles.</summary>
public sealed class FakeMatcher(KbDocument kb) : IArticleMatcher
{
    private readonly Dictionary<string, string> _phrases = kb.Articles
        .SelectMany(a => a.Questions.Select(q => (q, a.Id)))
        .ToDictionary(p => p.q, p => p.Id, StringComparer.OrdinalIgnoreCase);

    public IReadOnlyList<ArticleCandidate> Match(string text, string language) =>
        _phrases.TryGetValue(text.Trim(), out var id) ? [new ArticleCandidate(id, 0.9)] : [];
}

public sealed class FixedTime(DateTimeOffset now) : TimeProvider
{
    public DateTimeOffset Now { get; set; } = now;
    public override DateTimeOffset GetUtcNow() => Now;
}

/// <summary>Drives a dialog like the engine does: the state goes through JSON (web defaults) between turns.</summary>
public sealed class Chat(DialogRunner runner, string language = "ru", DialogContext? context = null)
{
    private static readonly JsonSerializerOptions StateJson = new(JsonSerializerDefaults.Web);
    private string _state = JsonSerializer.Serialize(new DialogState(), StateJson);

    public static Chat Start(DateTimeOffset? now = null, Random? random = null, DialogContext? context = null, string language = "ru", KbDocument? kb = null)
    {
        kb ??= TestKb.Load();
        var runner = new DialogRunner(kb, new FakeMatcher(kb), new DialogRunnerOptions(), new FixedTime(now ?? TestKb.WorkingHours), random ?? new Random(1));
        return new Chat(runner, language, context);
    }

    public DialogState State => JsonSerializer.Deserialize<DialogState>(_state, StateJson)!;
    public TurnResult? Last { get; private set; }

    public TurnResult Say(string text) => Turn(s => runner.Run(s, new ClientInput(text, null, language) { Context = context }));
    public TurnResult Press(string articleId) => Turn(s => runner.Run(s, new ClientInput(null, articleId, language) { Context = context }));
    public TurnResult Choose(AnswerButton button) => Turn(s => runner.Run(s, new ClientInput(button.Label, null, language) { Payload = button.Value, Context = context }));
    public TurnResult Greet() => Turn(s => runner.Greet(s, language, context));

    private TurnResult Turn(Func<DialogState, TurnResult> run)
    {
        Last = run(JsonSerializer.Deserialize<DialogState>(_state, StateJson)!);
        _state = JsonSerializer.Serialize(Last.State, StateJson);
        return Last;
    }
}

public static class TurnAssertions
{
    public static string[] Texts(this TurnResult result) => result.Messages.Select(m => m.Text).ToArray();
}
