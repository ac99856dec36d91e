namespace BotEngine.Nlu.Tests;

/// <summary>A small bilingual set shaped like the demo knowledge base.</summary>
internal static class TinyData
{
    public static readonly (string Intent, string[] Phrasings)[] Intents =
    [
        ("opening_hours", ["what are your opening hours", "when do you open", "when are you open on weekends", "what time do you close today",
            "во сколько вы открываетесь", "какой у вас график работы", "до скольки вы работаете", "когда вы открыты в выходные"]),
        ("delivery_status", ["where is my order", "track my package", "my parcel has not arrived", "when will my delivery come",
            "где мой заказ", "отследить посылку", "посылка ещё не пришла", "когда привезут мой заказ"]),
        ("refund", ["i want my money back", "how do i get a refund", "return an item and get refunded", "refund my payment please",
            "хочу вернуть деньги", "как оформить возврат", "верните мне оплату", "возврат средств за товар"]),
        ("change_password", ["how do i change my password", "reset my password", "i forgot my password", "update account password",
            "как сменить пароль", "забыл пароль", "сбросить пароль от аккаунта", "поменять пароль"]),
        ("talk_to_human", ["let me talk to a person", "connect me to an operator", "i need a human agent", "can i speak to someone real",
            "позовите оператора", "хочу поговорить с человеком", "соедините с живым сотрудником", "нужен оператор"]),
    ];

    public static List<TrainingExample> Examples() =>
        Intents.SelectMany(i => i.Phrasings.Select(p => new TrainingExample(p, i.Intent))).ToList();
}
