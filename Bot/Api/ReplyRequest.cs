using BotEngine.Http;
using System.Text.Json;
using BotEngine.Bot.Auth;
using BotEngine.Engine.Knowledge;
using BotEngine.Engine.Files;
using BotEngine.Engine.Pipeline;
using BotEngine.Engine.Desk;
using BotEngine.Engine.Schema;
using BotEngine.Storage;
using BotEngine.Handoff;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BotEngine.Bot.Api;

/// <param name="Attachments">Ids of stored files (<c>POST /api/v1/files</c>) sent with the reply.</param>
public sealed record ReplyRequest(string? Text, string[]? Attachments = null);
