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

public sealed record ClassifyRequest(string? Text);
