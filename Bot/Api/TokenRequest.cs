using BotEngine.Http;
using BotEngine.Bot.Auth;
using BotEngine.Engine.Desk;
using BotEngine.Handoff;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BotEngine.Bot.Api;

public sealed record TokenRequest(string? Login, string? Password);
