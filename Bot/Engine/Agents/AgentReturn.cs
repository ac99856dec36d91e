namespace BotEngine.Engine.Agents;

/// <summary>An operator gave a dialog back to the bot, and the external agent that handed it over owns it again.</summary>
public sealed record AgentReturn(string DialogId, string AgentId, string OperatorId, string? OperatorName, string? Note);
