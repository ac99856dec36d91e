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

public sealed record WaitingDialogDto(
    string Id, string ClientId, string? Language, string? Line, string? CallCentre, DateTimeOffset QueuedAt, double WaitingSeconds,
    int Priority, int Position, double? EstimatedWaitSeconds);
