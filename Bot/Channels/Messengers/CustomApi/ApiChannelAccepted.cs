namespace BotEngine.Channels.Messengers.CustomApi;

/// <summary>What the app gets back for a message it posted: our conversation for this user.</summary>
public sealed record ApiChannelAccepted(string ConversationId);
