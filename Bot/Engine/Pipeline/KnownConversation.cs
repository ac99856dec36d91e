namespace BotEngine.Engine.Pipeline;

/// <summary>A conversation's bound account, its client and the dialog open in it, as this node last stored them.</summary>
public sealed record KnownConversation(string AccountId, string ClientId, string DialogId);
