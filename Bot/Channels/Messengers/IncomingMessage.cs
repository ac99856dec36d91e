using System.Text.Json.Nodes;

namespace BotEngine.Channels.Messengers;

/// <summary>
/// A client's message as a messenger's webhook parser reads it, before it becomes our activity: who wrote, the
/// messenger's own id for it (what makes a repeated webhook a no-op), and whatever it carried.
/// </summary>
public sealed record IncomingMessage(
    string Peer,
    string AccountId,
    string? AccountName,
    string? Locale,
    string ChannelMessageId,
    string? Text)
{
    /// <summary>The payload of a button of ours the client pressed.</summary>
    public string? Payload { get; init; }

    /// <summary>Our message whose keyboard the client answered, where the messenger tells it (Viber's tracking data).</summary>
    public string? AnsweredMessageId { get; init; }

    /// <summary>A deep link token the messenger passed along (VK's ref).</summary>
    public string? LinkToken { get; init; }

    /// <summary>A phone number shared with the messenger's own button, which vouches that it is the client's.</summary>
    public string? SharedPhone { get; init; }

    public (double Latitude, double Longitude)? Location { get; init; }

    public RemoteFile? File { get; init; }

    /// <summary>A value the channel sends with the message (the API channel's form data), passed to the bot as is.</summary>
    public JsonObject? Value { get; init; }

    /// <summary>The messenger's own fields worth keeping on the activity (its message id, the peer).</summary>
    public JsonObject? ChannelData { get; init; }
}
