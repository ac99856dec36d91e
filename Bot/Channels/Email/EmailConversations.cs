using System.Security.Cryptography;
using System.Text;

namespace BotEngine.Channels.Email;

/// <summary>
/// Our conversation id for an e-mail thread: the channel and a digest of the client's address and the thread's first
/// Message-ID ("email:support:3f2a..."), so a thread is one conversation and nobody else's reply in it joins it.
/// </summary>
public static class EmailConversations
{
    public static string Id(string channel, string address, string rootMessageId)
    {
        var digest = SHA256.HashData(Encoding.UTF8.GetBytes($"{address}\n{rootMessageId}"));
        return $"{EmailChannelType.TypeName}:{channel}:{Convert.ToHexStringLower(digest.AsSpan(0, 16))}";
    }
}
