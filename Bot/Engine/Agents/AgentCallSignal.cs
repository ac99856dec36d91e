using BotEngine.Engine.Pipeline;

namespace BotEngine.Engine.Agents;

/// <summary>Wakes the agent call dispatcher at once after a turn stored a call, instead of at its next poll.</summary>
public sealed class AgentCallSignal : WakeSignal;
