namespace BotEngine.Storage.Dialogs;

/// <summary>Versioned changes of a dialog row added to the caller's batch.</summary>
public static class DialogStatements
{
    /// <summary>
    /// The bot's new memory and language, as an update that changes nothing when the dialog changed since
    /// <paramref name="version"/> was read or left the bot; returns the statement's index (its row count says which).
    /// </summary>
    /// <param name="touchedAt">Also move the dialog's last-message time there: news of its own (an agent answering later), or the message a turn planned ahead answers.</param>
    public static int AddBotStateUpdate(SqlBatch batch, string dialogId, long version, string botState, string language, long? touchedAt) =>
        batch.Add($"""
            UPDATE dialogs SET bot_state = @botState, language = @language, version = version + 1{(touchedAt is null ? "" : ", last_message_at = @touchedAt")}
            WHERE id = @dialogId AND version = @version AND state = 'bot'
            """, new BotStateUpdate(botState, language, touchedAt ?? 0, dialogId, version));

    // SqlBatch reads parameters from an object's properties.
    private sealed record BotStateUpdate(string BotState, string Language, long TouchedAt, string DialogId, long Version);
}
