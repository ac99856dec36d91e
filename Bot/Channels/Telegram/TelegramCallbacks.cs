namespace BotEngine.Channels.Telegram;

/// <summary>Callback data of our inline buttons: "m:" message id ":" button index (at most 64 bytes, as Telegram requires).</summary>
public static class TelegramCallbacks
{
    public static string Data(string messageId, int index) => $"m:{messageId}:{index}";

    public static bool TryParse(string? data, out string messageId, out int index)
    {
        messageId = "";
        index = -1;
        if (data is null || !data.StartsWith("m:", StringComparison.Ordinal))
            return false;
        var colon = data.LastIndexOf(':');
        if (colon <= 2 || !int.TryParse(data.AsSpan(colon + 1), out index) || index < 0)
            return false;
        messageId = data[2..colon];
        return true;
    }
}
