namespace BotEngine.Engine.Desk;

/// <summary>
/// Channel types on which the business may write to a client first (start a dialog from the workplace). The web chat
/// keeps the conversation and shows the message when the client comes back; a Telegram bot may write to anyone who
/// started it, a Viber bot to its subscribers (Viber refuses the rest, which parks the delivery), a VK community to
/// whoever allowed its messages, a company's app (the API channel) gets it on its webhook or by polling, a mail goes
/// into the client's last e-mail thread, and a Bot Framework bot (Teams) writes to a conversation whose Connector
/// address it keeps.
/// Facebook is not listed: outside its 24-hour window only a tagged reply within 7 days is allowed.
/// </summary>
public static class OutboundChannels
{
    private static readonly HashSet<string> Allowed = new(StringComparer.Ordinal) { "directline", "telegram", "viber", "vk", "api", "email", "botframework" };

    public static bool Allows(string channelType) => Allowed.Contains(channelType);
}
