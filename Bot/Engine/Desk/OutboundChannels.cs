namespace BotEngine.Engine.Desk;

/// <summary>
/// Channel types on which the business may write to a client first (start a dialog from the workplace). The web chat
/// keeps the conversation and shows the message when the client comes back; a Telegram bot may write to anyone who
/// started it. Types not listed (messengers with a reply window or an opt-in) refuse, naming the channel.
/// </summary>
public static class OutboundChannels
{
    private static readonly HashSet<string> Allowed = new(StringComparer.Ordinal) { "directline", "telegram" };

    public static bool Allows(string channelType) => Allowed.Contains(channelType);
}
