namespace BotEngine.Engine.Channels;

/// <summary>
/// What a channel's button carries back to us: "m:" message id ":" button index. The button is then read from the
/// message we stored, so labels and values of any length survive a channel's payload limit (Telegram's 64 bytes).
/// </summary>
public static class ButtonPayload
{
    public static string Of(string messageId, int index) => $"m:{messageId}:{index}";

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
