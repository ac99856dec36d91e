using System.Data.Common;
using System.Text.Json;
using BotEngine.Engine.Agents;
using BotEngine.Engine.Knowledge;
using BotEngine.Engine.Pipeline;
using BotEngine.Engine.Schema;
using BotEngine.Storage;
using BotEngine.Handoff;
using Dapper;

namespace BotEngine.Engine.Desk;

public sealed record TransferRequest(string? OperatorId, string? Line, string[]? Skills, bool ToBot, string? Note);
