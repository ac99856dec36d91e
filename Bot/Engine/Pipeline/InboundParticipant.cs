namespace BotEngine.Engine.Pipeline;

/// <summary>A member of a group chat who wrote a message: a client account of its own on the channel.</summary>
public sealed record InboundParticipant(string AccountId, string? Name);
