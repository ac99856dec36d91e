namespace BotEngine.Engine.Knowledge;

/// <summary>The engine's own messages to clients, in Russian and English.</summary>
public sealed class SystemTexts
{
    private static readonly Dictionary<string, (string Ru, string En)> Texts = new()
    {
        ["handoff.queued"] = ("Передаю ваш вопрос оператору. Пожалуйста, подождите — вам ответят в этом чате.", "I am passing your question to an operator. Please wait, you will get an answer in this chat."),
        ["handoff.assigned"] = ("Оператор {0} подключился к диалогу.", "{0} has joined the conversation."),
        ["handoff.back_to_bot"] = ("Оператор вернул диалог боту. Напишите ваш вопрос — я постараюсь помочь, а если нужно, снова позову оператора.",
            "The operator has handed the conversation back to the bot. Write your question and I will try to help, or call an operator again if needed."),
        ["queue.position"] = ("Вы в очереди: {0}. Оператор ответит, как только освободится.", "You are number {0} in the queue. An operator will answer as soon as one is free."),
        ["queue.position_wait"] = ("Вы в очереди: {0}. Примерное время ожидания — {1} мин.", "You are number {0} in the queue. The estimated wait is {1} min."),
        ["agent.failed"] = ("Сервис сейчас не отвечает. Подключаю оператора.", "The service is not answering right now. I am connecting you to an operator."),
        ["agent.no_answer_operator"] = ("Сервис так и не ответил. Передаю ваш вопрос оператору.", "The service has not answered. I am passing your question to an operator."),
        ["agent.no_answer_bot"] = ("Сервис так и не ответил. Давайте я попробую помочь сам: напишите, пожалуйста, ваш вопрос.",
            "The service has not answered. Let me try to help myself: please write your question."),
        ["agent.wait"] = ("Минутку, пожалуйста: уточняю информацию и скоро отвечу.", "One moment, please: I am looking into it and will answer shortly."),
        ["bot.file_received"] = ("Файл получен. Я не умею читать файлы: опишите вопрос словами или напишите «оператор» — специалист увидит ваш файл.",
            "File received. I cannot read files: describe your question in words, or write \"operator\" and a specialist will see your file."),
        ["agent.left"] = ("Хорошо, вернёмся к обычным вопросам. Чем могу помочь?", "All right, back to the usual questions. How can I help?"),
        ["bot.listening"] = ("Я на связи. Напишите, пожалуйста, ваш вопрос.", "I am here. Please write your question."),
        ["callback.saved"] = ("Спасибо! Мы свяжемся с вами в рабочее время.", "Thank you! We will get back to you during working hours."),
        ["turn.failed_handoff"] = ("Извините, не получилось обработать ваше сообщение. Передаю диалог оператору.",
            "Sorry, I could not process your message. I am passing the conversation to an operator."),
        ["turn.failed"] = ("Извините, не получилось обработать ваше сообщение. Оператор видит его и ответит в этом чате.",
            "Sorry, I could not process your message. The operator can see it and will answer in this chat."),
        ["dialog.closed"] = ("Диалог завершён. Если у вас появятся вопросы, просто напишите нам.", "The conversation is closed. If you have more questions, just write to us."),
    };

    public string Get(string key, string language, params object[] args)
    {
        var (ru, en) = Texts[key];
        var text = language == "en" ? en : ru;
        return args.Length == 0 ? text : string.Format(System.Globalization.CultureInfo.InvariantCulture, text, args);
    }
}
