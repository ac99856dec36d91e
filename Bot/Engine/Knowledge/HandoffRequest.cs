using System.Data.Common;
using System.Text.Json;
using System.Text.Json.Nodes;
using BotEngine.Engine.Agents;
using BotEngine.Engine.Files;
using BotEngine.Engine.Pipeline;
using BotEngine.Engine.Pipeline.Turns;
using BotEngine.Engine.Schema;
using BotEngine.Storage;
using BotEngine.KnowledgeBase;
using Dapper;

namespace BotEngine.Engine.Knowledge;

/// <summary>The bot or an agent hands the dialog to people: optionally to a line, or to one named operator.</summary>
public sealed record HandoffRequest(string? Line, string Reason, string? OperatorId = null)
{
    public IReadOnlyList<string> Skills { get; init; } = [];
}
