namespace BotEngine.Channels.Messengers;

/// <summary>
/// Our conversation id for a messenger chat: type, channel instance and the messenger's own peer id
/// ("viber:shop:01234567890A="), so two instances never share one. Channel names hold no ':', so the peer is
/// everything after the second colon.
/// </summary>
public static class MessengerConversations
{
    public static string Id(string type, string channel, string peer) => $"{type}:{channel}:{peer}";

    public static string PeerOf(string type, string conversationId)
    {
        var prefix = type + ":";
        var second = conversationId.IndexOf(':', prefix.Length);
        return conversationId.StartsWith(prefix, StringComparison.Ordinal) && second > prefix.Length && second < conversationId.Length - 1
            ? conversationId[(second + 1)..]
            : throw new FormatException($"'{conversationId}' is not a {type} conversation id.");
    }
}
