namespace BotEngine.Bot.Web;

/// <summary>Every string the built-in pages show, in Russian and English.</summary>
public static class UiStrings
{
    private static readonly Dictionary<string, (string Ru, string En)> Strings = new()
    {
        ["chat.title"] = ("Чат с банком", "Chat with the bank"),
        ["chat.placeholder"] = ("Напишите сообщение…", "Type a message…"),
        ["chat.send"] = ("Отправить", "Send"),
        ["chat.connecting"] = ("Подключение…", "Connecting…"),
        ["chat.offline"] = ("Нет связи, повторяем попытку…", "Connection lost, retrying…"),
        ["chat.you"] = ("Вы", "You"),
        ["chat.attach"] = ("Прикрепить файл", "Attach a file"),
        ["chat.upload_failed"] = ("Не удалось отправить файл", "Could not send the file"),
        ["op.title"] = ("Рабочее место оператора", "Operator workplace"),
        ["op.login"] = ("Логин", "Login"),
        ["op.password"] = ("Пароль", "Password"),
        ["op.signin"] = ("Войти", "Sign in"),
        ["op.signout"] = ("Выйти", "Sign out"),
        ["op.bad_login"] = ("Неверный логин или пароль", "Wrong login or password"),
        ["op.too_many"] = ("Слишком много неудачных попыток. Повторите через {0} с", "Too many failed attempts. Try again in {0} s"),
        ["op.disabled"] = ("Учётная запись отключена, обратитесь к администратору", "This account is disabled; ask an administrator"),
        ["op.busy"] = ("Сервер занят, повторите через секунду", "The server is busy; try again in a second"),
        ["op.change_password"] = ("Сменить пароль", "Change password"),
        ["op.current_password"] = ("Текущий пароль", "Current password"),
        ["op.new_password"] = ("Новый пароль", "New password"),
        ["op.save_password"] = ("Сохранить пароль", "Save password"),
        ["op.cancel"] = ("Отмена", "Cancel"),
        ["op.password_changed"] = ("Пароль изменён, другие сеансы завершены", "Password changed; your other sessions have ended"),
        ["op.wrong_current_password"] = ("Неверный текущий пароль", "Wrong current password"),
        ["op.password_rules"] = ("Новый пароль: от 8 до 256 символов и не такой, как текущий", "New password: 8 to 256 characters, not the current one"),
        ["op.online"] = ("В сети", "Online"),
        ["op.offline"] = ("Не в сети", "Offline"),
        ["op.invisible"] = ("Невидимый", "Invisible"),
        ["op.lunch"] = ("Обед", "Lunch"),
        ["op.training"] = ("Обучение", "Training"),
        ["op.dissatisfied"] = ("Клиент недоволен?", "Client dissatisfied?"),
        ["op.dissatisfied_no"] = ("Нет", "No"),
        ["op.dissatisfied_yes"] = ("Да", "Yes"),
        ["op.my_dialogs"] = ("Мои диалоги", "My dialogs"),
        ["op.queue"] = ("Очередь", "Queue"),
        ["op.no_dialogs"] = ("Нет диалогов", "No dialogs"),
        ["op.pick_dialog"] = ("Выберите диалог слева", "Pick a dialog on the left"),
        ["op.reply"] = ("Ответ клиенту…", "Reply to the client…"),
        ["op.send"] = ("Отправить", "Send"),
        ["op.attach"] = ("Прикрепить файл", "Attach a file"),
        ["op.close"] = ("Завершить диалог", "Close dialog"),
        ["op.topic"] = ("Тема обращения", "Topic"),
        ["op.client"] = ("Клиент", "Client"),
        ["op.bot"] = ("Бот", "Bot"),
        ["op.system"] = ("Система", "System"),
        ["op.operator"] = ("Оператор", "Operator"),
        ["op.waiting"] = ("ждёт", "waiting"),
        ["op.error"] = ("Ошибка", "Error"),
        ["op.accept"] = ("Принять", "Accept"),
        ["op.cancel_hold"] = ("Отменить ожидание", "Cancel hold"),
        ["op.cancel_hold_hint"] = ("Не отправлять клиенту сообщение об ожидании", "Do not send the client the hold message"),
        ["op.transfer_to"] = ("Кому передать", "Transfer to"),
        ["op.transfer_note"] = ("Заметка для получателя", "Note for the receiver"),
        ["op.transfer"] = ("Передать", "Transfer"),
        ["op.operators"] = ("Операторы", "Operators"),
        ["op.lines"] = ("Линии", "Lines"),
        ["op.to_bot"] = ("Вернуть боту", "Back to the bot"),
        ["op.note_from"] = ("Заметка при передаче", "Transfer note"),
        ["op.external_image"] = ("Показать картинку с {host}", "Show the picture from {host}"),
    };

    public static string Get(string key, string language) =>
        Strings.TryGetValue(key, out var s) ? (language == "en" ? s.En : s.Ru) : key;

    public static IReadOnlyDictionary<string, string> All(string language) =>
        Strings.ToDictionary(p => p.Key, p => language == "en" ? p.Value.En : p.Value.Ru);
}
