using System.Text.Json;
using BotEngine.Engine.Agents;
using BotEngine.Engine.Knowledge;
using BotEngine.Engine.Pipeline.Turns;
using BotEngine.Engine.Desk;
using BotEngine.Engine.Schema;
using BotEngine.Storage;
using BotEngine.KnowledgeBase;
using Dapper;
using Microsoft.Extensions.Options;

namespace BotEngine.Engine.Pipeline;

public sealed class TurnOptions
{
    /// <summary>Fault injection for crash tests: wait this long before running a stored inbound message's turn.</summary>
    public TimeSpan DebugTurnDelay { get; set; } = TimeSpan.Zero;
}
