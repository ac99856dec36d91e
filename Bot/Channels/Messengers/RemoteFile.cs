namespace BotEngine.Channels.Messengers;

/// <summary>A file a client sent, still on the messenger's servers: fetched into our file store when the message is taken.</summary>
public sealed record RemoteFile(string Url, string? Name, string? ContentType, long? Size);
