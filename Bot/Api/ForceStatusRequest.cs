using BotEngine.Http;
using BotEngine.Engine.Agents;
using System.Text.Json;
using BotEngine.Bot.Auth;
using BotEngine.Engine.Desk;
using BotEngine.Storage;
using BotEngine.Handoff;
using Dapper;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BotEngine.Bot.Api;

public sealed record ForceStatusRequest(string? Status);
