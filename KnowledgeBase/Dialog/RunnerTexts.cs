namespace BotEngine.KnowledgeBase;

/// <summary>Built-in phrases of the runner in Russian and English, and the words it understands.</summary>
internal static class RunnerTexts
{
    private static bool Ru(string language) => language.StartsWith("ru", StringComparison.OrdinalIgnoreCase);

    public static string Cancelled(string language) => Ru(language) ? "Хорошо, отменили." : "OK, cancelled.";
    public static string DidYouMean(string language) => Ru(language) ? "Вы имели в виду:" : "Did you mean:";
    public static string Yes(string language) => Ru(language) ? "Да" : "Yes";
    public static string No(string language) => Ru(language) ? "Нет" : "No";
    public static string TooLong(int limit, string language) =>
        Ru(language) ? $"Слишком длинный ответ: не больше {limit} символов." : $"The answer is too long: at most {limit} characters.";

    public static string YesNoHint(string language) => Ru(language) ? "Ответьте, пожалуйста, «да» или «нет»." : "Please answer yes or no.";

    public static string Hint(SlotDefinition slot, string language) => (slot.Type, Ru(language)) switch
    {
        (SlotType.Integer, true) => slot.Min is { } min && slot.Max is { } max ? $"Введите целое число от {min} до {max}." : "Введите целое число.",
        (SlotType.Integer, false) => slot.Min is { } min && slot.Max is { } max ? $"Please enter a whole number from {min} to {max}." : "Please enter a whole number.",
        (SlotType.Dictionary, true) => "Выберите один из вариантов.",
        (SlotType.Dictionary, false) => "Please choose one of the options.",
        (SlotType.Phone, true) => $"Введите номер телефона в формате {slot.Mask ?? PhoneNumber.DefaultMask}.",
        (SlotType.Phone, false) => $"Please enter a phone number like {slot.Mask ?? PhoneNumber.DefaultMask}.",
        (_, true) => "Не удалось распознать ответ, попробуйте ещё раз.",
        (_, false) => "I could not understand that, please try again.",
    };

    private static readonly HashSet<string> CancelWords = new(StringComparer.Ordinal)
    {
        "отмена", "отменить", "отмени", "стоп", "хватит", "cancel", "stop", "abort", "/cancel",
    };

    private static readonly HashSet<string> YesWords = new(StringComparer.Ordinal)
    {
        "да", "ага", "угу", "верно", "конечно", "да верно", "да все так", "yes", "yeah", "yep", "sure", "correct", "y", "ok", "ок",
    };

    private static readonly HashSet<string> NoWords = new(StringComparer.Ordinal)
    {
        "нет", "неа", "не", "нет не", "другая", "другой", "изменилась", "изменился", "no", "nope", "n", "changed",
    };

    public static bool IsCancel(string text) => CancelWords.Contains(Simplify(text));
    public static bool IsYes(string text) => YesWords.Contains(Simplify(text));
    public static bool IsNo(string text) => NoWords.Contains(Simplify(text));

    private static string Simplify(string text) =>
        string.Join(' ', TextAnalyzer.Words(text));
}
