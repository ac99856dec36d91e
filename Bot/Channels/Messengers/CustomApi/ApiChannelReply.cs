namespace BotEngine.Channels.Messengers.CustomApi;

/// <summary>One of our replies as the app gets it, pushed to its webhook or read by polling.</summary>
/// <param name="Cursor">Pass as <c>after</c> to read only what came after this reply.</param>
public sealed record ApiChannelReply(string Id, string Channel, string UserId, string Cursor, DateTimeOffset At, BotEngine.Engine.Schema.Activity Activity);
