using System.Text;
using System.Text.Json;
using BotEngine.Engine.Agents;
using BotEngine.Bot.Auth;
using BotEngine.Engine.Knowledge;
using BotEngine.Engine.Files;
using BotEngine.Http;
using BotEngine.Storage;
using BotEngine.Handoff;
using BotEngine.KnowledgeBase;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace BotEngine.Bot.Api;

public sealed record CallbackRequestDto(string Id, string DialogId, string ClientId, string? Line, Dictionary<string, string> Contacts, string State, DateTimeOffset CreatedAt);
