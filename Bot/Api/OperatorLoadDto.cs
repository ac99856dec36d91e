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

public sealed record OperatorLoadDto(
    string Id, string Login, string DisplayName, string Status, int MaxDialogs, IReadOnlyList<string> Dialogs, int ActiveDialogs, DateTimeOffset IdleSince);
