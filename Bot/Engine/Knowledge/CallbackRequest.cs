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

/// <summary>Out of hours the client left contacts instead of waiting: stored for operators to call back.</summary>
public sealed record CallbackRequest(string? Line, IReadOnlyDictionary<string, string> Contacts);
